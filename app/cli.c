#include "app/cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "patterns/fileio.h"
#include "patterns/presets.h"
#include "patterns/smf.h"
#include "patterns/tab.h"

#define MAX_BARS (GV_MAX_STEPS / GV_STEPS_PER_BAR)

void gv_load_opts_default(gv_load_opts *o)
{
    o->start_bar = -1;
    o->bars = 2;
    o->channel = -1;
}

void gv_cli_error(const char *file, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (file)
        fprintf(stderr, "groove: %s: ", file);
    else
        fputs("groove: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

int gv_cli_usage_error(const char *cmd, const char *usage, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "groove: %s: ", cmd);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\nusage: groove %s %s  (groove %s --help)\n", cmd, usage, cmd);
    va_end(ap);
    return 2;
}

int gv_cli_bad_option(const char *cmd, const char *usage, int argc, char **argv)
{
    int i = optind - 1 < argc ? optind - 1 : argc - 1;
    const char *arg = i >= 1 ? argv[i] : "?";
    if (optopt && optopt < 0x100 && !(arg[0] == '-' && arg[1] == '-'))
        return gv_cli_usage_error(cmd, usage, "bad option or missing value: '-%c'", optopt);
    return gv_cli_usage_error(cmd, usage, "bad option or missing value: '%s'", arg);
}

int gv_cli_getopt(const char *cmd, const char *usage, int argc, char **argv, const char *shortopts,
                  const struct option *longopts, gv_load_opts *w)
{
    opterr = 0;
    for (;;) {
        int c = getopt_long(argc, argv, shortopts, longopts, NULL);
        if (c == '?' || c == ':') {
            gv_cli_bad_option(cmd, usage, argc, argv);
            return -2;
        }
        int took = w ? gv_cli_window_opt(c, optarg, w) : 0;
        if (took < 0)
            return -2;
        if (!took)
            return c;
    }
}

int gv_cli_int(const char *opt, const char *arg, long lo, long hi, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(arg, &end, 10);
    if (!*arg || *end || errno || v < lo || v > hi) {
        gv_cli_error(NULL, "%s: '%s' is not a whole number in %ld..%ld", opt, arg, lo, hi);
        return -1;
    }
    *out = (int)v;
    return 0;
}

int gv_cli_float(const char *opt, const char *arg, double lo, double hi, float *out)
{
    char *end;
    errno = 0;
    double v = strtod(arg, &end);
    if (!*arg || *end || errno || !(v >= lo && v <= hi)) {
        gv_cli_error(NULL, "%s: '%s' is not a number in %g..%g", opt, arg, lo, hi);
        return -1;
    }
    *out = (float)v;
    return 0;
}

int gv_cli_window_opt(int opt, const char *arg, gv_load_opts *o)
{
    int v;
    switch (opt) {
    case GV_OPT_START_BAR:
        if (gv_cli_int("--start-bar", arg, 1, 100000, &v) != 0)
            return -1;
        o->start_bar = v - 1;
        return 1;
    case GV_OPT_BARS:
        if (gv_cli_int("--bars", arg, 0, MAX_BARS, &v) != 0)
            return -1;
        o->bars = v;
        return 1;
    case GV_OPT_CHANNEL:
        if (gv_cli_int("--channel", arg, 1, 16, &v) != 0)
            return -1;
        o->channel = v;
        return 1;
    default:
        return 0;
    }
}

int gv_cli_format(const char *path)
{
    const char *x = gv_path_ext(path);
    if (!strcasecmp(x, "mid") || !strcasecmp(x, "midi"))
        return GV_FMT_MID;
    if (!strcasecmp(x, "tab"))
        return GV_FMT_TAB;
    return GV_FMT_UNKNOWN;
}

/* An unknown extension is a usage error; a bare name that is no preset is
 * a file that is not there. */
static int unknown_format(const char *path)
{
    const char *x = gv_path_ext(path);
    if (*x) {
        gv_cli_error(path, "unknown file type '.%s' (expected .mid, .midi or .tab)", x);
        return 2;
    }
    gv_cli_error(path, "no such preset, and no extension to tell the file type "
                       "(expected .mid, .midi or .tab)");
    return 1;
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
        return gv_fail(e, "bar %d is past the end (the tab has %d bar%s)", start + 1, nbars,
                       nbars == 1 ? "" : "s");
    int bars = o->bars == 0 || start + o->bars > nbars ? nbars - start : o->bars;
    gv_pattern_slice(whole, start * GV_STEPS_PER_BAR, bars * GV_STEPS_PER_BAR, p);
    return 0;
}

const char *gv_cli_resolve(const char *arg, char *buf, size_t n)
{
    if (!*gv_path_ext(arg) && !strchr(arg, '/') && access(arg, F_OK) != 0 &&
        gv_preset_find(arg, buf, n) == 0)
        return buf;
    return arg;
}

int gv_cli_load(const char *arg, const gv_load_opts *o, gv_pattern *p)
{
    char buf[1200];
    const char *path = gv_cli_resolve(arg, buf, sizeof buf);
    gv_err e = {{0}};
    int rc, fmt = gv_cli_format(path);
    if (fmt == GV_FMT_UNKNOWN)
        return unknown_format(path);
    if (fmt == GV_FMT_MID) {
        rc = gv_smf_load(path, o->start_bar, o->bars, o->channel, p, &e) < 0 ? -1 : 0;
    } else {
        gv_pattern whole;
        rc = gv_tab_load(path, &whole, &e);
        if (rc == 0)
            rc = tab_window(&whole, o, p, &e);
    }
    if (rc != 0) {
        gv_cli_error(path, "%s", e.msg);
        return 1;
    }
    return 0;
}

int gv_cli_save(const char *path, const gv_pattern *p)
{
    gv_err e = {{0}};
    int fmt = gv_cli_format(path);
    if (fmt == GV_FMT_UNKNOWN)
        return unknown_format(path);
    int rc = fmt == GV_FMT_MID ? gv_smf_save(path, p, &e) : gv_tab_save(path, p, &e);
    if (rc != 0) {
        gv_cli_error(path, "%s", e.msg);
        return 1;
    }
    return 0;
}
