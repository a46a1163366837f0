build-nompi/trainer/adamw.o: trainer/adamw.c trainer/adamw.h
trainer/adamw.h:
