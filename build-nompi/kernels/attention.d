build-nompi/kernels/attention.o: kernels/attention.c kernels/kernels.h \
 kernels/rng.h kernels/gemm.h kernels/simd.h
kernels/kernels.h:
kernels/rng.h:
kernels/gemm.h:
kernels/simd.h:
