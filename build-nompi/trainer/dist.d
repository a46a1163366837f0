build-nompi/trainer/dist.o: trainer/dist.c trainer/dist.h base/error.h
trainer/dist.h:
base/error.h:
