build-nompi/app/cmd_eval.o: app/cmd_eval.c patterns/lanes.h base/error.h \
 patterns/pattern.h trainer/prior.h engine/model.h engine/arch.h \
 engine/config.h engine/tensor.h kernels/backend.h kernels/rng.h \
 kernels/gemm.h trainer/data.h engine/cond.h app/cli.h patterns/load.h \
 patterns/pattern.h app/commands.h app/datacli.h app/gencli.h base/json.h \
 engine/generate.h engine/feel.h engine/ops.h engine/provenance.h \
 app/opts.h engine/modelpath.h kernels/kernels.h trainer/eval.h
patterns/lanes.h:
base/error.h:
patterns/pattern.h:
trainer/prior.h:
engine/model.h:
engine/arch.h:
engine/config.h:
engine/tensor.h:
kernels/backend.h:
kernels/rng.h:
kernels/gemm.h:
trainer/data.h:
engine/cond.h:
app/cli.h:
patterns/load.h:
patterns/pattern.h:
app/commands.h:
app/datacli.h:
app/gencli.h:
base/json.h:
engine/generate.h:
engine/feel.h:
engine/ops.h:
engine/provenance.h:
app/opts.h:
engine/modelpath.h:
kernels/kernels.h:
trainer/eval.h:
