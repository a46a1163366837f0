build-nompi/session/actions.o: session/actions.c session/action.h \
 session/core_io.h base/error.h session/state.h session/keymap.h \
 session/keys.h session/library.h engine/provenance.h engine/generate.h \
 engine/cond.h patterns/pattern.h engine/feel.h engine/model.h \
 engine/arch.h engine/config.h engine/tensor.h kernels/backend.h \
 kernels/rng.h kernels/gemm.h session/tap.h patterns/load.h \
 patterns/pattern.h session/core_job.h session/core_midi.h \
 patterns/lanes.h
session/action.h:
session/core_io.h:
base/error.h:
session/state.h:
session/keymap.h:
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
session/core_job.h:
session/core_midi.h:
patterns/lanes.h:
