build-nompi/session/core_job.o: session/core_job.c session/core_job.h \
 session/state.h session/keymap.h base/error.h session/action.h \
 session/keys.h session/library.h engine/provenance.h engine/generate.h \
 engine/cond.h patterns/pattern.h engine/feel.h engine/model.h \
 engine/arch.h engine/config.h engine/tensor.h kernels/backend.h \
 kernels/rng.h kernels/gemm.h session/tap.h patterns/load.h \
 patterns/pattern.h engine/ops.h patterns/lanes.h
session/core_job.h:
session/state.h:
session/keymap.h:
base/error.h:
session/action.h:
session/keys.h:
session/library.h:
engine/provenance.h:
engine/generate.h:
engine/cond.h:
patterns/pattern.h:
engine/feel.h:
engine/model.h:
engine/arch.h:
engine/config.h:
engine/tensor.h:
kernels/backend.h:
kernels/rng.h:
kernels/gemm.h:
session/tap.h:
patterns/load.h:
patterns/pattern.h:
engine/ops.h:
patterns/lanes.h:
