/* tui_model.c - the model key (see tui.h): the next of the models groove
 * ships (every models/NAME.safetensors beside the default one, in name
 * order) and the file named with --model, loaded in place of the present
 * one.  The session asks only between jobs and outside a jam
 * (session/core.h), so the worker is stopped idle and started again on the
 * new model; a file that does not load, or that generation refuses, is
 * skipped with a message and the next one tried. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/tui.h"
#include "session/core_song.h"
#include "base/datadir.h"
#include "base/fileio.h"
#include "engine/modelpath.h"
#include "engine/ops.h"

#define MAX_MODELS 32

typedef struct model_list {
    int n;
    char path[MAX_MODELS][4096];
} model_list;

static int cmp_path(const void *a, const void *b) { return strcmp(a, b); }

/* The shipped models, sorted, and the present one when it is not among them. */
static void list_models(const tui *t, model_list *l)
{
    l->n = 0;
    char def[4096];
    if (gv_data_path(GV_DEFAULT_MODEL, def, sizeof def) == 0) {
        char *slash = strrchr(def, '/');
        if (slash)
            *slash = 0;
        DIR *d = opendir(slash ? def : ".");
        for (struct dirent *de; d && (de = readdir(d)) && l->n < MAX_MODELS;) {
            size_t len = strlen(de->d_name), x = strlen(".safetensors");
            if (len > x && !strcmp(de->d_name + len - x, ".safetensors") && de->d_name[0] != '.')
                snprintf(l->path[l->n++], sizeof l->path[0], "%.2048s/%.1024s", slash ? def : ".", de->d_name);
        }
        if (d)
            closedir(d);
        qsort(l->path, (size_t)l->n, sizeof l->path[0], cmp_path);
    }
    int found = 0;
    for (int i = 0; i < l->n; i++)
        found |= !strcmp(l->path[i], t->model_path);
    if (!found && t->model_path[0] && l->n < MAX_MODELS)
        snprintf(l->path[l->n++], sizeof l->path[0], "%s", t->model_path);
}

/* Loads path into t in place of the present model; -1 (e) leaves t as it was. */
static int swap_to(tui *t, const char *path, gv_err *e)
{
    gv_model m;
    if (gv_model_load(path, &m, e) != 0)
        return -1;
    if (gv_op_model_ok(&m, 0, GV_MODEL_STEPS, e) != 0) { /* the TUI works in 2-bar windows */
        gv_model_free(&m);
        return -1;
    }
    tui_worker_stop(&t->w);
    if (t->has_model)
        gv_model_free(&t->model);
    t->model = m;
    t->has_model = 1;
    snprintf(t->model_path, sizeof t->model_path, "%s", path);
    char stem[256];
    gv_path_stem(path, stem, sizeof stem);
    gv_core_set_model(t->c, stem, t->model.cfg.latent_dim);
    gv_core_set_model_cond(t->c, t->model.cfg.src_features == GV_COND_FEATURES);
    gv_core_song_set_model(t->c, &t->model); /* the song view's fills */
    gv_err we = {0};
    if (tui_worker_start(&t->w, &t->model, &we) != 0)
        gv_core_msg(t->c, 1, "generation: %s", we.msg);
    return 0;
}

void tui_model_next(tui *t)
{
    t->c->model_request = 0;
    model_list *l = malloc(sizeof *l);
    if (!l) {
        gv_core_msg(t->c, 1, "out of memory");
        return;
    }
    list_models(t, l);
    int at = -1;
    for (int i = 0; i < l->n; i++)
        if (!strcmp(l->path[i], t->model_path))
            at = i;
    char skipped[512] = "";
    for (int k = 1; k <= l->n; k++) {
        const char *p = l->path[(at + k + l->n) % l->n];
        if (at >= 0 && !strcmp(p, t->model_path))
            break; /* round to the present one: nothing else loads */
        gv_err e = {0};
        if (swap_to(t, p, &e) == 0) {
            const gv_config *c = &t->model.cfg;
            gv_core_msg(t->c, 0, "model %s: %s, %d bars%s%s", t->c->model_name, c->arch,
                        c->steps / GV_STEPS_PER_BAR, skipped[0] ? "; skipped " : "", skipped);
            free(l);
            return;
        }
        char stem[256];
        gv_path_stem(p, stem, sizeof stem);
        size_t u = strlen(skipped);
        snprintf(skipped + u, sizeof skipped - u, "%s%s (%.80s)", u ? ", " : "", stem, e.msg);
    }
    gv_core_msg(t->c, 1, "no other model%s%s", skipped[0] ? " loads: " : "", skipped);
    free(l);
}
