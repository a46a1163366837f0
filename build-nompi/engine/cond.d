build-nompi/engine/cond.o: engine/cond.c engine/cond.h base/error.h \
 patterns/pattern.h patterns/lanes.h
engine/cond.h:
base/error.h:
patterns/pattern.h:
patterns/lanes.h:
