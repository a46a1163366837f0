build-nompi/engine/rnn.o: engine/rnn.c engine/rnn.h base/error.h \
 engine/model.h engine/arch.h patterns/pattern.h engine/config.h \
 engine/tensor.h kernels/backend.h kernels/rng.h kernels/gemm.h \
 kernels/kernels.h kernels/lstm.h
engine/rnn.h:
base/error.h:
engine/model.h:
engine/arch.h:
patterns/pattern.h:
engine/config.h:
engine/tensor.h:
kernels/backend.h:
kernels/rng.h:
kernels/gemm.h:
kernels/kernels.h:
kernels/lstm.h:
