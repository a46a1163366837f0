build-nompi/session/jam_gen.o: session/jam_gen.c session/jam_gen.h \
 engine/ops.h engine/generate.h engine/cond.h base/error.h \
 patterns/pattern.h engine/feel.h engine/model.h engine/arch.h \
 engine/config.h engine/tensor.h kernels/backend.h kernels/rng.h \
 kernels/gemm.h engine/provenance.h session/jam.h session/jam_take.h
session/jam_gen.h:
engine/ops.h:
engine/generate.h:
engine/cond.h:
base/error.h:
patterns/pattern.h:
engine/feel.h:
engine/model.h:
engine/arch.h:
engine/config.h:
engine/tensor.h:
kernels/backend.h:
kernels/rng.h:
kernels/gemm.h:
engine/provenance.h:
session/jam.h:
session/jam_take.h:
