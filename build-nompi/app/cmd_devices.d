build-nompi/app/cmd_devices.o: app/cmd_devices.c app/cli.h \
 patterns/load.h base/error.h patterns/pattern.h patterns/pattern.h \
 app/commands.h app/midicli.h midi/midi_thread.h midi/midi_in.h \
 midi/midi_map.h midi/midi_port.h midi/midi_out.h patterns/sequencer.h \
 app/opts.h synth/audio.h synth/player.h synth/kit.h synth/dsp_resample.h \
 synth/voices.h
app/cli.h:
patterns/load.h:
base/error.h:
patterns/pattern.h:
patterns/pattern.h:
app/commands.h:
app/midicli.h:
midi/midi_thread.h:
midi/midi_in.h:
midi/midi_map.h:
midi/midi_port.h:
midi/midi_out.h:
patterns/sequencer.h:
app/opts.h:
synth/audio.h:
synth/player.h:
synth/kit.h:
synth/dsp_resample.h:
synth/voices.h:
