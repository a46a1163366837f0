build-nompi/patterns/pattern.o: patterns/pattern.c patterns/pattern.h
patterns/pattern.h:
