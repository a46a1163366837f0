build-nompi/trainer/data.o: trainer/data.c trainer/data.h engine/cond.h \
 base/error.h patterns/pattern.h base/pool.h base/fileio.h base/error.h \
 patterns/smf.h patterns/pattern.h
trainer/data.h:
engine/cond.h:
base/error.h:
patterns/pattern.h:
base/pool.h:
base/fileio.h:
base/error.h:
patterns/smf.h:
patterns/pattern.h:
