build-nompi/trainer/rnn_train.o: trainer/rnn_train.c trainer/rnn_train.h \
 base/error.h engine/rnn.h engine/model.h engine/arch.h \
 patterns/pattern.h engine/config.h engine/tensor.h kernels/backend.h \
 kernels/rng.h kernels/gemm.h trainer/data.h engine/cond.h \
 trainer/adamw.h
trainer/rnn_train.h:
base/error.h:
engine/rnn.h:
engine/model.h:
engine/arch.h:
patterns/pattern.h:
engine/config.h:
engine/tensor.h:
kernels/backend.h:
kernels/rng.h:
kernels/gemm.h:
trainer/data.h:
engine/cond.h:
trainer/adamw.h:
