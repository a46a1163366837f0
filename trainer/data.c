#define _POSIX_C_SOURCE 200809L
#include "trainer/data.h"

#include "base/pool.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/fileio.h"
#include "base/pool.h"
#include "patterns/pattern.h"
#include "patterns/smf.h"

/* A window's floats: src [steps][3], tgt [steps][27]. */
#define SRC_DIM(w) ((size_t)(w)->steps * 3)
#define TGT_DIM(w) ((size_t)(w)->steps * 27)

#define CACHE_MAGIC 0x31445647u /* "GVD1" */
#define INFO_MAX (16u << 20)

typedef struct strlist {
    char **v;
    int n, cap;
} strlist;

static int strlist_push(strlist *l, const char *s)
{
    if (l->n == l->cap) {
        int cap = l->cap ? 2 * l->cap : 64;
        char **v = realloc(l->v, (size_t)cap * sizeof *v);
        if (!v)
            return -1;
        l->v = v;
        l->cap = cap;
    }
    if (!(l->v[l->n] = strdup(s)))
        return -1;
    l->n++;
    return 0;
}

static void strlist_free(strlist *l)
{
    for (int i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    memset(l, 0, sizeof *l);
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

void gv_data_opts_default(gv_data_opts *o)
{
    memset(o, 0, sizeof *o);
    snprintf(o->beat_type, sizeof o->beat_type, "beat");
    snprintf(o->time_sig, sizeof o->time_sig, "4-4");
    o->min_hits = 8;
    o->train_hop = GV_STEPS_PER_BAR;
    o->threads = 1;
    o->steps = GV_WIN_STEPS;
}

void gv_windows_free(gv_windows *w)
{
    free(w->src);
    free(w->tgt);
    memset(w, 0, sizeof *w);
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 0x100000001b3ull;
    return h;
}

static int is_midi(const char *name)
{
    const char *x = gv_path_ext(name);
    return !strcmp(x, "mid") || !strcmp(x, "midi") || !strcmp(x, "MID") || !strcmp(x, "MIDI");
}

/* Relative paths (to root) of every MIDI file under root/rel. */
static int walk(const char *root, const char *rel, strlist *out, int depth)
{
    char path[4096];
    snprintf(path, sizeof path, "%s%s%s", root, *rel ? "/" : "", rel);
    DIR *d = opendir(path);
    if (!d)
        return depth == 0 ? -1 : 0;
    struct dirent *de;
    int rc = 0;
    while (rc == 0 && (de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        char sub[4096], full[8192];
        snprintf(sub, sizeof sub, "%s%s%s", rel, *rel ? "/" : "", de->d_name);
        snprintf(full, sizeof full, "%s/%s", root, sub);
        struct stat st;
        if (stat(full, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode) && depth < 16)
            rc = walk(root, sub, out, depth + 1);
        else if (S_ISREG(st.st_mode) && is_midi(sub))
            rc = strlist_push(out, sub);
    }
    closedir(d);
    return rc;
}

/* Splits one CSV line in place into at most max fields (double quotes allowed). */
static int csv_fields(char *line, char **f, int max)
{
    int n = 0;
    char *p = line;
    while (n < max) {
        if (*p == '"') {
            char *w = ++p;
            f[n++] = w;
            while (*p) {
                if (*p == '"') {
                    if (p[1] != '"') {
                        p++;
                        break;
                    }
                    p++;
                }
                *w++ = *p++;
            }
            char *end = p;
            *w = 0;
            p = end;
            while (*p && *p != ',')
                p++;
        } else {
            f[n++] = p;
            while (*p && *p != ',')
                p++;
        }
        if (*p != ',') {
            *p = 0;
            break;
        }
        *p++ = 0;
    }
    return n;
}

static int col_index(char **f, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(f[i], name))
            return i;
    return -1;
}

/* The files of each split, per info.csv when there is one. */
static int list_files(const char *dir, const gv_data_opts *o, const char *const *splits, int nsplits, strlist *lists,
                      gv_err *e)
{
    char info[4096];
    snprintf(info, sizeof info, "%s/info.csv", dir);
    unsigned char *buf;
    size_t len;
    if (gv_read_file(info, INFO_MAX, &buf, &len, NULL) == 0) {
        char *save = NULL, *line = strtok_r((char *)buf, "\r\n", &save);
        char *f[32];
        int nf = line ? csv_fields(line, f, 32) : 0;
        int c_split = col_index(f, nf, "split"), c_beat = col_index(f, nf, "beat_type");
        int c_ts = col_index(f, nf, "time_signature"), c_mid = col_index(f, nf, "midi_filename");
        if (c_mid < 0) {
            free(buf);
            return gv_fail(e, "info.csv: no midi_filename column");
        }
        int rc = 0;
        while (rc == 0 && (line = strtok_r(NULL, "\r\n", &save))) {
            int n = csv_fields(line, f, 32);
            if (n <= c_mid || !*f[c_mid])
                continue;
            if (o->beat_type[0] && c_beat >= 0 && (n <= c_beat || strcmp(f[c_beat], o->beat_type)))
                continue;
            if (o->time_sig[0] && c_ts >= 0 && (n <= c_ts || strcmp(f[c_ts], o->time_sig)))
                continue;
            for (int s = 0; s < nsplits; s++)
                if (c_split < 0 || (n > c_split && !strcmp(f[c_split], splits[s])))
                    if ((rc = strlist_push(&lists[s], f[c_mid])) != 0)
                        break;
        }
        free(buf);
        if (rc)
            return gv_failc(e, GV_E_NOMEM, "out of memory");
    } else {
        strlist all = {0};
        if (walk(dir, "", &all, 0) != 0) {
            strlist_free(&all);
            return gv_fail(e, "cannot read directory: %s", strerror(errno));
        }
        for (int i = 0; i < all.n; i++) {
            const char *split = fnv(0xcbf29ce484222325ull, all.v[i], strlen(all.v[i])) % 10 == 0 ? "validation" : "train";
            for (int s = 0; s < nsplits; s++)
                if (!strcmp(splits[s], split) && strlist_push(&lists[s], all.v[i]) != 0) {
                    strlist_free(&all);
                    return gv_failc(e, GV_E_NOMEM, "out of memory");
                }
        }
        strlist_free(&all);
    }
    for (int s = 0; s < nsplits; s++) {
        qsort(lists[s].v, (size_t)lists[s].n, sizeof(char *), cmp_str);
        if (o->max_files > 0 && lists[s].n > o->max_files) {
            for (int i = o->max_files; i < lists[s].n; i++)
                free(lists[s].v[i]);
            lists[s].n = o->max_files;
        }
    }
    return 0;
}

static uint64_t cache_key(const char *dir, const gv_data_opts *o, const char *const *splits, int nsplits,
                          const strlist *lists)
{
    uint64_t h = fnv(0xcbf29ce484222325ull, "gv-windows-v1", 13);
    h = fnv(h, o->beat_type, strlen(o->beat_type) + 1);
    h = fnv(h, o->time_sig, strlen(o->time_sig) + 1);
    h = fnv(h, &o->min_hits, sizeof o->min_hits);
    h = fnv(h, &o->max_files, sizeof o->max_files);
    h = fnv(h, &o->train_hop, sizeof o->train_hop);
    if (o->steps != GV_WIN_STEPS) /* 2-bar caches keep the key they always had */
        h = fnv(h, &o->steps, sizeof o->steps);
    for (int s = 0; s < nsplits; s++) {
        h = fnv(h, splits[s], strlen(splits[s]) + 1);
        for (int i = 0; i < lists[s].n; i++) {
            char full[8192];
            snprintf(full, sizeof full, "%s/%s", dir, lists[s].v[i]);
            struct stat st;
            int64_t meta[3] = {-1, -1, -1};
            if (stat(full, &st) == 0) {
                meta[0] = (int64_t)st.st_size;
                meta[1] = (int64_t)st.st_mtim.tv_sec;
                meta[2] = (int64_t)st.st_mtim.tv_nsec;
            }
            h = fnv(h, lists[s].v[i], strlen(lists[s].v[i]) + 1);
            h = fnv(h, meta, sizeof meta);
        }
    }
    return h;
}

static int win_push(gv_windows *w, int *cap, const gv_pattern *p)
{
    if (w->n == *cap) {
        int c = *cap ? 2 * *cap : 64; /* doubling: 64 windows are 1 MB, 1024 were 15 MB for any split */
        float *s = realloc(w->src, (size_t)c * SRC_DIM(w) * sizeof(float));
        if (!s)
            return -1;
        w->src = s;
        float *t = realloc(w->tgt, (size_t)c * TGT_DIM(w) * sizeof(float));
        if (!t)
            return -1;
        w->tgt = t;
        *cap = c;
    }
    gv_pattern_groove(p, w->src + (size_t)w->n * SRC_DIM(w));
    for (int t = 0; t < w->steps; t += GV_WIN_STEPS) /* the model's output layout, 2 bars at a time */
        gv_cond_hvo(p, t, w->tgt + ((size_t)w->n * w->steps + (size_t)t) * 27);
    w->n++;
    return 0;
}

/* The windows of one file into fw (its counts too); -1 out of memory. */
static int file_windows(const char *dir, const gv_data_opts *o, const char *name, int hop, gv_pattern *p,
                        gv_windows *fw)
{
    char full[8192];
    snprintf(full, sizeof full, "%s/%s", dir, name);
    unsigned char *buf;
    size_t len;
    gv_score sc;
    if (gv_read_file(full, GV_SMF_MAX_FILE, &buf, &len, NULL) != 0) {
        fw->skipped++;
        return 0;
    }
    int rc = gv_smf_parse(buf, len, -1, &sc, NULL);
    free(buf);
    if (rc != 0 || sc.steps_per_bar != GV_STEPS_PER_BAR) {
        if (rc == 0)
            gv_score_free(&sc);
        fw->skipped++;
        return 0;
    }
    int bars = gv_score_bars(&sc), wb = o->steps / GV_STEPS_PER_BAR, cap = 0;
    int last = (bars > wb ? bars - wb : 0) * GV_STEPS_PER_BAR;
    for (int start = 0; start <= last; start += hop) {
        int hits = gv_score_window_steps(&sc, start, o->steps, p, NULL);
        if (hits < o->min_hits || p->steps != o->steps) {
            fw->dropped += hits >= 0;
            continue;
        }
        if (win_push(fw, &cap, p) != 0) {
            gv_score_free(&sc);
            return -1;
        }
    }
    fw->files += fw->n > 0;
    gv_score_free(&sc);
    return 0;
}

typedef struct split_job {
    const char *dir;
    const gv_data_opts *o;
    const strlist *files;
    int hop;
    gv_windows *fw;  /* per file */
    gv_pattern **p;  /* per worker */
    int *fail;       /* per file */
} split_job;

static void split_file(void *arg, int i, int k)
{
    split_job *j = arg;
    j->fw[i].steps = j->o->steps;
    j->fail[i] = file_windows(j->dir, j->o, j->files->v[i], j->hop, j->p[k], &j->fw[i]);
}

/* The files' windows appended to w in file order. */
static int split_concat(const split_job *j, gv_windows *w)
{
    int n = 0, at = 0;
    for (int i = 0; i < j->files->n; i++) {
        if (j->fail[i])
            return -1;
        n += j->fw[i].n;
    }
    w->steps = j->o->steps;
    w->src = malloc((size_t)(n ? n : 1) * SRC_DIM(w) * sizeof(float));
    w->tgt = malloc((size_t)(n ? n : 1) * TGT_DIM(w) * sizeof(float));
    if (!w->src || !w->tgt)
        return -1;
    for (int i = 0; i < j->files->n; i++) {
        const gv_windows *f = &j->fw[i];
        if (f->n > 0) { /* a file with no windows has no arrays (memcpy from NULL is undefined) */
            memcpy(w->src + (size_t)at * SRC_DIM(w), f->src, (size_t)f->n * SRC_DIM(w) * sizeof(float));
            memcpy(w->tgt + (size_t)at * TGT_DIM(w), f->tgt, (size_t)f->n * TGT_DIM(w) * sizeof(float));
        }
        at += f->n;
        w->files += f->files;
        w->skipped += f->skipped;
        w->dropped += f->dropped;
    }
    w->n = n;
    return 0;
}

/* Every file of the split read on o->threads workers, one file at a time
 * each, the windows kept in file order: the same windows for any count. */
static int build_split(const char *dir, const gv_data_opts *o, const strlist *files, int hop, gv_windows *w,
                       gv_err *e)
{
    int nf = files->n, nw = o->threads < 1 ? 1 : o->threads > nf ? (nf ? nf : 1) : o->threads, rc = -1;
    gv_pool *pool = nw > 1 ? gv_pool_new(nw) : NULL;
    nw = gv_pool_size(pool);
    split_job j = {dir, o, files, hop, calloc((size_t)(nf ? nf : 1), sizeof *j.fw),
                   calloc((size_t)nw, sizeof *j.p), calloc((size_t)(nf ? nf : 1), sizeof *j.fail)};
    int ok = j.fw && j.p && j.fail;
    for (int k = 0; ok && k < nw; k++)
        ok = (j.p[k] = malloc(sizeof **j.p)) != NULL;
    if (ok) {
        gv_pool_for(pool, nf, split_file, &j);
        rc = split_concat(&j, w);
    }
    for (int i = 0; j.fw && i < nf; i++)
        gv_windows_free(&j.fw[i]);
    for (int k = 0; j.p && k < nw; k++)
        free(j.p[k]);
    free(j.fw);
    free(j.p);
    free(j.fail);
    gv_pool_free(pool);
    return rc == 0 ? 0 : gv_failc(e, GV_E_NOMEM, "out of memory");
}

/* Cache layout: magic, key, nsplits, then per split n, files, skipped,
 * dropped (int32) followed by src and tgt floats. */
static int cache_read(const char *path, uint64_t key, int steps, int nsplits, gv_windows *out)
{
    unsigned char *buf;
    size_t len, pos = 16;
    if (gv_read_file(path, (size_t)1 << 34, &buf, &len, NULL) != 0)
        return -1;
    uint32_t magic, ns;
    uint64_t k;
    if (len < 16 + 4)
        goto bad;
    memcpy(&magic, buf, 4);
    memcpy(&k, buf + 4, 8);
    memcpy(&ns, buf + 12, 4);
    if (magic != CACHE_MAGIC || k != key || ns != (uint32_t)nsplits)
        goto bad;
    for (int s = 0; s < nsplits; s++) {
        int32_t hdr[4];
        if (len - pos < sizeof hdr)
            goto bad;
        memcpy(hdr, buf + pos, sizeof hdr);
        pos += sizeof hdr;
        size_t ns_ = (size_t)(hdr[0] < 0 ? 0 : hdr[0]);
        gv_windows *w = &out[s];
        w->steps = steps;
        size_t bytes = ns_ * (SRC_DIM(w) + TGT_DIM(w)) * sizeof(float);
        if (hdr[0] < 0 || len - pos < bytes)
            goto bad;
        w->n = hdr[0];
        w->files = hdr[1];
        w->skipped = hdr[2];
        w->dropped = hdr[3];
        w->src = malloc(ns_ * SRC_DIM(w) * sizeof(float) + 1);
        w->tgt = malloc(ns_ * TGT_DIM(w) * sizeof(float) + 1);
        if (!w->src || !w->tgt)
            goto bad;
        memcpy(w->src, buf + pos, ns_ * SRC_DIM(w) * sizeof(float));
        pos += ns_ * SRC_DIM(w) * sizeof(float);
        memcpy(w->tgt, buf + pos, ns_ * TGT_DIM(w) * sizeof(float));
        pos += ns_ * TGT_DIM(w) * sizeof(float);
    }
    if (pos != len) /* bytes left over: not a cache we wrote; the caller rebuilds into out */
        goto bad;
    free(buf);
    return 0;
bad:
    free(buf);
    for (int s = 0; s < nsplits; s++)
        gv_windows_free(&out[s]);
    return -1;
}

static int cache_write(const char *path, uint64_t key, int nsplits, const gv_windows *out, gv_err *e)
{
    size_t len = 16;
    for (int s = 0; s < nsplits; s++)
        len += 16 + (size_t)out[s].n * (SRC_DIM(&out[s]) + TGT_DIM(&out[s])) * sizeof(float);
    unsigned char *buf = malloc(len), *p = buf;
    if (!buf)
        return gv_failc(e, GV_E_NOMEM, "out of memory");
    uint32_t magic = CACHE_MAGIC, ns = (uint32_t)nsplits;
    memcpy(p, &magic, 4);
    memcpy(p + 4, &key, 8);
    memcpy(p + 12, &ns, 4);
    p += 16;
    for (int s = 0; s < nsplits; s++) {
        int32_t hdr[4] = {out[s].n, out[s].files, out[s].skipped, out[s].dropped};
        memcpy(p, hdr, sizeof hdr);
        p += sizeof hdr;
        size_t a = (size_t)out[s].n * SRC_DIM(&out[s]) * sizeof(float);
        size_t b = (size_t)out[s].n * TGT_DIM(&out[s]) * sizeof(float);
        if (a)
            memcpy(p, out[s].src, a);
        p += a;
        if (b)
            memcpy(p, out[s].tgt, b);
        p += b;
    }
    int rc = gv_write_atomic(path, buf, len, e);
    free(buf);
    return rc;
}

int gv_data_load(const char *dir, const gv_data_opts *o, const char *const *splits, int nsplits, const char *cache,
                 gv_windows *out, int *from_cache, gv_err *e)
{
    memset(out, 0, (size_t)nsplits * sizeof *out);
    if (from_cache)
        *from_cache = 0;
    if (o->train_hop < 1 || GV_STEPS_PER_BAR % o->train_hop)
        return gv_fail(e, "train hop %d: must divide %d", o->train_hop, GV_STEPS_PER_BAR);
    if (o->steps < GV_WIN_STEPS || o->steps > GV_MAX_STEPS || o->steps % GV_WIN_STEPS)
        return gv_failc(e, GV_E_RANGE, "windows of %d steps: 32, 64, ... up to %d", o->steps, GV_MAX_STEPS);
    strlist *lists = calloc((size_t)(nsplits > 0 ? nsplits : 1), sizeof *lists);
    if (!lists)
        return gv_failc(e, GV_E_NOMEM, "out of memory");
    int rc = list_files(dir, o, splits, nsplits, lists, e);
    uint64_t key = rc == 0 ? cache_key(dir, o, splits, nsplits, lists) : 0;
    if (rc == 0 && cache && cache_read(cache, key, o->steps, nsplits, out) == 0) {
        if (from_cache)
            *from_cache = 1;
    } else {
        for (int s = 0; rc == 0 && s < nsplits; s++)
            rc = build_split(dir, o, &lists[s], s ? GV_STEPS_PER_BAR : o->train_hop,
                             &out[s], e);
        /* A cache that cannot be written only costs time on the next run. */
        if (rc == 0 && cache)
            cache_write(cache, key, nsplits, out, NULL);
    }
    for (int s = 0; s < nsplits; s++)
        strlist_free(&lists[s]);
    free(lists);
    if (rc != 0)
        for (int s = 0; s < nsplits; s++)
            gv_windows_free(&out[s]);
    for (int s = 0; s < nsplits; s++)
        out[s].steps = o->steps;
    return rc;
}

void gv_window_src(const gv_windows *w, int i, const gv_cond *c, int F, float *src)
{
    if (F != GV_COND_FEATURES) {
        memcpy(src, w->src + (size_t)i * GV_SRC_DIM, GV_SRC_DIM * sizeof(float));
        return;
    }
    gv_cond_features(c, w->tgt + (size_t)i * GV_TGT_DIM, src);
}

void gv_windows_split_tenth(const gv_windows *w, gv_windows *head, gv_windows *tail)
{
    int nt = w->n / 10, cut = w->n - nt;
    *head = *w;
    *tail = *w;
    /* the 3 windows before the cut may share bars with the tail's first (a
     * 2-bar window at a half-bar hop): left out of both */
    head->n = nt > 0 && cut > 3 ? cut - 3 : cut;
    tail->n = nt;
    size_t T = (size_t)(w->steps ? w->steps : GV_WIN_STEPS); /* windows built by hand are 2 bars */
    tail->src = w->src + (size_t)cut * T * 3;
    tail->tgt = w->tgt + (size_t)cut * T * 27;
}
