/* opts.c - the option registry's parser and the groups commands share (see opts.h). */
#include "app/opts.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app/cli.h"
#include "base/pool.h"
#include "app/datacli.h"
#include "app/devicecli.h"
#include "app/gencli.h"
#include "app/midicli.h"
#include "app/synthcli.h"
#include "patterns/lanes.h"

#define MAX_BARS (GV_MAX_STEPS / GV_STEPS_PER_BAR)
#define MAX_ROWS 128     /* options of one command */
#define ID_BASE 0x1000   /* ids of options without a short key: ID_BASE + group * 256 + row */

/* ---- value parsers ---------------------------------------------------- */

static int opt_sampling(const char *arg, void *field, char *why, size_t n)
{
    if (!strcmp(arg, "threshold") || !strcmp(arg, "bernoulli")) {
        *(gv_sampling *)field = arg[0] == 't' ? GV_SAMPLING_THRESHOLD : GV_SAMPLING_BERNOULLI;
        return 0;
    }
    snprintf(why, n, "'%s' is not threshold or bernoulli", arg);
    return -1;
}

int gv_opt_feel(const char *arg, void *field, char *why, size_t n)
{
    gv_err e = {0};
    if (gv_feel_parse(arg, field, &e) == 0)
        return 0;
    snprintf(why, n, "%s", e.msg);
    return -1;
}

int gv_opt_device(const char *arg, void *field, char *why, size_t n)
{
    static const struct {
        const char *name;
        gv_device d;
    } names[] = {{"cpu", GV_DEVICE_CPU}, {"cuda", GV_DEVICE_CUDA}, {"auto", GV_DEVICE_AUTO}};
    for (int i = 0; i < 3; i++)
        if (!strcmp(arg, names[i].name)) {
            *(int *)field = (int)names[i].d;
            return 0;
        }
    snprintf(why, n, "cpu, cuda or auto, not '%s'", arg);
    return -1;
}

int gv_opt_keep_voices(const char *arg, void *field, char *why, size_t n)
{
    gv_err e = {0};
    unsigned keep;
    if (gv_voice_set_parse(arg, &keep, &e) != 0) {
        snprintf(why, n, "%s", e.msg);
        return -1;
    }
    if (keep == (1u << GV_VOICES) - 1) {
        snprintf(why, n, "every voice kept, nothing left to generate");
        return -1;
    }
    *(unsigned *)field = keep;
    return 0;
}

/* VOICE=K,... with VOICE a name or label of pattern.h: at most K hits. */
static int opt_max_hits(const char *arg, void *field, char *why, size_t n)
{
    int *max_hits = field;
    char buf[512];
    if (snprintf(buf, sizeof buf, "%s", arg) >= (int)sizeof buf) {
        snprintf(why, n, "value too long");
        return -1;
    }
    for (char *save = NULL, *item = strtok_r(buf, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(item, '='), *end;
        int v = -1;
        if (eq) {
            *eq = 0;
            v = gv_voice_parse(item);
        }
        if (v < 0) {
            snprintf(why, n, "'%s' is not VOICE=K (voices: kick snare chat ohat ltom mtom htom crash ride, or "
                             "their labels)", item);
            return -1;
        }
        errno = 0;
        long k = strtol(eq + 1, &end, 10);
        if (!eq[1] || *end || errno || k < 0 || k > GV_MODEL_STEPS) {
            snprintf(why, n, "'%s' is not a whole number in 0..%d", eq + 1, GV_MODEL_STEPS);
            return -1;
        }
        max_hits[v] = (int)k;
    }
    return 0;
}

static int opt_clock(const char *arg, void *field, char *why, size_t n)
{
    static const char *const modes[] = {"off", "out", "in"}; /* GV_MIDI_CLOCK_* order */
    for (int m = 0; m < 3; m++)
        if (!strcasecmp(arg, modes[m])) {
            *(int *)field = m;
            return 0;
        }
    snprintf(why, n, "'%s' is not in, out or off", arg);
    return -1;
}

static int opt_data_dir(const char *arg, void *field, char *why, size_t n)
{
    (void)why, (void)n;
    snprintf(field, sizeof ((gv_data_cli *)0)->dir, "%s", arg);
    return 0;
}

/* --beat-type, --time-signature: "any" keeps all (the empty filter). */
_Static_assert(sizeof((gv_data_opts *)0)->beat_type == sizeof((gv_data_opts *)0)->time_sig,
               "one size for both filters");
static int opt_filter(const char *arg, void *field, char *why, size_t n)
{
    (void)why, (void)n;
    snprintf(field, sizeof ((gv_data_opts *)0)->beat_type, "%s", strcmp(arg, "any") ? arg : "");
    return 0;
}

/* ---- the shared groups ------------------------------------------------ */

static const gv_opt window[] = {
    {.name = "start-bar", .type = GV_OPT_INT, .lo = 1, .hi = 100000, .field = offsetof(gv_load_opts, start_bar),
     .add = -1},
    GV_OPT_I("bars", 0, MAX_BARS, gv_load_opts, bars),
    GV_OPT_I("channel", 1, 16, gv_load_opts, channel),
};
const gv_opt_group gv_opts_window = GV_OPT_GROUP("window", window);

static const gv_opt noise[] = {
    GV_OPT_F("temperature", 0, GV_TEMPERATURE_MAX, gv_gen_opts, temperature),
    GV_OPT_SEED_ROW(gv_gen_opts, seed),
    GV_OPT_FN_ROW("sampling", opt_sampling, gv_gen_opts, sampling),
};
const gv_opt_group gv_opts_noise = GV_OPT_GROUP("noise", noise);

static const gv_opt hits[] = {
    GV_OPT_F("density", 0, 100, gv_gen_opts, density),
    GV_OPT_FN_ROW("max-hits", opt_max_hits, gv_gen_opts, max_hits),
};
const gv_opt_group gv_opts_hits = GV_OPT_GROUP("hits", hits);

static const gv_opt feel[] = {
    GV_OPT_FN_ROW("timing", gv_opt_feel, gv_gen_opts, feel.timing),
    GV_OPT_FN_ROW("dynamics", gv_opt_feel, gv_gen_opts, feel.dynamics),
};
const gv_opt_group gv_opts_feel = GV_OPT_GROUP("feel", feel);

static const gv_opt cond[] = {
    GV_OPT_I("lanes", 1, GV_MAX_LANES, gv_gen_opts, cond.lanes),
    GV_OPT_FN_ROW("keep-voices", gv_opt_keep_voices, gv_gen_opts, cond.keep),
};
const gv_opt_group gv_opts_cond = GV_OPT_GROUP("cond", cond);

static const gv_opt model[] = {
    GV_OPT_S("model", gv_gencli, model),
    GV_OPT_THREADS(gv_gencli, threads),
    GV_OPT_B("json", gv_gencli, json),
    GV_OPT_DEVICE(gv_gencli, device),
};
const gv_opt_group gv_opts_model = GV_OPT_GROUP("model", model);

static const gv_opt outdir[] = {GV_OPT_ROW(NULL, 'o', GV_OPT_STR, 0, 0, gv_gencli, outdir)};
const gv_opt_group gv_opts_outdir = GV_OPT_GROUP("outdir", outdir);

static const gv_opt count[] = {GV_OPT_ROW(NULL, 'n', GV_OPT_INT, 1, 1000, gv_gencli, n)};
const gv_opt_group gv_opts_count = GV_OPT_GROUP("count", count);

static const gv_opt bpm[] = {GV_OPT_F("bpm", 20, 400, gv_gencli, bpm)};
const gv_opt_group gv_opts_bpm = GV_OPT_GROUP("bpm", bpm);

static const gv_opt data[] = {
    GV_OPT_FN_ROW("data", opt_data_dir, gv_data_cli, dir),
    GV_OPT_FN_ROW("beat-type", opt_filter, gv_data_cli, o.beat_type),
    GV_OPT_FN_ROW("time-signature", opt_filter, gv_data_cli, o.time_sig),
    GV_OPT_I("min-hits", 0, 288, gv_data_cli, o.min_hits),
    GV_OPT_I("max-files", 0, 1000000, gv_data_cli, o.max_files),
};
const gv_opt_group gv_opts_data = GV_OPT_GROUP("data", data);

static const gv_opt synth[] = {
    GV_OPT_F("tempo", 20, 400, gv_synth_cli, tempo),
    GV_OPT_F("swing", 0, 1, gv_synth_cli, swing),
    GV_OPT_S("kit", gv_synth_cli, kit),
    GV_OPT_B("metronome", gv_synth_cli, metronome),
};
const gv_opt_group gv_opts_synth = GV_OPT_GROUP("synth", synth);

static const gv_opt midi[] = {
    GV_OPT_S("midi-out", gv_midi_cli, out),
    GV_OPT_S("midi-in", gv_midi_cli, in),
    GV_OPT_I("midi-channel", 1, 16, gv_midi_cli, channel),
    GV_OPT_FN_ROW("clock", opt_clock, gv_midi_cli, clock),
    GV_OPT_S("midi-map", gv_midi_cli, map),
    GV_OPT_F("midi-latency", 1, 1000, gv_midi_cli, latency_ms),
};
const gv_opt_group gv_opts_midi = GV_OPT_GROUP("midi", midi);

/* ---- the parser ------------------------------------------------------- */

/* "--name" or "-k". */
static void opt_name(const gv_opt *o, char *buf, size_t n)
{
    if (o->name)
        snprintf(buf, n, "--%s", o->name);
    else
        snprintf(buf, n, "-%c", o->key);
}

/* A number in lo..hi, or the range error line. */
static int number(const char *name, const char *arg, const gv_opt *o, double *v)
{
    char *end;
    errno = 0;
    int whole = o->type != GV_OPT_FLOAT;
    *v = whole ? (double)strtol(arg, &end, 10) : strtod(arg, &end);
    if (*arg && !*end && !errno && *v >= o->lo && *v <= o->hi)
        return 0;
    if (whole)
        gv_cli_error(NULL, "%s: '%s' is not a whole number in %ld..%ld", name, arg, (long)o->lo, (long)o->hi);
    else
        gv_cli_error(NULL, "%s: '%s' is not a number in %g..%g", name, arg, o->lo, o->hi);
    return -1;
}

static int seed(const char *name, const char *arg, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(arg, &end, 10);
    if (!*arg || *end || errno || arg[0] == '-' || v > GV_SEED_MAX) {
        gv_cli_error(NULL, "%s: '%s' is not a whole number in 0..%llu", name, arg, GV_SEED_MAX);
        return -1;
    }
    *out = v;
    return 0;
}

/* Takes one option's value into base; 0, or -1 after its error line. */
static int take(const char *cmd, const gv_opt *o, void *base, const char *arg)
{
    char name[64], why[512];
    void *at = (char *)base + o->field;
    double v;
    opt_name(o, name, sizeof name);
    switch (o->type) {
    case GV_OPT_FLAG: *(int *)at = 1; return 0;
    case GV_OPT_STR: *(const char **)at = arg; return 0;
    case GV_OPT_SEED: return seed(name, arg, at);
    case GV_OPT_FLOAT:
        if (number(name, arg, o, &v) != 0)
            return -1;
        *(float *)at = (float)v;
        return 0;
    case GV_OPT_INT:
        if (number(name, arg, o, &v) != 0)
            return -1;
        *(int *)at = (int)v + o->add;
        if (o->field2)
            *(int *)((char *)base + o->field2) = (int)v + o->add;
        return 0;
    case GV_OPT_FN:
        if (o->fn(arg, at, why, sizeof why) == 0)
            return 0;
        gv_cli_usage_error(cmd, "%s: %s", name, why);
        return -1;
    }
    return -1;
}

/* 1 when row (g, i) repeats a name or key of an earlier row. */
static int repeated(const gv_opt_use *use, int g, int i)
{
    const gv_opt *o = &use[g].group->opt[i];
    for (int h = 0; h <= g; h++)
        for (int j = 0; j < (h < g ? use[h].group->n : i); j++) {
            const gv_opt *p = &use[h].group->opt[j];
            if ((o->name && p->name && !strcmp(o->name, p->name)) || (o->key && o->key == p->key))
                return 1;
        }
    return o->key == 'h' || (o->name && !strcmp(o->name, "help"));
}

/* getopt_long's tables for the groups, -h/--help added; -1 (printed) when
 * two rows collide or there are too many. */
static int build(const char *cmd, const gv_opt_use *use, int nuse, struct option *lo, char *so)
{
    int n = 0;
    *so++ = ':';
    *so++ = 'h';
    for (int g = 0; g < nuse; g++)
        for (int i = 0; i < use[g].group->n; i++) {
            const gv_opt *o = &use[g].group->opt[i];
            char name[64];
            opt_name(o, name, sizeof name);
            if (repeated(use, g, i) || n >= MAX_ROWS || i >= 256) {
                gv_cli_error(cmd, "internal error: option %s is in two groups", name);
                return -1;
            }
            int has_arg = o->type == GV_OPT_FLAG ? no_argument : required_argument;
            if (o->key) {
                *so++ = o->key;
                if (has_arg)
                    *so++ = ':';
            }
            if (o->name)
                lo[n++] = (struct option){o->name, has_arg, 0, o->key ? o->key : ID_BASE + g * 256 + i};
        }
    *so = 0;
    lo[n++] = (struct option){"help", no_argument, 0, 'h'};
    lo[n] = (struct option){0, 0, 0, 0};
    return 0;
}

/* The row getopt_long's c stands for, or NULL. */
static const gv_opt *row_of(const gv_opt_use *use, int nuse, int c, void **base)
{
    if (c >= ID_BASE) {
        int g = (c - ID_BASE) / 256, i = (c - ID_BASE) % 256;
        if (g >= nuse || i >= use[g].group->n)
            return NULL;
        *base = use[g].base;
        return &use[g].group->opt[i];
    }
    for (int g = 0; g < nuse; g++)
        for (int i = 0; i < use[g].group->n; i++)
            if (use[g].group->opt[i].key == c) {
                *base = use[g].base;
                return &use[g].group->opt[i];
            }
    return NULL;
}

int gv_opts_parse(const char *cmd, void (*help)(FILE *), const gv_opt_use *use, int nuse, int argc,
                  char **argv)
{
    struct option lo[MAX_ROWS + 2];
    char so[3 * MAX_ROWS + 3];
    if (build(cmd, use, nuse, lo, so) != 0)
        return 2;
    opterr = 0;
    for (int c; (c = getopt_long(argc, argv, so, lo, NULL)) != -1;) {
        if (c == 'h') {
            help(stdout);
            return 0;
        }
        void *base = NULL;
        const gv_opt *o = c == '?' || c == ':' ? NULL : row_of(use, nuse, c, &base);
        if (!o)
            return gv_cli_bad_option(cmd, argc, argv);
        if (take(cmd, o, base, optarg) != 0)
            return 2;
    }
    return -1;
}

int gv_default_threads(void)
{
    int n = gv_cores();
    return n < GV_THREADS_MAX ? n : GV_THREADS_MAX;
}
