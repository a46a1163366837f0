build-nompi/midi/midi_pm.o: midi/midi_pm.c midi/midi_port.h base/error.h
midi/midi_port.h:
base/error.h:
