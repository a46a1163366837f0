build-nompi/engine/ops.o: engine/ops.c engine/ops.h engine/generate.h \
 engine/cond.h base/error.h patterns/pattern.h engine/feel.h \
 engine/model.h engine/arch.h engine/config.h engine/tensor.h \
 kernels/backend.h kernels/rng.h kernels/gemm.h engine/provenance.h
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
