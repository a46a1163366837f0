/* fuzz_model.c - libFuzzer target for the weights loader (make fuzz): any
 * input must load or be refused cleanly; what loads must run a forward pass
 * and survive a save and reload bit for bit. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gv_model m, back;
    gv_err e;
    if (gv_model_load_mem(data, size, &m, &e) != 0) {
        if (m.params || !e.msg[0])
            abort();
        return 0;
    }
    if (gv_config_validate(&m.cfg, &e) != 0)
        abort();
    gv_infer_ws *w = gv_infer_ws_new(&m.cfg, 2);
    if (!w)
        abort();
    static float src[2 * GV_MODEL_STEPS * 3], logits[2 * GV_MODEL_STEPS * GV_OUT_FEATURES];
    float *mu = malloc(2 * sizeof(float) * (size_t)m.cfg.latent_dim);
    float *lv = malloc(2 * sizeof(float) * (size_t)m.cfg.latent_dim);
    src[0] = src[1] = 1.0f;
    gv_model_encode(&m, src, 2, mu, lv, w);
    gv_model_decode_logits(&m, mu, 2, logits, w);
    char path[64];
    snprintf(path, sizeof path, "/tmp/fuzz_model.%ld.safetensors", (long)getpid());
    if (gv_model_save(&m, path, &e) != 0 || gv_model_load(path, &back, &e) != 0)
        abort();
    if (back.nparams != m.nparams || memcmp(back.params, m.params, m.nparams * sizeof(float)) != 0)
        abort();
    unlink(path);
    snprintf(path, sizeof path, "/tmp/fuzz_model.%ld.json", (long)getpid());
    unlink(path);
    gv_model_free(&back);
    free(mu);
    free(lv);
    gv_infer_ws_free(w);
    gv_model_free(&m);
    return 0;
}
