/* gemm.c - gemm.h: packing, run-time choice of the kernel variant, the plain
 * C variant, and the AVX-512 and AVX2 variants made from gemm_simd.inc.
 *
 * Tiles: AVX-512 8 rows x 32 columns (16 accumulators of its 32 registers),
 * AVX2 6 x 16 (12 of 16); at most 2 rows (a single latent through fc_mu or
 * dec_in) they widen to 64 and 32 columns so that enough independent FMA
 * chains hide the FMA latency. */
#include "kernels/gemm.h"

#include <math.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#define GV_X86 1
#include <immintrin.h>
#endif

gv_gemm_b gv_gemm_rows(const float *b, size_t ld) { return (gv_gemm_b){b, ld, ld, 16}; }

gv_gemm_b gv_gemm_packed(const float *packed, int N, int K)
{
    return (gv_gemm_b){packed, 16, (size_t)(N % 16 ? N % 16 : 16), (size_t)16 * (size_t)K};
}

void gv_gemm_pack(float *packed, const float *w, int N, int K)
{
    for (int n0 = 0; n0 < N; n0 += 16) {
        int width = N - n0 < 16 ? N - n0 : 16;
        float *p = packed + (size_t)n0 * K;
        const float *rows = w + (size_t)n0 * K;
        /* k outer: the panel is written once, in order, from 16 read
         * streams; j outer strode the whole panel 16 times (slow at K = 4096) */
        for (int k = 0; k < K; k++)
            for (int j = 0; j < width; j++)
                p[(size_t)k * width + j] = rows[(size_t)j * K + k];
    }
}

/* ------------------------------------------------------------- plain C */

static void transpose_c(float *dst, size_t ldd, const float *src, size_t lds, int rows, int cols)
{
    for (int r = 0; r < rows; r++)
        for (int c = 0; c < cols; c++)
            dst[(size_t)c * ldd + r] = src[(size_t)r * lds + c];
}

static float b_at(gv_gemm_b b, int N, int k, int n)
{
    size_t ld = n / 16 < N / 16 ? b.ld : b.ldl;
    return b.p[(size_t)(n / 16) * b.panel + (size_t)k * ld + n % 16];
}

static void gemm_c(float *c, size_t ldc, const float *a, size_t lda, gv_gemm_b b, int M, int N, int K,
                   const gv_gemm_epi *e)
{
    for (int i = 0; i < M; i++)
        for (int n = 0; n < N; n++) {
            float acc = 0.0f;
            for (int k = 0; k < K; k++)
                acc = fmaf(a[(size_t)i * lda + k], b_at(b, N, k, n), acc);
            if (e->scale != 1.0f)
                acc *= e->scale;
            if (e->bias)
                acc += e->bias[n];
            if (e->res)
                acc += e->res[(size_t)i * e->ldr + n];
            if (e->relu)
                acc = acc > 0.0f ? acc : 0.0f;
            c[(size_t)i * ldc + n] = acc;
        }
}

static void softmax_c(float *x, int rows, int n, size_t ld)
{
    for (int r = 0; r < rows; r++) {
        float *row = x + (size_t)r * ld, mx = -INFINITY, sum = 0.0f;
        for (int i = 0; i < n; i++)
            mx = row[i] > mx ? row[i] : mx;
        for (int i = 0; i < n; i++) {
            row[i] = expf(row[i] - mx);
            sum += row[i];
        }
        for (int i = 0; i < n; i++)
            row[i] *= 1.0f / sum;
    }
}

static void sigmoid_c(float *y, const float *x, int n, const float *s, const float *h)
{
    for (int i = 0; i < n; i++)
        y[i] = 1.0f / (1.0f + expf(-s[i] * x[i])) + h[i];
}

static inline float sigm_c(float x) { return 1.f / (1.f + expf(-x)); }

static void lstm_gates_c(float *a, float *h, float *c, const float *cp, int B, int H)
{
    for (int b = 0; b < B; b++) {
        float *ab = a + (size_t)b * 4 * H;
        for (int k = 0; k < H; k++) {
            float i = sigm_c(ab[k]), f = sigm_c(ab[H + k]), g = tanhf(ab[2 * H + k]), o = sigm_c(ab[3 * H + k]);
            float cn = f * (cp ? cp[(size_t)b * H + k] : 0.f) + i * g;
            ab[k] = i, ab[H + k] = f, ab[2 * H + k] = g, ab[3 * H + k] = o;
            c[(size_t)b * H + k] = cn;
            h[(size_t)b * H + k] = o * tanhf(cn);
        }
    }
}

static void lstm_gates_back_c(float *da, float *dc, const float *dh, const float *a, const float *c, const float *cp,
                              int B, int H)
{
    for (int b = 0; b < B; b++) {
        const float *ab = a + (size_t)b * 4 * H;
        float *db = da + (size_t)b * 4 * H;
        for (int k = 0; k < H; k++) {
            size_t j = (size_t)b * H + k;
            float i = ab[k], f = ab[H + k], g = ab[2 * H + k], o = ab[3 * H + k];
            float tc = tanhf(c[j]);
            float dct = dc[j] + dh[j] * o * (1.f - tc * tc);
            float cprev = cp ? cp[j] : 0.f;
            db[k] = dct * g * i * (1.f - i);
            db[H + k] = dct * cprev * f * (1.f - f);
            db[2 * H + k] = dct * i * (1.f - g * g);
            db[3 * H + k] = dh[j] * tc * o * (1.f - o);
            dc[j] = dct * f;
        }
    }
}

static void layernorm_c(float *out, const float *x, const float *w, const float *b, int rows, int C, float eps)
{
    for (int r = 0; r < rows; r++) {
        const float *xr = x + (size_t)r * C;
        float *o = out + (size_t)r * C, mean = 0.0f, var = 0.0f;
        for (int i = 0; i < C; i++)
            mean += xr[i];
        mean /= (float)C;
        for (int i = 0; i < C; i++)
            var += (xr[i] - mean) * (xr[i] - mean);
        float rstd = 1.0f / sqrtf(var / (float)C + eps);
        for (int i = 0; i < C; i++)
            o[i] = (xr[i] - mean) * rstd * w[i] + b[i];
    }
}

#ifdef GV_X86
/* ------------------------------------------------------------- AVX-512 */

#define TGT __attribute__((target("avx512f,avx2,fma")))

static inline TGT float hsum_avx512(__m512 v) { return _mm512_reduce_add_ps(v); }
static inline TGT float hmax_avx512(__m512 v) { return _mm512_reduce_max_ps(v); }
static inline TGT __mmask16 mask16(int n) { return (__mmask16)((1u << n) - 1); }

#define SFX avx512
#define V 16
#define VF __m512
#define VZERO() _mm512_setzero_ps()
#define VSET1(x) _mm512_set1_ps(x)
#define VLOAD(p) _mm512_loadu_ps(p)
#define VLOADM(p, n) _mm512_maskz_loadu_ps(mask16(n), p)
#define VSTORE(p, v) _mm512_storeu_ps(p, v)
#define VSTOREM(p, v, n) _mm512_mask_storeu_ps(p, mask16(n), v)
#define VFMA(a, b, c) _mm512_fmadd_ps(a, b, c)
#define VFNMA(a, b, c) _mm512_fnmadd_ps(a, b, c)
#define VADD _mm512_add_ps
#define VSUB _mm512_sub_ps
#define VMUL _mm512_mul_ps
#define VMAX _mm512_max_ps
#define VRELU(x) _mm512_maskz_mov_ps(_mm512_cmp_ps_mask(x, _mm512_setzero_ps(), _CMP_GT_OQ), x)
#define VATLEAST(x, c) _mm512_mask_blend_ps(_mm512_cmp_ps_mask(x, c, _CMP_LT_OQ), x, c)
#define VATMOST(x, c) _mm512_mask_blend_ps(_mm512_cmp_ps_mask(x, c, _CMP_GT_OQ), x, c)
#define VDIV _mm512_div_ps
#define VROUND(x) _mm512_roundscale_ps(x, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC)
#define VPOW2I(n)                                                                                             \
    _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_add_epi32(_mm512_cvtps_epi32(n), _mm512_set1_epi32(127)), 23))
#define MR 8
#define NV 2
#define NVW 4
#define GV_TILES                                                                                              \
    GV_T(1, 1) GV_T(1, 2) GV_T(1, 3) GV_T(1, 4) GV_T(2, 1) GV_T(2, 2) GV_T(2, 3) GV_T(2, 4) GV_T(3, 1)        \
    GV_T(3, 2) GV_T(4, 1) GV_T(4, 2) GV_T(5, 1) GV_T(5, 2) GV_T(6, 1) GV_T(6, 2) GV_T(7, 1) GV_T(7, 2)       \
    GV_T(8, 1) GV_T(8, 2)
#include "kernels/gemm_simd.inc"
#include "kernels/gemm_simd_undef.inc"

/* ---------------------------------------------------------------- AVX2 */

#define TGT __attribute__((target("avx2,fma")))

static inline TGT float hsum_avx2(__m256 v)
{
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    return _mm_cvtss_f32(_mm_add_ss(s, _mm_shuffle_ps(s, s, 1)));
}

static inline TGT float hmax_avx2(__m256 v)
{
    __m128 s = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_max_ps(s, _mm_movehl_ps(s, s));
    return _mm_cvtss_f32(_mm_max_ss(s, _mm_shuffle_ps(s, s, 1)));
}

static inline TGT __m256i mask8(int n)
{
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(n), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

/* 8 x 8 blocks through registers (unpack, shuffle, swap halves), the edges
 * one element at a time.  Written in intrinsics: GCC lowered the same
 * shuffles over 16-lane generic vectors to one scalar move per element.
 * The AVX-512 variant uses it too. */
static TGT void transpose_avx2(float *dst, size_t ldd, const float *src, size_t lds, int rows, int cols)
{
    int r8 = rows - rows % 8, c8 = cols - cols % 8;
    for (int r0 = 0; r0 < r8; r0 += 8)
        for (int c0 = 0; c0 < c8; c0 += 8) {
            const float *s = src + (size_t)r0 * lds + c0;
            __m256 x[8], t[8];
            for (int i = 0; i < 8; i++)
                x[i] = _mm256_loadu_ps(s + (size_t)i * lds);
            for (int i = 0; i < 8; i += 2) {
                t[i] = _mm256_unpacklo_ps(x[i], x[i + 1]);
                t[i + 1] = _mm256_unpackhi_ps(x[i], x[i + 1]);
            }
            for (int i = 0; i < 8; i += 4) {
                x[i] = _mm256_shuffle_ps(t[i], t[i + 2], 0x44);
                x[i + 1] = _mm256_shuffle_ps(t[i], t[i + 2], 0xEE);
                x[i + 2] = _mm256_shuffle_ps(t[i + 1], t[i + 3], 0x44);
                x[i + 3] = _mm256_shuffle_ps(t[i + 1], t[i + 3], 0xEE);
            }
            float *d = dst + (size_t)c0 * ldd + r0;
            for (int i = 0; i < 4; i++) {
                _mm256_storeu_ps(d + (size_t)i * ldd, _mm256_permute2f128_ps(x[i], x[i + 4], 0x20));
                _mm256_storeu_ps(d + (size_t)(i + 4) * ldd, _mm256_permute2f128_ps(x[i], x[i + 4], 0x31));
            }
        }
    for (int r = 0; r < rows; r++)
        for (int c = r < r8 ? c8 : 0; c < cols; c++)
            dst[(size_t)c * ldd + r] = src[(size_t)r * lds + c];
}

#define SFX avx2
#define V 8
#define VF __m256
#define VZERO() _mm256_setzero_ps()
#define VSET1(x) _mm256_set1_ps(x)
#define VLOAD(p) _mm256_loadu_ps(p)
#define VLOADM(p, n) _mm256_maskload_ps(p, mask8(n))
#define VSTORE(p, v) _mm256_storeu_ps(p, v)
#define VSTOREM(p, v, n) _mm256_maskstore_ps(p, mask8(n), v)
#define VFMA(a, b, c) _mm256_fmadd_ps(a, b, c)
#define VFNMA(a, b, c) _mm256_fnmadd_ps(a, b, c)
#define VADD _mm256_add_ps
#define VSUB _mm256_sub_ps
#define VMUL _mm256_mul_ps
#define VMAX _mm256_max_ps
#define VRELU(x) _mm256_and_ps(x, _mm256_cmp_ps(x, _mm256_setzero_ps(), _CMP_GT_OQ))
#define VATLEAST(x, c) _mm256_blendv_ps(x, c, _mm256_cmp_ps(x, c, _CMP_LT_OQ))
#define VATMOST(x, c) _mm256_blendv_ps(x, c, _mm256_cmp_ps(x, c, _CMP_GT_OQ))
#define VDIV _mm256_div_ps
#define VROUND(x) _mm256_round_ps(x, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC)
#define VPOW2I(n)                                                                                             \
    _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23))
#define MR 6
#define NV 2
#define NVW 4
#define GV_TILES                                                                                              \
    GV_T(1, 1) GV_T(1, 2) GV_T(1, 3) GV_T(1, 4) GV_T(2, 1) GV_T(2, 2) GV_T(2, 3) GV_T(2, 4) GV_T(3, 1)        \
    GV_T(3, 2) GV_T(4, 1) GV_T(4, 2) GV_T(5, 1) GV_T(5, 2) GV_T(6, 1) GV_T(6, 2)
#include "kernels/gemm_simd.inc"
#include "kernels/gemm_simd_undef.inc"
#endif

/* ------------------------------------------------------------ dispatch */

int gv_isa_supported(gv_isa isa)
{
#ifdef GV_X86
    __builtin_cpu_init();
    if (isa == GV_ISA_AVX512)
        return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx2") &&
               __builtin_cpu_supports("fma");
    if (isa == GV_ISA_AVX2)
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#endif
    return isa == GV_ISA_C;
}

gv_isa gv_isa_best(void)
{
    if (gv_isa_supported(GV_ISA_AVX512))
        return GV_ISA_AVX512;
    return gv_isa_supported(GV_ISA_AVX2) ? GV_ISA_AVX2 : GV_ISA_C;
}

const char *gv_isa_name(gv_isa isa)
{
    return isa == GV_ISA_AVX512 ? "avx512" : isa == GV_ISA_AVX2 ? "avx2" : "c";
}

/* The variants' entry points, by gv_isa. */
typedef struct variant {
    void (*gemm)(float *c, size_t ldc, const float *a, size_t lda, gv_gemm_b b, int M, int N, int K,
                 const gv_gemm_epi *e);
    void (*softmax)(float *x, int rows, int n, size_t ld);
    void (*layernorm)(float *out, const float *x, const float *w, const float *b, int rows, int C, float eps);
    void (*sigmoid)(float *y, const float *x, int n, const float *s, const float *h);
    void (*transpose)(float *dst, size_t ldd, const float *src, size_t lds, int rows, int cols);
    void (*gates)(float *a, float *h, float *c, const float *cp, int B, int H);
    void (*gates_back)(float *da, float *dc, const float *dh, const float *a, const float *c, const float *cp,
                       int B, int H);
} variant;

static const variant variants[] = {
    [GV_ISA_C] = {gemm_c, softmax_c, layernorm_c, sigmoid_c, transpose_c, lstm_gates_c, lstm_gates_back_c},
#ifdef GV_X86
    [GV_ISA_AVX2] = {gemm_avx2, softmax_avx2, layernorm_avx2, sigmoid_avx2, transpose_avx2, lstm_gates_avx2,
                     lstm_gates_back_avx2},
    [GV_ISA_AVX512] = {gemm_avx512, softmax_avx512, layernorm_avx512, sigmoid_avx512, transpose_avx2,
                       lstm_gates_avx512, lstm_gates_back_avx512},
#else
    [GV_ISA_AVX2] = {gemm_c, softmax_c, layernorm_c, sigmoid_c, transpose_c, lstm_gates_c, lstm_gates_back_c},
    [GV_ISA_AVX512] = {gemm_c, softmax_c, layernorm_c, sigmoid_c, transpose_c, lstm_gates_c, lstm_gates_back_c},
#endif
};

void gv_gemm(gv_isa isa, float *c, size_t ldc, const float *a, size_t lda, gv_gemm_b b, int M, int N, int K,
             const gv_gemm_epi *e)
{
    gv_gemm_epi ep = e ? *e : (gv_gemm_epi){0};
    if (ep.scale == 0.0f)
        ep.scale = 1.0f;
    if (M > 0 && N > 0)
        variants[isa].gemm(c, ldc, a, lda, b, M, N, K, &ep);
}

void gv_softmax_rows(gv_isa isa, float *x, int rows, int n, size_t ld) { variants[isa].softmax(x, rows, n, ld); }

void gv_layernorm_rows(gv_isa isa, float *out, const float *x, const float *w, const float *b, int rows, int C,
                       float eps)
{
    variants[isa].layernorm(out, x, w, b, rows, C, eps);
}

void gv_sigmoid_affine(gv_isa isa, float *y, const float *x, int n, const float *s, const float *h)
{
    variants[isa].sigmoid(y, x, n, s, h);
}

void gv_transpose(gv_isa isa, float *dst, size_t ldd, const float *src, size_t lds, int rows, int cols)
{
    variants[isa].transpose(dst, ldd, src, lds, rows, cols);
}

void gv_lstm_gates(gv_isa isa, float *a, float *h, float *c, const float *cp, int B, int H)
{
    variants[isa].gates(a, h, c, cp, B, H);
}

void gv_lstm_gates_back(gv_isa isa, float *da, float *dc, const float *dh, const float *a, const float *c,
                        const float *cp, int B, int H)
{
    variants[isa].gates_back(da, dc, dh, a, c, cp, B, H);
}
