build-nompi/patterns/smf_read.o: patterns/smf_read.c patterns/smf.h \
 base/error.h patterns/pattern.h
patterns/smf.h:
base/error.h:
patterns/pattern.h:
