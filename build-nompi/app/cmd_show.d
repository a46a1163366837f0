build-nompi/app/cmd_show.o: app/cmd_show.c app/cli.h patterns/load.h \
 base/error.h patterns/pattern.h patterns/pattern.h app/commands.h \
 app/opts.h patterns/tab.h
app/cli.h:
patterns/load.h:
base/error.h:
patterns/pattern.h:
patterns/pattern.h:
app/commands.h:
app/opts.h:
patterns/tab.h:
