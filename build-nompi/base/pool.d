build-nompi/base/pool.o: base/pool.c base/pool.h
base/pool.h:
