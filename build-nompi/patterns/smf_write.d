build-nompi/patterns/smf_write.o: patterns/smf_write.c base/fileio.h \
 base/error.h patterns/smf.h base/error.h patterns/pattern.h
base/fileio.h:
base/error.h:
patterns/smf.h:
base/error.h:
patterns/pattern.h:
