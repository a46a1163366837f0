build-nompi/engine/modelpath.o: engine/modelpath.c engine/modelpath.h \
 base/error.h engine/model.h engine/arch.h patterns/pattern.h \
 engine/config.h engine/tensor.h kernels/backend.h kernels/rng.h \
 kernels/gemm.h base/datadir.h
engine/modelpath.h:
base/error.h:
engine/model.h:
engine/arch.h:
patterns/pattern.h:
engine/config.h:
engine/tensor.h:
kernels/backend.h:
kernels/rng.h:
kernels/gemm.h:
base/datadir.h:
