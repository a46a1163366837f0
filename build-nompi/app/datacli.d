build-nompi/app/datacli.o: app/datacli.c app/datacli.h trainer/data.h \
 engine/cond.h base/error.h patterns/pattern.h app/cli.h patterns/load.h \
 patterns/pattern.h base/datadir.h
app/datacli.h:
trainer/data.h:
engine/cond.h:
base/error.h:
patterns/pattern.h:
app/cli.h:
patterns/load.h:
patterns/pattern.h:
base/datadir.h:
