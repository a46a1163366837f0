#include "patterns/load.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "base/fileio.h"
#include "patterns/presets.h"
#include "patterns/smf.h"
#include "patterns/tab.h"

void gv_load_opts_default(gv_load_opts *o)
{
    o->start_bar = -1;
    o->bars = 2;
    o->channel = -1;
}

int gv_pattern_format(const char *path)
{
    const char *x = gv_path_ext(path);
    if (!strcasecmp(x, "mid") || !strcasecmp(x, "midi"))
        return GV_FMT_MID;
    if (!strcasecmp(x, "tab"))
        return GV_FMT_TAB;
    return GV_FMT_UNKNOWN;
}

/* A bare name: no extension and no '/', which only a preset can be. */
static int bare_name(const char *arg) { return !*gv_path_ext(arg) && !strchr(arg, '/'); }

/* Why path cannot be read as a pattern, from its extension or, when it has
 * none, from what the path really is. */
static int unknown_format(const char *path, gv_err *e)
{
    const char *x = gv_path_ext(path);
    if (*x)
        return gv_failc(e, GV_E_FORMAT, "unknown file type '.%s' (expected .mid, .midi or .tab)", x);
    struct stat st;
    if (stat(path, &st) != 0) {
        if (bare_name(path))
            return gv_failc(e, GV_E_NOTFOUND, "no such preset, and no extension to tell the file type (expected .mid, .midi or .tab)");
        return gv_failc(e, gv_errno_code(errno), "%s", strerror(errno));
    }
    if (S_ISDIR(st.st_mode))
        return gv_failc(e, GV_E_IO, "is a directory%s", bare_name(path) ? " (and no preset has that name)" : "");
    if (!S_ISREG(st.st_mode)) {
        unsigned long long size;
        return gv_open_regular(path, &size, e); /* says what it is, without opening it */
    }
    return gv_failc(e, GV_E_FORMAT, "no extension to tell the file type (expected .mid, .midi or .tab)");
}

const char *gv_pattern_resolve(const char *arg, char *buf, size_t n)
{
    /* A bare name is a preset whenever one has that name: a file or folder
     * of that name in the current directory could not be read as a pattern
     * anyway (no extension), e.g. the folder "groove generate funk-basic -o
     * funk-basic" made. */
    if (bare_name(arg) && gv_preset_find(arg, buf, n) == 0)
        return buf;
    return arg;
}

/* The window of a whole tab, with gv_smf_load's meaning of the options, cut
 * at the tab's end. */
static int tab_window(const gv_pattern *whole, const gv_load_opts *o, gv_pattern *p, gv_err *e)
{
    int nbars = whole->steps / GV_STEPS_PER_BAR, start = o->start_bar;
    if (start < 0) {
        start = 0;
        for (int t = 0; t < whole->steps; t++)
            for (int v = 0; v < GV_VOICES; v++)
                if (whole->hit[t][v]) {
                    start = t / GV_STEPS_PER_BAR;
                    goto found;
                }
    }
found:
    if (start >= nbars)
        return gv_failc(e, GV_E_RANGE, "bar %d is past the end (the tab has %d bar%s)", start + 1, nbars, nbars == 1 ? "" : "s");
    int bars = o->bars == 0 || start + o->bars > nbars ? nbars - start : o->bars;
    gv_pattern_slice(whole, start * GV_STEPS_PER_BAR, bars * GV_STEPS_PER_BAR, p);
    return 0;
}

int gv_pattern_load(const char *arg, const gv_load_opts *o, gv_pattern *p, char *resolved, size_t n, gv_err *e)
{
    char buf[1200];
    gv_load_opts def;
    if (!o) {
        gv_load_opts_default(&def);
        o = &def;
    }
    const char *path = gv_pattern_resolve(arg, buf, sizeof buf);
    if (resolved && n)
        snprintf(resolved, n, "%s", path);
    switch (gv_pattern_format(path)) {
    case GV_FMT_MID: return gv_smf_load(path, o->start_bar, o->bars, o->channel, p, e) < 0 ? -1 : 0;
    case GV_FMT_TAB: {
        gv_pattern whole;
        if (gv_tab_load(path, &whole, e) != 0)
            return -1;
        return tab_window(&whole, o, p, e);
    }
    default: return unknown_format(path, e);
    }
}

int gv_pattern_save(const char *path, const gv_pattern *p, gv_err *e)
{
    switch (gv_pattern_format(path)) {
    case GV_FMT_MID: return gv_smf_save(path, p, e);
    case GV_FMT_TAB: return gv_tab_save(path, p, e);
    default:
        return *gv_path_ext(path) ? unknown_format(path, e)
                                  : gv_failc(e, GV_E_FORMAT, "no extension to tell the file type (expected .mid, .midi or .tab)");
    }
}
