/* model.c - the mgt-vae parameter table, weights I/O (safetensors) and
 * initialisation. */
#include "engine/model.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <errno.h>

#include "engine/layout.h"
#include "engine/rnn.h"
#include "engine/safetensors.h"
#include "base/fileio.h"

int gv_param_table(const gv_config *c, gv_tensor_info *t, size_t *nparams)
{
    if (gv_config_is_rnn(c))
        return gv_rnn_tensors(&c->rnn, t, nparams);
    gv_layout L;
    gv_layout_build(c, &L, t);
    if (nparams)
        *nparams = L.nparams;
    return L.ntensors;
}

static void shape_str(char *out, size_t n, int ndim, const uint64_t *s)
{
    if (ndim == 1)
        snprintf(out, n, "[%llu]", (unsigned long long)s[0]);
    else if (ndim == 2)
        snprintf(out, n, "[%llu, %llu]", (unsigned long long)s[0], (unsigned long long)s[1]);
    else
        snprintf(out, n, "%d dimensions", ndim);
}

/* Every tensor of the file must be one of the table's, F32, of its shape;
 * every table tensor must be there.  The container checks already made the
 * offsets tile the data. */
static int match_table(const gv_st_file *f, const gv_tensor_info *t, int nt, int *which, gv_err *e)
{
    for (int i = 0; i < nt; i++)
        which[i] = -1;
    for (int j = 0; j < f->n; j++) {
        const gv_st_tensor *s = &f->t[j];
        int i = 0;
        while (i < nt && strcmp(t[i].name, s->name) != 0)
            i++;
        if (i == nt)
            return gv_failc(e, GV_E_MODEL, "unexpected tensor %s (weights do not match the config)", s->name);
        if (strcmp(s->dtype, "F32") != 0)
            return gv_failc(e, GV_E_MODEL, "tensor %s: dtype %s, expected F32", s->name, s->dtype);
        uint64_t want[2] = {(uint64_t)t[i].shape[0], (uint64_t)t[i].shape[1]};
        if (s->ndim != t[i].ndim || s->shape[0] != want[0] || (s->ndim == 2 && s->shape[1] != want[1])) {
            char got[48], exp[48];
            shape_str(got, sizeof got, s->ndim, s->shape);
            shape_str(exp, sizeof exp, t[i].ndim, want);
            return gv_failc(e, GV_E_MODEL, "tensor %s: shape %s, the config says %s", s->name, got, exp);
        }
        which[i] = j;
    }
    for (int i = 0; i < nt; i++)
        if (which[i] < 0)
            return gv_failc(e, GV_E_MODEL, "missing tensor %s", t[i].name);
    return 0;
}

/* The tensors lie in the file's data back to back in table order, float
 * aligned: the parameter buffer is then the data section itself. */
static int in_place(const gv_st_file *f, const gv_tensor_info *t, int nt, const int *which)
{
    const unsigned char *base = f->data + f->t[which[0]].begin;
    if ((uintptr_t)base % _Alignof(float))
        return 0;
    for (int i = 0; i < nt; i++)
        if (f->t[which[i]].begin != f->t[which[0]].begin + t[i].offset * sizeof(float))
            return 0;
    return 1;
}

/* gv_model_load_mem; with borrow (data is a writable private mapping that
 * the model will own) params may point into data instead of a copy.
 * Returns -1 on failure, 1 when params point into data, else 0. */
static int load_image(const void *data, size_t len, int borrow, gv_model *m, gv_err *e)
{
    memset(m, 0, sizeof *m);
    gv_st_file f;
    gv_tensor_info *t = NULL;
    int *which = NULL, rc = -1, borrowed = 0;
    if (gv_st_parse(data, len, &f, e))
        goto out;
    if (!f.config) {
        gv_failc(e, GV_E_FORMAT, "no \"config\" in the header's __metadata__ (not a groove model?)");
        goto out;
    }
    if (gv_config_from_json(f.config, strlen(f.config), &m->cfg, e))
        goto out;
    t = malloc(GV_MAX_PARAMS_TENSORS * sizeof *t);
    which = malloc(GV_MAX_PARAMS_TENSORS * sizeof *which);
    if (!t || !which) {
        gv_failc(e, GV_E_NOMEM, "out of memory");
        goto out;
    }
    int nt = gv_param_table(&m->cfg, t, &m->nparams);
    if (match_table(&f, t, nt, which, e))
        goto out;
    borrowed = borrow && in_place(&f, t, nt, which);
    m->params = borrowed ? (float *)(f.data + f.t[which[0]].begin) : malloc(m->nparams * sizeof *m->params);
    if (!m->params) {
        gv_failc(e, GV_E_NOMEM, "out of memory for %zu parameters", m->nparams);
        goto out;
    }
    for (int i = 0; i < nt; i++) {
        float *p = m->params + t[i].offset;
        if (!borrowed)
            memcpy(p, f.data + f.t[which[i]].begin, t[i].numel * sizeof *p);
        for (size_t k = 0; k < t[i].numel; k++)
            if (!isfinite(p[k])) {
                gv_failc(e, GV_E_FORMAT, "tensor %s holds NaN or infinity", t[i].name);
                goto out;
            }
    }
    if (gv_model_pack(m, e))
        goto out;
    rc = borrowed;
out:
    if (rc < 0) {
        gv_model_unpack(m);
        if (!borrowed)
            free(m->params);
        memset(m, 0, sizeof *m);
    }
    free(t);
    free(which);
    gv_st_free(&f);
    return rc;
}

int gv_model_load_mem(const void *data, size_t len, gv_model *m, gv_err *e)
{
    return load_image(data, len, 0, m, e) < 0 ? -1 : 0;
}

int gv_model_load(const char *path, gv_model *m, gv_err *e)
{
    memset(m, 0, sizeof *m);
    if (strlen(path) >= sizeof m->path)
        return gv_failc(e, GV_E_USAGE, "path too long");
    unsigned long long size;
    int fd = gv_open_regular(path, &size, e);
    if (fd < 0)
        return -1;
    size_t len = (size_t)size;
    void *map = NULL;
    /* Populated in one call rather than one fault per page range as the
     * checks and the forward pass first read each weight.  Read-only while
     * populating: a writable private mapping would be populated by copying
     * every page. */
    if (len && (map = mmap(NULL, len, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0)) == MAP_FAILED) {
        close(fd);
        return gv_failc(e, gv_errno_code(errno), "mmap: %s", strerror(errno));
    }
    close(fd);
    static const unsigned char empty[1];
    /* Made writable (copy-on-write pages) so params may live in it and still
     * be trained in place; on failure params are a copy. */
    int rc = load_image(map ? map : empty, len, map && mprotect(map, len, PROT_READ | PROT_WRITE) == 0, m, e);
    if (rc == 1) {
        m->map = map;
        m->map_len = len;
    } else if (map) {
        munmap(map, len);
    }
    if (rc >= 0)
        snprintf(m->path, sizeof m->path, "%s", path);
    return rc < 0 ? -1 : 0;
}

/* PATH.safetensors -> PATH.json; any other name gets ".json" appended. */
static int sidecar_path(const char *path, char *out, size_t n)
{
    const char *ext = ".safetensors";
    size_t pl = strlen(path), el = strlen(ext);
    if (pl > el && strcmp(path + pl - el, ext) == 0)
        pl -= el;
    return snprintf(out, n, "%.*s.json", (int)pl, path) < (int)n ? 0 : -1;
}

int gv_model_save(const gv_model *m, const char *path, gv_err *e)
{
    if (gv_config_validate(&m->cfg, e))
        return -1;
    gv_tensor_info *t = malloc(GV_MAX_PARAMS_TENSORS * sizeof *t);
    char *cfg = gv_config_to_json(&m->cfg, 0), *pretty = gv_config_to_json(&m->cfg, 1);
    char side[1100];
    int rc = -1;
    if (!t || !cfg || !pretty) {
        gv_failc(e, GV_E_NOMEM, "out of memory");
        goto out;
    }
    size_t np;
    int nt = gv_param_table(&m->cfg, t, &np);
    if (np != m->nparams) {
        gv_failc(e, GV_E_MODEL, "model holds %zu parameters, its config needs %zu", m->nparams, np);
        goto out;
    }
    if (sidecar_path(path, side, sizeof side)) {
        gv_failc(e, GV_E_USAGE, "path too long");
        goto out;
    }
    if (gv_st_write(path, cfg, t, nt, m->params, e))
        goto out;
    size_t pl = strlen(pretty);
    pretty[pl] = '\n'; /* replaces the NUL: the sidecar ends in a newline */
    rc = gv_write_atomic(side, pretty, pl + 1, e);
    pretty[pl] = 0;
out:
    free(t);
    free(cfg);
    free(pretty);
    return rc;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* PyTorch's defaults: Linear U(+-1/sqrt(fan_in)) for weight and bias,
 * attention in_proj Xavier-uniform with zero biases, LayerNorm 1 and 0.
 * Unlike nn.TransformerEncoder (deep copies of one layer) every layer gets
 * its own draw. */
static void init_transformer(float *params, const gv_tensor_info *t, int nt, uint64_t seed)
{
    gv_rng r;
    gv_rng_seed(&r, seed);
    for (int i = 0; i < nt; i++) {
        float *p = params + t[i].offset, a = 0.0f, base = 0.0f;
        const char *nm = t[i].name;
        if (ends_with(nm, "in_proj_weight"))
            a = sqrtf(6.0f / (float)(t[i].shape[0] + t[i].shape[1]));
        else if (ends_with(nm, "in_proj_bias") || ends_with(nm, "out_proj.bias"))
            a = 0.0f;
        else if (strstr(nm, "norm"))
            base = ends_with(nm, ".weight") ? 1.0f : 0.0f;
        else if (t[i].ndim == 2)
            a = 1.0f / sqrtf((float)t[i].shape[1]);
        else /* a Linear's bias: fan_in of the weight just before it */
            a = 1.0f / sqrtf((float)t[i - 1].shape[1]);
        for (size_t k = 0; k < t[i].numel; k++)
            p[k] = base + (a ? a * (2.0f * gv_rng_uniform(&r) - 1.0f) : 0.0f);
    }
}

int gv_model_init_random(gv_model *m, const gv_config *c, uint64_t seed, gv_err *e)
{
    memset(m, 0, sizeof *m);
    if (gv_config_validate(c, e))
        return -1;
    gv_tensor_info *t = malloc(GV_MAX_PARAMS_TENSORS * sizeof *t);
    if (!t)
        return gv_failc(e, GV_E_NOMEM, "out of memory");
    m->cfg = *c;
    int nt = gv_param_table(c, t, &m->nparams);
    m->params = malloc(m->nparams * sizeof *m->params);
    if (!m->params) {
        free(t);
        return gv_failc(e, GV_E_NOMEM, "out of memory for %zu parameters", m->nparams);
    }
    if (gv_config_is_rnn(c))
        gv_rnn_init(&c->rnn, m->params, seed);
    else
        init_transformer(m->params, t, nt, seed);
    free(t);
    if (gv_model_pack(m, e) != 0) {
        free(m->params);
        memset(m, 0, sizeof *m);
        return -1;
    }
    return 0;
}

int gv_model_pack(gv_model *m, gv_err *e)
{
    gv_model_unpack(m);
    gv_isa isa = gv_isa_best();
    if (isa == GV_ISA_C)
        return 0;
    gv_tensor_info *t = malloc(GV_MAX_PARAMS_TENSORS * sizeof *t);
    /* 64-byte aligned: the panels of a weight at a multiple of 16 floats
     * (every one at the shipped sizes) start on a cache line. */
    size_t bytes = m->nparams * sizeof(float), huge = (size_t)2 << 20;
    float *p = bytes >= huge ? aligned_alloc(huge, (bytes + huge - 1) & ~(huge - 1))
                             : aligned_alloc(64, (bytes + 63) & ~(size_t)63);
#ifdef MADV_HUGEPAGE
    /* A few 2 MiB faults instead of one per 4 KiB page (1300 at the shipped
     * size): that was most of the time a one-shot `groove generate` spent
     * packing.  Advice only: no huge pages, no harm. */
    if (p && bytes >= huge)
        (void)madvise(p, (bytes + huge - 1) & ~(huge - 1), MADV_HUGEPAGE);
#endif
    if (!t || !p) {
        free(t);
        free(p);
        return gv_failc(e, GV_E_NOMEM, "out of memory for the packed weights");
    }
    int nt = gv_param_table(&m->cfg, t, NULL);
    if (gv_config_is_rnn(&m->cfg)) /* and the LSTMs' two biases summed */
        gv_rnn_pack(&m->cfg.rnn, m->params, p);
    for (int i = 0; i < nt && !gv_config_is_rnn(&m->cfg); i++) {
        const float *src = m->params + t[i].offset;
        if (t[i].ndim == 2)
            gv_gemm_pack(p + t[i].offset, src, t[i].shape[0], t[i].shape[1]);
        else
            memcpy(p + t[i].offset, src, t[i].numel * sizeof *p);
    }
    free(t);
    m->packed = p;
    m->isa = isa;
    return 0;
}

void gv_model_unpack(gv_model *m)
{
    free(m->packed);
    m->packed = NULL;
    m->isa = GV_ISA_C;
}

void gv_model_free(gv_model *m)
{
    gv_model_unpack(m);
    if (m->map)
        munmap(m->map, m->map_len);
    else
        free(m->params);
    memset(m, 0, sizeof *m);
}

int gv_model_set_prior(gv_model *m, int K, const float *logits, const float *mean, const float *logvar, gv_err *e)
{
    gv_config c = m->cfg;
    c.prior_components = K;
    if (gv_config_validate(&c, e))
        return -1;
    gv_layout old, L;
    gv_layout_build(&m->cfg, &old, NULL);
    gv_layout_build(&c, &L, NULL);
    /* the network's tensors come first in both layouts: only the tail changes */
    size_t keep = m->cfg.prior_components ? old.prior_logits : old.nparams;
    float *p = malloc(L.nparams * sizeof *p);
    if (!p)
        return gv_failc(e, GV_E_NOMEM, "out of memory");
    memcpy(p, m->params, keep * sizeof *p);
    size_t Z = (size_t)c.latent_dim;
    if (K) {
        memcpy(p + L.prior_logits, logits, (size_t)K * sizeof *p);
        memcpy(p + L.prior_mean, mean, (size_t)K * Z * sizeof *p);
        memcpy(p + L.prior_logvar, logvar, (size_t)K * Z * sizeof *p);
    }
    int packed = m->packed != NULL;
    gv_model_unpack(m);
    if (m->map) {
        munmap(m->map, m->map_len);
        m->map = NULL;
        m->map_len = 0;
    } else {
        free(m->params);
    }
    m->params = p;
    m->nparams = L.nparams;
    m->cfg = c;
    return packed ? gv_model_pack(m, e) : 0;
}
