build-nompi/app/cli.o: app/cli.c app/cli.h patterns/load.h base/error.h \
 patterns/pattern.h patterns/pattern.h base/fileio.h base/error.h
app/cli.h:
patterns/load.h:
base/error.h:
patterns/pattern.h:
patterns/pattern.h:
base/fileio.h:
base/error.h:
