build-nompi/kernels/activations.o: kernels/activations.c \
 kernels/kernels.h kernels/rng.h
kernels/kernels.h:
kernels/rng.h:
