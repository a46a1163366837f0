build-nompi/app/cmd_render.o: app/cmd_render.c app/commands.h app/opts.h \
 app/synthcli.h app/cli.h patterns/load.h base/error.h patterns/pattern.h \
 patterns/pattern.h synth/kit.h synth/dsp_resample.h synth/voices.h \
 base/fileio.h base/error.h synth/render.h
app/commands.h:
app/opts.h:
app/synthcli.h:
app/cli.h:
patterns/load.h:
base/error.h:
patterns/pattern.h:
patterns/pattern.h:
synth/kit.h:
synth/dsp_resample.h:
synth/voices.h:
base/fileio.h:
base/error.h:
synth/render.h:
