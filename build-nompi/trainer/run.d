build-nompi/trainer/run.o: trainer/run.c trainer/run.h base/error.h \
 trainer/train.h engine/model.h engine/arch.h patterns/pattern.h \
 engine/config.h engine/tensor.h kernels/backend.h kernels/rng.h \
 kernels/gemm.h trainer/adamw.h trainer/data.h engine/cond.h \
 trainer/loss.h base/fileio.h base/error.h trainer/dist.h trainer/eval.h \
 engine/feel.h trainer/prior.h trainer/progress.h
trainer/run.h:
base/error.h:
trainer/train.h:
engine/model.h:
engine/arch.h:
patterns/pattern.h:
engine/config.h:
engine/tensor.h:
kernels/backend.h:
kernels/rng.h:
kernels/gemm.h:
trainer/adamw.h:
trainer/data.h:
engine/cond.h:
trainer/loss.h:
base/fileio.h:
base/error.h:
trainer/dist.h:
trainer/eval.h:
engine/feel.h:
trainer/prior.h:
trainer/progress.h:
