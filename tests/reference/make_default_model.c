/* make_default_model.c - writes engine/models/default.safetensors (+ .json):
 * the default config with seeded PyTorch-like random weights, the stand-in
 * until the trainer ships trained weights.  Not part of the build:
 *
 *   make build/libgroove.a
 *   cc -std=c11 -I. tests/reference/make_default_model.c build/libgroove.a \
 *      $(pkg-config --libs libcjson openblas) -lm -o /tmp/mkdefault
 *   /tmp/mkdefault engine/models/default.safetensors */
#include <stdio.h>

#include "engine/model.h"

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s OUT.safetensors\n", argv[0]);
        return 2;
    }
    gv_config c;
    gv_model m;
    gv_err e;
    gv_config_default(&c);
    if (gv_model_init_random(&m, &c, 20240601, &e) || gv_model_save(&m, argv[1], &e)) {
        fprintf(stderr, "groove: %s: %s\n", argv[1], e.msg);
        return 1;
    }
    gv_model_free(&m);
    return 0;
}
