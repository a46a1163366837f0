build-nompi/kernels/attention_small.o: kernels/attention_small.c \
 kernels/attention_small.h kernels/gemm.h
kernels/attention_small.h:
kernels/gemm.h:
