build-nompi/base/json.o: base/json.c base/json.h base/error.h
base/json.h:
base/error.h:
