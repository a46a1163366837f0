build-nompi/app/cmd_train.o: app/cmd_train.c app/cli.h patterns/load.h \
 base/error.h patterns/pattern.h patterns/pattern.h app/commands.h \
 app/datacli.h trainer/data.h engine/cond.h app/opts.h kernels/kernels.h \
 kernels/rng.h trainer/dist.h trainer/eval.h engine/feel.h engine/model.h \
 engine/arch.h engine/config.h engine/tensor.h kernels/backend.h \
 kernels/gemm.h trainer/progress.h trainer/train.h trainer/adamw.h \
 trainer/loss.h trainer/run.h trainer/schedule.h
app/cli.h:
patterns/load.h:
base/error.h:
patterns/pattern.h:
patterns/pattern.h:
app/commands.h:
app/datacli.h:
trainer/data.h:
engine/cond.h:
app/opts.h:
kernels/kernels.h:
kernels/rng.h:
trainer/dist.h:
trainer/eval.h:
engine/feel.h:
engine/model.h:
engine/arch.h:
engine/config.h:
engine/tensor.h:
kernels/backend.h:
kernels/gemm.h:
trainer/progress.h:
trainer/train.h:
trainer/adamw.h:
trainer/loss.h:
trainer/run.h:
trainer/schedule.h:
