/* linear.c - fully connected layer on OpenBLAS sgemm, its input gradient on
 * gemm.h (row-major, PyTorch weight layout [OC, C]). */
#include "kernels/kernels.h"

#include <cblas.h>
#include <string.h>

#include "kernels/gemm.h"
#include "kernels/simd.h"

void gv_kernels_set_threads(int n) { openblas_set_num_threads(n < 1 ? 1 : n); }

void gv_linear_forward(float *out, const float *inp, const float *w, const float *b, int BT, int C, int OC)
{
    /* The bias goes in first so that sgemm adds onto it (beta = 1): one pass over out. */
    if (b)
        for (int r = 0; r < BT; r++)
            memcpy(out + (size_t)r * OC, b, (size_t)OC * sizeof *b);
    /* One row: sgemv reads w in place, while sgemm packs all of it first
     * (dec_in at one latent: 39 us against 160 us). */
    if (BT == 1)
        cblas_sgemv(CblasRowMajor, CblasNoTrans, OC, C, 1.0f, w, C, inp, 1, b ? 1.0f : 0.0f, out, 1);
    else
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, BT, OC, C, 1.0f, inp, C, w, C, b ? 1.0f : 0.0f,
                    out, OC);
}

/* db[OC] += the column sums of dout[BT,OC], each column summed from db over
 * the rows in order (as a scalar loop would, so the bits do not depend on
 * the lanes), in strips of 8 vectors (a 512-byte run of every row) held in
 * registers: the scalar loop was 3% of a training step. */
GV_CLONES static void bias_backward(float *restrict db, const float *dout, int BT, int OC)
{
    enum { NV = 8, W = NV * GV_VL };
    int o = 0;
    for (; o + W <= OC; o += W) {
        gv_vf acc[NV], d;
#pragma GCC unroll 8
        for (int j = 0; j < NV; j++)
            GV_LOAD(acc[j], db + o + j * GV_VL);
        for (int r = 0; r < BT; r++)
#pragma GCC unroll 8
            for (int j = 0; j < NV; j++) {
                GV_LOAD(d, dout + (size_t)r * OC + o + j * GV_VL);
                acc[j] += d;
            }
#pragma GCC unroll 8
        for (int j = 0; j < NV; j++)
            GV_STORE(db + o + j * GV_VL, acc[j]);
    }
    for (; o + GV_VL <= OC; o += GV_VL) {
        gv_vf acc, d;
        GV_LOAD(acc, db + o);
        for (int r = 0; r < BT; r++) {
            GV_LOAD(d, dout + (size_t)r * OC + o);
            acc += d;
        }
        GV_STORE(db + o, acc);
    }
    for (; o < OC; o++)
        for (int r = 0; r < BT; r++)
            db[o] += dout[(size_t)r * OC + o];
}

void gv_linear_backward(float *dinp, float *dw, float *db, const float *dout, const float *inp,
                        const float *w, int BT, int C, int OC)
{
    /* dinp: w [OC, C] is already the row-major right operand gv_gemm reads
     * in place, 5-10% faster than sgemm at the model's shapes (no packing);
     * its plain C variant is not */
    gv_isa isa = gv_isa_best();
    if (dinp && isa != GV_ISA_C) {
        gv_gemm_epi acc = {.res = dinp, .ldr = (size_t)C};
        gv_gemm(isa, dinp, (size_t)C, dout, (size_t)OC, gv_gemm_rows(w, (size_t)C), BT, C, OC, &acc);
    } else if (dinp) {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, BT, C, OC, 1.0f, dout, OC, w, C, 1.0f, dinp, C);
    }
    if (dw)
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, OC, C, BT, 1.0f, dout, OC, inp, C, 1.0f,
                    dw, C);
    if (db)
        bias_backward(db, dout, BT, OC);
}
