build-nompi/patterns/lanes.o: patterns/lanes.c patterns/lanes.h \
 base/error.h patterns/pattern.h
patterns/lanes.h:
base/error.h:
patterns/pattern.h:
