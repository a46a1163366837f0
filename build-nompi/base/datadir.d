build-nompi/base/datadir.o: base/datadir.c base/datadir.h
base/datadir.h:
