/* cmd_info.c - `groove info [MODEL]`: a model's file, config, size and thresholds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/cli.h"
#include "app/commands.h"
#include "app/gencli.h"
#include "app/opts.h"
#include "engine/cond.h"
#include "engine/modelpath.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: groove info [MODEL] [--json] [--model M]\n"
            "Prints the weights file in use (MODEL, --model, $GROOVE_MODEL or the shipped\n"
            "model), its arch, config, modes (drumify, lanes, humanize, full), length,\n"
            "parameter count and per-voice hit thresholds.\n"
            "  --json             {\"path\":...,\"parameters\":N,\"config\":{...,\"modes\":[...]}}\n");
}

static int print_json(const gv_model *m)
{
    char *cfg = gv_config_to_json(&m->cfg, 0);
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "path", m->path);
    cJSON_AddItemToObject(root, "parameters", gv_json_u64(m->nparams));
    cJSON *c = cfg ? cJSON_Parse(cfg) : NULL;
    free(cfg);
    if (c && !cJSON_GetObjectItemCaseSensitive(c, "modes")) { /* none declared: what its inputs allow */
        cJSON *md = cJSON_AddArrayToObject(c, "modes");
        for (unsigned bit = 1; md && bit <= GV_MODES_ALL; bit <<= 1)
            if (gv_config_modes(&m->cfg) & bit)
                cJSON_AddItemToArray(md, cJSON_CreateString(gv_mode_name(bit)));
    }
    cJSON_AddItemToObject(root, "config", c);
    return gv_json_print(root);
}

/* A recurrent model's sizes (engine/rnn.h). */
static void rnn_text(const gv_config *c)
{
    const gv_rnn_config *r = &c->rnn;
    static const char *what[28] = {[3] = "the monotonic groove (drumify)", [9] = "the hits (humanize)",
                                   [27] = "the whole pattern (sample, vary, interpolate)"};
    printf("encoder     bidirectional LSTM, %d units each way, over %d steps of %s\n", r->enc, r->steps,
           what[r->input] ? what[r->input] : "?");
    if (r->hier)
        printf("decoder     conductor LSTM %d over %d bars, then %d x LSTM %d per bar (state reset each bar)\n",
               r->cond, r->steps / 16, r->dec_layers, r->dec);
    else
        printf("decoder     %d x LSTM %d, autoregressive over %d steps\n", r->dec_layers, r->dec, r->steps);
    printf("latent_dim  %d\n", c->latent_dim);
    printf("training    free bits %g, beta %g, decoder input dropout %g\n", (double)r->free_bits, (double)r->beta,
           (double)r->dropout);
}

static void print_text(const gv_model *m)
{
    const gv_config *c = &m->cfg;
    printf("model       %s\n", m->path);
    printf("arch        %s\n", c->arch);
    printf("parameters  %zu (%.1f MiB of float32)\n", m->nparams, (double)m->nparams * 4 / (1 << 20));
    if (gv_config_is_rnn(c)) {
        rnn_text(c);
    } else {
        printf("encoder     %d layers, d_model %d, %d heads, feed-forward %d\n", c->num_encoder_layers,
               c->d_model_enc, c->nhead_enc, c->dim_feedforward_enc);
        printf("decoder     %d layers, d_model %d, %d heads, feed-forward %d\n", c->num_decoder_layers,
               c->d_model_dec, c->nhead_dec, c->dim_feedforward_dec);
        printf("latent_dim  %d\n", c->latent_dim);
        printf("input       %d steps x %d features; output %d voices, offsets by %s\n", c->steps,
               c->src_features, c->voices, c->o_activation);
        printf("layer_norm  eps %g\n", (double)c->layer_norm_eps);
    }
    char modes[64];
    gv_modes_str(gv_config_modes(c), modes, sizeof modes);
    printf("modes       %s%s\n", modes,
           !gv_config_is_rnn(c) && c->src_features == GV_COND_FEATURES
               ? " (the groove in 1, 2 or 3 lanes, kept voices: --lanes, --keep-voices)"
           : !gv_config_is_rnn(c) ? " (the groove alone, 1 lane)"
                                  : "");
    printf("length      %d bars (%d steps): longer patterns in %d-bar chunks\n", c->steps / GV_STEPS_PER_BAR,
           c->steps, c->steps / GV_STEPS_PER_BAR);
    if (c->prior_components)
        printf("prior       a mixture of %d Gaussians fitted to the training latents (groove sample)\n",
               c->prior_components);
    else
        printf("prior       N(0, I)\n");
    printf("thresholds ");
    for (int v = 0; v < GV_VOICES; v++)
        printf(" %s %.3f", gv_voice_label(v), (double)c->thresholds[v]);
    printf("\n");
}

int cmd_info(int argc, char **argv)
{
    gv_gencli g;
    gv_gencli_default(&g);
    const gv_opt_use use[] = {{&gv_opts_model, &g}};
    int rc = gv_opts_parse("info", usage, use, 1, argc, argv);
    if (rc >= 0)
        return rc;
    if (argc - optind > 1 || (argc - optind == 1 && g.model)) {
        gv_cli_error("info", "give one model, as MODEL or --model (groove info --help)");
        return 2;
    }
    if (optind < argc)
        g.model = argv[optind];
    gv_model m;
    char path[GV_GENCLI_PATH];
    gv_err e = {0};
    if (gv_model_open(g.model, &m, path, sizeof path, &e) != 0) { /* any model, 4-bar ones too */
        gv_cli_error(path[0] ? path : NULL, "%s", e.msg);
        return 1;
    }
    if (g.json) {
        rc = print_json(&m);
    } else {
        print_text(&m);
        rc = 0;
        if (fflush(stdout) != 0) {
            gv_cli_error(NULL, "cannot write to standard output");
            rc = 1;
        }
    }
    gv_model_free(&m);
    return rc;
}
