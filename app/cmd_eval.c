/* cmd_eval.c - `groove eval`: score a model against real drummers on a split
 * (trainer/eval.h), beside the two anchors (nearest neighbour from the train
 * split, groove on the closed hi-hat); with --anchors-only, issue 20's
 * anchors for lanes, kept voices and humanize, no model needed.
 *
 * Each report is computed first, then printed as a table or built as one
 * cJSON tree (figures rounded to 4 decimals, 3 for sample densities). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patterns/lanes.h"
#include "trainer/prior.h"

#include "app/cli.h"
#include "app/devicecli.h"
#include "app/commands.h"
#include "app/datacli.h"
#include "app/gencli.h"
#include "app/opts.h"
#include "engine/modelpath.h"
#include "kernels/kernels.h"
#include "trainer/eval.h"

static const char *USAGE = "[--model M] [--anchors-only] [--lanes N | --keep-voices V,.. | --humanize] [--k K] "
                           "[--data DIR] [--split validation] [--json] [OPTIONS]";

static void help(FILE *f)
{
    fprintf(f,
            "usage: groove eval %s\n"
            "Drumifies every window of the split at temperature 0 and scores it against the real drummer.\n"
            "  --model M  --data DIR (patterns/gmd)  --split NAME (validation)  --beat-type T  --time-signature S\n"
            "  --min-hits N (8)  --max-files N  --max-windows N  --suggestions N (8, for diversity)\n"
            "  --temperature T (1, for diversity)  --seed N  --no-anchors  --json\n"
            "  --device cpu|cuda|auto (auto: CUDA when there is a GPU; the model runs on the CPU in this\n"
            "     version, so cuda fails with why and auto uses the CPU)\n"
            "  --threads N (the cores available: the windows in fixed chunks on N threads, the same figures)\n"
            "  --timing auto|model|groove (auto)  --dynamics auto|model|groove (auto): the player's feel, as generate\n"
            "  modes (issue 20): --lanes 1|2|3  --keep-voices V,.. (kick,snare or KD,SD ...)  --humanize;\n"
            "    a model trained with --inputs all is scored in that mode (every mode, and sample\n"
            "    figures, when none is named) above the mode's lookup anchors\n"
            "  --anchors-only: no model, the anchors alone\n"
            "  --bars N [--models A,B,..]: windows of N bars (an even number), every model (--model, or each of\n"
            "    --models) on the same windows through the engine as `groove generate` drums them: in one piece\n"
            "    from a model of N bars, else in chunks of the model's length (the transformer: 2 + 2 for 4 bars)\n"
            "    --k K (1..16; default: picked on the train split's last tenth)\n",
            USAGE);
}

/* What the options ask for. */
typedef struct eval_args {
    gv_eval_opts eo;
    const char *model, *split, *models;
    int no_anchors, json, only, lanes, humanize, k, bars;
    unsigned keep; /* --keep-voices; 0: not given */
    int device;    /* --device: a gv_device, auto by default */
} eval_args;

static const gv_opt eval_rows[] = {
    GV_OPT_S("model", eval_args, model),
    GV_OPT_S("models", eval_args, models),
    GV_OPT_I("bars", 2, GV_MAX_STEPS / GV_STEPS_PER_BAR, eval_args, bars),
    GV_OPT_S("split", eval_args, split),
    GV_OPT_I("suggestions", 0, 64, eval_args, eo.suggestions),
    GV_OPT_F("temperature", 0, GV_TEMPERATURE_MAX, eval_args, eo.temperature),
    GV_OPT_SEED_ROW(eval_args, eo.seed),
    GV_OPT_I("max-windows", 0, 100000000, eval_args, eo.max_windows),
    GV_OPT_B("no-anchors", eval_args, no_anchors),
    GV_OPT_B("json", eval_args, json),
    GV_OPT_THREADS(eval_args, eo.threads),
    GV_OPT_DEVICE(eval_args, device),
    GV_OPT_FN_ROW("timing", gv_opt_feel, eval_args, eo.feel.timing),
    GV_OPT_FN_ROW("dynamics", gv_opt_feel, eval_args, eo.feel.dynamics),
    GV_OPT_B("anchors-only", eval_args, only),
    GV_OPT_I("lanes", 1, GV_MAX_LANES, eval_args, lanes),
    GV_OPT_FN_ROW("keep-voices", gv_opt_keep_voices, eval_args, keep),
    GV_OPT_B("humanize", eval_args, humanize),
    GV_OPT_I("k", 1, GV_ANCHOR_MAX_K, eval_args, k),
};
static const gv_opt_group eval_group = GV_OPT_GROUP("eval", eval_rows);

/* ---- tables ----------------------------------------------------------- */

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

static void print_head(int width)
{
    printf("%-*s %6s %6s %6s %6s %6s %6s %6s %6s %6s\n", width, "", "F1", "prec", "recall", "acc", "no-hit",
           "velMAE", "offMAE", "rhythm", "divers");
}

/* ---- JSON ------------------------------------------------------------- */

static cJSON *fixed(double x, double scale) { return cJSON_CreateNumber(round(x * scale) / scale); }

static void add4(cJSON *o, const char *key, double x) { cJSON_AddItemToObject(o, key, fixed(x, 1e4)); }

/* One result's figures. */
static cJSON *result_json(const gv_eval_result *r)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "windows", r->windows);
    add4(o, "f1", r->f1);
    add4(o, "precision", r->precision);
    add4(o, "recall", r->recall);
    add4(o, "hit_accuracy", r->hit_acc);
    add4(o, "no_hit_accuracy", r->empty_acc);
    add4(o, "velocity_mae", r->vel_mae);
    add4(o, "offset_mae", r->off_mae);
    add4(o, "velocity_mae_own_feel", r->vel_mae_own);
    add4(o, "offset_mae_own_feel", r->off_mae_own);
    add4(o, "rhythm_f1", r->rhythm_f1);
    cJSON_AddItemToObject(o, "diversity", r->diversity >= 0 ? fixed(r->diversity, 1e4) : cJSON_CreateNull());
    if (r->kept_changed >= 0)
        cJSON_AddNumberToObject(o, "kept_changed", (double)r->kept_changed);
    if (r->off_lane >= 0)
        cJSON_AddNumberToObject(o, "off_lane", (double)r->off_lane);
    cJSON *v = cJSON_AddObjectToObject(o, "f1_voice");
    for (int i = 0; v && i < GV_VOICES; i++)
        add4(v, gv_voice_name(i), r->f1_voice[i]);
    return o;
}

/* ---- the lane, kept-voice and humanize anchors ------------------------ */

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

/* The modes to score and look up: the one the options name, or every one of
 * issue 20 (lanes 1, 2, 3, kick + snare kept; humanize) when none does. */
typedef struct modes {
    lane_cfg cfg[4];
    int ncfg, humanize, k;
} modes;

static void mode_list(const eval_args *a, modes *m)
{
    m->ncfg = 0;
    m->humanize = a->humanize;
    m->k = a->k;
    if (a->lanes || a->keep)
        m->cfg[m->ncfg++] = (lane_cfg){a->lanes ? a->lanes : 1, a->keep};
    else if (!m->humanize) {
        for (int l = 1; l <= GV_MAX_LANES; l++)
            m->cfg[m->ncfg++] = (lane_cfg){l, 0};
        m->cfg[m->ncfg++] = (lane_cfg){1, 1u << GV_KICK | 1u << GV_SNARE};
        m->humanize = 1;
    }
}

typedef struct anchors {
    gv_anchor_result ar[4];
    gv_eval_result hin, hmean, hnn;
    int n; /* windows scored */
} anchors;

/* The anchors of each mode on w[0], looked up in the train split w[1]. */
static int anchors_run(const gv_data_cli *dc, const gv_eval_opts *eo, const modes *m, const gv_windows *w,
                       anchors *an)
{
    gv_err e = {0};
    for (int i = 0; i < m->ncfg; i++)
        if (gv_eval_lane_anchors(&w[1], &w[0], eo, m->cfg[i].lanes, m->cfg[i].keep, m->k, &an->ar[i], &e) != 0) {
            gv_cli_error(dc->dir, "%s", e.msg);
            return 1;
        }
    if (m->humanize && gv_eval_humanize_anchors(&w[1], &w[0], eo, &an->hin, &an->hmean, &an->hnn, &e) != 0) {
        gv_cli_error(dc->dir, "%s", e.msg);
        return 1;
    }
    an->n = m->ncfg ? an->ar[0].copy.windows : an->hin.windows;
    return 0;
}

static cJSON *anchors_json(const char *split, const modes *m, const anchors *an, int train_n)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "split", split);
    cJSON_AddNumberToObject(root, "windows", an->n);
    cJSON_AddNumberToObject(root, "train_windows", train_n);
    for (int i = 0; i < m->ncfg; i++) {
        const gv_anchor_result *r = &an->ar[i];
        char name[160], kept[128];
        cfg_name(&m->cfg[i], 1, name, sizeof name);
        gv_voice_set_format(m->cfg[i].keep, kept, sizeof kept);
        cJSON *o = cJSON_AddObjectToObject(root, name);
        cJSON_AddNumberToObject(o, "lanes", m->cfg[i].lanes);
        cJSON_AddNumberToObject(o, "k", r->k);
        cJSON_AddNumberToObject(o, "k_fill", r->k_fill);
        cJSON_AddBoolToObject(o, "k_picked", r->k_picked);
        cJSON_AddNumberToObject(o, "slice", r->slice);
        add4(o, "slice_f1", r->slice_f1);
        add4(o, "slice_f1_fill", r->slice_f1_fill);
        cJSON_AddStringToObject(o, "keep", kept);
        cJSON_AddItemToObject(o, "copy", result_json(&r->copy));
        cJSON_AddItemToObject(o, "knn", result_json(&r->knn));
        cJSON_AddItemToObject(o, "knn_fill", result_json(&r->knn_fill));
    }
    if (m->humanize) {
        cJSON *h = cJSON_AddObjectToObject(root, "humanize");
        cJSON_AddItemToObject(h, "quantized", result_json(&an->hin));
        cJSON_AddItemToObject(h, "voice_mean", result_json(&an->hmean));
        cJSON_AddItemToObject(h, "nearest_feel", result_json(&an->hnn));
    }
    return root;
}

static void anchors_text(const char *split, const modes *m, const anchors *an, int train_n)
{
    printf("anchors on %s: %d windows, looked up in %d train windows (k-NN: k picked on the train split's last "
           "tenth unless --k)\n",
           split, an->n, train_n);
    const int W = 42;
    print_head(W);
    for (int i = 0; i < m->ncfg; i++) {
        const gv_anchor_result *r = &an->ar[i];
        char name[160], row[200];
        cfg_name(&m->cfg[i], 0, name, sizeof name);
        snprintf(row, sizeof row, "%s: copy", name);
        print_row_w(row, &r->copy, W);
        snprintf(row, sizeof row, "%s: k-NN k=%d", name, r->k);
        print_row_w(row, &r->knn, W);
        snprintf(row, sizeof row, "%s: k-NN filled k=%d", name, r->k_fill);
        print_row_w(row, &r->knn_fill, W);
        const gv_eval_result *rr[3] = {&r->copy, &r->knn, &r->knn_fill};
        for (int j = 0; j < 3; j++)
            if (rr[j]->kept_changed || rr[j]->off_lane)
                printf("  (%s: kept cells changed %ld, hits off their lane %ld)\n",
                       j ? j == 1 ? "k-NN" : "filled" : "copy", rr[j]->kept_changed, rr[j]->off_lane);
    }
    if (m->humanize) {
        print_row_w("humanize: quantized at 0.7", &an->hin, W);
        print_row_w("humanize: per-voice mean", &an->hmean, W);
        print_row_w("humanize: nearest feel", &an->hnn, W);
    }
    if (m->ncfg)
        printf("F1 over the voices not kept.  k-NN: the k nearest train windows vote per cell, a voice hitting only "
               "where its lane has a tap; filled: and every tap sounds.\n");
}

/* The anchors alone: printed as a table, or added to json as "anchors"
 * (json NULL: printed as their own JSON object). */
static int anchors_report(const gv_data_cli *dc, const char *split, const gv_eval_opts *eo, const modes *m,
                          const gv_windows *w, int as_json, cJSON *json)
{
    anchors an;
    if (anchors_run(dc, eo, m, w, &an) != 0)
        return 1;
    if (!as_json) {
        anchors_text(split, m, &an, w[1].n);
        return 0;
    }
    cJSON *o = anchors_json(split, m, &an, w[1].n);
    if (!json)
        return gv_json_print_pretty(o);
    cJSON_AddItemToObject(json, "anchors", o);
    return 0;
}

/* ---- sampling figures ------------------------------------------------- */

/* `groove sample`'s figures: 256 samples at T = 1 from the model's prior and
 * from N(0, I), against the train split's windows; added to json when not
 * NULL, else printed. */
static int sample_report(const gv_model *m, const char *path, const gv_windows *train, uint64_t seed, cJSON *json)
{
    /* the prior with Bernoulli and threshold hits, then N(0, I) with each */
    static const struct { int prior, bern; const char *name, *key; } runs[4] = {
        {1, 1, "mixture prior, bernoulli", "sample_prior_bernoulli"},
        {1, 0, "mixture prior, threshold", "sample_prior_threshold"},
        {0, 1, "N(0, I), bernoulli", "sample_normal_bernoulli"},
        {0, 0, "N(0, I), threshold", "sample_normal_threshold"}};
    gv_sample_stats st[4];
    gv_err e = {0};
    int first = m->cfg.prior_components ? 0 : 2;
    for (int i = first; i < 4; i++)
        if (gv_eval_sample(m, train, 256, 1.0f, seed, runs[i].prior, runs[i].bern, &st[i], &e) != 0) {
            gv_cli_error(path, "%s", e.msg);
            return 1;
        }
    for (int i = first; i < 4; i++) {
        const gv_sample_stats s = st[i];
        if (json) {
            cJSON *o = cJSON_AddObjectToObject(json, runs[i].key);
            cJSON_AddNumberToObject(o, "samples", s.samples);
            cJSON_AddNumberToObject(o, "voices_within_25pct", s.voices_within);
            add4(o, "backbeat", s.backbeat);
            add4(o, "replayed", s.replayed);
            cJSON *d = cJSON_AddObjectToObject(o, "density");
            for (int v = 0; d && v < GV_VOICES; v++) {
                cJSON *pair = cJSON_AddArrayToObject(d, gv_voice_name(v));
                cJSON_AddItemToArray(pair, fixed(s.density[v], 1e3));
                cJSON_AddItemToArray(pair, fixed(s.data_density[v], 1e3));
            }
            continue;
        }
        printf("sample, %s (%d at T=1): %d of 9 voices within 25%% of the data's density; kick + backbeat %.1f%%; "
               "within F1 0.9 of a training window %.1f%%\n  hits per 2 bars (data):",
               runs[i].name, s.samples, s.voices_within, 100 * s.backbeat, 100 * s.replayed);
        for (int v = 0; v < GV_VOICES; v++)
            printf(" %s %.2f (%.2f)", gv_voice_label(v), s.density[v], s.data_density[v]);
        printf("\n");
    }
    return 0;
}

/* ---- a model ---------------------------------------------------------- */

/* A run on a loaded model: the options, the model, the windows. */
typedef struct run {
    const eval_args *a;
    const gv_data_cli *dc;
    const gv_model *m;
    const char *path;
    const gv_windows *w; /* the split, and train (when anchors) */
} run;

