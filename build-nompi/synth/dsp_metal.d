build-nompi/synth/dsp_metal.o: synth/dsp_metal.c synth/dsp_metal.h
synth/dsp_metal.h:
