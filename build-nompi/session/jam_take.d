build-nompi/session/jam_take.o: session/jam_take.c session/jam_take.h \
 base/error.h patterns/pattern.h
session/jam_take.h:
base/error.h:
patterns/pattern.h:
