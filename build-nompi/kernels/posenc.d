build-nompi/kernels/posenc.o: kernels/posenc.c kernels/kernels.h \
 kernels/rng.h
kernels/kernels.h:
kernels/rng.h:
