build-nompi/app/cmd_convert.o: app/cmd_convert.c app/cli.h \
 patterns/load.h base/error.h patterns/pattern.h patterns/pattern.h \
 app/commands.h app/opts.h patterns/sequencer.h
app/cli.h:
patterns/load.h:
base/error.h:
patterns/pattern.h:
patterns/pattern.h:
app/commands.h:
app/opts.h:
patterns/sequencer.h:
