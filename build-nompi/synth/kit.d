build-nompi/synth/kit.o: synth/kit.c synth/kit.h base/error.h \
 patterns/pattern.h synth/dsp_resample.h synth/voices.h
synth/kit.h:
base/error.h:
patterns/pattern.h:
synth/dsp_resample.h:
synth/voices.h:
