build-nompi/midi/midi_port.o: midi/midi_port.c midi/midi_port.h \
 base/error.h
midi/midi_port.h:
base/error.h:
