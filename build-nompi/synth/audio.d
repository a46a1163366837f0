build-nompi/synth/audio.o: synth/audio.c synth/audio.h base/error.h \
 synth/player.h patterns/pattern.h patterns/sequencer.h synth/kit.h \
 synth/dsp_resample.h synth/voices.h
synth/audio.h:
base/error.h:
synth/player.h:
patterns/pattern.h:
patterns/sequencer.h:
synth/kit.h:
synth/dsp_resample.h:
synth/voices.h:
