build-nompi/kernels/dropout.o: kernels/dropout.c kernels/kernels.h \
 kernels/rng.h kernels/simd.h
kernels/kernels.h:
kernels/rng.h:
kernels/simd.h:
