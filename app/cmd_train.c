/* cmd_train.c - `groove train`: train the VAE on MIDI drum data.
 * The options fill a run (trainer/run.h, which owns the policy: the files
 * written beside OUT, best-epoch selection, calibration, resume, the prior);
 * this front end loads the data, starts the run and prints its progress. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/cli.h"
#include "app/devicecli.h"
#include "app/commands.h"
#include "app/datacli.h"
#include "app/opts.h"
#include "kernels/kernels.h"
#include "trainer/dist.h"
#include "trainer/eval.h"
#include "trainer/progress.h"
#include "trainer/run.h"
#include "trainer/schedule.h"

static const char *USAGE = "[--data DIR] [-o OUT] [--epochs N] [--batch N] [--lr F] [--seed N] [--resume] [OPTIONS]";

static volatile sig_atomic_t stop_flag;
static void on_sigint(int sig)
{
    (void)sig;
    stop_flag = 1;
}

static void help(FILE *f)
{
    fprintf(f, "usage: groove train %s\n"
           "Trains the groove VAE on every MIDI file under DIR (GMD info.csv selects split/beat type/time signature).\n"
           "data:   --data DIR (patterns/gmd)  --beat-type beat|fill|any  --time-signature 4-4|any  --min-hits N (8)\n"
           "        --max-files N  --train-split NAME (train)  --val-split NAME (validation)\n"
           "        --hop N (steps between training windows: 16 a bar, 8 adds half-bar shifts, 4, 2, 1; 16)\n"
           "        --refit (no training: calibrate OUT's thresholds again and fit its sampling prior)\n"
           "output: -o, --output OUT (model.safetensors)  --checkpoint PATH (OUT-stem.ckpt)  --checkpoint-every N steps\n"
           "        --resume (continue from the checkpoint)  --export (only write OUT from the checkpoint)  --log CSV\n"
           "        --keep best|last (OUT: the epoch with the best validation F1 at 0.5, or the last; best)\n"
           "model:  --arch mgt-vae|groovae|groovae-hier (the transformer VAE, or Magenta's recurrent GrooVAE:\n"
           "        groove train --arch groovae --help; mgt-vae)\n"
           "        --d-model N  --d-model-enc N  --d-model-dec N  --heads N  --ff N  --layers N  --enc-layers N\n"
           "        --dec-layers N  --latent N  --o-activation tanh|sigmoid\n"
           "        --inputs all|groove (all: the groove in 1-3 lanes, kept voices and humanize, drawn per\n"
           "        example; groove: the groove alone, as models before them; all)\n"
           "        --mix L1,L2,L3,KEEP,HUM,BLIND (shares of the modes drawn per example;\n"
           "        0.3,0.15,0.15,0.2,0.1,0.1; blind: the decoder not told the groove, as in sampling)\n"
           "train:  --epochs N (20)  --batch N (64)  --lr F (1e-3)  --lr-min F (ratio, 0.05)  --warmup N (200)\n"
           "        --weight-decay F (0.01)  --clip F (1)  --dropout F (0.1)  --seed N (1)\n"
           "        --device cpu|cuda|auto (auto: CUDA when there is a GPU; the model runs on the CPU in\n"
           "        this version, so cuda fails with why and auto uses the CPU)\n"
           "        --threads N (the cores available: each step's batch in fixed shards on N threads; the\n"
           "        same model for any N)\n"
           "loss:   --hit-loss bce|dice  --hit-penalty F (0.5)  --vel-loss mse|bce  --off-loss mse|bce\n"
           "        --beta F (0.2)  --beta-schedule linear|cyclic  --beta-steps N (2000)  --beta-ramp F (0.5)\n"
           "        --free-bits F (nats, 32)  --vo-empty W (weight of empty cells in velocity/offset losses, 0)\n"
           "augment: --vel-dropout P (0)  --vel-const V (0.8)  --note-dropout P (0)\n"
           "several processes and machines: mpirun -np N groove train ... (each its N-th of every batch, the\n"
           "        gradients summed with MPI_Allreduce, rank 0 writes; --resume with the same N); MPI: %s\n",
           USAGE, gv_dist_built() ? "built in" : "not built in (no mpicc when this groove was built)");
}

/* What the options ask for. */
typedef struct train_args {
    gv_run_opts run;
    gv_data_cli dc;
    const char *train_split, *val_split;
    int quiet, refit;
    int device; /* --device: a gv_device, auto by default */
} train_args;

#define TA(m) offsetof(train_args, m)
/* --d-model, --heads, --ff, --layers: one value for the encoder and the decoder alike. */
#define BOTH(nm, top, enc, dec) \
    {.name = nm, .type = GV_OPT_INT, .lo = 1, .hi = top, .field = TA(run.train.cfg.enc), .field2 = TA(run.train.cfg.dec)}

static int opt_keep(const char *arg, void *keep_last, char *why, size_t n)
{
    if (strcmp(arg, "best") && strcmp(arg, "last"))
        return snprintf(why, n, "best or last, not '%s'", arg), -1;
    *(int *)keep_last = !strcmp(arg, "last");
    return 0;
}

static int opt_hop(const char *arg, void *hop, char *why, size_t n)
{
    char *end;
    long v = strtol(arg, &end, 10);
    if (!*arg || *end || v < 1 || v > GV_STEPS_PER_BAR || GV_STEPS_PER_BAR % v)
        return snprintf(why, n, "1, 2, 4, 8 or 16 steps, not '%s'", arg), -1;
    *(int *)hop = (int)v;
    return 0;
}

static int opt_o_activation(const char *arg, void *args, char *why, size_t n)
{
    gv_train_opts *o = &((train_args *)args)->run.train;
    if (strcmp(arg, "tanh") && strcmp(arg, "sigmoid"))
        return snprintf(why, n, "tanh or sigmoid, not '%s'", arg), -1;
    snprintf(o->cfg.o_activation, sizeof o->cfg.o_activation, "%s", arg);
    o->loss.off_sigmoid = !strcmp(arg, "sigmoid");
    return 0;
}

/* --arch here is the transformer's; cmd_train hands the recurrent ones to cmd_train_rnn. */
static int opt_arch(const char *arg, void *args, char *why, size_t n)
{
    (void)args;
    if (strcmp(arg, "mgt-vae"))
        return snprintf(why, n, "mgt-vae, groovae or groovae-hier, not '%s'", arg), -1;
    return 0;
}

static int opt_inputs(const char *arg, void *features, char *why, size_t n)
{
    if (strcmp(arg, "all") && strcmp(arg, "groove"))
        return snprintf(why, n, "all or groove, not '%s'", arg), -1;
    *(int *)features = strcmp(arg, "all") ? GV_SRC_FEATURES : GV_COND_FEATURES;
    return 0;
}

static int opt_hit_loss(const char *arg, void *loss, char *why, size_t n)
{
    if (gv_loss_parse(arg, loss) != 0 || *(int *)loss == GV_LOSS_MSE)
        return snprintf(why, n, "bce or dice, not '%s'", arg), -1;
    return 0;
}

/* --vel-loss, --off-loss */
static int opt_vo_loss(const char *arg, void *loss, char *why, size_t n)
{
    if (gv_loss_parse(arg, loss) != 0 || *(int *)loss == GV_LOSS_DICE)
        return snprintf(why, n, "mse or bce, not '%s'", arg), -1;
    return 0;
}

static int opt_beta_schedule(const char *arg, void *kind, char *why, size_t n)
{
    if (gv_beta_parse(arg, kind) != 0)
        return snprintf(why, n, "linear or cyclic, not '%s'", arg), -1;
    return 0;
}

/* --mix L1,L2,L3,KEEP,HUM,BLIND: six shares in 0..100, not all 0. */
static int opt_mix(const char *arg, void *mix, char *why, size_t n)
{
    float m[GV_TRAIN_MODES];
    const char *p = arg;
    char *end = (char *)arg;
    int k = 0;
    for (; k < GV_TRAIN_MODES; k++) {
        m[k] = strtof(p, &end);
        if (end == p || !(m[k] >= 0 && m[k] <= 100))
            break;
        p = end;
        if (*p != ',')
            break;
        p++;
    }
    if (k != GV_TRAIN_MODES - 1 || *end || m[0] + m[1] + m[2] + m[3] + m[4] + m[5] <= 0)
        return snprintf(why, n, "six shares L1,L2,L3,KEEP,HUMANIZE,BLIND, not '%s'", arg), -1;
    memcpy(mix, m, sizeof m);
    return 0;
}

static const gv_opt output_rows[] = {
    {.name = "output", .key = 'o', .type = GV_OPT_STR, .field = TA(run.out)},
    GV_OPT_S("checkpoint", train_args, run.ckpt),
    GV_OPT_I("checkpoint-every", 0, 100000000, train_args, run.train.ckpt_every),
    GV_OPT_B("resume", train_args, run.resume),
    GV_OPT_B("export", train_args, run.export_only),
    GV_OPT_FN_ROW("keep", opt_keep, train_args, run.keep_last),
    GV_OPT_S("log", train_args, run.log),
    GV_OPT_S("train-split", train_args, train_split),
    GV_OPT_S("val-split", train_args, val_split),
    GV_OPT_FN_ROW("hop", opt_hop, train_args, dc.o.train_hop),
    GV_OPT_B("quiet", train_args, quiet),
    GV_OPT_B("refit", train_args, refit),
    GV_OPT_THREADS(train_args, run.threads),
    GV_OPT_DEVICE(train_args, device),
};

static const gv_opt model_rows[] = {
    GV_OPT_FN_ALL("arch", opt_arch),
    BOTH("d-model", 4096, d_model_enc, d_model_dec),
    GV_OPT_I("d-model-enc", 1, 4096, train_args, run.train.cfg.d_model_enc),
    GV_OPT_I("d-model-dec", 1, 4096, train_args, run.train.cfg.d_model_dec),
    BOTH("heads", 64, nhead_enc, nhead_dec),
    BOTH("ff", 16384, dim_feedforward_enc, dim_feedforward_dec),
    BOTH("layers", 10, num_encoder_layers, num_decoder_layers),
    GV_OPT_I("enc-layers", 1, 10, train_args, run.train.cfg.num_encoder_layers),
    GV_OPT_I("dec-layers", 1, 10, train_args, run.train.cfg.num_decoder_layers),
    GV_OPT_I("latent", 1, 4096, train_args, run.train.cfg.latent_dim),
    GV_OPT_FN_ALL("o-activation", opt_o_activation),
    GV_OPT_FN_ROW("inputs", opt_inputs, train_args, run.train.cfg.src_features),
    GV_OPT_FN_ROW("mix", opt_mix, train_args, run.train.mix),
};

static const gv_opt loop_rows[] = {
    GV_OPT_I("epochs", 1, GV_TRAIN_MAX_EPOCHS, train_args, run.train.epochs),
    GV_OPT_I("batch", 1, 65536, train_args, run.train.batch),
    GV_OPT_F("lr", 0, 10, train_args, run.train.lr),
    GV_OPT_F("lr-min", 0, 1, train_args, run.train.lr_min_ratio),
    GV_OPT_I("warmup", 0, 100000000, train_args, run.train.warmup),
    GV_OPT_F("weight-decay", 0, 10, train_args, run.train.weight_decay),
    GV_OPT_F("clip", 0, 1e9, train_args, run.train.clip),
    GV_OPT_F("dropout", 0, 0.95, train_args, run.train.dropout),
    GV_OPT_SEED_ROW(train_args, run.train.seed),
    GV_OPT_F("vel-dropout", 0, 1, train_args, run.train.vel_dropout),
    GV_OPT_F("vel-const", 0, 1, train_args, run.train.vel_const),
    GV_OPT_F("note-dropout", 0, 1, train_args, run.train.note_dropout),
};

static const gv_opt loss_rows[] = {
    GV_OPT_FN_ROW("hit-loss", opt_hit_loss, train_args, run.train.loss.hit),
    GV_OPT_F("hit-penalty", 0, 1, train_args, run.train.loss.hit_penalty),
    GV_OPT_FN_ROW("vel-loss", opt_vo_loss, train_args, run.train.loss.vel),
    GV_OPT_FN_ROW("off-loss", opt_vo_loss, train_args, run.train.loss.off),
    GV_OPT_F("beta", 0, 100, train_args, run.train.beta_max),
    GV_OPT_FN_ROW("beta-schedule", opt_beta_schedule, train_args, run.train.beta_kind),
    GV_OPT_I("beta-steps", 0, 100000000, train_args, run.train.beta_period),
    GV_OPT_F("beta-ramp", 0.01, 1, train_args, run.train.beta_ramp),
    GV_OPT_F("free-bits", 0, 1e6, train_args, run.train.free_bits),
    GV_OPT_F("vo-empty", 0, 1, train_args, run.train.loss.vo_empty),
};

static const gv_opt_group train_groups[] = {
    GV_OPT_GROUP("train output", output_rows), GV_OPT_GROUP("train model", model_rows),
    GV_OPT_GROUP("train loop", loop_rows), GV_OPT_GROUP("train loss", loss_rows)};

/* The options: -1 to go on, else the exit status. */
static int parse(int argc, char **argv, train_args *a)
{
    memset(a, 0, sizeof *a);
    gv_train_opts_default(&a->run.train);
    a->run.train.cfg.src_features = GV_COND_FEATURES; /* --inputs all: lanes, kept voices, humanize */
    a->run.out = "model.safetensors";
    a->train_split = "train";
    a->val_split = "validation";
    a->run.threads = gv_default_threads();
    a->device = GV_DEVICE_AUTO;
    gv_data_cli_default(&a->dc);
    const gv_opt_use use[] = {{&gv_opts_data, &a->dc},   {&train_groups[0], a}, {&train_groups[1], a},
                              {&train_groups[2], a}, {&train_groups[3], a}};
    int rc = gv_opts_parse("train", help, use, 5, argc, argv);
    if (rc >= 0)
        return rc;
    if (gv_cli_no_operands("train", argc, argv))
        return 2;
    a->run.resume |= a->run.export_only;
    gv_err e = {0};
    if (gv_config_validate(&a->run.train.cfg, &e) != 0)
        return gv_cli_usage_error("train", "%s", e.msg);
    return -1;
}

/* ---- the run's progress ----------------------------------------------- */

typedef struct progress {
    gv_progress prog;
    int quiet;
} progress;

static void on_step(const gv_step_info *s, void *u)
{
    progress *p = u;
    if (!p->quiet)
        gv_progress_step(&p->prog, s);
}

static void on_epoch(const gv_epoch_stats *s, void *u)
{
    progress *p = u;
    if (!p->quiet)
        gv_progress_epoch(&p->prog, s);
}

static void on_error(const char *path, const char *msg, void *u)
{
    (void)u;
    gv_cli_error(path, "%s", msg);
}

/* The error line of a failed run call: the file at fault, else fallback. */
static int fail(const gv_run *r, const char *fallback, const gv_err *e)
{
    gv_cli_error(r->bad ? r->bad : fallback, "%s", e->msg);
    return 1;
}

static void prior_line(const gv_model *m, int windows)
{
    printf("sampling prior: a mixture of %d Gaussians fitted to %d training windows' latents\n",
           m->cfg.prior_components, windows);
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

/* Trains with SIGINT and SIGTERM asking for a checkpoint and a stop. */
static int train_loop(const train_args *a, gv_run *r, gv_err *e)
{
    progress p = {.quiet = a->quiet};
    gv_progress_init(&p.prog, stdout);
    gv_run_hooks h = {on_step, on_epoch, on_error, &p, &stop_flag};
    struct sigaction sa, old_int, old_term;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    stop_flag = 0;
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    int res = gv_run_train(r, &h, e);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    if (!a->run.export_only)
        gv_progress_break(&p.prog);
    return res;
}

/* The figures of OUT's model at the end. */
static void report(const train_args *a, const gv_run *r, const gv_model *best)
{
    const gv_trainer *t = r->t;
    if (!a->quiet)
        prior_line(best, r->learn.n);
    if (!a->quiet && r->val->n > 0) {
        gv_eval_opts eo;
        gv_eval_opts_default(&eo);
        gv_eval_result er;
        gv_err e = {0};
        if (gv_eval_model(best, r->val, &eo, &er, &e) == 0)
            print_eval(a->val_split, &er);
    }
    printf("wrote %s: epoch %d of %d (thresholds", a->run.out, t->nhist ? t->hist[gv_run_best_epoch(r)].epoch : 0,
           t->nhist);
    for (int i = 0; i < GV_VOICES; i++)
        printf(" %s=%.2f", gv_voice_label(i), best->cfg.thresholds[i]);
    printf("), %.0f s of training\n", t->nhist ? t->hist[t->nhist - 1].seconds : 0.0);
}

static int train(const train_args *a, gv_run *r)
{
    gv_err e = {0};
    if (gv_run_start(r, &e) != 0)
        return fail(r, a->dc.dir, &e);
    if (a->run.dist && a->run.dist->size > 1 && !a->quiet)
        printf("MPI: %d processes, %d rows of each batch of %d on this one, %d threads each\n", a->run.dist->size,
               a->run.train.batch / a->run.dist->size, a->run.train.batch, gv_trainer_threads(r->t));
    if (r->fresh && !a->quiet)
        printf("no checkpoint %s yet: training from the start\n", r->ckpt);
    const gv_train_opts *o = &a->run.train;
    if (!a->quiet)
        printf("model: %zu parameters; %ld steps per epoch of %d, %d epochs%s\n", r->t->model.nparams,
               gv_trainer_steps_per_epoch(r->t), o->batch, o->epochs,
               r->resumed ? (a->run.export_only ? " (export)" : " (resumed)") : "");
    int res = train_loop(a, r, &e);
    if (res < 0)
        return fail(r, NULL, &e);
    if (a->run.dist && a->run.dist->rank != 0)
        return 0; /* rank 0 reports, fits the prior and writes OUT */
    if (res == 1) {
        printf("interrupted at step %ld: checkpoint %s; --resume continues\n", r->t->step, r->ckpt);
        return 0;
    }
    if (!a->quiet && r->t->nhist > 0)
        gv_plot_losses(stdout, r->t->hist, r->t->nhist, 60, 12);
    gv_model best;
    if (gv_run_finish(r, &best, &e) != 0)
        return fail(r, NULL, &e);
    report(a, r, &best);
    gv_model_free(&best);
    return 0;
}

/* --refit: OUT's thresholds and prior again, no training. */
static int refit(const train_args *a, gv_run *r)
{
    gv_model m;
    gv_err e = {0};
    if (gv_run_refit(r, &m, &e) != 0)
        return fail(r, NULL, &e);
    if (!a->quiet)
        prior_line(&m, r->learn.n);
    printf("refitted %s (thresholds and prior)\n", a->run.out);
    gv_model_free(&m);
    return 0;
}

/* Under mpirun: joins the job (d), rank 0 alone talks; 0 or the exit
 * status. */
static int join(train_args *a, gv_dist *d)
{
    gv_err e = {0};
    if (gv_dist_init(d, NULL, NULL, &e) != 0) {
        gv_cli_error("train", "%s", e.msg);
        return 1;
    }
    if (d->size > 1 && (a->refit || a->run.export_only)) {
        if (d->rank == 0)
            gv_cli_error("train", "--refit and --export run in one process: without mpirun");
        gv_dist_finish(d);
        return 2;
    }
    a->run.dist = d;
    a->quiet |= d->rank != 0;
    return 0;
}

static int train_cmd(train_args *a);

int cmd_train(int argc, char **argv)
{
    for (int i = 1; i + 1 < argc; i++)
        if (!strcmp(argv[i], "--arch") && !strncmp(argv[i + 1], "groovae", 7))
            return cmd_train_rnn(argc, argv);
    train_args a;
    int rc = parse(argc, argv, &a);
    if (rc >= 0)
        return rc;
    if (gv_device_pick("train", a.device) < 0)
        return 1;
    gv_dist d;
    if ((rc = join(&a, &d)) != 0)
        return rc;
    rc = train_cmd(&a);
    if (rc != 0 && d.size > 1)
        gv_dist_abort(&d, rc); /* the other ranks may wait for this one: end the job */
    gv_dist_finish(&d);
    return rc;
}

static int train_cmd(train_args *a_)
{
    train_args a = *a_;
    int rc;
    gv_kernels_set_threads(1); /* the trainer's own workers run the products */
    a.dc.o.threads = a.run.threads;
    gv_run r;
    gv_run_init(&r, &a.run);
    gv_err e = {0};
    if (gv_run_check(&r, &e) != 0)
        return fail(&r, NULL, &e);
    const char *splits[2] = {a.train_split, a.val_split};
    gv_windows w[2];
    if (gv_data_cli_load(&a.dc, splits, 2, r.cache, w, a.quiet ? stderr : stdout) != 0)
        return 1;
    gv_run_data(&r, &w[0], &w[1]);
    if (!a.quiet)
        printf("training on %d windows; thresholds calibrated on the last %d of %s\n", r.learn.n, r.calib.n,
               a.train_split);
    rc = a.refit ? refit(&a, &r) : train(&a, &r);
    gv_run_free(&r);
    gv_windows_free(&w[0]);
    gv_windows_free(&w[1]);
    return rc;
}
