build-nompi/trainer/train.o: trainer/train.c trainer/train.h \
 engine/model.h engine/arch.h patterns/pattern.h engine/config.h \
 base/error.h engine/tensor.h kernels/backend.h kernels/rng.h \
 kernels/gemm.h trainer/adamw.h trainer/data.h engine/cond.h \
 trainer/loss.h trainer/dist.h trainer/schedule.h trainer/step.h
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
trainer/dist.h:
trainer/schedule.h:
trainer/step.h:
