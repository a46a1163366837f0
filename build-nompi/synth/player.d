build-nompi/synth/player.o: synth/player.c synth/player.h base/error.h \
 patterns/pattern.h patterns/sequencer.h synth/kit.h synth/dsp_resample.h \
 synth/voices.h synth/mixer.h base/spsc.h synth/transport.h
synth/player.h:
base/error.h:
patterns/pattern.h:
patterns/sequencer.h:
synth/kit.h:
synth/dsp_resample.h:
synth/voices.h:
synth/mixer.h:
base/spsc.h:
synth/transport.h:
