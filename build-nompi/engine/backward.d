build-nompi/engine/backward.o: engine/backward.c \
 /usr/include/x86_64-linux-gnu/openblas-pthread/cblas.h \
 /usr/include/x86_64-linux-gnu/openblas-pthread/openblas_config.h \
 engine/model.h engine/arch.h patterns/pattern.h engine/config.h \
 base/error.h engine/tensor.h kernels/backend.h kernels/rng.h \
 kernels/gemm.h engine/train_ws.h engine/layout.h engine/cond.h \
 kernels/kernels.h
/usr/include/x86_64-linux-gnu/openblas-pthread/cblas.h:
/usr/include/x86_64-linux-gnu/openblas-pthread/openblas_config.h:
engine/model.h:
engine/arch.h:
patterns/pattern.h:
engine/config.h:
base/error.h:
engine/tensor.h:
kernels/backend.h:
kernels/rng.h:
kernels/gemm.h:
engine/train_ws.h:
engine/layout.h:
engine/cond.h:
kernels/kernels.h:
