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
    if (!cJSON_IsNumber(steps) || steps->valueint != GV_MODEL_STEPS || !cJSON_IsArray(hits))
        return gv_fail(e, "a pattern is not a 2-bar pattern");
    gv_pattern_init(p, GV_MODEL_STEPS, cJSON_IsNumber(bpm) ? (float)bpm->valuedouble : 120,
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
        if (v[0] < 0 || v[0] >= GV_MODEL_STEPS || v[1] < 0 || v[1] >= GV_VOICES)
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
    if (bar > gv_take_last_start(&c->take))
        return;
    gv_copy(c->take.path, sizeof c->take.path, file->valuestring);
    gv_copy(c->take.name, sizeof c->take.name, cJSON_IsString(name) ? name->valuestring : file->valuestring);
    c->take.bar = bar;
    c->take.on = 1;
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
    cJSON *sugg = cJSON_AddArrayToObject(o, "suggestions");
    for (int i = 0; sugg && i < c->nsugg; i++) {
        cJSON *s = cJSON_CreateObject();
        if (!s)
            break;
        cJSON_AddItemToObject(s, "pattern", pattern_json(&c->sugg[i].pat));
        cJSON_AddItemToObject(s, "meta", gv_prov_to_json(&c->sugg[i].meta, 0));
        cJSON_AddBoolToObject(s, "kept", c->sugg[i].kept);
        cJSON_AddBoolToObject(s, "exported", c->sugg[i].exported);
        cJSON_AddStringToObject(s, "kept_name", c->sugg[i].kept_name);
        cJSON_AddItemToArray(sugg, s);
    }
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
    voice_settings(set, &r->set);
    jam_settings(set, &r->set.jam);
    mix_settings(set, &r->set.mix, &r->set.export_heard);
    if (pattern_from_json(cJSON_GetObjectItemCaseSensitive(o, "input"), &r->input, e) != 0)
        return -1;
    const cJSON *sugg = cJSON_GetObjectItemCaseSensitive(o, "suggestions");
    const cJSON *s;
    r->nsugg = 0;
    r->note[0] = 0;
    cJSON_ArrayForEach(s, sugg)
    {
        if (r->nsugg == GV_CORE_MAX_N)
            break;
        gv_sugg *d = &r->sugg[r->nsugg];
        memset(d, 0, sizeof *d);
        if (pattern_from_json(cJSON_GetObjectItemCaseSensitive(s, "pattern"), &d->pat, e) != 0)
            return -1;
        const cJSON *meta = cJSON_GetObjectItemCaseSensitive(s, "meta");
        gv_err why;
        if (cJSON_IsObject(meta) && gv_prov_from_json(meta, &d->meta, &why) != 0 && !r->note[0])
            snprintf(r->note, sizeof r->note, "suggestion %d: %.150s", r->nsugg + 1, why.msg);
        d->kept = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(s, "kept"));
        d->exported = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(s, "exported"));
        const cJSON *kn = cJSON_GetObjectItemCaseSensitive(s, "kept_name");
        if (cJSON_IsString(kn))
            gv_copy(d->kept_name, sizeof d->kept_name, kn->valuestring);
        r->nsugg++;
    }
    return 0;
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
        c->input.bpm = c->set.bpm;
        const cJSON *src = cJSON_GetObjectItemCaseSensitive(o, "input_source");
        gv_copy(c->input_src, sizeof c->input_src, cJSON_IsString(src) ? src->valuestring : "session");
        c->nsugg = r->nsugg;
        memcpy(c->sugg, r->sugg, (size_t)r->nsugg * sizeof *c->sugg);
        c->sel = (int)num(o, "selected", 0, 0, c->nsugg > 0 ? c->nsugg - 1 : 0);
        const cJSON *cur = cJSON_GetObjectItemCaseSensitive(o, "cursor");
        const cJSON *cs = cJSON_GetArrayItem(cur, 0), *cr = cJSON_GetArrayItem(cur, 1);
        if (cJSON_IsNumber(cs) && cJSON_IsNumber(cr) && cs->valueint >= 0 && cs->valueint < GV_MODEL_STEPS &&
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
    time_t now = time(NULL);
    struct tm tm;
    char stamp[32];
    localtime_r(&now, &tm);
    strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
    for (int k = 1; k <= 100; k++) {
        int w = k == 1 ? snprintf(moved, n, "%s.bad-%s", path, stamp)
                       : snprintf(moved, n, "%s.bad-%s-%d", path, stamp, k);
        if (w < 0 || (size_t)w >= n)
            return gv_fail(e, "path too long");
        /* link + unlink: never over an existing file, whatever races */
        if (link(path, moved) == 0) {
            if (unlink(path) == 0)
                return 0;
            int err = errno;
            unlink(moved);
            return gv_fail(e, "cannot move it aside: %s", strerror(err));
        }
        if (errno == EEXIST)
            continue;
        /* no hard links here (some filesystems), or not a regular file */
        if (access(moved, F_OK) == 0)
            continue;
        if (rename(path, moved) == 0)
            return 0;
        return gv_fail(e, "cannot move it aside: %s", strerror(errno));
    }
    return gv_fail(e, "cannot move it aside: too many %s.bad-%s files", path, stamp);
}
