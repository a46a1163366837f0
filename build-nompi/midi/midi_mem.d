build-nompi/midi/midi_mem.o: midi/midi_mem.c midi/midi_port.h \
 base/error.h base/spsc.h
midi/midi_port.h:
base/error.h:
base/spsc.h:
