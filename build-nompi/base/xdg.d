build-nompi/base/xdg.o: base/xdg.c base/xdg.h base/error.h
base/xdg.h:
base/error.h:
