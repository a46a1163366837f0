build-nompi/patterns/presets.o: patterns/presets.c patterns/presets.h \
 base/error.h patterns/pattern.h base/datadir.h base/fileio.h \
 base/error.h patterns/tab.h
patterns/presets.h:
base/error.h:
patterns/pattern.h:
base/datadir.h:
base/fileio.h:
base/error.h:
patterns/tab.h:
