build-nompi/engine/model.o: engine/model.c engine/model.h engine/arch.h \
 patterns/pattern.h engine/config.h base/error.h engine/tensor.h \
 kernels/backend.h kernels/rng.h kernels/gemm.h engine/layout.h \
 engine/cond.h engine/safetensors.h base/fileio.h base/error.h
engine/model.h:
engine/arch.h:
patterns/pattern.h:
engine/config.h:
base/error.h:
engine/tensor.h:
kernels/backend.h:
kernels/rng.h:
kernels/gemm.h:
engine/layout.h:
engine/cond.h:
engine/safetensors.h:
base/fileio.h:
base/error.h:
