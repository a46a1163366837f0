/* session.c - saving and restoring the TUI session (see session.h). */
#include "session/session.h"

#include <cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "session/core_hist.h"
#include "session/core_take.h"
#include "session/state.h"
#include "base/xdg.h"
#include "patterns/lanes.h"
#include "base/fileio.h"

#define SESSION_VERSION 1

int gv_session_path(char *out, size_t n, gv_err *e)
{
    return gv_xdg_path(GV_XDG_STATE, "session.json", out, n, e);
}

static cJSON *pattern_json(const gv_pattern *p)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddNumberToObject(o, "steps", p->steps);
    cJSON_AddNumberToObject(o, "bpm", p->bpm);
    cJSON_AddStringToObject(o, "name", p->name);
    cJSON *hits = cJSON_AddArrayToObject(o, "hits");
    for (int s = 0; hits && s < p->steps; s++)
        for (int v = 0; v < GV_VOICES; v++)
            if (p->hit[s][v]) {
                const double cell[4] = {s, v, p->vel[s][v], p->off[s][v]};
                cJSON_AddItemToArray(hits, cJSON_CreateDoubleArray(cell, 4));
            }
    return o;
}

static int pattern_from_json(const cJSON *o, gv_pattern *p, gv_err *e)
{
    const cJSON *steps = cJSON_GetObjectItemCaseSensitive(o, "steps");
    const cJSON *bpm = cJSON_GetObjectItemCaseSensitive(o, "bpm");
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(o, "name");
    const cJSON *hits = cJSON_GetObjectItemCaseSensitive(o, "hits");
    int n = cJSON_IsNumber(steps) ? steps->valueint : 0;
    if (!(n == 16 || n == 32 || n == 64 || n == 128) || !cJSON_IsArray(hits))
        return gv_fail(e, "a pattern is not of 1, 2, 4 or 8 bars");
    gv_pattern_init(p, n, cJSON_IsNumber(bpm) ? (float)bpm->valuedouble : 120,
                    cJSON_IsString(name) ? name->valuestring : "");
    const cJSON *h;
    cJSON_ArrayForEach(h, hits)
    {
        double v[4];
        for (int k = 0; k < 4; k++) {
            const cJSON *x = cJSON_GetArrayItem(h, k);
            if (!cJSON_IsNumber(x) || !isfinite(x->valuedouble))
                return gv_fail(e, "a hit is not [step, voice, velocity, offset]");
            v[k] = x->valuedouble;
        }
        if (v[0] < 0 || v[0] >= n || v[1] < 0 || v[1] >= GV_VOICES)
            return gv_fail(e, "a hit is outside the pattern");
        gv_pattern_set(p, (int)v[0], (int)v[1], 1, (float)v[2], (float)v[3]);
    }
    return 0;
}

/* Creates the directory path is in. */
static int make_parent(const char *path, gv_err *e)
{
    char dir[4096];
    gv_copy(dir, sizeof dir, path);
    char *slash = strrchr(dir, '/');
    if (!slash || slash == dir)
        return 0;
    *slash = 0;
    return gv_mkdirs(dir, e);
}

static long read_pid(int fd)
{
    char buf[32];
    ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
    if (n <= 0)
        return 0;
    buf[n] = 0;
    long pid = strtol(buf, NULL, 10);
    return pid > 0 ? pid : 0;
}

static int pid_alive(long pid)
{
    return pid > 0 && pid != (long)getpid() && (kill((pid_t)pid, 0) == 0 || errno == EPERM);
}

int gv_session_lock_take(gv_session_lock *l, const char *session_path, long *pid, gv_err *e)
{
    l->fd = -1;
    *pid = 0;
    int w = snprintf(l->path, sizeof l->path, "%s.lock", session_path);
    if (w < 0 || (size_t)w >= sizeof l->path)
        return gv_fail(e, "path too long");
    if (make_parent(l->path, e) != 0)
        return -1;
    for (int tries = 0; tries < 20; tries++) {
        int fd = open(l->path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (fd < 0)
            return gv_fail(e, "%s: %s", l->path, strerror(errno));
        if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
            int err = errno;
            if (err == EWOULDBLOCK) {
                *pid = read_pid(fd);
                close(fd);
                return 1;
            }
            if (err != ENOLCK && err != EINVAL && err != EOPNOTSUPP) {
                close(fd);
                return gv_fail(e, "%s: %s", l->path, strerror(err));
            }
            /* no flock here: a live PID in the file holds the session */
            long other = read_pid(fd);
            if (pid_alive(other)) {
                *pid = other;
                close(fd);
                return 1;
            }
        }
        /* The last owner may have removed the file between our open and our
         * flock: the lock is then on a file nobody else sees.  Try again. */
        struct stat a, b;
        if (fstat(fd, &a) != 0 || stat(l->path, &b) != 0 || a.st_ino != b.st_ino || a.st_dev != b.st_dev) {
            close(fd);
            continue;
        }
        char buf[32];
        int len = snprintf(buf, sizeof buf, "%ld\n", (long)getpid());
        if (ftruncate(fd, 0) != 0 || pwrite(fd, buf, (size_t)len, 0) != len) {
            int err = errno;
            close(fd);
            return gv_fail(e, "%s: %s", l->path, strerror(err));
        }
        l->fd = fd;
        return 0;
    }
    return gv_fail(e, "%s: it keeps changing", l->path);
}

void gv_session_unlock(gv_session_lock *l)
{
    if (l->fd < 0)
        return;
    unlink(l->path); /* while still held: see the inode check above */
    close(l->fd);
    l->fd = -1;
}

static const char *every_name(int every)
{
    return every == GV_JAM_EVERY_BEAT ? "beat" : every == GV_JAM_EVERY_2BARS ? "2bars" : "bar";
}

/* The jam's controls (issue 21); sessions before it have none. */
static void jam_json(cJSON *set, const gv_jam_prefs *p)
{
    cJSON *j = cJSON_AddObjectToObject(set, "jam");
    if (!j)
        return;
    cJSON_AddStringToObject(j, "every", every_name(p->every));
    cJSON_AddNumberToObject(j, "follow", p->follow);
    cJSON_AddBoolToObject(j, "hold", p->hold);
    cJSON_AddBoolToObject(j, "feel", p->feel);
    char muted[96];
    gv_voice_set_format(p->mute, muted, sizeof muted);
    cJSON_AddStringToObject(j, "muted", p->mute ? muted : "");
}

static double num(const cJSON *o, const char *key, double dflt, double lo, double hi);

/* The mixer (issue 22); sessions before it have none. */
static void mix_json(cJSON *set, const gv_vmix *m, int export_heard)
{
    cJSON *j = cJSON_AddObjectToObject(set, "mixer");
    if (!j)
        return;
    char buf[96];
    gv_voice_set_format(m->mute, buf, sizeof buf);
    cJSON_AddStringToObject(j, "muted", m->mute ? buf : "");
    gv_voice_set_format(m->solo, buf, sizeof buf);
    cJSON_AddStringToObject(j, "solo", m->solo ? buf : "");
    cJSON_AddItemToObject(j, "volume", cJSON_CreateFloatArray(m->vol, GV_VOICES));
    cJSON_AddBoolToObject(j, "export_as_heard", export_heard);
}

static unsigned voice_set(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    gv_err e;
    unsigned m = 0;
    return cJSON_IsString(v) && v->valuestring[0] && gv_voice_set_parse(v->valuestring, &m, &e) == 0 ? m : 0;
}

/* The mixer: each part missing or odd is its default (all at 100%). */
static void mix_settings(const cJSON *set, gv_vmix *m, int *export_heard)
{
    const cJSON *j = cJSON_GetObjectItemCaseSensitive(set, "mixer");
    gv_vmix_init(m);
    m->mute = voice_set(j, "muted");
    m->solo = voice_set(j, "solo");
    const cJSON *vol = cJSON_GetObjectItemCaseSensitive(j, "volume");
    for (int v = 0; v < GV_VOICES; v++) {
        const cJSON *x = cJSON_GetArrayItem(vol, v);
        if (cJSON_IsNumber(x) && isfinite(x->valuedouble))
            m->vol[v] = (float)fmax(0, fmin(x->valuedouble, 1));
    }
    *export_heard = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "export_as_heard"));
}

/* The file the input is a window of, and where (issue 22): an older
 * session has none and loads as before. */
static void take_json(cJSON *o, const gv_core_take *t)
{
    if (!t->on)
        return;
    cJSON *j = cJSON_AddObjectToObject(o, "take");
    if (!j)
        return;
    cJSON_AddStringToObject(j, "file", t->path);
    cJSON_AddStringToObject(j, "name", t->name);
    cJSON_AddNumberToObject(j, "bar", t->bar + 1);
    cJSON_AddNumberToObject(j, "channel", t->channel);
}

/* The take again, rescanned from its file; a file gone or changed past the
 * window leaves the input as saved, with no take. */
static void take_restore(gv_core *c, const cJSON *o)
{
    const cJSON *j = cJSON_GetObjectItemCaseSensitive(o, "take");
    const cJSON *file = cJSON_GetObjectItemCaseSensitive(j, "file");
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(j, "name");
    gv_core_take_clear(c);
    gv_err e;
    if (!cJSON_IsString(file) || gv_take_scan(file->valuestring, (int)num(j, "channel", -1, -1, 16), &c->take, &e))
        return;
    int bar = (int)num(j, "bar", 1, 1, GV_TAKE_MAX_BARS) - 1;
    if (bar > gv_take_last_start_of(&c->take, c->input.steps / GV_STEPS_PER_BAR))
        return;
    gv_copy(c->take.path, sizeof c->take.path, file->valuestring);
    gv_copy(c->take.name, sizeof c->take.name, cJSON_IsString(name) ? name->valuestring : file->valuestring);
    c->take.bar = bar;
    c->take.on = 1;
}

/* ---- suggestions, the batches of them and the song (issue 22) ---- */

static cJSON *suggs_json(const gv_sugg *sg, int n)
{
    cJSON *a = cJSON_CreateArray();
    for (int i = 0; a && i < n; i++) {
        cJSON *s = cJSON_CreateObject();
        if (!s)
            break;
        cJSON_AddItemToObject(s, "pattern", pattern_json(&sg[i].pat));
        cJSON_AddItemToObject(s, "meta", gv_prov_to_json(&sg[i].meta, 0));
        cJSON_AddBoolToObject(s, "kept", sg[i].kept);
        cJSON_AddBoolToObject(s, "exported", sg[i].exported);
        cJSON_AddStringToObject(s, "kept_name", sg[i].kept_name);
        cJSON_AddItemToArray(a, s);
    }
    return a;
}

/* Up to GV_CORE_MAX_N suggestions into out[*n]; a latent refused is noted
 * (note, the first one), not fatal. */
static int suggs_from_json(const cJSON *a, gv_sugg *out, int *n, char *note, size_t nn, gv_err *e)
{
    const cJSON *s;
    *n = 0;
    cJSON_ArrayForEach(s, a)
    {
        if (*n == GV_CORE_MAX_N)
            break;
        gv_sugg *d = &out[*n];
        memset(d, 0, sizeof *d);
        if (pattern_from_json(cJSON_GetObjectItemCaseSensitive(s, "pattern"), &d->pat, e) != 0)
            return -1;
        const cJSON *meta = cJSON_GetObjectItemCaseSensitive(s, "meta");
        gv_err why;
        if (cJSON_IsObject(meta) && gv_prov_from_json(meta, &d->meta, &why) != 0 && note && !note[0])
            snprintf(note, nn, "suggestion %d: %.150s", *n + 1, why.msg);
        d->kept = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(s, "kept"));
        d->exported = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(s, "exported"));
        const cJSON *kn = cJSON_GetObjectItemCaseSensitive(s, "kept_name");
        if (cJSON_IsString(kn))
            gv_copy(d->kept_name, sizeof d->kept_name, kn->valuestring);
        (*n)++;
    }
    return 0;
}

/* The generation settings of a job; the seed as a decimal string (64 bits
 * do not fit a JSON number exactly). */
static void opts_json(cJSON *j, const gv_gen_opts *o)
{
    char seed[24];
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)o->seed);
    cJSON_AddStringToObject(j, "seed", seed);
    cJSON_AddNumberToObject(j, "temperature", o->temperature);
    cJSON_AddNumberToObject(j, "density", o->density);
    cJSON_AddItemToObject(j, "voice_density", cJSON_CreateFloatArray(o->voice_density, GV_VOICES));
    cJSON_AddNumberToObject(j, "sampling", o->sampling);
    cJSON_AddItemToObject(j, "max_hits", cJSON_CreateIntArray(o->max_hits, GV_VOICES));
    const int feel[2] = {o->feel.timing, o->feel.dynamics};
    cJSON_AddItemToObject(j, "feel", cJSON_CreateIntArray(feel, 2));
    const int cond[4] = {o->cond.lanes, (int)o->cond.keep, o->cond.humanize, o->cond.blind};
    cJSON_AddItemToObject(j, "cond", cJSON_CreateIntArray(cond, 4));
}

static cJSON *job_json(const gv_job *jb)
{
    cJSON *j = cJSON_CreateObject();
    if (!j)
        return NULL;
    cJSON_AddNumberToObject(j, "kind", jb->kind);
    cJSON_AddNumberToObject(j, "n", jb->n);
    cJSON_AddNumberToObject(j, "bpm", jb->bpm);
    opts_json(j, &jb->opts);
    cJSON_AddItemToObject(j, "a", pattern_json(&jb->a));
    if (jb->kind == GV_JOB_VARY || jb->kind == GV_JOB_INTERPOLATE)
        cJSON_AddItemToObject(j, "ma", gv_prov_to_json(&jb->ma, 0));
    if (jb->kind == GV_JOB_INTERPOLATE) {
        cJSON_AddItemToObject(j, "b", pattern_json(&jb->b));
        cJSON_AddItemToObject(j, "mb", gv_prov_to_json(&jb->mb, 0));
    }
    cJSON_AddNumberToObject(j, "lock", jb->lock);
    if (jb->lock)
        cJSON_AddItemToObject(j, "locked", pattern_json(&jb->locked));
    cJSON_AddBoolToObject(j, "src_kept", jb->src_kept);
    cJSON_AddBoolToObject(j, "src_exported", jb->src_exported);
    cJSON_AddStringToObject(j, "src_name", jb->src_name);
    cJSON_AddStringToObject(j, "model", jb->model);
    return j;
}

/* The history of batches, oldest first, and the one shown. */
static void hist_json(cJSON *o, gv_core *c)
{
    if (c->nhist == 0)
        return;
    gv_batch *shown = gv_hist_at(c, c->hist_pos);
    if (shown && shown->n == c->nsugg) /* its kept / exported marks */
        memcpy(shown->s, c->sugg, (size_t)c->nsugg * sizeof *c->sugg);
    cJSON *h = cJSON_AddObjectToObject(o, "history");
    cJSON *a = h ? cJSON_AddArrayToObject(h, "batches") : NULL;
    if (!a)
        return;
    cJSON_AddNumberToObject(h, "shown", c->hist_pos);
    for (int i = 0; i < c->nhist; i++) {
        const gv_batch *b = gv_hist_at(c, i);
        cJSON *bj = cJSON_CreateObject();
        if (!bj)
            return;
        cJSON_AddItemToObject(bj, "suggestions", suggs_json(b->s, b->n));
        cJSON_AddItemToObject(bj, "job", job_json(&b->job));
        cJSON_AddItemToArray(a, bj);
    }
}

static void song_json(cJSON *o, const gv_core *c)
{
    if (c->songv.song.n == 0 && !c->songv.dirty)
        return;
    cJSON *s = gv_song_to_json(&c->songv.song);
    if (s) {
        cJSON_AddNumberToObject(s, "selected", c->songv.sel);
        cJSON_AddBoolToObject(s, "unsaved", c->songv.dirty);
        cJSON_AddItemToObject(o, "song", s);
    }
}

