build-nompi/kernels/rng.o: kernels/rng.c kernels/rng.h kernels/simd.h
kernels/rng.h:
kernels/simd.h:
