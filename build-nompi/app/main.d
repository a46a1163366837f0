build-nompi/app/main.o: app/main.c app/commands.h patterns/load.h \
 base/error.h patterns/pattern.h
app/commands.h:
patterns/load.h:
base/error.h:
patterns/pattern.h:
