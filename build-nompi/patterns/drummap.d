build-nompi/patterns/drummap.o: patterns/drummap.c patterns/pattern.h
patterns/pattern.h:
