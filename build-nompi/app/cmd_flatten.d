build-nompi/app/cmd_flatten.o: app/cmd_flatten.c app/cli.h \
 patterns/load.h base/error.h patterns/pattern.h patterns/pattern.h \
 app/commands.h app/opts.h
app/cli.h:
patterns/load.h:
base/error.h:
patterns/pattern.h:
patterns/pattern.h:
app/commands.h:
app/opts.h:
