build-nompi/trainer/checkpoint.o: trainer/checkpoint.c base/fileio.h \
 base/error.h trainer/train.h engine/model.h engine/arch.h \
 patterns/pattern.h engine/config.h base/error.h engine/tensor.h \
 kernels/backend.h kernels/rng.h kernels/gemm.h trainer/adamw.h \
 trainer/data.h engine/cond.h trainer/loss.h
base/fileio.h:
base/error.h:
trainer/train.h:
engine/model.h:
engine/arch.h:
patterns/pattern.h:
engine/config.h:
base/error.h:
engine/tensor.h:
kernels/backend.h:
kernels/rng.h:
kernels/gemm.h:
trainer/adamw.h:
trainer/data.h:
engine/cond.h:
trainer/loss.h:
