build-nompi/app/synthcli.o: app/synthcli.c app/synthcli.h app/cli.h \
 patterns/load.h base/error.h patterns/pattern.h patterns/pattern.h \
 synth/kit.h synth/dsp_resample.h synth/voices.h
app/synthcli.h:
app/cli.h:
patterns/load.h:
base/error.h:
patterns/pattern.h:
patterns/pattern.h:
synth/kit.h:
synth/dsp_resample.h:
synth/voices.h:
