build-nompi/synth/render.o: synth/render.c synth/render.h base/error.h \
 patterns/pattern.h synth/kit.h synth/dsp_resample.h synth/voices.h \
 base/fileio.h base/error.h synth/player.h patterns/sequencer.h
synth/render.h:
base/error.h:
patterns/pattern.h:
synth/kit.h:
synth/dsp_resample.h:
synth/voices.h:
base/fileio.h:
base/error.h:
synth/player.h:
patterns/sequencer.h:
