build-nompi/synth/dsp_noise.o: synth/dsp_noise.c synth/dsp_noise.h \
 kernels/rng.h
synth/dsp_noise.h:
kernels/rng.h:
