/* core_io.c - the core's file work: open, export, keep, the library browser,
 * the prompts and path completion (see core_io.h). */
#include "session/core_io.h"

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "session/core_job.h"
#include "session/core_take.h"
#include "session/state.h"
#include "base/datadir.h"
#include "base/fileio.h"
#include "patterns/presets.h"
#include "patterns/sequencer.h"

/* "~/x" -> "$HOME/x"; "gmd/..." and "presets/..." that are not here -> the
 * data directory's.  Returns path or buf. */
static const char *resolve(const char *path, char *buf, size_t n)
{
    const char *home = getenv("HOME");
    if (path[0] == '~' && path[1] == '/' && home) {
        snprintf(buf, n, "%s%s", home, path + 1);
        return buf;
    }
    if (access(path, F_OK) != 0 && (!strncmp(path, "gmd/", 4) || !strncmp(path, "presets/", 8)) &&
        gv_data_path(path, buf, n) == 0)
        return buf;
    return path;
}

/* The file as a take (core_take.h): scanned whole, then the window at bar
 * (1-based; 0: where a take opens) loaded as the input.  On failure the
 * take open before stays as it was. */
static int open_take(gv_core *c, const char *name, const char *path, int bar, gv_err *e)
{
    gv_core_take *t = malloc(sizeof *t);
    gv_pattern *p = malloc(sizeof *p);
    int rc = !t || !p ? gv_fail(e, "out of memory") : gv_take_scan(path, c->window.channel, t, e);
    if (rc == 0 && bar > t->bars)
        rc = gv_fail(e, "bar %d is past the end (it has %d bar%s)", bar, t->bars, t->bars == 1 ? "" : "s");
    int start = rc == 0 && bar > 0 ? bar - 1 : rc == 0 ? gv_take_start_bar(t) : 0;
    gv_load_opts o = {start, 2, c->window.channel};
    if (rc == 0)
        rc = gv_pattern_load(path, &o, p, NULL, 0, e); /* for the file's tempo, as opening always took it */
    if (rc == 0) {
        gv_copy(t->path, sizeof t->path, path);
        gv_copy(t->name, sizeof t->name, name);
        t->on = 1;
        c->take = *t;
        if (p->bpm >= GV_BPM_MIN && p->bpm <= GV_BPM_MAX)
            c->set.bpm = roundf(p->bpm);
        rc = gv_core_take_goto(c, start, e);
    }
    const char *base = strlen(name) > 40 && strrchr(name, '/') ? strrchr(name, '/') + 1 : name; /* room for the rest */
    if (rc == 0 && p->bpm_file != 0)
        gv_core_msg(c, 1, "opened %s: its tempo %g BPM is outside %g..%g; using %.0f BPM", base, (double)p->bpm_file,
                    GV_TEMPO_MIN, GV_TEMPO_MAX, c->set.bpm);
    else if (rc == 0)
        gv_core_msg(c, 0, "opened %s: bars %d-%d of %d%s, %d hits, %.0f BPM", base, start + 1, start + 2,
                    c->take.bars, bar == 0 && t->backbeat[start] == (GV_TAKE_DOWNBEAT | GV_TAKE_BACKBEAT) && start > 0
                                  ? " (its first full bar with a backbeat)"
                                  : "",
                    gv_pattern_count(&c->input), c->set.bpm);
    free(t);
    free(p);
    return rc;
}

int gv_core_open(gv_core *c, const char *arg, gv_err *e)
{
    char buf[GV_CORE_PATH + 64], path[GV_CORE_PATH + 64], name[GV_CORE_PATH];
    int bar;
    if (!arg[0])
        return gv_fail(e, "no file name");
    if (gv_take_parse_arg(arg, name, sizeof name, &bar, e) != 0)
        return -1;
    const char *named = resolve(name, buf, sizeof buf);
    const char *file = gv_pattern_resolve(named, path, sizeof path);
    if (file == named && gv_pattern_format(file) != GV_FMT_UNKNOWN && access(file, F_OK) == 0)
        return open_take(c, name, file, bar, e); /* a file; a preset stays the 2-bar pattern it is */
    if (bar > 0)
        return gv_fail(e, "a bar is for a file (.mid or .tab), not %s", name);
    gv_pattern *p = malloc(sizeof *p);
    if (!p)
        return gv_fail(e, "out of memory");
    int rc = gv_pattern_load(named, &c->window, p, path, sizeof path, e);
    if (rc == 0) {
        char stem[sizeof p->name];
        gv_path_stem(path, stem, sizeof stem);
        if (!p->name[0])
            snprintf(p->name, sizeof p->name, "%s", stem);
        gv_core_take_clear(c);
        gv_core_set_input(c, p, arg);
        gv_core_msg(c, 0, "opened %s: %d hits, %.0f BPM%s", arg, gv_pattern_count(&c->input), c->set.bpm,
                    p->steps > GV_MODEL_STEPS ? " (its first 2 bars)" : "");
    }
    free(p);
    return rc;
}

int gv_core_export(gv_core *c, int k, const char *path, gv_err *e)
{
    if (k < 0 || k >= c->nsugg)
        return gv_fail(e, "no suggestion %d", k + 1);
    gv_sugg *s = &c->sugg[k];
    s->pat.bpm = c->set.bpm;
    /* the file holds what is heard: the swing goes into the odd 16ths */
    gv_pattern heard = s->pat;
    gv_seq_swing_bake(&heard, c->set.swing);
    /* "export as heard": the mixer's mutes and volumes go into the notes */
    int mixed = c->set.export_heard && !gv_vmix_flat(&c->set.mix);
    if (mixed)
        gv_vmix_apply(&c->set.mix, &heard, &heard);
    if (gv_pattern_save(path, &heard, e) != 0)
        return -1;
    s->meta.swing = c->set.swing;
    s->exported = 1;
    c->export_count++;
    c->session_dirty = 1;
    gv_core_msg(c, 0, "exported suggestion %d to %s%s", k + 1, path, mixed ? " (as heard: the mixer applied)" : "");
    return 0;
}

int gv_core_keep(gv_core *c, int k, gv_err *e)
{
    gv_sugg *s = &c->sugg[k];
    if (s->kept) {
        gv_core_msg(c, 0, "suggestion %d is already kept as %s", k + 1, s->kept_name);
        return 0;
    }
    if (!c->libdir[0])
        return gv_fail(e, "no library directory ($HOME is not set)");
    s->pat.bpm = c->set.bpm;
    s->meta.bpm = c->set.bpm;
    s->meta.swing = c->set.swing; /* the sidecar says what the .mid holds */
    gv_pattern heard = s->pat;
    gv_seq_swing_bake(&heard, c->set.swing);
    char tag[12];
    snprintf(tag, sizeof tag, "%d", k + 1);
    if (gv_library_save(c->libdir, &heard, &s->meta, tag, s->kept_name, e) != 0)
        return -1;
    s->kept = 1;
    c->session_dirty = 1;
    gv_core_msg(c, 0, "kept suggestion %d as %s", k + 1, s->kept_name);
    return 0;
}

/* ---- the library browser ---- */

static void library_load_sel(gv_core *c)
{
    c->lib_loaded = 0;
    if (c->lib_sel < 0 || c->lib_sel >= c->nlib)
        return;
    gv_err e;
    int r = gv_library_load(c->libdir, c->lib[c->lib_sel].name, &c->lib_pat, &c->lib_meta, &e);
    if (r < 0) {
        gv_core_msg(c, 1, "%s: %s", c->lib[c->lib_sel].name, e.msg);
        return;
    }
    if (r > 0)
        gv_core_msg(c, 1, "%s (ignored)", e.msg);
    c->lib_loaded = 1;
    if (c->playing && c->play_src == GV_PLAY_PREVIEW)
        gv_core_play_refresh(c, 1);
}

void gv_core_library_refresh(gv_core *c)
{
    free(c->lib);
    c->lib = NULL;
    c->nlib = 0;
    gv_err e;
    if (c->libdir[0] && gv_library_list(c->libdir, &c->lib, &c->nlib, &e) != 0)
        gv_core_msg(c, 1, "library: %s", e.msg);
    if (c->lib_sel >= c->nlib)
        c->lib_sel = c->nlib - 1;
    if (c->lib_sel < 0)
        c->lib_sel = 0;
    library_load_sel(c);
}

void gv_core_library_open(gv_core *c)
{
    struct stat st;
    if (c->libdir[0] && stat(c->libdir, &st) == 0 && !S_ISDIR(st.st_mode)) {
        gv_core_msg(c, 1, "library: %s is not a directory", c->libdir);
        return;
    }
    unsigned serial = c->msg_serial;
    c->lib_sel = 0;
    gv_core_library_refresh(c);
    if (c->nlib == 0) {
        if (c->msg_serial == serial || !c->msg_err) /* an unreadable library is not an empty one */
            gv_core_msg(c, 0, "the library is empty: k keeps the selected suggestion");
        return;
    }
    if (c->lib_pick == 1 && c->nlib < 2) {
        gv_core_msg(c, 0, "interpolation needs two kept patterns (k keeps)");
        return;
    }
    c->mode = GV_MODE_LIBRARY;
}

static void library_close(gv_core *c)
{
    c->mode = GV_MODE_NORMAL;
    c->lib_pick = 0;
    c->lib_a[0] = 0;
}

void gv_core_library_delete(gv_core *c)
{
    if (c->lib_sel >= c->nlib)
        return;
    gv_err e;
    char name[GV_LIB_NAME];
    snprintf(name, sizeof name, "%s", c->lib[c->lib_sel].name);
    if (gv_library_delete(c->libdir, name, &e) != 0) {
        gv_core_msg(c, 1, "delete %s: %s", name, e.msg);
        return;
    }
    for (int i = 0; i < c->nsugg; i++)
        if (c->sugg[i].kept && !strcmp(c->sugg[i].kept_name, name))
            c->sugg[i].kept = 0;
    gv_core_msg(c, 0, "deleted %s", name);
    gv_core_library_refresh(c);
    if (c->nlib == 0)
        library_close(c);
}

void gv_core_library_rename(gv_core *c, const char *to)
{
    gv_err e;
    char from[GV_LIB_NAME], dir[GV_CORE_PATH + 16];
    snprintf(from, sizeof from, "%s", c->rename_from);
    if (!strcmp(from, to))
        return;
    if (gv_library_rename(c->libdir, from, to, &e) != 0) {
        gv_core_msg(c, 1, "rename %s: %s", from, e.msg);
        return;
    }
    snprintf(dir, sizeof dir, "%s/songs", c->libdir);
    int songs = 0;
    if (gv_song_dir_rename_pattern(dir, from, to, &songs, &e) != 0)
        gv_core_msg(c, 1, "renamed %s to %s, but the songs: %s", from, to, e.msg);
    else
        gv_core_msg(c, 0, "renamed %s to %s%s", from, to, songs ? " (the songs that use it follow)" : "");
    gv_song_rename_pattern(&c->songv.song, from, to);
    for (int i = 0; i < c->nsugg; i++)
        if (c->sugg[i].kept && !strcmp(c->sugg[i].kept_name, from))
            snprintf(c->sugg[i].kept_name, sizeof c->sugg[i].kept_name, "%s", to);
    gv_core_library_refresh(c);
    for (int i = 0; i < c->nlib; i++)
        if (!strcmp(c->lib[i].name, to)) {
            c->lib_sel = i;
            library_load_sel(c);
        }
    c->session_dirty = 1;
}

/* r: the rename prompt, the entry's name to edit. */
static void library_rename_prompt(gv_core *c)
{
    snprintf(c->rename_from, sizeof c->rename_from, "%s", c->lib[c->lib_sel].name);
    snprintf(c->prompt, sizeof c->prompt, "%s", c->rename_from);
    c->prompt_hint[0] = 0;
    c->prompt_kind = GV_PROMPT_RENAME;
    c->mode = GV_MODE_PROMPT;
}

/* Enter (or i) in the interpolation pick: first the start, then the end. */
static void library_pick(gv_core *c)
{
    const char *name = c->lib[c->lib_sel].name;
    if (!c->lib_a[0]) {
        snprintf(c->lib_a, sizeof c->lib_a, "%s", name);
        c->lib_pick = 1;
        gv_core_msg(c, 0, "interpolate from %s: choose the end pattern (Enter)", name);
        return;
    }
    if (!strcmp(c->lib_a, name)) {
        gv_core_msg(c, 0, "choose a different end pattern");
        return;
    }
    struct {
        gv_pattern p;
        gv_lib_meta m;
    } *a = malloc(sizeof *a);
    gv_err e;
    if (!a) {
        gv_core_msg(c, 1, "out of memory");
    } else if (gv_library_load(c->libdir, c->lib_a, &a->p, &a->m, &e) < 0) {
        gv_core_msg(c, 1, "%s: %s", c->lib_a, e.msg);
    } else {
        gv_core_request_interpolate(c, &a->p, &a->m, &c->lib_pat, &c->lib_meta);
        library_close(c);
    }
    free(a);
}

/* Enter on the selected entry: it becomes the input, or (choosing an
 * interpolation) an end. */
static void library_enter(gv_core *c)
{
    if (c->lib_pick) {
        library_pick(c);
        return;
    }
    char src[GV_CORE_PATH];
    snprintf(src, sizeof src, "library %s", c->lib[c->lib_sel].name);
    gv_core_set_input(c, &c->lib_pat, src);
    gv_core_msg(c, 0, "%s is the input now (u undoes)", c->lib[c->lib_sel].name);
    library_close(c);
}

static void library_vary(gv_core *c)
{
    gv_sugg *src = malloc(sizeof *src);
    if (!src)
        return;
    src->pat = c->lib_pat;
    src->meta = c->lib_meta;
    src->kept = 1;
    src->exported = 0;
    snprintf(src->kept_name, sizeof src->kept_name, "%s", c->lib[c->lib_sel].name);
    gv_core_request_vary(c, src);
    free(src);
    library_close(c);
}

/* The keys that act on the loaded entry (nothing while none is loaded);
 * 1 when key was one of them. */
static int library_entry_key(gv_core *c, int key)
{
    switch (key) {
    case '\n':
    case '\r':
    case GV_KEY_ENTER: break;
    case 'i':
    case 'v':
    case 'p': break;
    default: return 0;
    }
    if (!c->lib_loaded)
        return 1;
    if (key == 'i') {
        library_pick(c);
    } else if (key == 'v') {
        library_vary(c);
    } else if (key == 'p') {
        gv_core_audition(c, GV_PLAY_PREVIEW);
        gv_core_msg(c, 0, "playing %s from the next bar", c->lib[c->lib_sel].name);
    } else {
        library_enter(c);
    }
    return 1;
}

/* The delete question names the songs that use the entry: those kept in
 * library/songs and the one in the song view. */
static void library_ask_delete(gv_core *c)
{
    const char *id = c->lib[c->lib_sel].name;
    char dir[GV_CORE_PATH + 16], names[200] = "";
    snprintf(dir, sizeof dir, "%s/songs", c->libdir);
    gv_err e;
    int n = gv_song_dir_users(dir, id, names, sizeof names, &e);
    n = n < 0 ? 0 : n;
    int here = gv_song_uses(&c->songv.song, id);
    c->confirm_note[0] = 0;
    if (n > 0 || here)
        snprintf(c->confirm_note, sizeof c->confirm_note, "%s%s%s use%s it", n ? names : "",
                 n && here ? ", " : "", here ? "the song in the view" : "", n + here == 1 ? "s" : "");
    c->confirm_kind = GV_CONFIRM_DELETE;
    c->mode = GV_MODE_CONFIRM;
}

/* Moves the selection to entry k (wrapping) and loads it. */
static void library_move(gv_core *c, int k)
{
    c->lib_sel = (k + c->nlib) % c->nlib;
    library_load_sel(c);
}

void gv_core_library_key(gv_core *c, int key, double now)
{
    (void)now;
    if (c->nlib == 0) {
        library_close(c);
        return;
    }
    if (library_entry_key(c, key))
        return;
    switch (key) {
    case GV_KEY_UP:
    case 'k': library_move(c, c->lib_sel - 1); break;
    case GV_KEY_DOWN:
    case 'j': library_move(c, c->lib_sel + 1); break;
    case GV_KEY_HOME: library_move(c, 0); break;
    case GV_KEY_END: library_move(c, c->nlib - 1); break;
    case 'P': gv_core_audition(c, GV_PLAY_INPUT); break;
    case ' ': gv_core_play_toggle(c); break;
    case 'd':
    case GV_KEY_DEL: library_ask_delete(c); break;
    case 'r': library_rename_prompt(c); break;
    case GV_KEY_ESC:
    case 'q':
    case 'l': library_close(c); break;
    default: break;
    }
}

/* ---- prompts ---- */

void gv_core_export_prompt(gv_core *c)
{
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    char stamp[32];
    strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
    snprintf(c->prompt, sizeof c->prompt, "groove-%s-%d.mid", stamp, c->sel + 1);
    c->prompt_hint[0] = 0;
    c->prompt_kind = GV_PROMPT_EXPORT;
    c->mode = GV_MODE_PROMPT;
}

void gv_core_open_prompt(gv_core *c)
{
    c->prompt[0] = 0;
    c->prompt_hint[0] = 0;
    c->prompt_kind = GV_PROMPT_OPEN;
    c->mode = GV_MODE_PROMPT;
}

static void prompt_submit(gv_core *c)
{
    gv_err e;
    c->mode = GV_MODE_NORMAL;
    c->prompt_hint[0] = 0;
    if (c->prompt_kind == GV_PROMPT_RENAME) { /* back to the library, on the entry */
        c->mode = GV_MODE_LIBRARY;
        gv_core_library_rename(c, c->prompt);
        return;
    }
    if (c->prompt_kind == GV_PROMPT_OPEN) {
        if (gv_core_open(c, c->prompt, &e) != 0)
            gv_core_msg(c, 1, "%s: %s", c->prompt[0] ? c->prompt : "open", e.msg);
        return;
    }
    char buf[GV_CORE_PATH + 64];
    const char *home = getenv("HOME");
    const char *path = c->prompt;
    if (path[0] == '~' && path[1] == '/' && home) {
        snprintf(buf, sizeof buf, "%s%s", home, path + 1);
        path = buf;
    }
    if (!path[0]) {
        gv_core_msg(c, 0, "not exported: no file name");
        return;
    }
    gv_copy(c->pending_path, sizeof c->pending_path, path);
    struct stat st;
    int exists = stat(path, &st) == 0;
    if (exists && !S_ISREG(st.st_mode)) { /* never "Overwrite?" for what is no file */
        gv_core_msg(c, 1, "not exported: %s is %s", c->prompt,
                    S_ISDIR(st.st_mode) ? "a directory (give a file name)" : "not a regular file");
        return;
    }
    if (exists) {
        c->confirm_kind = GV_CONFIRM_OVERWRITE;
        c->mode = GV_MODE_CONFIRM;
        return;
    }
    if (gv_core_export(c, c->sel, path, &e) != 0)
        gv_core_msg(c, 1, "%s: %s", path, e.msg);
}

void gv_core_prompt_key(gv_core *c, int key)
{
    size_t len = strlen(c->prompt);
    switch (key) {
    case 27:
        c->mode = c->prompt_kind == GV_PROMPT_RENAME ? GV_MODE_LIBRARY : GV_MODE_NORMAL;
        c->prompt_hint[0] = 0;
        gv_core_msg(c, 0, "cancelled");
        return;
    case '\n':
    case '\r':
    case GV_KEY_ENTER: prompt_submit(c); return;
    case '\t': gv_complete_path(c->prompt, sizeof c->prompt, c->prompt_hint, sizeof c->prompt_hint); return;
    case GV_KEY_BACKSPACE:
    case 127:
    case 8:
        /* whole UTF-8 sequences go at once */
        while (len > 0 && ((unsigned char)c->prompt[--len] & 0xc0) == 0x80)
            ;
        c->prompt[len] = 0;
        return;
    case 21: /* C-u */
        c->prompt[0] = 0;
        return;
    case 23: /* C-w: back to the previous '/' */
        while (len > 0 && c->prompt[len - 1] == '/')
            len--;
        while (len > 0 && c->prompt[len - 1] != '/')
            len--;
        c->prompt[len] = 0;
        return;
    default:
        if (key >= ' ' && key < 256 && key != 127 && len + 1 < sizeof c->prompt) {
            c->prompt[len] = (char)key;
            c->prompt[len + 1] = 0;
        }
    }
}

/* ---- path completion ---- */

typedef struct cands {
    char (*v)[256];
    int n, cap;
} cands;

static void cand_add(cands *cs, const char *name, int dir)
{
    char full[256];
    snprintf(full, sizeof full, "%s%s", name, dir ? "/" : "");
    for (int i = 0; i < cs->n; i++)
        if (!strcmp(cs->v[i], full))
            return;
    if (cs->n == cs->cap) {
        int cap = cs->cap ? 2 * cs->cap : 64;
        void *g = realloc(cs->v, (size_t)cap * sizeof *cs->v);
        if (!g)
            return;
        cs->v = g;
        cs->cap = cap;
    }
    snprintf(cs->v[cs->n++], 256, "%s", full);
}

static void cand_dir(cands *cs, const char *dir, const char *prefix)
{
    DIR *d = opendir(dir[0] ? dir : ".");
    if (!d)
        return;
    size_t pl = strlen(prefix);
    struct dirent *de;
    while ((de = readdir(d))) {
        const char *nm = de->d_name;
        if (strncmp(nm, prefix, pl) || !strcmp(nm, ".") || !strcmp(nm, "..") || (nm[0] == '.' && prefix[0] != '.'))
            continue;
        char full[GV_CORE_PATH + 300];
        struct stat st;
        snprintf(full, sizeof full, "%s%s", dir[0] ? dir : "./", nm);
        if (stat(full, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode))
            cand_add(cs, nm, 1);
        else if (gv_pattern_format(nm) != GV_FMT_UNKNOWN)
            cand_add(cs, nm, 0);
    }
    closedir(d);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(a, b);
}

int gv_complete_path(char *buf, size_t n, char *hint, size_t hn)
{
    cands cs = {0};
    char *slash = strrchr(buf, '/');
    size_t dl = slash ? (size_t)(slash - buf) + 1 : 0;
    char dir[GV_CORE_PATH], real[GV_CORE_PATH + 64];
    snprintf(dir, sizeof dir, "%.*s", (int)dl, buf);
    const char *prefix = buf + dl;
    const char *rdir = dl ? resolve(dir, real, sizeof real) : "";
    if (rdir == real && real[0] && real[strlen(real) - 1] != '/' && strlen(real) + 1 < sizeof real)
        strcat(real, "/");
    cand_dir(&cs, rdir, prefix);
    if (!dl) {
        char p[GV_CORE_PATH];
        if (gv_data_path("gmd", p, sizeof p) == 0 && !strncmp("gmd", prefix, strlen(prefix)))
            cand_add(&cs, "gmd", 1);
        if (gv_data_path("presets", p, sizeof p) == 0 && !strncmp("presets", prefix, strlen(prefix)))
            cand_add(&cs, "presets", 1);
        gv_preset_list pl;
        gv_err e;
        if (gv_preset_list_load(&pl, &e) == 0)
            for (int i = 0; i < pl.n; i++)
                if (!strncasecmp(pl.names[i], prefix, strlen(prefix)))
                    cand_add(&cs, pl.names[i], 0);
        gv_preset_list_free(&pl);
    }
    hint[0] = 0;
    int count = cs.n;
    if (count == 0) {
        snprintf(hint, hn, "no match");
    } else {
        qsort(cs.v, (size_t)cs.n, sizeof *cs.v, by_name);
        size_t common = strlen(cs.v[0]);
        for (int i = 1; i < cs.n; i++) {
            size_t k = 0;
            while (k < common && cs.v[i][k] == cs.v[0][k])
                k++;
            common = k;
        }
        if (dl + common < n && common >= strlen(prefix))
            snprintf(buf + dl, n - dl, "%.*s", (int)common, cs.v[0]);
        if (count > 1) {
            size_t used = 0;
            for (int i = 0; i < cs.n && used + 4 < hn; i++) {
                int w = snprintf(hint + used, hn - used, "%s%s", i ? "  " : "", cs.v[i]);
                if (w < 0 || (size_t)w >= hn - used) {
                    snprintf(hint + (used < hn - 4 ? used : hn - 4), 4, "...");
                    break;
                }
                used += (size_t)w;
            }
        }
    }
    free(cs.v);
    return count;
}
