build-nompi/base/fileio.o: base/fileio.c base/fileio.h base/error.h
base/fileio.h:
base/error.h:
