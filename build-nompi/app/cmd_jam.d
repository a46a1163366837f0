build-nompi/app/cmd_jam.o: app/cmd_jam.c app/cli.h patterns/load.h \
 base/error.h patterns/pattern.h patterns/pattern.h app/commands.h \
 app/gencli.h base/json.h engine/generate.h engine/cond.h engine/feel.h \
 engine/model.h engine/arch.h engine/config.h engine/tensor.h \
 kernels/backend.h kernels/rng.h kernels/gemm.h engine/ops.h \
 engine/provenance.h app/opts.h app/synthcli.h synth/kit.h \
 synth/dsp_resample.h synth/voices.h base/fileio.h base/error.h \
 patterns/lanes.h patterns/smf.h session/jam_gen.h session/jam.h \
 session/jam_take.h synth/render.h
app/cli.h:
patterns/load.h:
base/error.h:
patterns/pattern.h:
patterns/pattern.h:
app/commands.h:
app/gencli.h:
base/json.h:
engine/generate.h:
engine/cond.h:
engine/feel.h:
engine/model.h:
engine/arch.h:
engine/config.h:
engine/tensor.h:
kernels/backend.h:
kernels/rng.h:
kernels/gemm.h:
engine/ops.h:
engine/provenance.h:
app/opts.h:
app/synthcli.h:
synth/kit.h:
synth/dsp_resample.h:
synth/voices.h:
base/fileio.h:
base/error.h:
patterns/lanes.h:
patterns/smf.h:
session/jam_gen.h:
session/jam.h:
session/jam_take.h:
synth/render.h:
