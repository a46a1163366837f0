build-nompi/synth/dsp_resample.o: synth/dsp_resample.c \
 synth/dsp_resample.h base/error.h
synth/dsp_resample.h:
base/error.h:
