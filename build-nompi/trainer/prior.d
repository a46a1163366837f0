build-nompi/trainer/prior.o: trainer/prior.c trainer/prior.h \
 engine/model.h engine/arch.h patterns/pattern.h engine/config.h \
 base/error.h engine/tensor.h kernels/backend.h kernels/rng.h \
 kernels/gemm.h trainer/data.h engine/cond.h engine/generate.h \
 engine/feel.h
trainer/prior.h:
engine/model.h:
engine/arch.h:
patterns/pattern.h:
engine/config.h:
base/error.h:
engine/tensor.h:
kernels/backend.h:
kernels/rng.h:
kernels/gemm.h:
trainer/data.h:
engine/cond.h:
engine/generate.h:
engine/feel.h:
