/* fuzz_zfile.c - libFuzzer target for `groove decode --z-file F` (make
 * fuzz): the input is F, decoded by the command itself (cmd_decode, its
 * reader is private to it) with a tiny model, printing JSON (to /dev/null)
 * and, for some inputs, writing the patterns and variations of each latent.
 * Any file must decode (0) or be refused with a message (1); never a usage
 * error, a crash or a sanitizer report. */
#include <getopt.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "app/gencli.h"
#include "engine/model.h"
#include "base/fileio.h"
#include "patterns/smf.h"
#include "tests/fuzz_util.h"

/* Declared here, not through app/commands.h: that declares the commands weak,
 * and a weak reference does not pull their objects out of libgroove.a. */
int cmd_decode(int argc, char **argv);
int cmd_encode(int argc, char **argv);

static char zpath[512], model[512], outdir[512];

static void tiny_model(void)
{
    gv_config c;
    gv_config_default(&c);
    c.d_model_enc = c.d_model_dec = 8;
    c.nhead_enc = c.nhead_dec = 2;
    c.dim_feedforward_enc = c.dim_feedforward_dec = 8;
    c.num_encoder_layers = c.num_decoder_layers = 1;
    c.latent_dim = 4;
    gv_model m;
    gv_err e;
    fz_path(model, sizeof model, "tiny.safetensors");
    if (gv_model_init_random(&m, &c, 7, &e) != 0 || gv_model_save(&m, model, &e) != 0)
        fz_die(e.msg, model);
    gv_model_free(&m);
}

/* Runs a command with stdout sent to path (NULL: /dev/null). */
static int run(int (*cmd)(int, char **), char **argv, const char *out)
{
    int argc = 0;
    while (argv[argc])
        argc++;
    fflush(stdout);
    if (!freopen(out ? out : "/dev/null", "w", stdout))
        fz_die("cannot redirect stdout", out ? out : "/dev/null");
    optind = 0; /* a fresh getopt scan for each command */
    int rc = cmd(argc, argv);
    fflush(stdout);
    return rc;
}

/* What groove itself writes that decode reads: its own --json output, and
 * encode --json output (the latents of a groove), made with the tiny model. */
static void write_seeds(void)
{
    fz_init("fuzz_zfile_seeds");
    tiny_model();
    const float z[3][4] = {{0, 0, 0, 0}, {0.5f, -1.25f, 2, 0.125f}, {-3, 3, 1e-3f, -0.75f}};
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "z", gv_json_rows(&z[0][0], 3, 4));
    char *text = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    fz_seed("gen-three-rows.json", text, strlen(text));
    char in[600], out[600], groove[600];
    fz_path(in, sizeof in, "in.json");
    fz_put(in, text, strlen(text));
    cJSON_free(text);
    fz_path(out, sizeof out, "out.json");
    char *dec[] = {"decode", "--z-file", in, "--model", model, "--json", NULL};
    if (run(cmd_decode, dec, out) != 0)
        fz_die("decode failed", in);
    fz_seed_file("gen-decode-output.json", out);
    gv_pattern p;
    gv_pattern_init(&p, GV_MODEL_STEPS, 110, "groove");
    for (int s = 0; s < GV_MODEL_STEPS; s += 2)
        gv_pattern_set(&p, s, s % 8 == 4 ? GV_SNARE : GV_KICK, 1, 0.5f + 0.05f * (float)(s % 5), 0.02f);
    gv_err e;
    fz_path(groove, sizeof groove, "groove.mid");
    if (gv_smf_save(groove, &p, &e) != 0)
        fz_die(e.msg, groove);
    char *enc[] = {"encode", groove, "--model", model, "--json", NULL};
    if (run(cmd_encode, enc, out) != 0)
        fz_die("encode failed", groove);
    fz_seed_file("gen-encode-output.json", out);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    if (fz_seeding()) {
        write_seeds();
        exit(0);
    }
    fz_init("fuzz_zfile");
    tiny_model();
    fz_path(zpath, sizeof zpath, "z.json");
    fz_path(outdir, sizeof outdir, "out");
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_put(zpath, data, size);
    /* the input's length picks the options, so that a file keeps its run */
    char *json[] = {"decode", "--z-file", zpath, "--model", model, "--json", NULL};
    char *files[] = {"decode", "--z-file", zpath, "--model", model, "-o", outdir, NULL};
    char *vary[] = {"decode", "--z-file", zpath, "--model", model, "-o", outdir,
                    "-n", "2", "--temperature", "0.5", "--seed", "7", "--json", NULL};
    char **argv = size % 3 == 0 ? json : size % 3 == 1 ? files : vary;
    int rc = run(cmd_decode, argv, NULL);
    if (rc != 0 && rc != 1)
        abort();
    fz_empty(outdir);
    return 0;
}
