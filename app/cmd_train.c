/* cmd_train.c - `groove train`: train the VAE on MIDI drum data.
 * Writes OUT (safetensors + .json sidecar, thresholds calibrated on the
 * last tenth of the training windows, which it does not learn from) and, beside it, OUT-stem.ckpt (checkpoint),
 * OUT-stem.csv (per-epoch log) and OUT-stem.windows (the data cache). */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/cli.h"
#include "app/commands.h"
#include "app/datacli.h"
#include "kernels/kernels.h"
#include "base/fileio.h"
#include "trainer/eval.h"
#include "trainer/prior.h"
#include "trainer/progress.h"
#include "trainer/schedule.h"
#include "trainer/train.h"

static const char *USAGE = "[--data DIR] [-o OUT] [--epochs N] [--batch N] [--lr F] [--seed N] [--resume] [OPTIONS]";

static volatile sig_atomic_t stop_flag;
static void on_sigint(int sig)
{
    (void)sig;
    stop_flag = 1;
}

static void help(void)
{
    printf("usage: groove train %s\n"
           "Trains the groove VAE on every MIDI file under DIR (GMD info.csv selects split/beat type/time signature).\n"
           "data:   --data DIR (patterns/gmd)  --beat-type beat|fill|any  --time-signature 4-4|any  --min-hits N (8)\n"
           "        --max-files N  --train-split NAME (train)  --val-split NAME (validation)\n"
           "        --hop N (steps between training windows: 16 a bar, 8 adds half-bar shifts, 4, 2, 1; 16)\n"
           "        --refit (no training: calibrate OUT's thresholds again and fit its sampling prior)\n"
           "output: -o, --output OUT (model.safetensors)  --checkpoint PATH (OUT-stem.ckpt)  --checkpoint-every N steps\n"
           "        --resume (continue from the checkpoint)  --export (only write OUT from the checkpoint)  --log CSV\n"
           "        --keep best|last (OUT: the epoch with the best validation F1 at 0.5, or the last; best)\n"
           "model:  --d-model N  --d-model-enc N  --d-model-dec N  --heads N  --ff N  --layers N  --enc-layers N\n"
           "        --dec-layers N  --latent N  --o-activation tanh|sigmoid\n"
           "        --inputs all|groove (all: the groove in 1-3 lanes, kept voices and humanize, drawn per\n"
           "        example; groove: the groove alone, as models before them; all)\n"
           "        --mix L1,L2,L3,KEEP,HUM,BLIND (shares of the modes drawn per example;\n"
           "        0.3,0.15,0.15,0.2,0.1,0.1; blind: the decoder not told the groove, as in sampling)\n"
           "train:  --epochs N (20)  --batch N (64)  --lr F (1e-3)  --lr-min F (ratio, 0.05)  --warmup N (200)\n"
           "        --weight-decay F (0.01)  --clip F (1)  --dropout F (0.1)  --seed N (1)  --threads N (1)\n"
           "loss:   --hit-loss bce|dice  --hit-penalty F (0.5)  --vel-loss mse|bce  --off-loss mse|bce\n"
           "        --beta F (0.2)  --beta-schedule linear|cyclic  --beta-steps N (2000)  --beta-ramp F (0.5)\n"
           "        --free-bits F (nats, 32)  --vo-empty W (weight of empty cells in velocity/offset losses, 0)\n"
           "augment: --vel-dropout P (0)  --vel-const V (0.8)  --note-dropout P (0)\n",
           USAGE);
}

enum {
    O_EPOCHS = 0x2000, O_BATCH, O_LR, O_LRMIN, O_WARMUP, O_WD, O_CLIP, O_DROPOUT, O_SEED, O_THREADS, O_DMODEL,
    O_DENC, O_DDEC, O_HEADS, O_FF, O_LAYERS, O_ELAYERS, O_DLAYERS, O_LATENT, O_OACT, O_HITLOSS, O_PENALTY,
    O_VELLOSS, O_OFFLOSS, O_BETA, O_BSCHED, O_BSTEPS, O_BRAMP, O_FREEBITS, O_VELDROP, O_VELCONST, O_NOTEDROP,
    O_VOEMPTY, O_CKPT, O_CKPT_EVERY, O_RESUME, O_EXPORT, O_KEEP, O_LOG, O_TRAIN_SPLIT, O_VAL_SPLIT, O_HOP, O_QUIET,
    O_INPUTS, O_REFIT, O_MIX
};

typedef struct run_ctx {
    gv_progress prog;
    const char *log_path, *out_path;
    const gv_windows *calib; /* the held-back tenth of train */
    int quiet;
} run_ctx;

static void on_step(const gv_step_info *s, void *u)
{
    run_ctx *c = u;
    if (!c->quiet)
        gv_progress_step(&c->prog, s);
}

/* The model file: the trainer's weights with thresholds calibrated on the
 * held-back tenth of the training split (never on validation). */
static int write_model(gv_trainer *t, const char *out, const gv_windows *calib)
{
    gv_err e = {{0}};
    /* what Bernoulli sampling must undo (engine/generate.h); dice is no rate to undo */
    t->model.cfg.empty_weight = t->o.loss.hit == GV_LOSS_BCE && t->o.loss.hit_penalty > 0 ? t->o.loss.hit_penalty : 1.f;
    if (calib->n > 0 && gv_calibrate_thresholds(&t->model, calib, t->model.cfg.thresholds, &e) != 0) {
        gv_cli_error(out, "%s", e.msg);
        return -1;
    }
    if (gv_model_save(&t->model, out, &e) != 0) {
        gv_cli_error(out, "%s", e.msg);
        return -1;
    }
    return 0;
}

/* Components of the sampling prior for n training windows: 64, fewer for
 * small data (at least 50 windows a component). */
static int prior_k(int n)
{
    int k = n / 50;
    return k < 1 ? 1 : k > GV_PRIOR_MAX_COMPONENTS ? GV_PRIOR_MAX_COMPONENTS : k;
}

/* OUT's last touches, on the model OUT holds: the mixture prior fitted to
 * the training windows (trainer/prior.h) and, with recalibrate, the
 * thresholds again; then OUT is written again. */
static int finish_model(gv_model *m, const char *out, const gv_windows *learn, const gv_windows *calib,
                        uint64_t seed, int recalibrate, float empty_weight, int quiet)
{
    gv_err e = {{0}};
    if (recalibrate && empty_weight > 0)
        m->cfg.empty_weight = empty_weight;
    if (recalibrate && calib->n > 0 && gv_calibrate_thresholds(m, calib, m->cfg.thresholds, &e) != 0) {
        gv_cli_error(out, "%s", e.msg);
        return -1;
    }
    int K = prior_k(learn->n);
    if (learn->n >= K && gv_prior_fit(m, learn, K, seed, &e) != 0) {
        gv_cli_error(out, "%s", e.msg);
        return -1;
    }
    if (gv_model_save(m, out, &e) != 0) {
        gv_cli_error(out, "%s", e.msg);
        return -1;
    }
    if (!quiet)
        printf("sampling prior: a mixture of %d Gaussians fitted to %d training windows' latents\n",
               m->cfg.prior_components, learn->n);
    return 0;
}

static int write_log(const gv_trainer *t, const char *path)
{
    gv_err e = {{0}};
    char *csv = gv_history_csv(t->hist, t->nhist);
    if (!csv || gv_write_atomic(path, csv, strlen(csv), &e) != 0) {
        gv_cli_error(path, "%s", csv ? e.msg : "out of memory");
        free(csv);
        return -1;
    }
    free(csv);
    return 0;
}

typedef struct epoch_ctx {
    run_ctx *rc;
    gv_trainer *t;
    int keep_last;
} epoch_ctx;

/* The epoch whose model OUT holds: the best validation F1 so far (or the
 * last epoch with --keep last, or when there is no validation data). */
static int best_epoch(const gv_trainer *t, int keep_last)
{
    int best = t->nhist - 1;
    if (keep_last || !t->val->n)
        return best;
    for (int i = 0; i < t->nhist; i++)
        if (t->hist[i].val_f1 > t->hist[best].val_f1)
            best = i;
    return best;
}

static void on_epoch(const gv_epoch_stats *s, void *u)
{
    epoch_ctx *x = u;
    if (!x->rc->quiet)
        gv_progress_epoch(&x->rc->prog, s);
    write_log(x->t, x->rc->log_path);
    /* OUT follows the best epoch as it goes, so that a run cut short still
     * leaves its best model. */
    if (best_epoch(x->t, x->keep_last) == x->t->nhist - 1)
        write_model(x->t, x->rc->out_path, x->rc->calib);
}

static void step_cb(const gv_step_info *s, void *u) { on_step(s, ((epoch_ctx *)u)->rc); }

/* OUT without ".safetensors", plus suffix. */
static void beside(const char *out, const char *suffix, char *buf, size_t n)
{
    size_t l = strlen(out), x = strlen(".safetensors");
    if (l > x && !strcmp(out + l - x, ".safetensors"))
        l -= x;
    snprintf(buf, n, "%.*s%s", (int)l, out, suffix);
}

/* Every file the run will write must be writable before the first step, not
 * after an epoch: model, sidecar, checkpoint, CSV log (--export: the first
 * two), with room for all of them (the checkpoint holds the weights and the
 * optimiser's two moments; the cache is optional and not checked). */
static int check_outputs(const gv_train_opts *o, const char *out, const char *ckpt, const char *log, int export_only)
{
    gv_tensor_info *ti = malloc(GV_MAX_PARAMS_TENSORS * sizeof *ti);
    size_t np = 0;
    if (!ti) {
        gv_cli_error(NULL, "out of memory");
        return -1;
    }
    gv_param_table(&o->cfg, ti, &np);
    free(ti);
    char side[4096];
    beside(out, ".json", side, sizeof side);
    unsigned long long weights = (unsigned long long)np * sizeof(float), small = 64 << 10;
    const char *path[4] = {out, side, ckpt, log};
    int n = export_only ? 2 : 4;
    unsigned long long need = weights + 2 * small;
    if (!export_only)
        need += 3 * weights + (unsigned long long)o->epochs * sizeof(gv_epoch_stats) + 2 * small;
    for (int i = 0; i < n; i++) {
        gv_err e = {{0}};
        if (gv_check_writable(path[i], need, &e) != 0) {
            gv_cli_error(path[i], "%s", e.msg);
            return -1;
        }
    }
    return 0;
}

/* --d-model, --heads, --ff, --layers: one value (1..hi) for the encoder and
 * the decoder alike. */
static int both(const char *opt, const char *arg, int hi, int *enc, int *dec)
{
    int bad = gv_cli_int(opt, arg, 1, hi, enc);
    *dec = *enc;
    return bad;
}

static void print_eval(const char *what, const gv_eval_result *r)
{
    printf("%-10s F1 %.3f (P %.3f R %.3f)  acc %.3f (no-hit %.3f)  vel MAE %.3f  off MAE %.3f  rhythm F1 %.3f",
           what, r->f1, r->precision, r->recall, r->hit_acc, r->empty_acc, r->vel_mae, r->off_mae, r->rhythm_f1);
    if (r->vel_mae_own != r->vel_mae || r->off_mae_own != r->off_mae)
        printf(" (own feel: vel %.3f off %.3f)", r->vel_mae_own, r->off_mae_own);
    if (r->diversity >= 0)
        printf("  diversity %.3f", r->diversity);
    printf("\n");
}

int cmd_train(int argc, char **argv)
{
    static const struct option lo[] = {
        GV_DATA_LONGOPTS,
        {"output", required_argument, 0, 'o'},
        {"epochs", required_argument, 0, O_EPOCHS},
        {"batch", required_argument, 0, O_BATCH},
        {"lr", required_argument, 0, O_LR},
        {"lr-min", required_argument, 0, O_LRMIN},
        {"warmup", required_argument, 0, O_WARMUP},
        {"weight-decay", required_argument, 0, O_WD},
        {"clip", required_argument, 0, O_CLIP},
        {"dropout", required_argument, 0, O_DROPOUT},
        {"seed", required_argument, 0, O_SEED},
        {"threads", required_argument, 0, O_THREADS},
        {"d-model", required_argument, 0, O_DMODEL},
        {"d-model-enc", required_argument, 0, O_DENC},
        {"d-model-dec", required_argument, 0, O_DDEC},
        {"heads", required_argument, 0, O_HEADS},
        {"ff", required_argument, 0, O_FF},
        {"layers", required_argument, 0, O_LAYERS},
        {"enc-layers", required_argument, 0, O_ELAYERS},
        {"dec-layers", required_argument, 0, O_DLAYERS},
        {"latent", required_argument, 0, O_LATENT},
        {"o-activation", required_argument, 0, O_OACT},
        {"hit-loss", required_argument, 0, O_HITLOSS},
        {"hit-penalty", required_argument, 0, O_PENALTY},
        {"vel-loss", required_argument, 0, O_VELLOSS},
        {"off-loss", required_argument, 0, O_OFFLOSS},
        {"beta", required_argument, 0, O_BETA},
        {"beta-schedule", required_argument, 0, O_BSCHED},
        {"beta-steps", required_argument, 0, O_BSTEPS},
        {"beta-ramp", required_argument, 0, O_BRAMP},
        {"free-bits", required_argument, 0, O_FREEBITS},
        {"vel-dropout", required_argument, 0, O_VELDROP},
        {"vel-const", required_argument, 0, O_VELCONST},
        {"note-dropout", required_argument, 0, O_NOTEDROP},
        {"vo-empty", required_argument, 0, O_VOEMPTY},
        {"checkpoint", required_argument, 0, O_CKPT},
        {"checkpoint-every", required_argument, 0, O_CKPT_EVERY},
        {"resume", no_argument, 0, O_RESUME},
        {"export", no_argument, 0, O_EXPORT},
        {"keep", required_argument, 0, O_KEEP},
        {"log", required_argument, 0, O_LOG},
        {"train-split", required_argument, 0, O_TRAIN_SPLIT},
        {"val-split", required_argument, 0, O_VAL_SPLIT},
        {"hop", required_argument, 0, O_HOP},
        {"quiet", no_argument, 0, O_QUIET},
        {"inputs", required_argument, 0, O_INPUTS},
        {"refit", no_argument, 0, O_REFIT},
        {"mix", required_argument, 0, O_MIX},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0},
    };
    gv_data_cli dc;
    gv_data_cli_default(&dc);
    gv_train_opts o;
    gv_train_opts_default(&o);
    gv_config *c = &o.cfg;
    c->src_features = GV_COND_FEATURES; /* --inputs all: lanes, kept voices, humanize */
    const char *out = "model.safetensors", *ckpt = NULL, *log = NULL;
    const char *train_split = "train", *val_split = "validation";
    int resume = 0, export_only = 0, keep_last = 0, threads = 1, quiet = 0, refit = 0, ch;
    while ((ch = gv_data_cli_getopt("train", USAGE, argc, argv, "o:h", lo, &dc)) != -1) {
        if (ch == -2)
            return 2;
        int bad = 0;
        switch (ch) {
        case 'h':
            help();
            return 0;
        case 'o': out = optarg; break;
        case O_EPOCHS: bad = gv_cli_int("--epochs", optarg, 1, GV_TRAIN_MAX_EPOCHS, &o.epochs); break;
        case O_BATCH: bad = gv_cli_int("--batch", optarg, 1, 65536, &o.batch); break;
        case O_LR: bad = gv_cli_float("--lr", optarg, 0, 10, &o.lr); break;
        case O_LRMIN: bad = gv_cli_float("--lr-min", optarg, 0, 1, &o.lr_min_ratio); break;
        case O_WARMUP: bad = gv_cli_int("--warmup", optarg, 0, 100000000, &o.warmup); break;
        case O_WD: bad = gv_cli_float("--weight-decay", optarg, 0, 10, &o.weight_decay); break;
        case O_CLIP: bad = gv_cli_float("--clip", optarg, 0, 1e9, &o.clip); break;
        case O_DROPOUT: bad = gv_cli_float("--dropout", optarg, 0, 0.95, &o.dropout); break;
        case O_SEED: bad = gv_cli_seed(optarg, &o.seed); break;
        case O_THREADS: bad = gv_cli_int("--threads", optarg, 1, 64, &threads); break;
        case O_DMODEL: bad = both("--d-model", optarg, 4096, &c->d_model_enc, &c->d_model_dec); break;
        case O_DENC: bad = gv_cli_int("--d-model-enc", optarg, 1, 4096, &c->d_model_enc); break;
        case O_DDEC: bad = gv_cli_int("--d-model-dec", optarg, 1, 4096, &c->d_model_dec); break;
        case O_HEADS: bad = both("--heads", optarg, 64, &c->nhead_enc, &c->nhead_dec); break;
        case O_FF: bad = both("--ff", optarg, 16384, &c->dim_feedforward_enc, &c->dim_feedforward_dec); break;
        case O_LAYERS: bad = both("--layers", optarg, 10, &c->num_encoder_layers, &c->num_decoder_layers); break;
        case O_ELAYERS: bad = gv_cli_int("--enc-layers", optarg, 1, 10, &c->num_encoder_layers); break;
        case O_DLAYERS: bad = gv_cli_int("--dec-layers", optarg, 1, 10, &c->num_decoder_layers); break;
        case O_LATENT: bad = gv_cli_int("--latent", optarg, 1, 4096, &c->latent_dim); break;
        case O_OACT:
            if (strcmp(optarg, "tanh") && strcmp(optarg, "sigmoid"))
                return gv_cli_usage_error("train", USAGE, "--o-activation: tanh or sigmoid, not '%s'", optarg);
            snprintf(c->o_activation, sizeof c->o_activation, "%s", optarg);
            o.loss.off_sigmoid = !strcmp(optarg, "sigmoid");
            break;
        case O_HITLOSS:
            if (gv_loss_parse(optarg, &o.loss.hit) != 0 || o.loss.hit == GV_LOSS_MSE)
                return gv_cli_usage_error("train", USAGE, "--hit-loss: bce or dice, not '%s'", optarg);
            break;
        case O_VELLOSS:
        case O_OFFLOSS: {
            int *dst = ch == O_VELLOSS ? &o.loss.vel : &o.loss.off;
            if (gv_loss_parse(optarg, dst) != 0 || *dst == GV_LOSS_DICE)
                return gv_cli_usage_error("train", USAGE, "%s: mse or bce, not '%s'",
                                          ch == O_VELLOSS ? "--vel-loss" : "--off-loss", optarg);
            break;
        }
        case O_PENALTY: bad = gv_cli_float("--hit-penalty", optarg, 0, 1, &o.loss.hit_penalty); break;
        case O_BETA: bad = gv_cli_float("--beta", optarg, 0, 100, &o.beta_max); break;
        case O_BSCHED:
            if (gv_beta_parse(optarg, &o.beta_kind) != 0)
                return gv_cli_usage_error("train", USAGE, "--beta-schedule: linear or cyclic, not '%s'", optarg);
            break;
        case O_BSTEPS: bad = gv_cli_int("--beta-steps", optarg, 0, 100000000, &o.beta_period); break;
        case O_BRAMP: bad = gv_cli_float("--beta-ramp", optarg, 0.01, 1, &o.beta_ramp); break;
        case O_FREEBITS: bad = gv_cli_float("--free-bits", optarg, 0, 1e6, &o.free_bits); break;
        case O_VELDROP: bad = gv_cli_float("--vel-dropout", optarg, 0, 1, &o.vel_dropout); break;
        case O_VELCONST: bad = gv_cli_float("--vel-const", optarg, 0, 1, &o.vel_const); break;
        case O_NOTEDROP: bad = gv_cli_float("--note-dropout", optarg, 0, 1, &o.note_dropout); break;
        case O_VOEMPTY: bad = gv_cli_float("--vo-empty", optarg, 0, 1, &o.loss.vo_empty); break;
        case O_CKPT: ckpt = optarg; break;
        case O_CKPT_EVERY: bad = gv_cli_int("--checkpoint-every", optarg, 0, 100000000, &o.ckpt_every); break;
        case O_RESUME: resume = 1; break;
        case O_EXPORT: export_only = resume = 1; break;
        case O_KEEP:
            if (strcmp(optarg, "best") && strcmp(optarg, "last"))
                return gv_cli_usage_error("train", USAGE, "--keep: best or last, not '%s'", optarg);
            keep_last = !strcmp(optarg, "last");
            break;
        case O_LOG: log = optarg; break;
        case O_TRAIN_SPLIT: train_split = optarg; break;
        case O_VAL_SPLIT: val_split = optarg; break;
        case O_HOP:
            bad = gv_cli_int("--hop", optarg, 1, GV_STEPS_PER_BAR, &dc.o.train_hop);
            if (!bad && GV_STEPS_PER_BAR % dc.o.train_hop)
                return gv_cli_usage_error("train", USAGE, "--hop: 1, 2, 4, 8 or 16 steps, not '%s'", optarg);
            break;
        case O_QUIET: quiet = 1; break;
        case O_REFIT: refit = 1; break;
        case O_MIX: {
            float m[GV_TRAIN_MODES];
            char *p = optarg, *end;
            int n = 0;
            for (; n < GV_TRAIN_MODES; n++) {
                m[n] = strtof(p, &end);
                if (end == p || !(m[n] >= 0 && m[n] <= 100))
                    break;
                p = end;
                if (*p != ',')
                    break;
                p++;
            }
            if (n != GV_TRAIN_MODES - 1 || *end || m[0] + m[1] + m[2] + m[3] + m[4] + m[5] <= 0)
                return gv_cli_usage_error("train", USAGE,
                                          "--mix: six shares L1,L2,L3,KEEP,HUMANIZE,BLIND, not '%s'", optarg);
            memcpy(o.mix, m, sizeof m);
            break;
        }
        case O_INPUTS:
            if (strcmp(optarg, "all") && strcmp(optarg, "groove"))
                return gv_cli_usage_error("train", USAGE, "--inputs: all or groove, not '%s'", optarg);
            c->src_features = strcmp(optarg, "all") ? GV_SRC_FEATURES : GV_COND_FEATURES;
            break;
        default: return gv_cli_bad_option("train", USAGE, argc, argv);
        }
        if (bad)
            return 2;
    }
    if (gv_cli_no_operands("train", USAGE, argc, argv))
        return 2;
    gv_err e = {{0}};
    if (gv_config_validate(c, &e) != 0)
        return gv_cli_usage_error("train", USAGE, "%s", e.msg);
    gv_kernels_set_threads(threads);

    char ckpt_buf[4096], log_buf[4096], cache[4096];
    if (!ckpt) {
        beside(out, ".ckpt", ckpt_buf, sizeof ckpt_buf);
        ckpt = ckpt_buf;
    }
    if (!log) {
        beside(out, ".csv", log_buf, sizeof log_buf);
        log = log_buf;
    }
    beside(out, ".windows", cache, sizeof cache);
    if (check_outputs(&o, out, ckpt, log, export_only) != 0)
        return 1;

    const char *splits[2] = {train_split, val_split};
    gv_windows w[2];
    FILE *info = quiet ? stderr : stdout;
    if (gv_data_cli_load(&dc, splits, 2, cache, w, info) != 0)
        return 1;
    int status = 1;
    gv_trainer *t = calloc(1, sizeof *t);
    if (!t) {
        gv_cli_error(NULL, "out of memory");
        goto done;
    }
    gv_windows learn, calib; /* views into w[0] */
    gv_windows_split_tenth(&w[0], &learn, &calib);
    if (!quiet)
        printf("training on %d windows; thresholds calibrated on the last %d of %s\n", learn.n, calib.n,
               train_split);
    if (refit) {
        gv_model m;
        if (gv_model_load(out, &m, &e) != 0) {
            gv_cli_error(out, "%s", e.msg);
            goto done;
        }
        float ew = o.loss.hit == GV_LOSS_BCE && o.loss.hit_penalty > 0 ? o.loss.hit_penalty : 1.f;
        status = finish_model(&m, out, &learn, &calib, o.seed, 1, ew, quiet) ? 1 : 0;
        if (status == 0)
            printf("refitted %s (thresholds and prior)\n", out);
        gv_model_free(&m);
        goto done;
    }
    if (gv_trainer_init(t, &o, &learn, &w[1], &e) != 0) {
        gv_cli_error(dc.dir, "%s", e.msg);
        free(t);
        t = NULL;
        goto done;
    }
    /* A run killed before its first checkpoint resumes from the start. */
    if (resume && !export_only && access(ckpt, F_OK) != 0 && errno == ENOENT) {
        if (!quiet)
            printf("no checkpoint %s yet: training from the start\n", ckpt);
        resume = 0;
    }
    if (resume && gv_trainer_resume(t, ckpt, &e) != 0) {
        gv_cli_error(ckpt, "%s", e.msg);
        goto done;
    }
    long spe = gv_trainer_steps_per_epoch(t);
    if (!quiet)
        printf("model: %zu parameters; %ld steps per epoch of %d, %d epochs%s\n", t->model.nparams, spe, o.batch,
               o.epochs, resume ? (export_only ? " (export)" : " (resumed)") : "");
    run_ctx rc = {.log_path = log, .out_path = out, .calib = &calib, .quiet = quiet};
    gv_progress_init(&rc.prog, stdout);
    epoch_ctx ec = {&rc, t, keep_last};
    int res = 0;
    if (!export_only) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_sigint;
        sigemptyset(&sa.sa_mask);
        struct sigaction old_int, old_term;
        stop_flag = 0;
        sigaction(SIGINT, &sa, &old_int);
        sigaction(SIGTERM, &sa, &old_term);
        gv_train_hooks h = {step_cb, on_epoch, NULL, &ec, ckpt, &stop_flag};
        res = gv_trainer_run(t, &h, &e);
        sigaction(SIGINT, &old_int, NULL);
        sigaction(SIGTERM, &old_term, NULL);
        gv_progress_break(&rc.prog);
        if (res < 0) {
            gv_cli_error(ckpt, "%s", e.msg);
            goto done;
        }
    }
    /* OUT already holds the best epoch unless none finished (or --export). */
    if ((export_only || t->nhist == 0) && write_model(t, out, &calib) != 0)
        goto done;
    if (res == 1) {
        printf("interrupted at step %ld: checkpoint %s; --resume continues\n", t->step, ckpt);
        status = 0;
        goto done;
    }
    if (!quiet && t->nhist > 0)
        gv_plot_losses(stdout, t->hist, t->nhist, 60, 12);
    gv_model best;
    if (gv_model_load(out, &best, &e) != 0) {
        gv_cli_error(out, "%s", e.msg);
        goto done;
    }
    if (finish_model(&best, out, &learn, &calib, o.seed, 0, 0, quiet) != 0) {
        gv_model_free(&best);
        goto done;
    }
    if (!quiet && w[1].n > 0) {
        gv_eval_opts eo;
        gv_eval_opts_default(&eo);
        gv_eval_result er;
        if (gv_eval_model(&best, &w[1], &eo, &er, &e) == 0)
            print_eval(val_split, &er);
    }
    printf("wrote %s: epoch %d of %d (thresholds", out, t->nhist ? t->hist[best_epoch(t, keep_last)].epoch : 0,
           t->nhist);
    for (int i = 0; i < GV_VOICES; i++)
        printf(" %s=%.2f", gv_voice_label(i), best.cfg.thresholds[i]);
    printf("), %.0f s of training\n", t->nhist ? t->hist[t->nhist - 1].seconds : 0.0);
    gv_model_free(&best);
    status = 0;
done:
    if (t) {
        gv_trainer_free(t);
        free(t);
    }
    gv_windows_free(&w[0]);
    gv_windows_free(&w[1]);
    return status;
}
