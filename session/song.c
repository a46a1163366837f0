/* song.c - the song model: sections, JSON, kept song files (see song.h).
 * Arranging, fills, export and render are in song_arrange.c. */
#include "session/song.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/fileio.h"
#include "base/json.h"

void gv_song_init(gv_song *s, const char *name)
{
    memset(s, 0, sizeof *s);
    s->version = GV_SONG_VERSION;
    snprintf(s->name, sizeof s->name, "%s", name ? name : "");
}

void gv_song_free(gv_song *s)
{
    free(s->sec);
    s->sec = NULL;
    s->n = s->cap = 0;
}

int gv_song_add(gv_song *s, const gv_song_section *sec, gv_err *e)
{
    if (s->n >= GV_SONG_MAX_SECTIONS)
        return gv_failc(e, GV_E_RANGE, "a song has at most %d sections", GV_SONG_MAX_SECTIONS);
    if (s->n == s->cap) {
        int cap = s->cap ? 2 * s->cap : 8;
        gv_song_section *g = realloc(s->sec, (size_t)cap * sizeof *g);
        if (!g)
            return gv_failc(e, GV_E_NOMEM, "out of memory");
        s->sec = g;
        s->cap = cap;
    }
    s->sec[s->n++] = *sec;
    return 0;
}

void gv_song_remove(gv_song *s, int i)
{
    if (i < 0 || i >= s->n)
        return;
    memmove(&s->sec[i], &s->sec[i + 1], (size_t)(s->n - i - 1) * sizeof *s->sec);
    s->n--;
}

void gv_song_move(gv_song *s, int from, int to)
{
    if (from < 0 || from >= s->n || to < 0 || to >= s->n || from == to)
        return;
    gv_song_section t = s->sec[from];
    if (from < to)
        memmove(&s->sec[from], &s->sec[from + 1], (size_t)(to - from) * sizeof t);
    else
        memmove(&s->sec[to + 1], &s->sec[to], (size_t)(from - to) * sizeof t);
    s->sec[to] = t;
}

int gv_song_rename_pattern(gv_song *s, const char *from, const char *to)
{
    int k = 0;
    for (int i = 0; i < s->n; i++) {
        if (!strcmp(s->sec[i].pattern, from))
            snprintf(s->sec[i].pattern, sizeof s->sec[i].pattern, "%s", to), k++;
        if (s->sec[i].fill.method == GV_FILL_LIBRARY && !strcmp(s->sec[i].fill.pattern, from))
            snprintf(s->sec[i].fill.pattern, sizeof s->sec[i].fill.pattern, "%s", to), k++;
    }
    return k;
}

int gv_song_uses(const gv_song *s, const char *id)
{
    for (int i = 0; i < s->n; i++)
        if (!strcmp(s->sec[i].pattern, id) ||
            (s->sec[i].fill.method == GV_FILL_LIBRARY && !strcmp(s->sec[i].fill.pattern, id)))
            return 1;
    return 0;
}

/* ---- JSON ---- */

static const char *const fill_methods[] = {"", "vary", "drumify", "library"};

static cJSON *fill_json(const gv_song_fill *f)
{
    cJSON *o = cJSON_CreateObject();
    if (f->method == GV_FILL_LIBRARY) {
        cJSON_AddStringToObject(o, "pattern", f->pattern);
        return o;
    }
    cJSON_AddStringToObject(o, "method", fill_methods[f->method]);
    if (f->density > 0)
        cJSON_AddItemToObject(o, "density", gv_json_number(f->density));
    if (f->temperature >= 0)
        cJSON_AddItemToObject(o, "temperature", gv_json_number(f->temperature));
    cJSON_AddItemToObject(o, "seed", gv_json_u64(f->seed));
    return o;
}

static cJSON *section_json(const gv_song_section *c)
{
    cJSON *o = cJSON_CreateObject();
    if (c->name[0])
        cJSON_AddStringToObject(o, "name", c->name);
    if (c->pattern[0]) {
        cJSON_AddStringToObject(o, "pattern", c->pattern);
    } else {
        cJSON_AddStringToObject(o, "file", c->file);
        if (c->start_bar)
            cJSON_AddNumberToObject(o, "start_bar", c->start_bar);
        if (c->bars)
            cJSON_AddNumberToObject(o, "bars", c->bars);
    }
    cJSON_AddNumberToObject(o, "repeat", c->repeat);
    if (c->fill.method != GV_FILL_NONE)
        cJSON_AddItemToObject(o, "fill", fill_json(&c->fill));
    return o;
}

cJSON *gv_song_to_json(const gv_song *s)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "version", GV_SONG_VERSION);
    cJSON_AddStringToObject(o, "name", s->name);
    if (s->bpm > 0)
        cJSON_AddItemToObject(o, "bpm", gv_json_number(s->bpm));
    cJSON_AddItemToObject(o, "swing", gv_json_number(s->swing));
    cJSON *a = cJSON_AddArrayToObject(o, "sections");
    for (int i = 0; i < s->n; i++)
        cJSON_AddItemToArray(a, section_json(&s->sec[i]));
    /* any failed allocation above leaves an item out: count them */
    if (!o || cJSON_GetArraySize(a) != s->n || !cJSON_GetObjectItem(o, "swing")) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

/* o[key] as a string into out (n bytes): 0 absent (out ""), 1 read, -1 bad. */
static int get_str(const cJSON *o, const char *key, char *out, size_t n, int need, const char *where, gv_err *e)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    out[0] = 0;
    if (!v)
        return need ? gv_failc(e, GV_E_FORMAT, "%s: \"%s\" is missing", where, key) : 0;
    if (!cJSON_IsString(v) || strlen(v->valuestring) >= n)
        return gv_failc(e, GV_E_FORMAT, "%s: \"%s\" must be a string of at most %zu bytes", where, key, n - 1);
    memcpy(out, v->valuestring, strlen(v->valuestring) + 1);
    return 1;
}

/* o[key] as a number in lo..hi into *out (def when absent): 0, or -1. */
static int get_num(const cJSON *o, const char *key, double lo, double hi, double def, double *out, const char *where,
                   gv_err *e)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    *out = def;
    if (!v)
        return 0;
    if (!cJSON_IsNumber(v) || !(v->valuedouble >= lo && v->valuedouble <= hi))
        return gv_failc(e, GV_E_FORMAT, "%s: \"%s\" must be a number in %g..%g", where, key, lo, hi);
    *out = v->valuedouble;
    return 0;
}

/* A seed: a whole number 0..2^53 (what a JSON number holds exactly; the
 * derived seeds of engine/generate.h fit). */
static int get_seed(const cJSON *o, uint64_t *seed, const char *where, gv_err *e)
{
    double v;
    if (get_num(o, "seed", 0, 9007199254740992.0, 0, &v, where, e))
        return -1;
    if (v != floor(v))
        return gv_failc(e, GV_E_FORMAT, "%s: \"seed\" must be a whole number", where);
    *seed = (uint64_t)v;
    return 0;
}

static int fill_from_json(const cJSON *f, gv_song_fill *out, const char *where, gv_err *e)
{
    char method[16];
    double d, t;
    memset(out, 0, sizeof *out);
    if (!cJSON_IsObject(f))
        return gv_failc(e, GV_E_FORMAT, "%s: \"fill\" must be an object", where);
    int lib = get_str(f, "pattern", out->pattern, sizeof out->pattern, 0, where, e);
    if (lib < 0 || get_str(f, "method", method, sizeof method, 0, where, e) < 0)
        return -1;
    out->method = lib ? GV_FILL_LIBRARY : GV_FILL_VARY;
    for (int k = 1; k < 4 && method[0]; k++)
        if (!strcmp(method, fill_methods[k]))
            out->method = k;
    if (method[0] && strcmp(method, fill_methods[out->method]))
        return gv_failc(e, GV_E_FORMAT, "%s: fill \"method\" must be vary, drumify or library", where);
    if (out->method == GV_FILL_LIBRARY && !out->pattern[0])
        return gv_failc(e, GV_E_FORMAT, "%s: a library fill needs \"pattern\"", where);
    if (get_num(f, "density", 0, 100, 0, &d, where, e) || get_num(f, "temperature", 0, 10, -1, &t, where, e) ||
        get_seed(f, &out->seed, where, e))
        return -1;
    out->density = (float)d;
    out->temperature = (float)t;
    return 0;
}

static int section_from_json(const cJSON *o, gv_song_section *c, const char *where, gv_err *e)
{
    double rep, sb, bars;
    memset(c, 0, sizeof *c);
    if (!cJSON_IsObject(o))
        return gv_failc(e, GV_E_FORMAT, "%s: must be an object", where);
    int has_p = get_str(o, "pattern", c->pattern, sizeof c->pattern, 0, where, e);
    int has_f = has_p < 0 ? -1 : get_str(o, "file", c->file, sizeof c->file, 0, where, e);
    if (has_f < 0 || get_str(o, "name", c->name, sizeof c->name, 0, where, e) < 0)
        return -1;
    if (has_p + has_f != 1 || !(c->pattern[0] || c->file[0]))
        return gv_failc(e, GV_E_FORMAT, "%s: needs one of \"pattern\" (a library id) or \"file\"", where);
    if (get_num(o, "repeat", 1, GV_SONG_MAX_REPEAT, 1, &rep, where, e) ||
        get_num(o, "start_bar", 0, 100000, 0, &sb, where, e) || get_num(o, "bars", 0, 256, 0, &bars, where, e))
        return -1;
    if (rep != floor(rep) || sb != floor(sb) || bars != floor(bars))
        return gv_failc(e, GV_E_FORMAT, "%s: repeat, start_bar and bars are whole numbers", where);
    c->repeat = (int)rep, c->start_bar = (int)sb, c->bars = (int)bars;
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(o, "fill");
    return f && !cJSON_IsNull(f) ? fill_from_json(f, &c->fill, where, e) : 0;
}

int gv_song_from_json(const cJSON *o, gv_song *s, gv_err *e)
{
    double ver, bpm, swing;
    gv_song_init(s, "");
    if (get_num(o, "version", 1, 1e9, 0, &ver, "song", e) || get_str(o, "name", s->name, sizeof s->name, 0, "song", e) < 0 ||
        get_num(o, "bpm", 0, 400, 0, &bpm, "song", e) || get_num(o, "swing", 0, 1, 0, &swing, "song", e))
        return -1;
    if (ver == 0)
        return gv_failc(e, GV_E_FORMAT, "not a song (no \"version\")");
    if (ver > GV_SONG_VERSION)
        return gv_failc(e, GV_E_FORMAT, "song version %g is newer than this groove reads (%d)", ver, GV_SONG_VERSION);
    if (bpm > 0 && bpm < 20)
        return gv_failc(e, GV_E_FORMAT, "song: \"bpm\" must be 20..400 (0: the first section's)");
    s->bpm = (float)bpm, s->swing = (float)swing;
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(o, "sections"), *it;
    if (!cJSON_IsArray(a))
        return gv_failc(e, GV_E_FORMAT, "song: \"sections\" must be an array");
    int i = 0;
    cJSON_ArrayForEach(it, a)
    {
        char where[32];
        gv_song_section c;
        snprintf(where, sizeof where, "section %d", ++i);
        if (section_from_json(it, &c, where, e) || gv_song_add(s, &c, e)) {
            gv_song_free(s);
            return -1;
        }
    }
    return 0;
}

/* ---- files ---- */

int gv_song_load(const char *path, gv_song *s, gv_err *e)
{
    unsigned char *data;
    size_t len;
    gv_song_init(s, "");
    if (gv_read_file(path, GV_SONG_MAX_BYTES, &data, &len, e))
        return -1;
    cJSON *o = gv_json_object((const char *)data, len, "not JSON", "not a JSON object", e);
    free(data);
    if (!o)
        return -1;
    int rc = gv_song_from_json(o, s, e);
    cJSON_Delete(o);
    return rc;
}

int gv_song_write(const char *path, const gv_song *s, gv_err *e)
{
    cJSON *o = gv_song_to_json(s);
    char *text = o ? cJSON_Print(o) : NULL;
    cJSON_Delete(o);
    if (!text)
        return gv_failc(e, GV_E_NOMEM, "out of memory");
    size_t len = strlen(text);
    char *line = malloc(len + 2); /* the text and a final newline */
    int rc = line ? 0 : gv_failc(e, GV_E_NOMEM, "out of memory");
    if (line) {
        memcpy(line, text, len);
        line[len] = '\n';
        rc = gv_write_atomic(path, line, len + 1, e);
    }
    free(line);
    cJSON_free(text);
    return rc;
}

int gv_song_dir(char *out, size_t n, gv_err *e)
{
    char lib[4096];
    if (gv_library_dir(lib, sizeof lib, e))
        return -1;
    int w = snprintf(out, n, "%s/songs", lib);
    return w < 0 || (size_t)w >= n ? gv_fail(e, "path too long") : 0;
}

int gv_song_name_ok(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n >= GV_SONG_NAME || name[0] == '.')
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-", name[i]))
            return 0;
    return 1;
}

static int song_path(const char *dir, const char *name, char *out, size_t n, gv_err *e)
{
    if (!gv_song_name_ok(name))
        return gv_failc(e, GV_E_RANGE, "'%s' cannot name a song file (letters, digits, . _ -)", name);
    int w = snprintf(out, n, "%s/%s.json", dir, name);
    return w < 0 || (size_t)w >= n ? gv_fail(e, "path too long") : 0;
}

int gv_song_save(const char *dir, const gv_song *s, char *moved, size_t n, gv_err *e)
{
    char path[4096];
    if (n)
        moved[0] = 0;
    if (song_path(dir, s->name, path, sizeof path, e) || gv_mkdirs(dir, e))
        return -1;
    gv_song old;
    gv_err why = {0};
    if (access(path, F_OK) == 0) {
        if (gv_song_load(path, &old, &why) != 0) { /* not a song: keep what it holds */
            if (gv_move_aside(path, moved, n, e))
                return -1;
        }
        gv_song_free(&old);
    }
    return gv_song_write(path, s, e);
}

int gv_song_open(const char *dir, const char *name, gv_song *s, char *moved, size_t n, gv_err *e)
{
    char path[4096];
    gv_song_init(s, name);
    if (n)
        moved[0] = 0;
    if (song_path(dir, name, path, sizeof path, e))
        return -1;
    if (access(path, F_OK) != 0)
        return gv_failc(e, gv_errno_code(errno), "%s.json: %s", name, strerror(errno));
    gv_err why = {0};
    if (gv_song_load(path, s, &why) == 0)
        return 0;
    gv_err me = {0};
    if (gv_move_aside(path, moved, n, &me))
        gv_failc(e, GV_E_FORMAT, "%s.json: %s (%s)", name, why.msg, me.msg);
    else
        gv_failc(e, GV_E_FORMAT, "%s.json: %s (moved to %s)", name, why.msg, moved);
    return -2;
}

void gv_song_label(const gv_song *s, int i, char *out, size_t n)
{
    const gv_song_section *c = &s->sec[i];
    if (c->name[0]) {
        snprintf(out, n, "%s", c->name);
        return;
    }
    char stem[GV_SONG_FILE];
    if (c->pattern[0])
        snprintf(stem, sizeof stem, "%s", c->pattern);
    else
        gv_path_stem(c->file, stem, sizeof stem);
    snprintf(out, n, "%d %s", i + 1, stem);
}

/* Calls fn on every song in dir (files that do not read as songs are left
 * alone); stops at the first error fn returns. */
static int each_song(const char *dir, int (*fn)(const char *path, gv_song *s, void *u, gv_err *e), void *u,
                     gv_err *e)
{
    DIR *d = opendir(dir);
    if (!d)
        return errno == ENOENT ? 0 : gv_failc(e, gv_errno_code(errno), "%s: %s", dir, strerror(errno));
    struct dirent *de;
    int rc = 0;
    while (rc == 0 && (de = readdir(d))) {
        size_t n = strlen(de->d_name);
        char path[4096];
        gv_song s;
        gv_err why = {0};
        if (n <= 5 || strcmp(de->d_name + n - 5, ".json") || de->d_name[0] == '.' ||
            snprintf(path, sizeof path, "%s/%s", dir, de->d_name) >= (int)sizeof path)
            continue;
        if (gv_song_load(path, &s, &why) == 0)
            rc = fn(path, &s, u, e);
        gv_song_free(&s);
    }
    closedir(d);
    return rc;
}

typedef struct rename_ctx {
    const char *from, *to;
    int changed;
} rename_ctx;

static int rename_in(const char *path, gv_song *s, void *u, gv_err *e)
{
    rename_ctx *c = u;
    if (gv_song_rename_pattern(s, c->from, c->to) == 0)
        return 0;
    c->changed++;
    return gv_song_write(path, s, e);
}

int gv_song_dir_rename_pattern(const char *dir, const char *from, const char *to, int *changed, gv_err *e)
{
    rename_ctx c = {from, to, 0};
    int rc = each_song(dir, rename_in, &c, e);
    if (changed)
        *changed = c.changed;
    return rc;
}

typedef struct users_ctx {
    const char *id;
    char *out;
    size_t n;
    int count;
} users_ctx;

static int user_of(const char *path, gv_song *s, void *u, gv_err *e)
{
    (void)path, (void)e;
    users_ctx *c = u;
    if (!gv_song_uses(s, c->id))
        return 0;
    size_t len = strlen(c->out);
    if (c->n > len)
        snprintf(c->out + len, c->n - len, "%s%s", c->count ? ", " : "", s->name);
    c->count++;
    return 0;
}

int gv_song_dir_users(const char *dir, const char *id, char *out, size_t n, gv_err *e)
{
    users_ctx c = {id, out, n, 0};
    if (n)
        out[0] = 0;
    return each_song(dir, user_of, &c, e) ? -1 : c.count;
}
