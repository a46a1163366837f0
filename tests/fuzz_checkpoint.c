/* fuzz_checkpoint.c - libFuzzer target for training checkpoints (make
 * fuzz): the input is a checkpoint file that `groove train --resume` reads
 * with gv_trainer_resume, into a trainer of a tiny model (the same options
 * the seeds were written under).  Any file must resume or be refused with a
 * message; a resumed state must be in range, save, and resume from what it
 * saved to the same step, history and weights. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tests/fuzz_util.h"
#include "trainer/train.h"

static char path[512], again[512];
static gv_windows win;
static gv_train_opts opts;
static gv_trainer *tr, *back;

/* A model of a few thousand parameters: its checkpoint is ~30 KB. */
static void tiny(void)
{
    gv_train_opts_default(&opts);
    gv_config *c = &opts.cfg;
    c->d_model_enc = c->d_model_dec = 4;
    c->nhead_enc = c->nhead_dec = 2;
    c->dim_feedforward_enc = c->dim_feedforward_dec = 4;
    c->num_encoder_layers = c->num_decoder_layers = 1;
    c->latent_dim = 2;
    opts.batch = 2;
    opts.epochs = 2;
    opts.warmup = 1;
    opts.beta_period = 2;
    /* windows: a backbeat with a different kick each */
    win.n = 6;
    win.src = calloc((size_t)win.n * GV_SRC_DIM, sizeof(float));
    win.tgt = calloc((size_t)win.n * GV_TGT_DIM, sizeof(float));
    static gv_pattern p;
    for (int i = 0; i < win.n; i++) {
        gv_pattern_init(&p, GV_WIN_STEPS, 120, "");
        for (int s = 0; s < GV_WIN_STEPS; s++) {
            gv_pattern_set(&p, s, GV_CHAT, s % 2 == 0, 0.6f, 0);
            gv_pattern_set(&p, s, GV_SNARE, s % 8 == 4, 0.9f, 0.02f);
            gv_pattern_set(&p, s, GV_KICK, (s + i) % 6 == 0, 0.8f, -0.03f);
        }
        gv_pattern_groove(&p, win.src + (size_t)i * GV_SRC_DIM);
        float *t = win.tgt + (size_t)i * GV_TGT_DIM;
        for (int s = 0; s < GV_WIN_STEPS; s++)
            for (int v = 0; v < GV_VOICES; v++) {
                t[s * 27 + v] = p.hit[s][v];
                t[s * 27 + 9 + v] = p.vel[s][v];
                t[s * 27 + 18 + v] = p.off[s][v];
            }
    }
}

static gv_trainer *trainer_new(void)
{
    gv_trainer *t = calloc(1, sizeof *t);
    gv_err e;
    if (!t || gv_trainer_init(t, &opts, &win, &win, &e) != 0)
        fz_die(e.msg, "trainer");
    return t;
}

typedef struct stop_at {
    long step;
    volatile sig_atomic_t flag;
} stop_at;

static void on_step(const gv_step_info *s, void *u)
{
    stop_at *x = u;
    if (s->step == x->step)
        x->flag = 1;
}

/* Checkpoints as the training loop writes them: before the first step, when
 * stopped mid-epoch (Ctrl-C), at the end of the run. */
static void write_seeds(void)
{
    fz_init("fuzz_checkpoint_seeds");
    tiny();
    gv_err e;
    gv_trainer *t = trainer_new();
    fz_path(path, sizeof path, "t.ckpt");
    if (gv_checkpoint_save(t, path, &e) != 0)
        fz_die(e.msg, path);
    fz_seed_file("gen-step0.ckpt", path);
    stop_at st = {4, 0};
    gv_train_hooks h = {on_step, NULL, NULL, &st, path, &st.flag};
    if (gv_trainer_run(t, &h, &e) != 1)
        fz_die(e.msg, "training");
    fz_seed_file("gen-stopped-step4.ckpt", path);
    gv_train_hooks h2 = {NULL, NULL, NULL, NULL, path, NULL};
    if (gv_trainer_run(t, &h2, &e) != 0)
        fz_die(e.msg, "training");
    fz_seed_file("gen-done.ckpt", path);
    gv_trainer_free(t);
    free(t);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    if (fz_seeding()) {
        write_seeds();
        exit(0);
    }
    fz_init("fuzz_checkpoint");
    fz_path(path, sizeof path, "t.ckpt");
    fz_path(again, sizeof again, "again.ckpt");
    tiny();
    tr = trainer_new();
    back = trainer_new();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gv_err e;
    e.msg[0] = 0;
    fz_put(path, data, size);
    int rc = gv_trainer_resume(tr, path, &e);
    if (rc != 0) {
        if (rc != -1 || !e.msg[0])
            abort();
        fz_empty(fz_dir);
        return 0;
    }
    if (tr->step < 0 || tr->nhist < 0 || tr->nhist > GV_TRAIN_MAX_EPOCHS)
        abort();
    if (gv_checkpoint_save(tr, again, &e) != 0 || gv_trainer_resume(back, again, &e) != 0)
        abort();
    size_t nb = tr->model.nparams * sizeof(float);
    if (back->step != tr->step || back->nhist != tr->nhist || back->opt.t != tr->opt.t ||
        memcmp(back->model.params, tr->model.params, nb) || memcmp(back->opt.m, tr->opt.m, nb) ||
        memcmp(back->opt.v, tr->opt.v, nb) || memcmp(back->hist, tr->hist, (size_t)tr->nhist * sizeof *tr->hist))
        abort();
    fz_empty(fz_dir);
    return 0;
}