static void model_line(const run *r, int windows)
{
    const gv_eval_opts *eo = &r->a->eo;
    printf("model %s on %s: %d windows (temperature 0; timing %s, dynamics %s; diversity: %d suggestions at T=%g)\n",
           r->path, r->a->split, windows, gv_feel_name(eo->feel.timing), gv_feel_name(eo->feel.dynamics),
           eo->suggestions, eo->temperature);
}

static void mode_name(const modes *md, int i, int json, char *name, size_t n)
{
    if (i < md->ncfg)
        cfg_name(&md->cfg[i], json, name, n);
    else
        snprintf(name, n, "humanize");
}

static void modes_text(const run *r, const modes *md, const gv_eval_result *res, int nm)
{
    model_line(r, res[0].windows);
    const int W = 42;
    print_head(W);
    for (int i = 0; i < nm; i++) {
        char name[160], row[200];
        mode_name(md, i, 0, name, sizeof name);
        snprintf(row, sizeof row, "%s: model", name);
        print_row_w(row, &res[i], W);
        if (res[i].kept_changed > 0 || res[i].off_lane > 0)
            printf("  (kept cells changed %ld, hits off their lane %ld)\n",
                   res[i].kept_changed > 0 ? res[i].kept_changed : 0, res[i].off_lane > 0 ? res[i].off_lane : 0);
    }
    printf("F1 over the voices not kept; humanize: velocity and offset MAE over every hit of a quantized copy "
           "at velocity 0.7 (hits given).\n");
}

/* A conditioned model in each mode (w[0]), then the same modes' anchors
 * looked up in the train split (w[1]) unless --no-anchors; sample figures
 * when no mode is named. */
static int model_modes(const run *r, int samples)
{
    const eval_args *a = r->a;
    modes md;
    mode_list(a, &md);
    gv_eval_result res[5];
    gv_err e = {0};
    int nm = md.ncfg + (md.humanize ? 1 : 0), anchors = !a->no_anchors;
    for (int i = 0; i < nm; i++) {
        gv_eval_opts eo = a->eo;
        gv_cond_default(&eo.cond);
        if (i < md.ncfg) {
            eo.cond.lanes = md.cfg[i].lanes;
            eo.cond.keep = md.cfg[i].keep;
        } else {
            eo.cond.humanize = 1;
        }
        if (gv_eval_model(r->m, &r->w[0], &eo, &res[i], &e) != 0) {
            gv_cli_error(r->path, "%s", e.msg);
            return 1;
        }
    }
    if (!a->json) {
        modes_text(r, &md, res, nm);
        if (!anchors)
            return 0;
        if (samples && sample_report(r->m, r->path, &r->w[1], a->eo.seed, NULL) != 0)
            return 1;
        printf("\n");
        return anchors_report(r->dc, a->split, &a->eo, &md, r->w, 0, NULL);
    }
    cJSON *root = cJSON_CreateObject(), *mo;
    cJSON_AddStringToObject(root, "model", r->path);
    cJSON_AddStringToObject(root, "split", a->split);
    mo = cJSON_AddObjectToObject(root, "modes");
    for (int i = 0; i < nm; i++) {
        char name[160];
        mode_name(&md, i, 1, name, sizeof name);
        cJSON_AddItemToObject(mo, name, result_json(&res[i]));
    }
    if (anchors && ((samples && sample_report(r->m, r->path, &r->w[1], a->eo.seed, root) != 0) ||
                    anchors_report(r->dc, a->split, &a->eo, &md, r->w, 1, root) != 0)) {
        cJSON_Delete(root);
        return 1;
    }
    return gv_json_print_pretty(root);
}

/* A model of the groove alone, beside the nearest-neighbour and hat anchors. */
static int model_alone(const run *r)
{
    const eval_args *a = r->a;
    int anchors = !a->no_anchors;
    gv_eval_result res, nn, hat;
    gv_err e = {0};
    if (gv_eval_model(r->m, &r->w[0], &a->eo, &res, &e) != 0) {
        gv_cli_error(r->path, "%s", e.msg);
        return 1;
    }
    if (anchors) {
        gv_eval_nearest(&r->w[1], &r->w[0], &a->eo, &nn);
        gv_eval_hat(&r->w[0], &a->eo, &hat);
    }
    if (a->json) {
        cJSON *root = cJSON_CreateObject();
        cJSON_AddStringToObject(root, "model", r->path);
        cJSON_AddStringToObject(root, "split", a->split);
        cJSON_AddItemToObject(root, "model", result_json(&res));
        if (anchors) {
            cJSON_AddItemToObject(root, "nearest_neighbour", result_json(&nn));
            cJSON_AddItemToObject(root, "closed_hat", result_json(&hat));
        }
        return gv_json_print_pretty(root);
    }
    model_line(r, res.windows);
    print_head(18);
    print_row_w("model", &res, 18);
    if (anchors) {
        print_row_w("nearest neighbour", &nn, 18);
        print_row_w("groove on hat", &hat, 18);
    }
    printf("the model's own feel (no player timing or dynamics): velMAE %.3f offMAE %.3f\n", res.vel_mae_own,
           res.off_mae_own);
    printf("F1 per voice:");
    for (int i = 0; i < GV_VOICES; i++)
        printf(" %s %.3f", gv_voice_label(i), res.f1_voice[i]);
    printf("\n");
    return anchors ? sample_report(r->m, r->path, &r->w[1], a->eo.seed, NULL) : 0;
}

/* ---- the command ------------------------------------------------------ */

/* The split (and train, for the anchors) into w; 0, or 1 (printed). */
static int load_windows(gv_data_cli *dc, const eval_args *a, int both, gv_windows *w)
{
    const char *splits[2] = {a->split, "train"};
    if (gv_data_cli_load(dc, splits, both ? 2 : 1, NULL, w, a->json ? stderr : stdout) != 0)
        return 1;
    if (w[0].n > 0)
        return 0;
    gv_cli_error(dc->dir, "no %s windows to evaluate", a->split);
    gv_windows_free(&w[0]);
    if (both)
        gv_windows_free(&w[1]);
    return 1;
}

/* --anchors-only: every anchor of issue 20 unless an option narrows it. */
static int anchors_only(gv_data_cli *dc, const eval_args *a)
{
    modes md;
    mode_list(a, &md);
    gv_windows w[2];
    if (load_windows(dc, a, 1, w) != 0)
        return 1;
    int st = 1;
    if (w[1].n == 0)
        gv_cli_error(dc->dir, "no train windows to look the anchors up in");
    else
        st = anchors_report(dc, a->split, &a->eo, &md, w, a->json, NULL);
    gv_windows_free(&w[0]);
    gv_windows_free(&w[1]);
    return st;
}

static int load_model(const eval_args *a, gv_model *m, char *path, size_t n)
{
    gv_err e = {0};
    if (gv_model_open(a->model, m, path, n, &e) != 0) {
        gv_cli_error(path[0] ? path : NULL, "%s", e.msg);
        return 1;
    }
    if (gv_op_model_ok(m, 0, GV_MODEL_STEPS, &e) != 0) {
        gv_cli_error(path, "%s", e.msg);
        gv_model_free(m);
        return 1;
    }
    return 0;
}

static int with_model(gv_data_cli *dc, const eval_args *a)
{
    gv_kernels_set_threads(1); /* the windows run on eo.threads workers, each product on one */
    char path[4096];
    gv_model m;
    if (load_model(a, &m, path, sizeof path) != 0)
        return 1;
    /* The anchors' nearest neighbour searches the train split. */
    int anchors = !a->no_anchors, narrowed = a->lanes || a->keep || a->humanize, status = 1;
    gv_windows w[2];
    if (load_windows(dc, a, anchors, w) != 0) {
        gv_model_free(&m);
        return 1;
    }
    run r = {a, dc, &m, path, w};
    if (m.cfg.src_features == GV_COND_FEATURES)
        status = model_modes(&r, !narrowed);
    else if (narrowed || a->k)
        gv_cli_error(path, "this model takes the groove alone: --%s needs a model trained with --inputs all "
                           "(or --anchors-only)",
                     a->lanes ? "lanes" : a->keep ? "keep-voices" : a->humanize ? "humanize" : "k");
    else
        status = model_alone(&r);
    gv_windows_free(&w[0]);
    if (anchors)
        gv_windows_free(&w[1]);
    gv_model_free(&m);
    return status;
}

/* ---- --bars N: models side by side on windows of N bars ---- */

static int side_row(const eval_args *a, const char *name, const gv_windows *w)
{
    char path[4096];
    gv_model m;
    gv_err e = {0};
    if (gv_model_open(name, &m, path, sizeof path, &e) != 0) {
        gv_cli_error(path[0] ? path : name, "%s", e.msg);
        return 1;
    }
    gv_eval_result r;
    int rc = gv_eval_patterns(&m, w, &a->eo, &r, &e);
    if (rc != 0)
        gv_cli_error(path, "%s", e.msg);
    else {
        char what[96];
        const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
        snprintf(what, sizeof what, "%.30s (%s, %d bars)", base, m.cfg.arch, m.cfg.steps / GV_STEPS_PER_BAR);
        print_row_w(what, &r, 46);
        printf("  F1 per voice:");
        for (int i = 0; i < GV_VOICES; i++)
            printf(" %s %.3f", gv_voice_label(i), r.f1_voice[i]);
        printf("\n");
    }
    gv_model_free(&m);
    return rc != 0;
}

static int side_by_side(gv_data_cli *dc, const eval_args *a)
{
    if (a->bars % 2 || a->json || a->only || a->lanes || a->keep || a->humanize)
        return gv_cli_usage_error("eval", "--bars takes an even number of bars, and no --json, --anchors-only, "
                                          "--lanes, --keep-voices or --humanize");
    gv_kernels_set_threads(1);
    dc->o.steps = a->bars * GV_STEPS_PER_BAR;
    gv_windows w;
    if (gv_data_cli_load(dc, &a->split, 1, NULL, &w, stdout) != 0)
        return 1;
    printf("%d-bar windows of %s: %d (temperature 0; diversity: %d suggestions at T=%g)\n", a->bars, a->split,
           w.n, a->eo.suggestions, a->eo.temperature);
    print_head(46);
    char list[4096];
    snprintf(list, sizeof list, "%s", a->models ? a->models : a->model ? a->model : "");
    int st = 0;
    char *save = NULL;
    for (char *t = strtok_r(list, ",", &save); t; t = strtok_r(NULL, ",", &save))
        st |= side_row(a, t, &w);
    if (!a->models && !a->model)
        st |= side_row(a, "", &w); /* the default model */
    gv_windows_free(&w);
    return st;
}

int cmd_eval(int argc, char **argv)
{
    gv_data_cli dc;
    gv_data_cli_default(&dc);
    eval_args a = {.split = "validation", .device = GV_DEVICE_AUTO};
    gv_eval_opts_default(&a.eo);
    a.eo.threads = gv_default_threads();
    const gv_opt_use use[] = {{&gv_opts_data, &dc}, {&eval_group, &a}};
    int rc = gv_opts_parse("eval", help, use, 2, argc, argv);
    if (rc >= 0)
        return rc;
    if (gv_cli_no_operands("eval", argc, argv))
        return 2;
    if (gv_device_pick("eval", a.device) < 0)
        return 1;
    if (a.only && (a.model || a.no_anchors))
        return gv_cli_usage_error("eval", "--anchors-only takes no %s", a.model ? "--model" : "--no-anchors");
    dc.o.threads = a.eo.threads; /* the window cache's files read side by side */
    if (a.bars || a.models)
        return side_by_side(&dc, &a);
    return a.only ? anchors_only(&dc, &a) : with_model(&dc, &a);
}
