build-nompi/trainer/loss.o: trainer/loss.c trainer/loss.h
trainer/loss.h:
