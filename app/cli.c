#include "app/cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/fileio.h"

#define MAX_BARS (GV_MAX_STEPS / GV_STEPS_PER_BAR)

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
    (void)usage; /* one line only: the synopsis is in CMD --help */
    fprintf(stderr, "groove: %s: ", cmd);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, " (groove %s --help)\n", cmd);
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

int gv_cli_no_operands(const char *cmd, const char *usage, int argc, char **argv)
{
    return optind < argc ? gv_cli_usage_error(cmd, usage, "unexpected argument '%s'", argv[optind]) : 0;
}

int gv_cli_getopt_take(const char *cmd, const char *usage, int argc, char **argv, const char *shortopts,
                       const struct option *longopts, gv_cli_take take, void *ctx)
{
    opterr = 0;
    for (;;) {
        int c = getopt_long(argc, argv, shortopts, longopts, NULL);
        if (c == '?' || c == ':') {
            gv_cli_bad_option(cmd, usage, argc, argv);
            return -2;
        }
        int took = take && c != -1 ? take(c, optarg, ctx) : 0;
        if (took < 0)
            return -2;
        if (!took)
            return c;
    }
}

static int window_take(int opt, const char *arg, void *w) { return gv_cli_window_opt(opt, arg, w); }

int gv_cli_getopt(const char *cmd, const char *usage, int argc, char **argv, const char *shortopts,
                  const struct option *longopts, gv_load_opts *w)
{
    return gv_cli_getopt_take(cmd, usage, argc, argv, shortopts, longopts, w ? window_take : NULL, w);
}

int gv_cli_in_out(const char *cmd, const char *usage, int argc, char **argv, const char **in, const char **out)
{
    int n = argc - optind;
    if (n != 2)
        return gv_cli_usage_error(cmd, usage, "expected IN and OUT, got %d file%s", n, n == 1 ? "" : "s");
    *in = argv[optind];
    *out = argv[optind + 1];
    if (gv_pattern_format(*out) == GV_FMT_UNKNOWN)
        return gv_cli_usage_error(cmd, usage, "%s: unknown output type (expected .mid, .midi or .tab)", *out);
    return 0;
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

int gv_cli_load(const char *arg, const gv_load_opts *o, gv_pattern *p)
{
    char path[1200];
    gv_err e = {{0}};
    if (gv_pattern_load(arg, o, p, path, sizeof path, &e) == 0) {
        if (p->bpm_file != 0)
            gv_cli_error(path, "tempo %g BPM is outside %g..%g; using %g", (double)p->bpm_file, GV_TEMPO_MIN,
                         GV_TEMPO_MAX, (double)p->bpm);
        return 0;
    }
    gv_cli_error(path, "%s", e.msg);
    return gv_pattern_format(path) == GV_FMT_UNKNOWN && *gv_path_ext(path) ? 2 : 1;
}

int gv_cli_save(const char *path, const gv_pattern *p)
{
    gv_err e = {{0}};
    if (gv_pattern_save(path, p, &e) == 0)
        return 0;
    gv_cli_error(path, "%s", e.msg);
    return gv_pattern_format(path) == GV_FMT_UNKNOWN && *gv_path_ext(path) ? 2 : 1;
}

int gv_cli_swing(const char *arg, float *swing)
{
    return gv_cli_float("--swing", arg, 0, 1, swing);
}

int gv_cli_seed(const char *arg, uint64_t *seed)
{
    int v;
    if (gv_cli_int("--seed", arg, 0, 2147483647, &v) != 0)
        return -1;
    *seed = (uint64_t)v;
    return 0;
}
