build-nompi/synth/dsp_biquad.o: synth/dsp_biquad.c synth/dsp_biquad.h
synth/dsp_biquad.h:
