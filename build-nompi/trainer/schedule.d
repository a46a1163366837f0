build-nompi/trainer/schedule.o: trainer/schedule.c trainer/schedule.h
trainer/schedule.h:
