build-nompi/app/cmd_encode.o: app/cmd_encode.c app/cli.h patterns/load.h \
 base/error.h patterns/pattern.h patterns/pattern.h app/commands.h \
 app/gencli.h base/json.h engine/generate.h engine/cond.h engine/feel.h \
 engine/model.h engine/arch.h engine/config.h engine/tensor.h \
 kernels/backend.h kernels/rng.h kernels/gemm.h engine/ops.h \
 engine/provenance.h app/opts.h
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
