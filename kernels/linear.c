/* linear.c - fully connected layer on OpenBLAS sgemm (row-major, PyTorch
 * weight layout [OC, C]). */
#include "kernels/kernels.h"

#include <cblas.h>
#include <string.h>

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

void gv_linear_backward(float *dinp, float *dw, float *db, const float *dout, const float *inp,
                        const float *w, int BT, int C, int OC)
{
    if (dinp)
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, BT, C, OC, 1.0f, dout, OC, w, C, 1.0f,
                    dinp, C);
    if (dw)
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, OC, C, BT, 1.0f, dout, OC, inp, C, 1.0f,
                    dw, C);
    if (db)
        for (int r = 0; r < BT; r++) {
            const float *d = dout + (size_t)r * OC;
            for (int o = 0; o < OC; o++)
                db[o] += d[o];
        }
}
