build-nompi/midi/midi_thread.o: midi/midi_thread.c midi/midi_thread.h \
 base/error.h patterns/pattern.h midi/midi_in.h midi/midi_map.h \
 midi/midi_port.h midi/midi_out.h patterns/sequencer.h base/spsc.h
midi/midi_thread.h:
base/error.h:
patterns/pattern.h:
midi/midi_in.h:
midi/midi_map.h:
midi/midi_port.h:
midi/midi_out.h:
patterns/sequencer.h:
base/spsc.h:
