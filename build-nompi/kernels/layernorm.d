build-nompi/kernels/layernorm.o: kernels/layernorm.c kernels/kernels.h \
 kernels/rng.h kernels/simd.h
kernels/kernels.h:
kernels/rng.h:
kernels/simd.h:
