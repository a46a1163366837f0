build-nompi/patterns/load.o: patterns/load.c patterns/load.h base/error.h \
 patterns/pattern.h base/fileio.h base/error.h patterns/presets.h \
 patterns/smf.h patterns/tab.h
patterns/load.h:
base/error.h:
patterns/pattern.h:
base/fileio.h:
base/error.h:
patterns/presets.h:
patterns/smf.h:
patterns/tab.h:
