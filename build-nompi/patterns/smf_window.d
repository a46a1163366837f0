build-nompi/patterns/smf_window.o: patterns/smf_window.c base/fileio.h \
 base/error.h patterns/smf.h base/error.h patterns/pattern.h
base/fileio.h:
base/error.h:
patterns/smf.h:
base/error.h:
patterns/pattern.h:
