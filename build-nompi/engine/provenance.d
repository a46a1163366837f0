build-nompi/engine/provenance.o: engine/provenance.c engine/provenance.h \
 base/error.h engine/generate.h engine/cond.h patterns/pattern.h \
 engine/feel.h engine/model.h engine/arch.h engine/config.h \
 engine/tensor.h kernels/backend.h kernels/rng.h kernels/gemm.h \
 base/fileio.h base/error.h base/json.h patterns/lanes.h
engine/provenance.h:
base/error.h:
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
base/fileio.h:
base/error.h:
base/json.h:
patterns/lanes.h:
