build-nompi/app/cmd_play.o: app/cmd_play.c app/commands.h app/midicli.h \
 midi/midi_thread.h base/error.h patterns/pattern.h midi/midi_in.h \
 midi/midi_map.h midi/midi_port.h midi/midi_out.h patterns/sequencer.h \
 app/opts.h app/synthcli.h app/cli.h patterns/load.h patterns/pattern.h \
 synth/kit.h synth/dsp_resample.h synth/voices.h synth/audio.h \
 synth/player.h
app/commands.h:
app/midicli.h:
midi/midi_thread.h:
base/error.h:
patterns/pattern.h:
midi/midi_in.h:
midi/midi_map.h:
midi/midi_port.h:
midi/midi_out.h:
patterns/sequencer.h:
app/opts.h:
app/synthcli.h:
app/cli.h:
patterns/load.h:
patterns/pattern.h:
synth/kit.h:
synth/dsp_resample.h:
synth/voices.h:
synth/audio.h:
synth/player.h:
