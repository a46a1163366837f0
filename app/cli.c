#include "app/cli.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/fileio.h"

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

int gv_cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "groove: %s: ", cmd);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, " (groove %s --help)\n", cmd);
    va_end(ap);
    return 2;
}

int gv_cli_bad_option(const char *cmd, int argc, char **argv)
{
    int i = optind - 1 < argc ? optind - 1 : argc - 1;
    const char *arg = i >= 1 ? argv[i] : "?";
    if (optopt && optopt < 0x100 && !(arg[0] == '-' && arg[1] == '-'))
        return gv_cli_usage_error(cmd, "bad option or missing value: '-%c'", optopt);
    return gv_cli_usage_error(cmd, "bad option or missing value: '%s'", arg);
}

int gv_cli_no_operands(const char *cmd, int argc, char **argv)
{
    return optind < argc ? gv_cli_usage_error(cmd, "unexpected argument '%s'", argv[optind]) : 0;
}

int gv_cli_in_out(const char *cmd, int argc, char **argv, const char **in, const char **out)
{
    int n = argc - optind;
    if (n != 2)
        return gv_cli_usage_error(cmd, "expected IN and OUT, got %d file%s", n, n == 1 ? "" : "s");
    *in = argv[optind];
    *out = argv[optind + 1];
    if (gv_pattern_format(*out) == GV_FMT_UNKNOWN)
        return gv_cli_usage_error(cmd, "%s: unknown output type (expected .mid, .midi or .tab)", *out);
    return 0;
}

int gv_cli_load(const char *arg, const gv_load_opts *o, gv_pattern *p)
{
    char path[1200];
    gv_err e = {0};
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
    gv_err e = {0};
    if (gv_pattern_save(path, p, &e) == 0)
        return 0;
    gv_cli_error(path, "%s", e.msg);
    return gv_pattern_format(path) == GV_FMT_UNKNOWN && *gv_path_ext(path) ? 2 : 1;
}