int gv_session_save(gv_core *c, const char *path, gv_err *e)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return gv_fail(e, "out of memory");
    cJSON_AddNumberToObject(o, "version", SESSION_VERSION);
    cJSON *set = cJSON_AddObjectToObject(o, "settings");
    if (set) {
        cJSON_AddNumberToObject(set, "bpm", c->set.bpm);
        cJSON_AddNumberToObject(set, "swing", c->set.swing);
        cJSON_AddNumberToObject(set, "temperature", c->set.temperature);
        cJSON_AddNumberToObject(set, "density", c->set.density);
        cJSON_AddStringToObject(set, "feel", gv_core_feel_name(c->set.feel));
        cJSON_AddNumberToObject(set, "n", c->set.n);
        cJSON_AddBoolToObject(set, "click", c->set.click);
        cJSON_AddNumberToObject(set, "bars", c->set.bars);
        /* per voice (issue 20); a session without them loads with none */
        cJSON_AddNumberToObject(set, "lanes", c->set.lanes);
        char locked[96];
        gv_voice_set_format(c->set.lock, locked, sizeof locked);
        cJSON_AddStringToObject(set, "locked", locked);
        cJSON_AddItemToObject(set, "caps", cJSON_CreateIntArray(c->set.cap, GV_VOICES));
        cJSON_AddItemToObject(set, "voice_density", cJSON_CreateFloatArray(c->set.vdens, GV_VOICES));
        jam_json(set, &c->set.jam);
        mix_json(set, &c->set.mix, c->set.export_heard);
    }
    cJSON_AddStringToObject(o, "kit", c->kit_dir); /* "" the built-in kit */
    cJSON_AddNumberToObject(o, "next_seed", (double)(c->next_seed & ((1ull << 53) - 1)));
    cJSON_AddItemToObject(o, "input", pattern_json(&c->input));
    cJSON_AddStringToObject(o, "input_source", c->input_src);
    take_json(o, &c->take);
    const int cursor[2] = {c->cur_step, c->cur_row};
    cJSON_AddItemToObject(o, "cursor", cJSON_CreateIntArray(cursor, 2));
    cJSON_AddNumberToObject(o, "selected", c->sel);
    cJSON_AddItemToObject(o, "suggestions", suggs_json(c->sugg, c->nsugg));
    hist_json(o, c);
    song_json(o, c);
    char *text = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    if (!text)
        return gv_fail(e, "out of memory");
    int rc = make_parent(path, e) != 0 ? -1 : gv_write_atomic(path, text, strlen(text), e);
    cJSON_free(text);
    if (rc == 0)
        c->session_dirty = 0;
    return rc;
}

static double num(const cJSON *o, const char *key, double dflt, double lo, double hi)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble))
        return dflt;
    return v->valuedouble < lo ? lo : v->valuedouble > hi ? hi : v->valuedouble;
}

/* Lanes, locks, caps and voice densities: each one missing, of the wrong
 * type or out of range is its default (sessions before issue 20 have none). */
static void voice_settings(const cJSON *set, gv_settings *s)
{
    s->lanes = (int)num(set, "lanes", 1, 1, 3);
    const cJSON *locked = cJSON_GetObjectItemCaseSensitive(set, "locked");
    gv_err e;
    unsigned m = 0;
    int ok = cJSON_IsString(locked) && locked->valuestring[0] && gv_voice_set_parse(locked->valuestring, &m, &e) == 0;
    s->lock = ok && m != (1u << GV_VOICES) - 1 ? m : 0; /* all nine would leave nothing to generate */
    const cJSON *caps = cJSON_GetObjectItemCaseSensitive(set, "caps");
    const cJSON *dens = cJSON_GetObjectItemCaseSensitive(set, "voice_density");
    for (int v = 0; v < GV_VOICES; v++) {
        const cJSON *cv = cJSON_GetArrayItem(caps, v), *dv = cJSON_GetArrayItem(dens, v);
        s->cap[v] = cJSON_IsNumber(cv) && isfinite(cv->valuedouble) && cv->valuedouble >= 0
                        ? (int)fmin(cv->valuedouble, GV_MODEL_STEPS)
                        : -1;
        s->vdens[v] = cJSON_IsNumber(dv) && isfinite(dv->valuedouble)
                          ? (float)fmax(0, fmin(dv->valuedouble, GV_VDENS_MAX))
                          : 1.f;
    }
}

/* The jam's controls: each one missing or odd is its default. */
static void jam_settings(const cJSON *set, gv_jam_prefs *p)
{
    const cJSON *j = cJSON_GetObjectItemCaseSensitive(set, "jam");
    const cJSON *every = cJSON_GetObjectItemCaseSensitive(j, "every");
    p->every = GV_JAM_EVERY_BAR;
    for (int k = 0; k < 3 && cJSON_IsString(every); k++) {
        static const int ev[3] = {GV_JAM_EVERY_BEAT, GV_JAM_EVERY_BAR, GV_JAM_EVERY_2BARS};
        if (!strcmp(every->valuestring, every_name(ev[k])))
            p->every = ev[k];
    }
    p->follow = (float)num(j, "follow", 1, 0, 1);
    p->hold = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "hold"));
    p->feel = !cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(j, "feel"));
    const cJSON *muted = cJSON_GetObjectItemCaseSensitive(j, "muted");
    gv_err e;
    unsigned m = 0;
    p->mute = cJSON_IsString(muted) && muted->valuestring[0] && gv_voice_set_parse(muted->valuestring, &m, &e) == 0
                  ? m
                  : 0;
}

typedef struct restored {
    gv_settings set;
    gv_pattern input;
    gv_sugg sugg[GV_CORE_MAX_N];
    int nsugg;
    char note[200]; /* a latent refused ("" none), for the status line */
} restored;

static int parse_session(const cJSON *o, const gv_core *c, restored *r, gv_err *e)
{
    if (num(o, "version", 0, 0, 1e9) != SESSION_VERSION)
        return gv_fail(e, "not a version %d session", SESSION_VERSION);
    const cJSON *set = cJSON_GetObjectItemCaseSensitive(o, "settings");
    r->set = c->set;
    r->set.bpm = (float)num(set, "bpm", c->set.bpm, GV_BPM_MIN, GV_BPM_MAX);
    r->set.swing = (float)num(set, "swing", 0, 0, 1);
    r->set.temperature = (float)num(set, "temperature", c->set.temperature, 0, GV_TEMP_MAX);
    r->set.density = (float)num(set, "density", c->set.density, GV_DENS_MIN, GV_DENS_MAX);
    r->set.n = (int)num(set, "n", c->set.n, 1, GV_CORE_MAX_N);
    const cJSON *feel = cJSON_GetObjectItemCaseSensitive(set, "feel");
    r->set.feel = GV_FEEL_P_AUTO;
    for (int p = 0; p < GV_FEEL_PRESETS && cJSON_IsString(feel); p++)
        if (!strcmp(feel->valuestring, gv_core_feel_name(p)))
            r->set.feel = p;
    r->set.click = !cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(set, "click"));
    r->set.bars = (int)num(set, "bars", 2, 1, GV_CORE_MAX_BARS);
    voice_settings(set, &r->set);
    jam_settings(set, &r->set.jam);
    mix_settings(set, &r->set.mix, &r->set.export_heard);
    if (pattern_from_json(cJSON_GetObjectItemCaseSensitive(o, "input"), &r->input, e) != 0)
        return -1;
    r->note[0] = 0;
    return suggs_from_json(cJSON_GetObjectItemCaseSensitive(o, "suggestions"), r->sugg, &r->nsugg, r->note,
                           sizeof r->note, e);
}

/* ---- the batches and the song back (issue 22); older sessions have none ---- */

static void ints_from(const cJSON *a, int *out, int n, int lo, int hi)
{
    for (int i = 0; i < n; i++) {
        const cJSON *x = cJSON_GetArrayItem(a, i);
        if (cJSON_IsNumber(x) && isfinite(x->valuedouble))
            out[i] = x->valuedouble < lo ? lo : x->valuedouble > hi ? hi : (int)x->valuedouble;
    }
}

static void opts_from_json(const cJSON *j, gv_gen_opts *o)
{
    gv_gen_opts_default(o);
    const cJSON *seed = cJSON_GetObjectItemCaseSensitive(j, "seed");
    if (cJSON_IsString(seed))
        o->seed = strtoull(seed->valuestring, NULL, 10);
    o->temperature = (float)num(j, "temperature", o->temperature, 0, GV_TEMP_MAX);
    o->density = (float)num(j, "density", o->density, 0, 100);
    const cJSON *vd = cJSON_GetObjectItemCaseSensitive(j, "voice_density");
    for (int v = 0; v < GV_VOICES; v++) {
        const cJSON *x = cJSON_GetArrayItem(vd, v);
        if (cJSON_IsNumber(x) && isfinite(x->valuedouble))
            o->voice_density[v] = (float)fmax(0, fmin(x->valuedouble, 100));
    }
    o->sampling = (gv_sampling)num(j, "sampling", o->sampling, GV_SAMPLING_THRESHOLD, GV_SAMPLING_BERNOULLI);
    ints_from(cJSON_GetObjectItemCaseSensitive(j, "max_hits"), o->max_hits, GV_VOICES, -1, GV_MAX_STEPS);
    int feel[2] = {o->feel.timing, o->feel.dynamics};
    ints_from(cJSON_GetObjectItemCaseSensitive(j, "feel"), feel, 2, 0, 2);
    o->feel.timing = (gv_feel_mode)feel[0];
    o->feel.dynamics = (gv_feel_mode)feel[1];
    int cond[4] = {o->cond.lanes, (int)o->cond.keep, o->cond.humanize, o->cond.blind};
    ints_from(cJSON_GetObjectItemCaseSensitive(j, "cond"), cond, 4, 0, (1 << GV_VOICES) - 1);
    o->cond.lanes = cond[0] >= 1 && cond[0] <= 3 ? cond[0] : 1;
    o->cond.keep = (unsigned)cond[1];
    o->cond.humanize = cond[2] != 0;
    o->cond.blind = cond[3] != 0;
}

/* A meta (provenance) of a job: a latent refused is dropped (the pattern
 * is encoded again), as for a suggestion. */
static void meta_from(const cJSON *j, const char *key, gv_lib_meta *m)
{
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(j, key);
    gv_err why;
    memset(m, 0, sizeof *m);
    if (cJSON_IsObject(x))
        gv_prov_from_json(x, m, &why);
}

static int job_from_json(const cJSON *j, gv_job *jb, gv_err *e)
{
    memset(jb, 0, sizeof *jb);
    jb->kind = (int)num(j, "kind", GV_JOB_GENERATE, GV_JOB_GENERATE, GV_JOB_INTERPOLATE);
    jb->n = (int)num(j, "n", 1, 1, GV_CORE_MAX_N);
    jb->bpm = (float)num(j, "bpm", 120, GV_BPM_MIN, GV_BPM_MAX);
    opts_from_json(j, &jb->opts);
    if (pattern_from_json(cJSON_GetObjectItemCaseSensitive(j, "a"), &jb->a, e) != 0) {
        if (jb->kind != GV_JOB_SAMPLE) /* a sample's is its length alone */
            return -1;
        gv_pattern_init(&jb->a, GV_MODEL_STEPS, jb->bpm, "");
    }
    if (jb->kind == GV_JOB_INTERPOLATE && pattern_from_json(cJSON_GetObjectItemCaseSensitive(j, "b"), &jb->b, e))
        return -1;
    meta_from(j, "ma", &jb->ma);
    meta_from(j, "mb", &jb->mb);
    jb->lock = (unsigned)num(j, "lock", 0, 0, (1 << GV_VOICES) - 2);
    if (jb->lock && pattern_from_json(cJSON_GetObjectItemCaseSensitive(j, "locked"), &jb->locked, e) != 0)
        return -1;
    jb->src_kept = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "src_kept"));
    jb->src_exported = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "src_exported"));
    const cJSON *sn = cJSON_GetObjectItemCaseSensitive(j, "src_name"), *m = cJSON_GetObjectItemCaseSensitive(j, "model");
    gv_copy(jb->src_name, sizeof jb->src_name, cJSON_IsString(sn) ? sn->valuestring : "");
    gv_copy(jb->model, sizeof jb->model, cJSON_IsString(m) ? m->valuestring : "");
    return 0;
}

/* The batches into c->hist (the last GV_CORE_HISTORY of them); a batch
 * that does not read is left out, and the history with it when none does.
 * Returns the batches restored. */
static int hist_restore(gv_core *c, const cJSON *o)
{
    const cJSON *h = cJSON_GetObjectItemCaseSensitive(o, "history");
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(h, "batches");
    int total = cJSON_GetArraySize(a), skip = total > GV_CORE_HISTORY ? total - GV_CORE_HISTORY : 0, n = 0;
    if (!c->hist || !cJSON_IsArray(a))
        return 0;
    int shown = (int)num(h, "shown", total - 1, 0, total > 0 ? total - 1 : 0) - skip, pos = -1;
    for (int i = skip; i < total; i++) {
        const cJSON *bj = cJSON_GetArrayItem(a, i);
        gv_batch *b = &c->hist[n];
        gv_err e;
        if (suggs_from_json(cJSON_GetObjectItemCaseSensitive(bj, "suggestions"), b->s, &b->n, NULL, 0, &e) != 0 ||
            b->n == 0 || job_from_json(cJSON_GetObjectItemCaseSensitive(bj, "job"), &b->job, &e) != 0)
            continue;
        if (i - skip <= shown)
            pos = n;
        n++;
    }
    c->nhist = n;
    c->hist_head = 0;
    c->hist_pos = n > 0 ? (pos >= 0 ? pos : n - 1) : -1;
    return n;
}

static void song_restore(gv_core *c, const cJSON *o)
{
    const cJSON *j = cJSON_GetObjectItemCaseSensitive(o, "song");
    gv_song s;
    gv_err e;
    if (!cJSON_IsObject(j) || gv_song_from_json(j, &s, &e) != 0)
        return;
    gv_song_free(&c->songv.song);
    c->songv.song = s;
    c->songv.sel = (int)num(j, "selected", 0, 0, s.n > 0 ? s.n - 1 : 0);
    c->songv.dirty = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "unsaved"));
}

int gv_session_load(gv_core *c, const char *path, gv_err *e)
{
    if (access(path, F_OK) != 0)
        return 1;
    unsigned char *data;
    size_t len;
    if (gv_read_file(path, 64 << 20, &data, &len, e) != 0)
        return -1;
    cJSON *o = cJSON_ParseWithLength((const char *)data, len);
    free(data);
    restored *r = malloc(sizeof *r);
    int rc = -1;
    if (!cJSON_IsObject(o))
        gv_fail(e, "not a JSON object");
    else if (!r)
        gv_fail(e, "out of memory");
    else if (parse_session(o, c, r, e) == 0)
        rc = 0;
    if (rc == 0) {
        c->set = r->set;
        c->input = r->input;
        c->set.bars = c->input.steps / GV_STEPS_PER_BAR; /* the input says (sessions before: 2) */
        c->input.bpm = c->set.bpm;
        const cJSON *src = cJSON_GetObjectItemCaseSensitive(o, "input_source");
        gv_copy(c->input_src, sizeof c->input_src, cJSON_IsString(src) ? src->valuestring : "session");
        c->nsugg = r->nsugg;
        memcpy(c->sugg, r->sugg, (size_t)r->nsugg * sizeof *c->sugg);
        c->sel = (int)num(o, "selected", 0, 0, c->nsugg > 0 ? c->nsugg - 1 : 0);
        const cJSON *cur = cJSON_GetObjectItemCaseSensitive(o, "cursor");
        const cJSON *cs = cJSON_GetArrayItem(cur, 0), *cr = cJSON_GetArrayItem(cur, 1);
        if (cJSON_IsNumber(cs) && cJSON_IsNumber(cr) && cs->valueint >= 0 && cs->valueint < c->input.steps &&
            cr->valueint >= 0 && cr->valueint < GV_VOICES) {
            c->cur_step = cs->valueint;
            c->cur_row = cr->valueint;
        }
        double seed = num(o, "next_seed", 0, 0, 9007199254740991.0);
        if (seed > 0)
            c->next_seed = (uint64_t)seed;
        take_restore(c, o);
        const cJSON *kit = cJSON_GetObjectItemCaseSensitive(o, "kit");
        if (cJSON_IsString(kit)) /* the front end loads it (a kit gone falls back to the built-in one) */
            gv_copy(c->kit_dir, sizeof c->kit_dir, kit->valuestring);
        hist_restore(c, o);
        song_restore(c, o);
        c->play_src = GV_PLAY_INPUT;
        c->play = c->input;
        c->session_dirty = 0;
        if (r->note[0]) /* the suggestion stays; variations of it encode its pattern */
            gv_core_msg(c, 1, "%s (its latent ignored)", r->note);
    }
    free(r);
    cJSON_Delete(o);
    return rc;
}

int gv_session_move_aside(const char *path, char *moved, size_t n, gv_err *e)
{
    return gv_move_aside(path, moved, n, e);
}
