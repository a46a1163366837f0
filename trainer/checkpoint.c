/* checkpoint.c - the trainer's whole state in one file, written atomically:
 *   magic "GVCK", version, options fingerprint, nparams, step, AdamW t,
 *   rng state, history length, the "owed" flag (1: written at an epoch's end
 *   before that epoch's outputs; 0 in checkpoints older than the flag), wall
 *   time, epoch sums, history, then params, m, v (raw little-endian floats).  A checkpoint is for resuming on the machine
 *   that wrote it; the shipped format is the safetensors model. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/fileio.h"
#include "trainer/train.h"

#define CK_MAGIC 0x4b435647u /* "GVCK" */
#define CK_VERSION 1u

typedef struct ck_header {
    uint32_t magic, version;
    uint64_t opts_hash, nparams;
    int64_t step, adam_t, ep_count;
    uint32_t rng[4];
    int32_t nhist, owed;
    double secs;
    gv_loss_parts ep_sum;
} ck_header;

/* The fingerprint lives with the checkpoint that stores and checks it (the
 * training loop only writes checkpoints). */
uint64_t gv_train_opts_hash(const gv_train_opts *o)
{
    const gv_config *c = &o->cfg;
    char s[1024];
    int n = snprintf(s, sizeof s,
                     "%s %d %d %d %d %d %d %d %d %d %d %d %d %s %.9g|%d %.9g %d %d %d|%llu %d %d %.9g %.9g %.9g "
                     "%.9g %d %.9g %.9g %d %d %.9g %.9g %.9g %.9g %.9g %.9g",
                     c->arch, c->steps, c->voices, c->src_features, c->d_model_enc, c->nhead_enc,
                     c->dim_feedforward_enc, c->num_encoder_layers, c->d_model_dec, c->nhead_dec,
                     c->dim_feedforward_dec, c->num_decoder_layers, c->latent_dim, c->o_activation,
                     (double)c->layer_norm_eps, o->loss.hit, (double)o->loss.hit_penalty, o->loss.vel, o->loss.off,
                     o->loss.off_sigmoid, (unsigned long long)o->seed, o->epochs, o->batch, (double)o->lr,
                     (double)o->lr_min_ratio, (double)o->weight_decay, (double)o->clip, o->warmup,
                     (double)o->dropout, (double)o->beta_max, o->beta_kind, o->beta_period, (double)o->beta_ramp,
                     (double)o->free_bits, (double)o->vel_dropout, (double)o->vel_const, (double)o->note_dropout,
                     (double)o->loss.vo_empty);
    /* the mode mix shapes a conditioned model only (an old fingerprint stays as it was) */
    for (int i = 0; c->src_features == GV_COND_FEATURES && i < GV_TRAIN_MODES && n < (int)sizeof s - 32; i++)
        n += snprintf(s + n, sizeof s - (size_t)n, " m%.9g", (double)o->mix[i]);
    uint64_t h = 0xcbf29ce484222325ull;
    for (int i = 0; i < n && i < (int)sizeof s; i++)
        h = (h ^ (unsigned char)s[i]) * 0x100000001b3ull;
    return h;
}

int gv_checkpoint_save(const gv_trainer *t, const char *path, gv_err *e)
{
    unsigned char *buf;
    size_t len;
    if (gv_checkpoint_encode(t, &buf, &len, e) != 0)
        return -1;
    int rc = gv_write_atomic(path, buf, len, e);
    free(buf);
    return rc;
}

int gv_checkpoint_encode(const gv_trainer *t, unsigned char **out, size_t *out_len, gv_err *e)
{
    ck_header h;
    memset(&h, 0, sizeof h);
    h.magic = CK_MAGIC;
    h.version = CK_VERSION;
    h.opts_hash = gv_train_opts_hash(&t->o);
    h.nparams = t->model.nparams;
    h.step = t->step;
    h.adam_t = t->opt.t;
    h.ep_count = t->ep_count;
    memcpy(h.rng, t->rng.s, sizeof h.rng);
    h.nhist = t->nhist;
    h.owed = t->owed;
    h.secs = t->secs_before;
    h.ep_sum = t->ep_sum;
    size_t hist = (size_t)t->nhist * sizeof(gv_epoch_stats), np = t->model.nparams * sizeof(float);
    size_t len = sizeof h + hist + 3 * np;
    unsigned char *buf = malloc(len), *p = buf;
    if (!buf)
        return gv_failc(e, GV_E_NOMEM, "out of memory");
    memcpy(p, &h, sizeof h);
    p += sizeof h;
    memcpy(p, t->hist, hist);
    p += hist;
    memcpy(p, t->model.params, np);
    memcpy(p + np, t->opt.m, np);
    memcpy(p + 2 * np, t->opt.v, np);
    *out = buf;
    *out_len = len;
    return 0;
}

int gv_trainer_resume(gv_trainer *t, const char *ckpt, gv_err *e)
{
    unsigned char *buf;
    size_t len;
    if (gv_read_file(ckpt, (size_t)1 << 34, &buf, &len, e) != 0)
        return -1;
    int rc = gv_trainer_resume_mem(t, buf, len, e);
    free(buf);
    return rc;
}

int gv_trainer_resume_mem(gv_trainer *t, const unsigned char *buf, size_t len, gv_err *e)
{
    ck_header h;
    int rc = -1;
    if (len < sizeof h) {
        gv_failc(e, GV_E_FORMAT, "not a groove checkpoint (too short)");
        goto out;
    }
    memcpy(&h, buf, sizeof h);
    if (h.magic != CK_MAGIC || h.version != CK_VERSION) {
        gv_failc(e, GV_E_FORMAT, "not a groove checkpoint (bad magic or version)");
        goto out;
    }
    if (h.opts_hash != gv_train_opts_hash(&t->o)) {
        gv_failc(e, GV_E_MODEL, "checkpoint was written with different training options");
        goto out;
    }
    if (h.nparams != t->model.nparams || h.nhist < 0 || h.nhist > GV_TRAIN_MAX_EPOCHS || h.step < 0) {
        gv_failc(e, GV_E_MODEL, "checkpoint does not match the model");
        goto out;
    }
    size_t hist = (size_t)h.nhist * sizeof(gv_epoch_stats), np = t->model.nparams * sizeof(float);
    if (len != sizeof h + hist + 3 * np) {
        gv_failc(e, GV_E_FORMAT, "checkpoint is truncated or corrupt (%zu bytes)", len);
        goto out;
    }
    const unsigned char *p = buf + sizeof h;
    memcpy(t->hist, p, hist);
    p += hist;
    memcpy(t->model.params, p, np);
    memcpy(t->opt.m, p + np, np);
    memcpy(t->opt.v, p + 2 * np, np);
    t->step = h.step;
    t->opt.t = h.adam_t;
    t->ep_count = h.ep_count;
    t->ep_sum = h.ep_sum;
    memcpy(t->rng.s, h.rng, sizeof h.rng);
    t->nhist = h.nhist;
    t->owed = h.owed == 1 && h.nhist > 0;
    t->secs_before = h.secs;
    rc = 0;
out:
    return rc;
}
