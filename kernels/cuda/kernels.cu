// kernels.cu - groove's CUDA kernels, one file compiled once by nvcc into the
// fatbin the program embeds (kernels/cuda.h loads it; kernels/cuda_ops.h
// launches these).  Every kernel is extern "C" so the driver finds it by its
// plain name, and each mirrors the CPU reference named beside it (kernels/*.c,
// trainer/adamw.c), with the same shapes and the same accumulate-into-
// gradients contract (kernels/kernels.h).  No atomics: every output element
// is written by one thread, so results do not depend on scheduling.
//
// UNVALIDATED: compiled by nvcc, never run on a GPU yet.  tests/gpu_check.sh
// (tests/gpu_kernels.c) compares each kernel with its CPU reference on random
// data and is the only evidence these are right; until its output from a
// real GPU is recorded, treat them as untested code.

#define GV_TILE_M 64
#define GV_TILE_N 64
#define GV_TILE_K 16

// c[M,N] = (acc ? c : 0) + sum_k A(m,k) B(k,n) + (bias ? bias[n] : 0), with
// A(m,k) = a[m*sam + k*sak] and B(k,n) = b[k*sbk + n*sbn]: the strides give
// every transpose the linear layer needs (gv_linear_forward/backward,
// kernels/linear.c).  64x64 tiles of c per block of 256 threads, each
// thread 4x4 outputs, K in slices of 16 through shared memory.
extern "C" __global__ void gv_k_gemm(float *c, const float *a, const float *b, const float *bias, int M, int N,
                                     int K, long long sam, long long sak, long long sbk, long long sbn, int acc)
{
    __shared__ float As[GV_TILE_K][GV_TILE_M + 1];
    __shared__ float Bs[GV_TILE_K][GV_TILE_N + 1];
    int tid = threadIdx.x, tx = tid % 16, ty = tid / 16;
    int m0 = blockIdx.y * GV_TILE_M, n0 = blockIdx.x * GV_TILE_N;
    float r[4][4] = {{0}};
    for (int k0 = 0; k0 < K; k0 += GV_TILE_K) {
        for (int e = tid; e < GV_TILE_K * GV_TILE_M; e += 256) {
            int kk = e % GV_TILE_K, mm = e / GV_TILE_K;
            int m = m0 + mm, k = k0 + kk;
            As[kk][mm] = m < M && k < K ? a[m * sam + k * sak] : 0.0f;
        }
        for (int e = tid; e < GV_TILE_K * GV_TILE_N; e += 256) {
            int nn = e % GV_TILE_N, kk = e / GV_TILE_N;
            int n = n0 + nn, k = k0 + kk;
            Bs[kk][nn] = n < N && k < K ? b[k * sbk + n * sbn] : 0.0f;
        }
        __syncthreads();
        for (int kk = 0; kk < GV_TILE_K; kk++) {
            float av[4], bv[4];
            for (int i = 0; i < 4; i++) {
                av[i] = As[kk][ty + 16 * i];
                bv[i] = Bs[kk][tx + 16 * i];
            }
            for (int i = 0; i < 4; i++)
                for (int j = 0; j < 4; j++)
                    r[i][j] += av[i] * bv[j];
        }
        __syncthreads();
    }
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++) {
            int m = m0 + ty + 16 * i, n = n0 + tx + 16 * j;
            if (m < M && n < N) {
                float v = r[i][j] + (bias ? bias[n] : 0.0f);
                c[(long long)m * N + n] = acc ? c[(long long)m * N + n] + v : v;
            }
        }
}

// db[OC] += sum over rows of dout[BT,OC] (the bias gradient of
// gv_linear_backward): a thread per column, rows in order.
extern "C" __global__ void gv_k_colsum_add(float *db, const float *dout, int BT, int OC)
{
    int o = blockIdx.x * blockDim.x + threadIdx.x;
    if (o >= OC)
        return;
    float s = 0.0f;
    for (int r = 0; r < BT; r++)
        s += dout[(long long)r * OC + o];
    db[o] += s;
}

// A warp's sum, every lane getting it.
__device__ static float warp_sum(float v)
{
    for (int o = 16; o > 0; o >>= 1)
        v += __shfl_xor_sync(0xffffffffu, v, o);
    return v;
}

// gv_layernorm_forward (kernels/layernorm.c): a warp per row, two passes
// (mean, then the biased variance around it).  mean, rstd may be NULL.
extern "C" __global__ void gv_k_layernorm_forward(float *out, float *mean, float *rstd, const float *inp,
                                                  const float *w, const float *b, int BT, int C, float eps)
{
    int row = blockIdx.x * (blockDim.x / 32) + threadIdx.x / 32, lane = threadIdx.x % 32;
    if (row >= BT)
        return;
    const float *x = inp + (long long)row * C;
    float *y = out + (long long)row * C;
    float s = 0.0f;
    for (int i = lane; i < C; i += 32)
        s += x[i];
    float m = warp_sum(s) / (float)C;
    float q = 0.0f;
    for (int i = lane; i < C; i += 32)
        q += (x[i] - m) * (x[i] - m);
    float rs = 1.0f / sqrtf(warp_sum(q) / (float)C + eps);
    for (int i = lane; i < C; i += 32)
        y[i] = (x[i] - m) * rs * w[i] + b[i];
    if (lane == 0 && mean)
        mean[row] = m;
    if (lane == 0 && rstd)
        rstd[row] = rs;
}

// gv_layernorm_backward's dinp: a warp per row,
// dx += s * (g - mean(g) - xhat * mean(g * xhat)),  g = w * dy.
extern "C" __global__ void gv_k_layernorm_backward_dx(float *dinp, const float *dout, const float *inp,
                                                      const float *w, const float *mean, const float *rstd, int BT,
                                                      int C)
{
    int row = blockIdx.x * (blockDim.x / 32) + threadIdx.x / 32, lane = threadIdx.x % 32;
    if (row >= BT)
        return;
    const float *x = inp + (long long)row * C, *dy = dout + (long long)row * C;
    float *dx = dinp + (long long)row * C;
    float m = mean[row], s = rstd[row], gm = 0.0f, gxm = 0.0f;
    for (int i = lane; i < C; i += 32) {
        float g = w[i] * dy[i];
        gm += g;
        gxm += g * (x[i] - m) * s;
    }
    gm = warp_sum(gm) / (float)C;
    gxm = warp_sum(gxm) / (float)C;
    for (int i = lane; i < C; i += 32) {
        float xh = (x[i] - m) * s;
        dx[i] += (w[i] * dy[i] - gm - xh * gxm) * s;
    }
}

// gv_layernorm_backward's dw += xhat * dy, db += dy: a thread per column,
// rows in order.  dw or db may be NULL.
extern "C" __global__ void gv_k_layernorm_backward_dwdb(float *dw, float *db, const float *dout, const float *inp,
                                                        const float *mean, const float *rstd, int BT, int C)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= C)
        return;
    float sw = 0.0f, sb = 0.0f;
    for (int r = 0; r < BT; r++) {
        float dy = dout[(long long)r * C + i];
        sw += (inp[(long long)r * C + i] - mean[r]) * rstd[r] * dy;
        sb += dy;
    }
    if (dw)
        dw[i] += sw;
    if (db)
        db[i] += sb;
}

// gv_attention_forward (kernels/attention.c): a thread per (batch, head,
// query row t): scores against every key, softmax, then att @ v.  Meant for
// groove's short sequences (T = 32, 64), not long contexts.
extern "C" __global__ void gv_k_attention_forward(float *out, float *att, const float *qkv, int B, int T, int C,
                                                  int NH)
{
    int idx = blockIdx.x * blockDim.x + threadIdx.x;
    if (idx >= B * NH * T)
        return;
    int t = idx % T, h = (idx / T) % NH, b = idx / (T * NH);
    int hs = C / NH;
    long long ld = 3LL * C;
    float scale = 1.0f / sqrtf((float)hs);
    const float *q = qkv + (long long)b * T * ld + (long long)t * ld + h * hs;
    float *a = att + (((long long)b * NH + h) * T + t) * T;
    float mx = -INFINITY;
    for (int u = 0; u < T; u++) {
        const float *k = qkv + (long long)b * T * ld + (long long)u * ld + C + h * hs;
        float s = 0.0f;
        for (int i = 0; i < hs; i++)
            s += q[i] * k[i];
        s *= scale;
        a[u] = s;
        mx = fmaxf(mx, s);
    }
    float sum = 0.0f;
    for (int u = 0; u < T; u++) {
        a[u] = expf(a[u] - mx);
        sum += a[u];
    }
    float inv = 1.0f / sum;
    for (int u = 0; u < T; u++)
        a[u] *= inv;
    float *o = out + (long long)b * T * C + (long long)t * C + h * hs;
    for (int i = 0; i < hs; i++) {
        float s = 0.0f;
        for (int u = 0; u < T; u++)
            s += a[u] * qkv[(long long)b * T * ld + (long long)u * ld + 2 * C + h * hs + i];
        o[i] = s;
    }
}

// gv_attention_backward, first half: a thread per (b, h, query t):
// da = dy v^T, then through softmax (da <- a * (da - rowsum(a * da))),
// then dq += scale * da k.  datt is the scratch [B,NH,T,T].
extern "C" __global__ void gv_k_attention_backward_q(float *dqkv, float *datt, const float *dout,
                                                     const float *qkv, const float *att, int B, int T, int C, int NH)
{
    int idx = blockIdx.x * blockDim.x + threadIdx.x;
    if (idx >= B * NH * T)
        return;
    int t = idx % T, h = (idx / T) % NH, b = idx / (T * NH);
    int hs = C / NH;
    long long ld = 3LL * C, base = (long long)b * T * ld + h * hs;
    float scale = 1.0f / sqrtf((float)hs);
    const float *a = att + (((long long)b * NH + h) * T + t) * T;
    float *da = datt + (((long long)b * NH + h) * T + t) * T;
    const float *dy = dout + (long long)b * T * C + (long long)t * C + h * hs;
    float dot = 0.0f;
    for (int u = 0; u < T; u++) {
        const float *v = qkv + base + (long long)u * ld + 2 * C;
        float s = 0.0f;
        for (int i = 0; i < hs; i++)
            s += dy[i] * v[i];
        da[u] = s;
        dot += a[u] * s;
    }
    for (int u = 0; u < T; u++)
        da[u] = a[u] * (da[u] - dot);
    float *dq = dqkv + base + (long long)t * ld;
    for (int i = 0; i < hs; i++) {
        float s = 0.0f;
        for (int u = 0; u < T; u++)
            s += da[u] * qkv[base + (long long)u * ld + C + i];
        dq[i] += scale * s;
    }
}

// gv_attention_backward, second half (after the first, which fills datt):
// a thread per (b, h, key u): dk += scale * da^T q,  dv += a^T dy.
extern "C" __global__ void gv_k_attention_backward_kv(float *dqkv, const float *datt, const float *dout,
                                                      const float *qkv, const float *att, int B, int T, int C,
                                                      int NH)
{
    int idx = blockIdx.x * blockDim.x + threadIdx.x;
    if (idx >= B * NH * T)
        return;
    int u = idx % T, h = (idx / T) % NH, b = idx / (T * NH);
    int hs = C / NH;
    long long ld = 3LL * C, base = (long long)b * T * ld + h * hs;
    float scale = 1.0f / sqrtf((float)hs);
    const float *a = att + ((long long)b * NH + h) * T * T;
    const float *da = datt + ((long long)b * NH + h) * T * T;
    float *dk = dqkv + base + (long long)u * ld + C, *dv = dk + C;
    for (int i = 0; i < hs; i++) {
        float sk = 0.0f, sv = 0.0f;
        for (int t = 0; t < T; t++) {
            sk += da[(long long)t * T + u] * qkv[base + (long long)t * ld + i];
            sv += a[(long long)t * T + u] * dout[(long long)b * T * C + (long long)t * C + h * hs + i];
        }
        dk[i] += scale * sk;
        dv[i] += sv;
    }
}

// gv_relu_forward / gv_relu_backward (kernels/activations.c).
extern "C" __global__ void gv_k_relu_forward(float *out, const float *inp, int n)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n)
        out[i] = fmaxf(inp[i], 0.0f);
}
extern "C" __global__ void gv_k_relu_backward(float *dinp, const float *dout, const float *out, int n)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n && out[i] > 0.0f)
        dinp[i] += dout[i];
}

// gv_add_forward (out may alias a or b).
extern "C" __global__ void gv_k_add(float *out, const float *a, const float *b, int n)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n)
        out[i] = a[i] + b[i];
}

// gv_posenc_add (kernels/posenc.c): x[B,T,C] += pe[T,C].
extern "C" __global__ void gv_k_posenc_add(float *x, const float *pe, int B, int T, int C)
{
    long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x, tc = (long long)T * C;
    if (i < (long long)B * tc)
        x[i] += pe[i % tc];
}

// Dropout with the mask given (kernels/dropout.c draws it on the host from
// the seeded gv_rng, so a device run keeps the CPU's random choices):
// out = (res ? res : 0) + (mask ? inp * s : 0).
extern "C" __global__ void gv_k_dropout_forward(float *out, const unsigned char *mask, const float *inp,
                                                const float *res, int n, float s)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        float x = mask[i] ? inp[i] * s : 0.0f;
        out[i] = res ? res[i] + x : x;
    }
}
// gv_dropout_backward: dinp += mask ? dout * s : 0.
extern "C" __global__ void gv_k_dropout_backward(float *dinp, const float *dout, const unsigned char *mask, int n,
                                                 float s)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n && mask[i])
        dinp[i] += dout[i] * s;
}

// gv_adamw_consume_range (trainer/adamw.c) over [0, n): the step on
// grads * gscale, then grads zeroed; the constants are gv_adamw_begin's.
extern "C" __global__ void gv_k_adamw(float *params, float *grads, float *m, float *v, long long n, float b1,
                                      float b2, float c1, float c2, float decay, float lr, float eps, float gscale)
{
    long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n)
        return;
    float g = grads[i] * gscale;
    grads[i] = 0.0f;
    float mi = m[i] = b1 * m[i] + (1.0f - b1) * g;
    float vi = v[i] = b2 * v[i] + (1.0f - b2) * g * g;
    params[i] = params[i] * decay - lr * (mi / c1) / (sqrtf(vi / c2) + eps);
}
