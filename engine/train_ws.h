/* train_ws.h - internal to engine/: the training workspace shared by
 * forward.c (which fills it) and backward.c (which reads it). */
#ifndef GV_TRAIN_WS_H
#define GV_TRAIN_WS_H

#include <stdint.h>

#include "engine/layout.h"
#include "kernels/backend.h"

/* What one transformer layer keeps for backward ([BT, C] unless noted).
 * x is the layer's input (the previous layer's y, not owned). */
typedef struct gv_layer_acts {
    float *x;
    float *qkv;          /* [BT, 3C] */
    float *att;          /* [B, NH, T, T] softmax */
    float *ao;           /* attention output, heads concatenated */
    float *sa;           /* out_proj output */
    float *r1, *mean1, *rstd1, *x1; /* x + dropout1(sa), its norm1 stats [BT], norm1 output */
    float *h, *hd;       /* [BT, F] relu(linear1), after dropout */
    float *f;            /* linear2 output */
    float *r2, *mean2, *rstd2, *y; /* x1 + dropout2(f), norm2 stats, layer output */
    uint8_t *m1, *mf, *m2; /* dropout masks */
} gv_layer_acts;

/* What both workspaces (inference and training) start with, so that one
 * constructor and one destructor serve both. */
typedef struct gv_ws_head {
    gv_config cfg;
    gv_layout L;
    const gv_backend *be; /* the kernels forward and backward run on (the CPU's unless set) */
    int n;       /* batch: at most n (inference), exactly n (training) */
    float *pe;   /* [T, d_enc] */
    void *block; /* the one allocation every buffer lives in */
} gv_ws_head;

struct gv_train_ws {
    gv_ws_head hd; /* first: a gv_train_ws * is a gv_ws_head * */
    float p; /* dropout probability of the last forward */
    int b;   /* its batch (<= hd.n) */
    int shared;       /* gv_train_ws_pack_shared: forwards use spk instead of packing wpk */
    const float *spk; /* the shared packed weights (NULL: the plain kernels) */
    float *src, *er, *x0;       /* [BT,F] copy of the input, relu(enc_in), + PE */
    gv_layer_acts enc[GV_MAX_LAYERS], dec[GV_MAX_LAYERS];
    float *xf, *meanf, *rstdf;  /* encoder.norm: [BT, d_enc] = flat [B, T*d_enc] */
    float *mu, *logvar, *eps, *z; /* [B, Z] */
    float *d0;                  /* dec_in(z): [B, T*d_dec] = [BT, d_dec] */
    float *yf, *meany, *rstdy;  /* decoder.norm */
    float *logits;              /* [BT, 27] */
    /* backward scratch */
    float *ga, *gb;             /* gradient ping-pong between layers, [BT, Cmax] */
    float *gx1, *gt, *gao;      /* [BT, Cmax] */
    float *gh, *gh2;            /* [BT, Fmax] */
    float *gqkv, *gatt;         /* [BT, 3Cmax], [B, NHmax, T, T] */
    float *gz, *gmu, *glv;      /* [B, Z] */
    float *wpk;                 /* [nparams]: the layers' weights packed for gemm.h, params' offsets */
};

#endif
