/* gemm.h - the SIMD kernels of the inference path: small dense products on
 * register-blocked tiles, row softmax, LayerNorm and the output sigmoids, each with an
 * AVX-512 and an AVX2+FMA variant compiled with target attributes (the
 * project's generic flags build them) and picked at run time, plus plain C.
 *
 * The right operand B (K x N) of a product is read through a gv_gemm_b view:
 * element (k, n) sits at
 *     p[(n / 16) * panel + k * ld + n % 16]
 * with ld replaced by ldl in the last panel when 16 does not divide N.  Two
 * layouts fit it:
 *   - a row-major K x N matrix with row stride ld (gv_gemm_rows);
 *   - a PyTorch Linear weight W[N, K] packed once by gv_gemm_pack: panels of
 *     16 output columns, K-major, no padding (N * K floats), so that a tile
 *     reads 16 consecutive floats per k and nothing is packed per call.
 *
 * Every output element is one chain of fused multiply-adds over k = 0..K-1
 * from 0, then scale, bias, residual and relu in that order: an element's
 * value does not depend on M, on its row or on the tile that computed it, so
 * a batch gives the same bytes as its rows one at a time.  Results differ
 * from OpenBLAS's in rounding only.  Nothing allocates; tails of M, N and K
 * are exact (masked loads and stores, nothing read past an operand). */
#ifndef GV_GEMM_H
#define GV_GEMM_H

#include <stddef.h>

typedef enum gv_isa {
    GV_ISA_C,      /* plain C loops, any CPU */
    GV_ISA_AVX2,   /* AVX2 + FMA, 8 lanes */
    GV_ISA_AVX512, /* AVX-512F, 16 lanes */
} gv_isa;

/* The fastest variant this CPU runs.  Callers pass the variant to every
 * kernel, so that tests can run each one the CPU has. */
gv_isa gv_isa_best(void);
/* Whether this CPU runs variant isa. */
int gv_isa_supported(gv_isa isa);
const char *gv_isa_name(gv_isa isa);

typedef struct gv_gemm_b {
    const float *p;
    size_t ld, ldl, panel; /* see above */
} gv_gemm_b;

/* A row-major K x N matrix b with row stride ld. */
gv_gemm_b gv_gemm_rows(const float *b, size_t ld);
/* w[N, K] packed by gv_gemm_pack into packed. */
gv_gemm_b gv_gemm_packed(const float *packed, int N, int K);
/* packed[N * K] <- w[N, K] (PyTorch Linear weight) in 16-column panels. */
void gv_gemm_pack(float *packed, const float *w, int N, int K);

/* What happens to the product before it is stored. */
typedef struct gv_gemm_epi {
    float scale;       /* multiplies the product (0 is taken as 1) */
    const float *bias; /* [N] added, or NULL */
    const float *res;  /* [M, ldr] added (a residual), or NULL; may be c itself */
    size_t ldr;
    int relu;          /* then max(x, 0) */
} gv_gemm_epi;

/* c[M, N] (row stride ldc) = epilogue(a[M, K] (row stride lda) @ B[K, N]);
 * e may be NULL (the plain product).  M, N >= 0; K >= 0 (K = 0: the product
 * is 0).  isa must be supported. */
void gv_gemm(gv_isa isa, float *c, size_t ldc, const float *a, size_t lda, gv_gemm_b b, int M, int N, int K,
             const gv_gemm_epi *e);

/* x[rows, n] (row stride ld) <- softmax of each row, max subtracted first. */
void gv_softmax_rows(gv_isa isa, float *x, int rows, int n, size_t ld);

/* out[rows, C] = LayerNorm(x) with weight w[C], bias b[C], biased variance
 * and eps inside the root, as PyTorch's; out may be x. */
void gv_layernorm_rows(gv_isa isa, float *out, const float *x, const float *w, const float *b, int rows, int C,
                       float eps);

/* y[i] = 1 / (1 + exp(-s[i] x[i])) + h[i] for i < n (y may be x): the
 * model's output heads (0.5 tanh(x) = sigmoid(2x) - 0.5).  Relative error
 * ~1e-7 before h is added. */
void gv_sigmoid_affine(gv_isa isa, float *y, const float *x, int n, const float *s, const float *h);

/* The LSTM's gate math (kernels/lstm.h), fused: a[B,4H] holds each row's
 * pre-activations i | f | g | o and gets their activations (sigmoid,
 * sigmoid, tanh, sigmoid); c[B,H] = f cp + i g (cp NULL: 0; cp may be c),
 * h[B,H] = o tanh(c).  The SIMD variants take sigmoid from gemm's exp and
 * tanh(x) as 2 sigmoid(2x) - 1 (error ~1e-7, absolute near 0); the C one is
 * libm's expf and tanhf. */
void gv_lstm_gates(gv_isa isa, float *a, float *h, float *c, const float *cp, int B, int H);
/* Its backward for one step: from dh and the running dc (updated in place
 * to the previous step's), the activations a, the new state c and the old
 * cp (NULL: 0), the pre-activation gradients da[B,4H]. */
void gv_lstm_gates_back(gv_isa isa, float *da, float *dc, const float *dh, const float *a, const float *c,
                        const float *cp, int B, int H);

/* dst[c * ldd + r] = src[r * lds + c] for r < rows, c < cols (no overlap). */
void gv_transpose(gv_isa isa, float *dst, size_t ldd, const float *src, size_t lds, int rows, int cols);

#endif
