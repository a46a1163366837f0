build-nompi/synth/kitload.o: synth/kitload.c synth/kit.h base/error.h \
 patterns/pattern.h synth/dsp_resample.h synth/voices.h base/fileio.h \
 base/error.h
synth/kit.h:
base/error.h:
patterns/pattern.h:
synth/dsp_resample.h:
synth/voices.h:
base/fileio.h:
base/error.h:
