build-nompi/kernels/gemm.o: kernels/gemm.c kernels/gemm.h \
 kernels/gemm_simd.inc kernels/gemm_simd_undef.inc
kernels/gemm.h:
kernels/gemm_simd.inc:
kernels/gemm_simd_undef.inc:
