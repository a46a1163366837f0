build-nompi/patterns/tab.o: patterns/tab.c patterns/tab.h base/error.h \
 patterns/pattern.h base/fileio.h base/error.h
patterns/tab.h:
base/error.h:
patterns/pattern.h:
base/fileio.h:
base/error.h:
