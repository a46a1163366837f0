build-nompi/app/midicli.o: app/midicli.c app/midicli.h midi/midi_thread.h \
 base/error.h patterns/pattern.h midi/midi_in.h midi/midi_map.h \
 midi/midi_port.h midi/midi_out.h patterns/sequencer.h app/cli.h \
 patterns/load.h patterns/pattern.h
app/midicli.h:
midi/midi_thread.h:
base/error.h:
patterns/pattern.h:
midi/midi_in.h:
midi/midi_map.h:
midi/midi_port.h:
midi/midi_out.h:
patterns/sequencer.h:
app/cli.h:
patterns/load.h:
patterns/pattern.h:
