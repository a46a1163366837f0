build-nompi/kernels/linear.o: kernels/linear.c kernels/kernels.h \
 kernels/rng.h /usr/include/x86_64-linux-gnu/openblas-pthread/cblas.h \
 /usr/include/x86_64-linux-gnu/openblas-pthread/openblas_config.h \
 kernels/gemm.h kernels/simd.h
kernels/kernels.h:
kernels/rng.h:
/usr/include/x86_64-linux-gnu/openblas-pthread/cblas.h:
/usr/include/x86_64-linux-gnu/openblas-pthread/openblas_config.h:
kernels/gemm.h:
kernels/simd.h:
