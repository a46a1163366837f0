build-nompi/midi/midi_map.o: midi/midi_map.c midi/midi_map.h base/error.h \
 patterns/pattern.h base/fileio.h base/error.h
midi/midi_map.h:
base/error.h:
patterns/pattern.h:
base/fileio.h:
base/error.h:
