build-nompi/synth/voices.o: synth/voices.c synth/voices.h \
 patterns/pattern.h synth/dsp_biquad.h synth/dsp_metal.h \
 synth/dsp_noise.h kernels/rng.h
synth/voices.h:
patterns/pattern.h:
synth/dsp_biquad.h:
synth/dsp_metal.h:
synth/dsp_noise.h:
kernels/rng.h:
