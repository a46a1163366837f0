/* cmd_jam.c - `groove jam --taps TAKE.mid -o OUT.mid`: the jam engine
 * (session/jam.h) over a recorded performance.  Every note-on of TAKE, on
 * any channel, is a tap at its own time; the drums regenerate at the same
 * musical points as a live jam and OUT.mid is what that jam would have
 * played: the drums (channel 10) and the taps (their own notes). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/cli.h"
#include "app/commands.h"
#include "app/gencli.h"
#include "app/opts.h"
#include "app/synthcli.h"
#include "base/fileio.h"
#include "patterns/lanes.h"
#include "patterns/smf.h"
#include "session/jam_gen.h"
#include "synth/render.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: groove jam --taps TAKE.mid -o OUT.mid [--every beat|bar|2bars] [--follow F]\n"
            "                  [--lanes 0|1|2|3] [--bpm B] [--wav OUT.wav] [--seed S] [--temperature T]\n"
            "                  [--density D] [--max-hits VOICE=K,...] [--timing M] [--dynamics M]\n"
            "                  [--model M] [--threads K] [--kit DIR]\n"
            "Drums that follow a performance bar by bar, as a live jam (J in the TUI)\n"
            "would play them: every note-on of TAKE (any channel: a bass line, pads, a\n"
            "drummer) is a tap at its own time; at each regeneration point the last 2\n"
            "bars of taps are drummed and the new drums take over at the next bar line\n"
            "(or beat).  Nothing plays before the first regeneration.\n"
            "  --taps TAKE.mid    the performance (required)\n"
            "  -o OUT.mid         the jam: drums on channel 10 and the taps as played\n"
            "                     (format 1, written atomically; required)\n"
            "  --every E          regenerate every beat, bar (default) or 2bars\n"
            "  --follow F         0..1: how far the drums' latent moves toward each new\n"
            "                     groove (1, the default: snap; 0: keep the first)\n"
            "  --lanes N          1..3: the taps told in N lanes (drum notes by the drum\n"
            "                     map, other notes in the top lane); 0 (default): 1 when\n"
            "                     the taps use one lane, else 3\n"
            "  --bpm B            the jam's tempo (default: TAKE's first tempo)\n"
            "  --wav OUT.wav      also render the drums through the player, switching\n"
            "                     where the jam switches\n"
            "  --seed S           regeneration k uses suggestion k's seed (default 0)\n"
            "  --temperature T, --density D, --max-hits, --timing, --dynamics, --model,\n"
            "  --threads          as for groove generate\n"
            "  --kit DIR          drum samples for --wav\n");
}

typedef struct jam_args {
    const char *taps, *wav, *kit;
    gv_jam_settings js;
    float bpm;
} jam_args;

static int every_opt(const char *arg, void *field, char *why, size_t n)
{
    int *every = field;
    if (!strcmp(arg, "beat"))
        *every = GV_JAM_EVERY_BEAT;
    else if (!strcmp(arg, "bar"))
        *every = GV_JAM_EVERY_BAR;
    else if (!strcmp(arg, "2bars"))
        *every = GV_JAM_EVERY_2BARS;
    else
        return snprintf(why, n, "beat, bar or 2bars, not '%s'", arg), -1;
    return 0;
}

static const gv_opt jam_rows[] = {
    GV_OPT_S("taps", jam_args, taps),
    GV_OPT_S("wav", jam_args, wav),
    GV_OPT_S("kit", jam_args, kit),
    GV_OPT_FN_ROW("every", every_opt, jam_args, js.every),
    GV_OPT_F("follow", 0, 1, jam_args, js.follow),
    GV_OPT_I("lanes", 0, 3, jam_args, js.lanes),
    GV_OPT_F("bpm", 20, 400, jam_args, bpm),
};
static const gv_opt_group jam_group = GV_OPT_GROUP("jam", jam_rows);

/* TAKE's note-ons as taps at tempo *bpm (0: the file's). */
static int read_taps(const char *path, float *bpm, int lanes, gv_jam_note **taps, int *n)
{
    unsigned char *data = NULL;
    size_t len = 0;
    gv_err e = {0};
    gv_score s;
    if (gv_read_file(path, GV_SMF_MAX_FILE, &data, &len, &e) || gv_smf_parse_all(data, len, &s, &e)) {
        free(data);
        gv_cli_error(path, "%s", e.msg);
        return 1;
    }
    free(data);
    if (*bpm <= 0)
        *bpm = (float)(s.bpm >= 20 && s.bpm <= 400 ? s.bpm : 120);
    *taps = malloc((size_t)(s.n ? s.n : 1) * sizeof **taps);
    if (!*taps) {
        gv_score_free(&s);
        gv_cli_error(path, "out of memory");
        return 1;
    }
    int top = gv_lane_main_voice(lanes >= 1 ? lanes : 1, (lanes >= 1 ? lanes : 1) - 1);
    for (int i = 0; i < s.n; i++) {
        const gv_note *nt = &s.notes[i];
        (*taps)[i] = (gv_jam_note){nt->sec * *bpm / 15.0, nt->note, nt->voice >= 0 ? nt->voice : top, nt->vel};
    }
    *n = s.n;
    gv_score_free(&s);
    if (*n == 0) {
        gv_cli_error(path, "no notes to jam with");
        return 1;
    }
    return 0;
}

/* The drums as heard, 2 bars a part, and the taps, as one format-1 file. */
static int write_take(const char *path, const gv_jam_take *t, const char *name)
{
    unsigned char *data;
    size_t len;
    gv_err e = {0};
    int rc = gv_jam_take_smf(t, 0, name, &data, &len, &e);
    if (rc == 0) {
        rc = gv_write_atomic(path, data, len, &e);
        free(data);
    }
    if (rc)
        gv_cli_error(path, "%s", e.msg);
    return rc ? 1 : 0;
}

/* The drums through the player, switching where the jam switched. */
static int write_wav(const char *path, const jam_args *a, const gv_jam_take *t)
{
    gv_synth_cli sc;
    gv_synth_cli_default(&sc);
    sc.kit = a->kit;
    gv_kit kit;
    if (gv_synth_cli_kit(&sc, 48000, &kit) != 0)
        return 1;
    int64_t *at = malloc((size_t)(t->nswaps ? t->nswaps : 1) * sizeof *at);
    gv_pattern *pats = malloc((size_t)(t->nswaps ? t->nswaps : 1) * sizeof *pats);
    float *buf = NULL;
    int64_t frames = 0;
    gv_err e = {0};
    int rc = 1;
    if (!at || !pats) {
        gv_cli_error(path, "out of memory");
        goto done;
    }
    for (int i = 0; i < t->nswaps; i++)
        at[i] = t->swaps[i].at, pats[i] = t->pats[t->swaps[i].pattern];
    gv_render_opts o;
    gv_render_opts_default(&o);
    o.bpm = t->bpm;
    if (gv_render_switches(pats, at, t->nswaps, a->js.every == GV_JAM_EVERY_BEAT, gv_jam_take_end(t), &kit, &o,
                           &buf, &frames, &e) ||
        gv_render_write_wav(path, buf, frames, kit.rate, 0, &e))
        gv_cli_error(path, "%s", e.msg);
    else
        rc = 0;
done:
    free(buf), free(at), free(pats);
    gv_kit_free(&kit);
    return rc;
}

static int jam(const jam_args *a, const gv_gencli *g, const char *out)
{
    gv_jam_note *taps = NULL;
    int n = 0;
    float bpm = a->bpm;
    if (read_taps(a->taps, &bpm, a->js.lanes, &taps, &n))
        return 1;
    gv_model m;
    if (gv_gencli_model(g, &m, GV_MODE_DRUMIFY, GV_MODEL_STEPS) != 0) {
        free(taps);
        return 1;
    }
    gv_gen_ws *ws = gv_gen_ws_new(&m.cfg, 1);
    gv_jam j;
    gv_jam_init(&j, &a->js);
    gv_jam_gen gen;
    gv_jam_gen_init(&gen, &m, ws, &g->gen);
    gv_jam_take take;
    gv_jam_take_init(&take, bpm);
    gv_err e = {0};
    int regens = 0, rc = 1;
    if (!ws)
        gv_cli_error(NULL, "out of memory");
    else if (gv_jam_replay(&j, &gen, taps, n, 0, &take, &regens, &e))
        gv_cli_error(a->taps, "%s", e.msg);
    else if (!write_take(out, &take, "jam") && !(a->wav && write_wav(a->wav, a, &take))) {
        printf("jam over %d taps, %lld bars at %.1f BPM: %d patterns; wrote %s%s%s\n", n,
               (long long)(gv_jam_take_end(&take) / 16), bpm, regens, out, a->wav ? " and " : "",
               a->wav ? a->wav : "");
        rc = 0;
    }
    gv_jam_take_free(&take);
    gv_gen_ws_free(ws);
    gv_model_free(&m);
    free(taps);
    return rc;
}

int cmd_jam(int argc, char **argv)
{
    gv_gencli g;
    gv_gencli_default(&g);
    g.outdir = NULL;
    jam_args a = {.js = {.every = GV_JAM_EVERY_BAR, .follow = 1.f, .lanes = 0}};
    const gv_opt_use use[] = {{&jam_group, &a},     {&gv_opts_noise, &g.gen}, {&gv_opts_hits, &g.gen},
                              {&gv_opts_feel, &g.gen}, {&gv_opts_model, &g},  {&gv_opts_outdir, &g}};
    int rc = gv_opts_parse("jam", usage, use, 6, argc, argv);
    if (rc >= 0)
        return rc;
    if (optind < argc)
        return gv_cli_usage_error("jam", "no operands (the take is --taps TAKE.mid), not '%s'", argv[optind]);
    if (!a.taps || !g.outdir) {
        gv_cli_error("jam", "%s is required (groove jam --help)", !a.taps ? "--taps TAKE.mid" : "-o OUT.mid");
        return 2;
    }
    a.js.seed = g.gen.seed;
    return jam(&a, &g, g.outdir);
}
