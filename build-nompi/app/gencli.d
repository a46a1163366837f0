build-nompi/app/gencli.o: app/gencli.c app/gencli.h base/json.h \
 base/error.h app/cli.h patterns/load.h patterns/pattern.h \
 patterns/pattern.h engine/generate.h engine/cond.h engine/feel.h \
 engine/model.h engine/arch.h engine/config.h engine/tensor.h \
 kernels/backend.h kernels/rng.h kernels/gemm.h engine/ops.h \
 engine/provenance.h engine/modelpath.h kernels/kernels.h \
 patterns/lanes.h base/fileio.h base/error.h patterns/smf.h
app/gencli.h:
base/json.h:
base/error.h:
app/cli.h:
patterns/load.h:
patterns/pattern.h:
patterns/pattern.h:
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
engine/modelpath.h:
kernels/kernels.h:
patterns/lanes.h:
base/fileio.h:
base/error.h:
patterns/smf.h:
