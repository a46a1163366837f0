build-nompi/synth/mixer.o: synth/mixer.c synth/mixer.h synth/kit.h \
 base/error.h patterns/pattern.h synth/dsp_resample.h synth/voices.h
synth/mixer.h:
synth/kit.h:
base/error.h:
patterns/pattern.h:
synth/dsp_resample.h:
synth/voices.h:
