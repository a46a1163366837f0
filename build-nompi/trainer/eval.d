build-nompi/trainer/eval.o: trainer/eval.c trainer/eval.h engine/feel.h \
 base/error.h patterns/pattern.h engine/model.h engine/arch.h \
 engine/config.h engine/tensor.h kernels/backend.h kernels/rng.h \
 kernels/gemm.h trainer/data.h engine/cond.h base/pool.h patterns/lanes.h
trainer/eval.h:
engine/feel.h:
base/error.h:
patterns/pattern.h:
engine/model.h:
engine/arch.h:
engine/config.h:
engine/tensor.h:
kernels/backend.h:
kernels/rng.h:
kernels/gemm.h:
trainer/data.h:
engine/cond.h:
base/pool.h:
patterns/lanes.h:
