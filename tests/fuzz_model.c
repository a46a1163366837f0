/* fuzz_model.c - libFuzzer target for the weights loader (make fuzz): any
 * input must load or be refused cleanly; what loads must run a forward pass
 * and survive a save and reload bit for bit. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/model.h"
#include "tests/fuzz_util.h"

/* Weights as gv_model_save writes them, for two small architectures. */
static void write_seeds(void)
{
    fz_init("fuzz_model_seeds");
    static const int arch[2][4] = {{8, 2, 8, 1}, {4, 1, 4, 0}}; /* d_model, heads, feed-forward, layers */
    for (int k = 0; k < 2; k++) {
        gv_config c;
        gv_config_default(&c);
        c.d_model_enc = c.d_model_dec = arch[k][0];
        c.nhead_enc = c.nhead_dec = arch[k][1];
        c.dim_feedforward_enc = c.dim_feedforward_dec = arch[k][2];
        c.num_encoder_layers = c.num_decoder_layers = arch[k][3];
        c.latent_dim = 2 + k;
        if (k)
            snprintf(c.o_activation, sizeof c.o_activation, "sigmoid");
        gv_model m;
        gv_err e;
        char path[600], name[64];
        fz_path(path, sizeof path, "m.safetensors");
        if (gv_model_init_random(&m, &c, 3, &e) != 0 || gv_model_save(&m, path, &e) != 0)
            fz_die(e.msg, path);
        gv_model_free(&m);
        snprintf(name, sizeof name, "gen-arch%d.safetensors", k);
        fz_seed_file(name, path);
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    if (fz_seeding()) {
        write_seeds();
        exit(0);
    }
    fz_init("fuzz_model"); /* on /dev/shm: the save below fsyncs */
    return 0;
}

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
    char path[600];
    fz_path(path, sizeof path, "m.safetensors");
    if (gv_model_save(&m, path, &e) != 0 || gv_model_load(path, &back, &e) != 0)
        abort();
    if (back.nparams != m.nparams || memcmp(back.params, m.params, m.nparams * sizeof(float)) != 0)
        abort();
    fz_empty(fz_dir); /* the weights and their .json sidecar */
    gv_model_free(&back);
    free(mu);
    free(lv);
    gv_infer_ws_free(w);
    gv_model_free(&m);
    return 0;
}
