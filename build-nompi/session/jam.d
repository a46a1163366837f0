build-nompi/session/jam.o: session/jam.c session/jam.h patterns/pattern.h \
 engine/generate.h engine/cond.h base/error.h engine/feel.h \
 engine/model.h engine/arch.h engine/config.h engine/tensor.h \
 kernels/backend.h kernels/rng.h kernels/gemm.h patterns/lanes.h
session/jam.h:
patterns/pattern.h:
engine/generate.h:
engine/cond.h:
base/error.h:
engine/feel.h:
engine/model.h:
engine/arch.h:
engine/config.h:
engine/tensor.h:
kernels/backend.h:
kernels/rng.h:
kernels/gemm.h:
patterns/lanes.h:
