/* cuda_ops.c - launches of kernels/cuda/kernels.cu (see cuda_ops.h). */
#include "kernels/cuda_ops.h"

#include "kernels/kernels.h"

enum { THREADS = 256 };

static unsigned blocks(long long n, int per)
{
    return (unsigned)((n + per - 1) / per);
}

/* c[M,N] (+)= A B + bias with A(m,k) = a[m*sam + k*sak], B(k,n) = b[k*sbk + n*sbn]. */
static int gemm(gv_cuda *c, gv_dptr out, gv_dptr a, gv_dptr b, gv_dptr bias, int M, int N, int K, long long sam,
                long long sak, long long sbk, long long sbn, int acc)
{
    void *args[] = {&out, &a, &b, &bias, &M, &N, &K, &sam, &sak, &sbk, &sbn, &acc};
    return gv_cuda_launch(c, "gv_k_gemm", blocks(N, 64), blocks(M, 64), 256, 1, 0, args);
}

int gv_cu_linear_forward(gv_cuda *c, gv_dptr out, gv_dptr inp, gv_dptr w, gv_dptr b, int BT, int C, int OC)
{
    return gemm(c, out, inp, w, b, BT, OC, C, C, 1, 1, C, 0);
}

int gv_cu_linear_backward(gv_cuda *c, gv_dptr dinp, gv_dptr dw, gv_dptr db, gv_dptr dout, gv_dptr inp, gv_dptr w,
                          int BT, int C, int OC)
{
    if (dinp && gemm(c, dinp, dout, w, 0, BT, C, OC, OC, 1, C, 1, 1)) /* dinp += dout w */
        return -1;
    if (dw && gemm(c, dw, dout, inp, 0, OC, C, BT, 1, OC, C, 1, 1)) /* dw += dout^T inp */
        return -1;
    if (db) {
        void *args[] = {&db, &dout, &BT, &OC};
        return gv_cuda_launch(c, "gv_k_colsum_add", blocks(OC, THREADS), 1, THREADS, 1, 0, args);
    }
    return 0;
}

int gv_cu_layernorm_forward(gv_cuda *c, gv_dptr out, gv_dptr mean, gv_dptr rstd, gv_dptr inp, gv_dptr w, gv_dptr b,
                            int BT, int C, float eps)
{
    void *args[] = {&out, &mean, &rstd, &inp, &w, &b, &BT, &C, &eps};
    return gv_cuda_launch(c, "gv_k_layernorm_forward", blocks(BT, 4), 1, 128, 1, 0, args); /* a warp a row */
}

int gv_cu_layernorm_backward(gv_cuda *c, gv_dptr dinp, gv_dptr dw, gv_dptr db, gv_dptr dout, gv_dptr inp, gv_dptr w,
                             gv_dptr mean, gv_dptr rstd, int BT, int C)
{
    if (dinp) {
        void *args[] = {&dinp, &dout, &inp, &w, &mean, &rstd, &BT, &C};
        if (gv_cuda_launch(c, "gv_k_layernorm_backward_dx", blocks(BT, 4), 1, 128, 1, 0, args))
            return -1;
    }
    if (!dw && !db)
        return 0;
    void *args[] = {&dw, &db, &dout, &inp, &mean, &rstd, &BT, &C};
    return gv_cuda_launch(c, "gv_k_layernorm_backward_dwdb", blocks(C, THREADS), 1, THREADS, 1, 0, args);
}

int gv_cu_attention_forward(gv_cuda *c, gv_dptr out, gv_dptr att, gv_dptr qkv, int B, int T, int C, int NH)
{
    void *args[] = {&out, &att, &qkv, &B, &T, &C, &NH};
    return gv_cuda_launch(c, "gv_k_attention_forward", blocks((long long)B * NH * T, 64), 1, 64, 1, 0, args);
}

int gv_cu_attention_backward(gv_cuda *c, gv_dptr dqkv, gv_dptr datt, gv_dptr dout, gv_dptr qkv, gv_dptr att, int B,
                             int T, int C, int NH)
{
    if (!dqkv)
        return 0;
    unsigned g = blocks((long long)B * NH * T, 64);
    void *a1[] = {&dqkv, &datt, &dout, &qkv, &att, &B, &T, &C, &NH};
    if (gv_cuda_launch(c, "gv_k_attention_backward_q", g, 1, 64, 1, 0, a1))
        return -1;
    return gv_cuda_launch(c, "gv_k_attention_backward_kv", g, 1, 64, 1, 0, a1); /* same arguments */
}

static int map(gv_cuda *c, const char *k, void **args, long long n)
{
    return gv_cuda_launch(c, k, blocks(n, THREADS), 1, THREADS, 1, 0, args);
}

int gv_cu_relu_forward(gv_cuda *c, gv_dptr out, gv_dptr inp, int n)
{
    void *args[] = {&out, &inp, &n};
    return map(c, "gv_k_relu_forward", args, n);
}

int gv_cu_relu_backward(gv_cuda *c, gv_dptr dinp, gv_dptr dout, gv_dptr out, int n)
{
    void *args[] = {&dinp, &dout, &out, &n};
    return dinp ? map(c, "gv_k_relu_backward", args, n) : 0;
}

int gv_cu_add_forward(gv_cuda *c, gv_dptr out, gv_dptr a, gv_dptr b, int n)
{
    void *args[] = {&out, &a, &b, &n};
    return map(c, "gv_k_add", args, n);
}

int gv_cu_posenc_add(gv_cuda *c, gv_dptr x, gv_dptr pe, int B, int T, int C)
{
    void *args[] = {&x, &pe, &B, &T, &C};
    return map(c, "gv_k_posenc_add", args, (long long)B * T * C);
}

int gv_cu_dropout_forward(gv_cuda *c, gv_dptr out, gv_dptr mask, gv_dptr inp, gv_dptr res, int n, float p)
{
    float s = p <= 0.0f ? 1.0f : gv_dropout_scale(p);
    void *args[] = {&out, &mask, &inp, &res, &n, &s};
    return map(c, "gv_k_dropout_forward", args, n);
}

int gv_cu_dropout_backward(gv_cuda *c, gv_dptr dinp, gv_dptr dout, gv_dptr mask, int n, float p)
{
    float s = p <= 0.0f ? 1.0f : gv_dropout_scale(p);
    void *args[] = {&dinp, &dout, &mask, &n, &s};
    return dinp ? map(c, "gv_k_dropout_backward", args, n) : 0;
}

int gv_cu_adamw(gv_cuda *c, gv_dptr params, gv_dptr grads, gv_dptr m, gv_dptr v, long long n, const float k[8])
{
    float b1 = k[0], b2 = k[1], c1 = k[2], c2 = k[3], decay = k[4], lr = k[5], eps = k[6], gs = k[7];
    void *args[] = {&params, &grads, &m, &v, &n, &b1, &b2, &c1, &c2, &decay, &lr, &eps, &gs};
    return map(c, "gv_k_adamw", args, n);
}
