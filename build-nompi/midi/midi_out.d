build-nompi/midi/midi_out.o: midi/midi_out.c midi/midi_out.h \
 patterns/pattern.h midi/midi_map.h base/error.h midi/midi_port.h \
 patterns/sequencer.h
midi/midi_out.h:
patterns/pattern.h:
midi/midi_map.h:
base/error.h:
midi/midi_port.h:
patterns/sequencer.h:
