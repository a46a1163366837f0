/* cmd_eval.c - `groove eval`: score a model against real drummers on a split
 * (trainer/eval.h), beside the two anchors (nearest neighbour from the train
 * split, groove on the closed hi-hat). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "app/cli.h"
#include "app/commands.h"
#include "app/datacli.h"
#include "engine/modelpath.h"
#include "kernels/kernels.h"
#include "trainer/eval.h"

static const char *USAGE = "[--model M] [--data DIR] [--split validation] [--json] [OPTIONS]";

enum { O_MODEL = 0x2100, O_SPLIT, O_SUGG, O_TEMP, O_SEED, O_MAXW, O_NOANCH, O_JSON, O_THREADS, O_TIMING, O_DYNAMICS };

static void print_row(const char *what, const gv_eval_result *r)
{
    printf("%-18s %6.3f %6.3f %6.3f %6.3f %6.3f %6.3f %6.3f %6.3f ", what, r->f1, r->precision, r->recall,
           r->hit_acc, r->empty_acc, r->vel_mae, r->off_mae, r->rhythm_f1);
    if (r->diversity >= 0)
        printf("%6.3f\n", r->diversity);
    else
        printf("%6s\n", "-");
}

static void print_json(const char *what, const gv_eval_result *r, int last)
{
    printf("  \"%s\": {\"windows\": %d, \"f1\": %.4f, \"precision\": %.4f, \"recall\": %.4f, \"hit_accuracy\": %.4f, "
           "\"no_hit_accuracy\": %.4f, \"velocity_mae\": %.4f, \"offset_mae\": %.4f, \"velocity_mae_own_feel\": %.4f, "
           "\"offset_mae_own_feel\": %.4f, \"rhythm_f1\": %.4f, ",
           what, r->windows, r->f1, r->precision, r->recall, r->hit_acc, r->empty_acc, r->vel_mae, r->off_mae,
           r->vel_mae_own, r->off_mae_own, r->rhythm_f1);
    if (r->diversity >= 0)
        printf("\"diversity\": %.4f, ", r->diversity);
    else
        printf("\"diversity\": null, ");
    printf("\"f1_voice\": {");
    for (int v = 0; v < GV_VOICES; v++)
        printf("%s\"%s\": %.4f", v ? ", " : "", gv_voice_name(v), r->f1_voice[v]);
    printf("}}%s\n", last ? "" : ",");
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
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0},
    };
    gv_data_cli dc;
    gv_data_cli_default(&dc);
    gv_eval_opts eo;
    gv_eval_opts_default(&eo);
    const char *model_opt = NULL, *split = "validation";
    int anchors = 1, json = 0, threads = 1, ch;
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
                   "  --timing auto|model|groove (auto)  --dynamics auto|model|groove (auto): the player's feel, as generate\n",
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
    gv_kernels_set_threads(threads);
    gv_err e = {{0}};
    char path[4096];
    if (gv_model_path(model_opt, path, sizeof path, &e) != 0) {
        gv_cli_error(NULL, "%s", e.msg);
        return 1;
    }
    gv_model m;
    if (gv_model_load(path, &m, &e) != 0) {
        gv_cli_error(path, "%s", e.msg);
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
    }
    status = 0;
done:
    gv_windows_free(&w[0]);
    if (anchors)
        gv_windows_free(&w[1]);
    gv_model_free(&m);
    return status;
}
