build-nompi/kernels/backend_cpu.o: kernels/backend_cpu.c \
 kernels/backend.h kernels/rng.h kernels/kernels.h
kernels/backend.h:
kernels/rng.h:
kernels/kernels.h:
