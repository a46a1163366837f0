build-nompi/midi/midi_in.o: midi/midi_in.c midi/midi_in.h midi/midi_map.h \
 base/error.h patterns/pattern.h midi/midi_port.h midi/midi_out.h \
 patterns/sequencer.h
midi/midi_in.h:
midi/midi_map.h:
base/error.h:
patterns/pattern.h:
midi/midi_port.h:
midi/midi_out.h:
patterns/sequencer.h:
