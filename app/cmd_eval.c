/* cmd_eval.c - `groove eval`: score a model against real drummers on a split
 * (trainer/eval.h), beside the two anchors (nearest neighbour from the train
 * split, groove on the closed hi-hat); with --anchors-only, issue 20's
 * anchors for lanes, kept voices and humanize, no model needed. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "patterns/lanes.h"
#include "trainer/prior.h"

#include "app/cli.h"
#include "app/commands.h"
#include "app/datacli.h"
#include "engine/modelpath.h"
#include "kernels/kernels.h"
#include "trainer/eval.h"

static const char *USAGE = "[--model M] [--anchors-only] [--lanes N | --keep-voices V,.. | --humanize] [--k K] "
                            "[--data DIR] [--split validation] [--json] [OPTIONS]";

enum {
    O_MODEL = 0x2100, O_SPLIT, O_SUGG, O_TEMP, O_SEED, O_MAXW, O_NOANCH, O_JSON, O_THREADS, O_TIMING, O_DYNAMICS,
    O_ANCHORS, O_LANES, O_KEEPV, O_HUMANIZE, O_K
};

/* One table row; width: the label column (18 for the model's table). */
static void print_row_w(const char *what, const gv_eval_result *r, int width)
{
    printf("%-*s %6.3f %6.3f %6.3f %6.3f %6.3f %6.3f %6.3f %6.3f ", width, what, r->f1, r->precision, r->recall,
           r->hit_acc, r->empty_acc, r->vel_mae, r->off_mae, r->rhythm_f1);
    if (r->diversity >= 0)
        printf("%6.3f\n", r->diversity);
    else
        printf("%6s\n", "-");
}

static void print_row(const char *what, const gv_eval_result *r) { print_row_w(what, r, 18); }

static void print_json_in(const char *indent, const char *what, const gv_eval_result *r, int last)
{
    printf("%s\"%s\": {\"windows\": %d, \"f1\": %.4f, \"precision\": %.4f, \"recall\": %.4f, \"hit_accuracy\": %.4f, "
           "\"no_hit_accuracy\": %.4f, \"velocity_mae\": %.4f, \"offset_mae\": %.4f, \"velocity_mae_own_feel\": %.4f, "
           "\"offset_mae_own_feel\": %.4f, \"rhythm_f1\": %.4f, ",
           indent, what, r->windows, r->f1, r->precision, r->recall, r->hit_acc, r->empty_acc, r->vel_mae, r->off_mae,
           r->vel_mae_own, r->off_mae_own, r->rhythm_f1);
    if (r->diversity >= 0)
        printf("\"diversity\": %.4f, ", r->diversity);
    else
        printf("\"diversity\": null, ");
    if (r->kept_changed >= 0)
        printf("\"kept_changed\": %ld, ", r->kept_changed);
    if (r->off_lane >= 0)
        printf("\"off_lane\": %ld, ", r->off_lane);
    printf("\"f1_voice\": {");
    for (int v = 0; v < GV_VOICES; v++)
        printf("%s\"%s\": %.4f", v ? ", " : "", gv_voice_name(v), r->f1_voice[v]);
    printf("}}%s\n", last ? "" : ",");
}

static void print_json(const char *what, const gv_eval_result *r, int last) { print_json_in("  ", what, r, last); }

/* One configuration of the lane / kept-voice anchors. */
typedef struct lane_cfg {
    int lanes;
    unsigned keep;
} lane_cfg;

static void cfg_name(const lane_cfg *c, int json, char *buf, size_t n)
{
    char kept[128];
    gv_voice_set_format(c->keep, kept, sizeof kept);
    if (json) {
        for (char *p = kept; *p; p++)
            if (*p == ',' || *p == '-')
                *p = '_';
        snprintf(buf, n, "lanes%d%s%s", c->lanes, c->keep ? "_keep_" : "", kept);
    } else {
        snprintf(buf, n, "lanes %d%s%s", c->lanes, c->keep ? " keep " : "", kept);
    }
}

/* The anchors alone: each lane configuration (copy and held k-NN) and
 * humanize, on w[0] against the train split w[1]. */
static int anchors_only(const gv_data_cli *dc, const char *split, const gv_eval_opts *eo, const lane_cfg *cfg,
                        int ncfg, int humanize, int k, int json, const gv_windows *w)
{
    gv_anchor_result ar[8];
    gv_eval_result hin, hmean, hnn;
    gv_err e = {{0}};
    int n = 0;
    for (int i = 0; i < ncfg; i++)
        if (gv_eval_lane_anchors(&w[1], &w[0], eo, cfg[i].lanes, cfg[i].keep, k, &ar[i], &e) != 0) {
            gv_cli_error(dc->dir, "%s", e.msg);
            return 1;
        }
    if (humanize && gv_eval_humanize_anchors(&w[1], &w[0], eo, &hin, &hmean, &hnn, &e) != 0) {
        gv_cli_error(dc->dir, "%s", e.msg);
        return 1;
    }
    n = ncfg ? ar[0].copy.windows : hin.windows;
    char name[160];
    if (json) {
        printf("{\n  \"split\": \"%s\",\n  \"windows\": %d,\n  \"train_windows\": %d,\n", split, n, w[1].n);
        for (int i = 0; i < ncfg; i++) {
            cfg_name(&cfg[i], 1, name, sizeof name);
            printf("  \"%s\": {\"lanes\": %d, \"k\": %d, \"k_fill\": %d, \"k_picked\": %s, \"slice\": %d, "
                   "\"slice_f1\": %.4f, \"slice_f1_fill\": %.4f,\n",
                   name, cfg[i].lanes, ar[i].k, ar[i].k_fill, ar[i].k_picked ? "true" : "false", ar[i].slice,
                   ar[i].slice_f1, ar[i].slice_f1_fill);
            char kept[128];
            gv_voice_set_format(cfg[i].keep, kept, sizeof kept);
            printf("    \"keep\": \"%s\",\n", kept);
            print_json_in("    ", "copy", &ar[i].copy, 0);
            print_json_in("    ", "knn", &ar[i].knn, 0);
            print_json_in("    ", "knn_fill", &ar[i].knn_fill, 1);
            printf("  }%s\n", i + 1 < ncfg || humanize ? "," : "");
        }
        if (humanize) {
            printf("  \"humanize\": {\n");
            print_json_in("    ", "quantized", &hin, 0);
            print_json_in("    ", "voice_mean", &hmean, 0);
            print_json_in("    ", "nearest_feel", &hnn, 1);
            printf("  }\n");
        }
        printf("}\n");
        return 0;
    }
    printf("anchors on %s: %d windows, looked up in %d train windows (k-NN: k picked on the train split's last "
           "tenth unless --k)\n",
           split, n, w[1].n);
    const int W = 42;
    printf("%-*s %6s %6s %6s %6s %6s %6s %6s %6s %6s\n", W, "", "F1", "prec", "recall", "acc", "no-hit",
           "velMAE", "offMAE", "rhythm", "divers");
    for (int i = 0; i < ncfg; i++) {
        char row[200];
        cfg_name(&cfg[i], 0, name, sizeof name);
        snprintf(row, sizeof row, "%s: copy", name);
        print_row_w(row, &ar[i].copy, W);
        snprintf(row, sizeof row, "%s: k-NN k=%d", name, ar[i].k);
        print_row_w(row, &ar[i].knn, W);
        snprintf(row, sizeof row, "%s: k-NN filled k=%d", name, ar[i].k_fill);
        print_row_w(row, &ar[i].knn_fill, W);
        const gv_eval_result *rr[3] = {&ar[i].copy, &ar[i].knn, &ar[i].knn_fill};
        for (int j = 0; j < 3; j++)
            if (rr[j]->kept_changed || rr[j]->off_lane)
                printf("  (%s: kept cells changed %ld, hits off their lane %ld)\n", j ? j == 1 ? "k-NN" : "filled" : "copy",
                       rr[j]->kept_changed, rr[j]->off_lane);
    }
    if (humanize) {
        print_row_w("humanize: quantized at 0.7", &hin, W);
        print_row_w("humanize: per-voice mean", &hmean, W);
        print_row_w("humanize: nearest feel", &hnn, W);
    }
    if (ncfg)
        printf("F1 over the voices not kept.  k-NN: the k nearest train windows vote per cell, a voice hitting only "
               "where its lane has a tap; filled: and every tap sounds.\n");
    return 0;
}

/* The list of modes: the one the options name, or every one of issue 20
 * (lanes 1, 2, 3, kick + snare kept; humanize) when none does. */
static int mode_list(int lanes, const char *keep_arg, unsigned keep, int *humanize, lane_cfg *cfg)
{
    int ncfg = 0;
    if (lanes || keep_arg)
        cfg[ncfg++] = (lane_cfg){lanes ? lanes : 1, keep};
    else if (!*humanize) {
        for (int l = 1; l <= GV_MAX_LANES; l++)
            cfg[ncfg++] = (lane_cfg){l, 0};
        cfg[ncfg++] = (lane_cfg){1, 1u << GV_KICK | 1u << GV_SNARE};
        *humanize = 1;
    }
    return ncfg;
}

/* `groove sample`'s figures: 256 samples at T = 1 from the model's prior and
 * from N(0, I), against the train split's windows. */
static int sample_report(const gv_model *m, const char *path, const gv_windows *train, uint64_t seed, int json)
{
    /* the prior with Bernoulli and threshold hits, then N(0, I) with each */
    static const struct { int prior, bern; const char *name, *key; } runs[4] = {
        {1, 1, "mixture prior, bernoulli", "prior_bernoulli"}, {1, 0, "mixture prior, threshold", "prior_threshold"},
        {0, 1, "N(0, I), bernoulli", "normal_bernoulli"}, {0, 0, "N(0, I), threshold", "normal_threshold"}};
    gv_sample_stats s[4];
    gv_err e = {{0}};
    int first = m->cfg.prior_components ? 0 : 2;
    for (int i = first; i < 4; i++)
        if (gv_eval_sample(m, train, 256, 1.0f, seed, runs[i].prior, runs[i].bern, &s[i], &e) != 0) {
            gv_cli_error(path, "%s", e.msg);
            return 1;
        }
    for (int i = first; i < 4; i++) {
        const char *name = runs[i].name;
        if (json) {
            printf("  \"sample_%s\": {\"samples\": %d, \"voices_within_25pct\": %d, \"backbeat\": %.4f, "
                   "\"replayed\": %.4f, \"density\": {",
                   runs[i].key, s[i].samples, s[i].voices_within, s[i].backbeat, s[i].replayed);
            for (int v = 0; v < GV_VOICES; v++)
                printf("%s\"%s\": [%.3f, %.3f]", v ? ", " : "", gv_voice_name(v), s[i].density[v],
                       s[i].data_density[v]);
            printf("}},\n");
            continue;
        }
        printf("sample, %s (%d at T=1): %d of 9 voices within 25%% of the data's density; kick + backbeat %.1f%%; "
               "within F1 0.9 of a training window %.1f%%\n  hits per 2 bars (data):",
               name, s[i].samples, s[i].voices_within, 100 * s[i].backbeat, 100 * s[i].replayed);
        for (int v = 0; v < GV_VOICES; v++)
            printf(" %s %.2f (%.2f)", gv_voice_label(v), s[i].density[v], s[i].data_density[v]);
        printf("\n");
    }
    return 0;
}

/* A conditioned model in each mode (w[0]), then the same modes' anchors
 * looked up in the train split (w[1]) unless anchors is 0. */
static int model_modes(const gv_model *m, const char *path, const gv_data_cli *dc, const char *split,
                       const gv_eval_opts *eo0, const lane_cfg *cfg, int ncfg, int humanize, int k, int anchors,
                       int json, int samples, const gv_windows *w)
{
    gv_eval_result r[8];
    gv_err e = {{0}};
    int nm = ncfg + (humanize ? 1 : 0);
    for (int i = 0; i < nm; i++) {
        gv_eval_opts eo = *eo0;
        gv_cond_default(&eo.cond);
        if (i < ncfg) {
            eo.cond.lanes = cfg[i].lanes;
            eo.cond.keep = cfg[i].keep;
        } else {
            eo.cond.humanize = 1;
        }
        if (gv_eval_model(m, &w[0], &eo, &r[i], &e) != 0) {
            gv_cli_error(path, "%s", e.msg);
            return 1;
        }
    }
    char name[160];
    if (json) {
        printf("{\n  \"model\": \"%s\",\n  \"split\": \"%s\",\n  \"modes\": {\n", path, split);
        for (int i = 0; i < nm; i++) {
            if (i < ncfg)
                cfg_name(&cfg[i], 1, name, sizeof name);
            else
                snprintf(name, sizeof name, "humanize");
            print_json_in("    ", name, &r[i], i + 1 == nm);
        }
        printf("  }%s\n", anchors ? "," : "");
        if (anchors && samples && sample_report(m, path, &w[1], eo0->seed, 1) != 0)
            return 1;
        if (anchors) {
            printf("  \"anchors\": ");
            fflush(stdout);
            if (anchors_only(dc, split, eo0, cfg, ncfg, humanize, k, 1, w) != 0)
                return 1;
        }
        printf("}\n");
        return 0;
    }
    printf("model %s on %s: %d windows (temperature 0; timing %s, dynamics %s; diversity: %d suggestions at T=%g)\n",
           path, split, r[0].windows, gv_feel_name(eo0->feel.timing), gv_feel_name(eo0->feel.dynamics),
           eo0->suggestions, eo0->temperature);
    const int W = 42;
    printf("%-*s %6s %6s %6s %6s %6s %6s %6s %6s %6s\n", W, "", "F1", "prec", "recall", "acc", "no-hit",
           "velMAE", "offMAE", "rhythm", "divers");
    for (int i = 0; i < nm; i++) {
        char row[200];
        if (i < ncfg)
            cfg_name(&cfg[i], 0, name, sizeof name);
        else
            snprintf(name, sizeof name, "humanize");
        snprintf(row, sizeof row, "%s: model", name);
        print_row_w(row, &r[i], W);
        if (r[i].kept_changed > 0 || r[i].off_lane > 0)
            printf("  (kept cells changed %ld, hits off their lane %ld)\n", r[i].kept_changed > 0 ? r[i].kept_changed : 0,
                   r[i].off_lane > 0 ? r[i].off_lane : 0);
    }
    printf("F1 over the voices not kept; humanize: velocity and offset MAE over every hit of a quantized copy "
           "at velocity 0.7 (hits given).\n");
    if (!anchors)
        return 0;
    if (samples && sample_report(m, path, &w[1], eo0->seed, 0) != 0)
        return 1;
    printf("\n");
    return anchors_only(dc, split, eo0, cfg, ncfg, humanize, k, 0, w);
}

int cmd_eval(int argc, char **argv)
{
    static const struct option lo[] = {
        GV_DATA_LONGOPTS,
        {"model", required_argument, 0, O_MODEL},
        {"split", required_argument, 0, O_SPLIT},
        {"suggestions", required_argument, 0, O_SUGG},
        {"temperature", required_argument, 0, O_TEMP},
        {"seed", required_argument, 0, O_SEED},
        {"max-windows", required_argument, 0, O_MAXW},
        {"no-anchors", no_argument, 0, O_NOANCH},
        {"json", no_argument, 0, O_JSON},
        {"threads", required_argument, 0, O_THREADS},
        {"timing", required_argument, 0, O_TIMING},
        {"dynamics", required_argument, 0, O_DYNAMICS},
        {"anchors-only", no_argument, 0, O_ANCHORS},
        {"lanes", required_argument, 0, O_LANES},
        {"keep-voices", required_argument, 0, O_KEEPV},
        {"humanize", no_argument, 0, O_HUMANIZE},
        {"k", required_argument, 0, O_K},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0},
    };
    gv_data_cli dc;
    gv_data_cli_default(&dc);
    gv_eval_opts eo;
    gv_eval_opts_default(&eo);
    const char *model_opt = NULL, *split = "validation";
    int anchors = 1, json = 0, threads = 1, ch;
    int only = 0, lanes = 0, humanize = 0, k = 0;
    unsigned keep = 0;
    const char *keep_arg = NULL;
    while ((ch = gv_data_cli_getopt("eval", USAGE, argc, argv, "h", lo, &dc)) != -1) {
        if (ch == -2)
            return 2;
        int bad = 0;
        switch (ch) {
        case 'h':
            printf("usage: groove eval %s\n"
                   "Drumifies every window of the split at temperature 0 and scores it against the real drummer.\n"
                   "  --model M  --data DIR (patterns/gmd)  --split NAME (validation)  --beat-type T  --time-signature S\n"
                   "  --min-hits N (8)  --max-files N  --max-windows N  --suggestions N (8, for diversity)\n"
                   "  --temperature T (1, for diversity)  --seed N  --no-anchors  --json  --threads N\n"
                   "  --timing auto|model|groove (auto)  --dynamics auto|model|groove (auto): the player's feel, as generate\n"
                   "  modes (issue 20): --lanes 1|2|3  --keep-voices V,.. (kick,snare or KD,SD ...)  --humanize;\n"
                   "    a model trained with --inputs all is scored in that mode (every mode, and sample\n"
                   "    figures, when none is named) above the mode's lookup anchors\n"
                   "  --anchors-only: no model, the anchors alone\n"
                   "    --k K (1..16; default: picked on the train split's last tenth)\n",
                   USAGE);
            return 0;
        case O_MODEL: model_opt = optarg; break;
        case O_SPLIT: split = optarg; break;
        case O_SUGG: bad = gv_cli_int("--suggestions", optarg, 0, 64, &eo.suggestions); break;
        case O_TEMP: bad = gv_cli_float("--temperature", optarg, 0, 10, &eo.temperature); break;
        case O_SEED: bad = gv_cli_seed(optarg, &eo.seed); break;
        case O_MAXW: bad = gv_cli_int("--max-windows", optarg, 0, 100000000, &eo.max_windows); break;
        case O_NOANCH: anchors = 0; break;
        case O_JSON: json = 1; break;
        case O_THREADS: bad = gv_cli_int("--threads", optarg, 1, 64, &threads); break;
        case O_ANCHORS: only = 1; break;
        case O_LANES: bad = gv_cli_int("--lanes", optarg, 1, GV_MAX_LANES, &lanes); break;
        case O_HUMANIZE: humanize = 1; break;
        case O_K: bad = gv_cli_int("--k", optarg, 1, GV_ANCHOR_MAX_K, &k); break;
        case O_KEEPV: {
            gv_err ve = {{0}};
            if (gv_voice_set_parse(optarg, &keep, &ve) != 0)
                return gv_cli_usage_error("eval", USAGE, "--keep-voices: %s", ve.msg);
            if (keep == (1u << GV_VOICES) - 1)
                return gv_cli_usage_error("eval", USAGE, "--keep-voices: every voice kept, nothing to generate");
            keep_arg = optarg;
            break;
        }
        case O_TIMING:
        case O_DYNAMICS: {
            gv_err fe = {{0}};
            if ((bad = gv_feel_parse(optarg, ch == O_TIMING ? &eo.feel.timing : &eo.feel.dynamics, &fe) != 0))
                gv_cli_error(NULL, "--%s: %s", ch == O_TIMING ? "timing" : "dynamics", fe.msg);
            break;
        }
        default: return gv_cli_bad_option("eval", USAGE, argc, argv);
        }
        if (bad)
            return 2;
    }
    if (gv_cli_no_operands("eval", USAGE, argc, argv))
        return 2;
    eo.threads = threads;
    int narrowed = lanes || keep_arg || humanize;
    if (only && (model_opt || !anchors))
        return gv_cli_usage_error("eval", USAGE, "--anchors-only takes no %s", model_opt ? "--model" : "--no-anchors");
    if (only) {
        /* No option narrowing it: every anchor of issue 20. */
        lane_cfg cfg[4];
        int ncfg = mode_list(lanes, keep_arg, keep, &humanize, cfg);
        const char *splits[2] = {split, "train"};
        gv_windows w[2];
        if (gv_data_cli_load(&dc, splits, 2, NULL, w, json ? stderr : stdout) != 0)
            return 1;
        int st = 1;
        if (w[0].n == 0)
            gv_cli_error(dc.dir, "no %s windows to evaluate", split);
        else if (w[1].n == 0)
            gv_cli_error(dc.dir, "no train windows to look the anchors up in");
        else
            st = anchors_only(&dc, split, &eo, cfg, ncfg, humanize, k, json, w);
        gv_windows_free(&w[0]);
        gv_windows_free(&w[1]);
        return st;
    }
    gv_kernels_set_threads(threads);
    gv_err e = {{0}};
    char path[4096];
    gv_model m;
    if (gv_model_open(model_opt, &m, path, sizeof path, &e) != 0) {
        gv_cli_error(path[0] ? path : NULL, "%s", e.msg);
        return 1;
    }
    /* The anchors' nearest neighbour searches the train split. */
    const char *splits[2] = {split, "train"};
    gv_windows w[2];
    if (gv_data_cli_load(&dc, splits, anchors ? 2 : 1, NULL, w, json ? stderr : stdout) != 0) {
        gv_model_free(&m);
        return 1;
    }
    int status = 1;
    gv_eval_result res, nn, hat;
    if (w[0].n == 0) {
        gv_cli_error(dc.dir, "no %s windows to evaluate", split);
        goto done;
    }
    if (m.cfg.src_features == GV_COND_FEATURES) {
        lane_cfg cfg[4];
        int ncfg = mode_list(lanes, keep_arg, keep, &humanize, cfg);
        status = model_modes(&m, path, &dc, split, &eo, cfg, ncfg, humanize, k, anchors, json, !narrowed, w);
        goto done;
    }
    if (narrowed || k) {
        gv_cli_error(path, "this model takes the groove alone: --%s needs a model trained with --inputs all "
                           "(or --anchors-only)",
                     lanes ? "lanes" : keep_arg ? "keep-voices" : humanize ? "humanize" : "k");
        goto done;
    }
    if (gv_eval_model(&m, &w[0], &eo, &res, &e) != 0) {
        gv_cli_error(path, "%s", e.msg);
        goto done;
    }
    if (anchors) {
        gv_eval_nearest(&w[1], &w[0], &eo, &nn);
        gv_eval_hat(&w[0], &eo, &hat);
    }
    if (json) {
        printf("{\n  \"model\": \"%s\",\n  \"split\": \"%s\",\n", path, split);
        print_json("model", &res, !anchors);
        if (anchors) {
            print_json("nearest_neighbour", &nn, 0);
            print_json("closed_hat", &hat, 1);
        }
        printf("}\n");
    } else {
        printf("model %s on %s: %d windows (temperature 0; timing %s, dynamics %s; diversity: %d suggestions at "
               "T=%g)\n",
               path, split, res.windows, gv_feel_name(eo.feel.timing), gv_feel_name(eo.feel.dynamics), eo.suggestions,
               eo.temperature);
        printf("%-18s %6s %6s %6s %6s %6s %6s %6s %6s %6s\n", "", "F1", "prec", "recall", "acc", "no-hit", "velMAE",
               "offMAE", "rhythm", "divers");
        print_row("model", &res);
        if (anchors) {
            print_row("nearest neighbour", &nn);
            print_row("groove on hat", &hat);
        }
        printf("the model's own feel (no player timing or dynamics): velMAE %.3f offMAE %.3f\n", res.vel_mae_own,
               res.off_mae_own);
        printf("F1 per voice:");
        for (int i = 0; i < GV_VOICES; i++)
            printf(" %s %.3f", gv_voice_label(i), res.f1_voice[i]);
        printf("\n");
        if (anchors && sample_report(&m, path, &w[1], eo.seed, 0) != 0)
            goto done;
    }
    status = 0;
done:
    gv_windows_free(&w[0]);
    if (anchors)
        gv_windows_free(&w[1]);
    gv_model_free(&m);
    return status;
}
