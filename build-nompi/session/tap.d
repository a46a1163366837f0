build-nompi/session/tap.o: session/tap.c session/tap.h patterns/pattern.h
session/tap.h:
patterns/pattern.h:
