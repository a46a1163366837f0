build-nompi/session/state.o: session/state.c session/state.h \
 session/keymap.h base/error.h session/action.h session/keys.h \
 session/library.h engine/provenance.h engine/generate.h engine/cond.h \
 patterns/pattern.h engine/feel.h engine/model.h engine/arch.h \
 engine/config.h engine/tensor.h kernels/backend.h kernels/rng.h \
 kernels/gemm.h session/tap.h patterns/load.h patterns/pattern.h \
 patterns/lanes.h
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
patterns/lanes.h:
