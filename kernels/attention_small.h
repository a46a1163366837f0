/* attention_small.h - the multi-head self-attention core of the inference
 * path (no att saved for backward), on the gemm.h kernels: for short
 * sequences (T = 32 in groove) per-head products of 32 x 32 x hs are too
 * small for OpenBLAS's per-call packing and dispatch to pay off. */
#ifndef GV_ATTENTION_SMALL_H
#define GV_ATTENTION_SMALL_H

#include <stddef.h>

#include "kernels/gemm.h"

/* Floats of scratch gv_attention_small needs. */
size_t gv_attention_small_scratch(int T, int C, int NH);

/* out[B,T,C] = softmax(q k^T / sqrt(hs)) v per head, heads concatenated, from
 * qkv[B,T,3C] = [q | k | v] (hs = C / NH), as gv_attention_forward
 * (kernels/kernels.h) up to rounding; scratch: gv_attention_small_scratch
 * floats. */
void gv_attention_small(gv_isa isa, float *out, const float *qkv, int B, int T, int C, int NH, float *scratch);

#endif
