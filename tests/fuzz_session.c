/* fuzz_session.c - libFuzzer target for the TUI's session file (make fuzz):
 * the input is session.json in a scratch state directory, restored into a
 * fresh core with gv_session_load as the TUI does at start-up.  Any file must
 * restore or be refused with a message; a restored core must be in range,
 * save, and restore from what it saved to the same settings and patterns.
 * The directory is emptied after each run, so whatever the loader leaves
 * beside the file (a moved-aside copy, a lock) does not pile up. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "session/session.h"
#include "base/fileio.h"
#include "tests/fuzz_util.h"

static char dir[512], path[512], again[512];
/* Cores are big (a third of a MiB, more with the undo history): made once,
 * reset from a fresh one before each run, so the fuzzer's time goes to the
 * parser and not to mapping and unmapping pages. */
static gv_core *fresh, *core[2];

static void reset_core(gv_core *c)
{
    gv_pattern *undo = c->undo, *redo = c->redo;
    *c = *fresh;
    c->undo = undo;
    c->redo = redo;
}

static void fill_core(gv_core *c)
{
    c->set.bpm = 97;
    c->set.swing = 0.32f;
    c->set.temperature = 1.3f;
    c->set.density = 0.8f;
    c->set.n = 3;
    c->set.click = 1;
    c->set.feel = GV_FEEL_P_TIMING;
    c->next_seed = 4242;
    for (int s = 0; s < GV_MODEL_STEPS; s += 2)
        gv_pattern_set(&c->input, s, GV_CHAT, 1, s % 8 ? 0.6f : 0.95f, s % 4 ? 0.08f : 0);
    gv_pattern_set(&c->input, 0, GV_KICK, 1, 1, 0);
    gv_pattern_set(&c->input, 20, GV_SNARE, 1, 0.9f, -0.02f);
    snprintf(c->input_src, sizeof c->input_src, "file groove.mid");
    c->nsugg = 3;
    for (int i = 0; i < c->nsugg; i++) {
        gv_sugg *g = &c->sugg[i];
        gv_pattern_init(&g->pat, GV_MODEL_STEPS, 97, "");
        for (int s = i; s < GV_MODEL_STEPS; s += 3)
            gv_pattern_set(&g->pat, s, s % GV_VOICES, 1, 0.5f + 0.1f * (float)i, 0.01f * (float)i);
        snprintf(g->meta.kind, sizeof g->meta.kind, "%s", i ? "vary" : "generate");
        snprintf(g->meta.model, sizeof g->meta.model, "default.safetensors");
        g->meta.seed = 1000u + (unsigned)i;
        g->meta.temperature = 1.3f;
        g->meta.density = 0.8f;
        g->meta.bpm = 97;
        g->meta.zdim = 16;
        for (int k = 0; k < g->meta.zdim; k++)
            g->meta.z[k] = (float)(k - 8) / 4;
        if (i == 0) {
            g->meta.has_groove = 1;
            gv_pattern_groove(&c->input, g->meta.groove);
        }
        g->kept = i == 1;
        g->exported = i == 2;
        if (g->kept)
            snprintf(g->kept_name, sizeof g->kept_name, "20250101-120000-keep");
    }
    c->sel = 1;
    c->cur_step = 5;
    c->cur_row = 2;
}

/* Sessions as gv_session_save writes them: a fresh core, a busy one. */
static void write_seeds(void)
{
    fz_init("fuzz_session_seeds");
    gv_err e;
    gv_core *c = gv_core_new(NULL);
    if (!c || gv_session_save(c, fz_path(path, sizeof path, "s.json"), &e) != 0)
        fz_die(e.msg, path);
    fz_seed_file("gen-fresh.json", path);
    fill_core(c);
    if (gv_session_save(c, path, &e) != 0)
        fz_die(e.msg, path);
    fz_seed_file("gen-suggestions.json", path);
    gv_core_free(c);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    if (fz_seeding()) {
        write_seeds();
        exit(0);
    }
    fz_init("fuzz_session");
    fz_path(dir, sizeof dir, "state");
    snprintf(path, sizeof path, "%s/session.json", dir);
    snprintf(again, sizeof again, "%s/again/session.json", dir);
    fresh = gv_core_new(NULL);
    core[0] = gv_core_new(NULL);
    core[1] = gv_core_new(NULL);
    if (!fresh || !core[0] || !core[1])
        abort();
    return 0;
}

static int same_pattern(const gv_pattern *a, const gv_pattern *b)
{
    if (a->steps != b->steps)
        return 0;
    for (int s = 0; s < a->steps; s++)
        for (int v = 0; v < GV_VOICES; v++)
            if (a->hit[s][v] != b->hit[s][v] || a->vel[s][v] != b->vel[s][v] || a->off[s][v] != b->off[s][v])
                return 0;
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gv_err e;
    e.msg[0] = 0;
    if (gv_mkdirs(dir, &e) != 0)
        fz_die(e.msg, dir);
    fz_put(path, data, size);
    gv_core *c = core[0], *d = core[1];
    reset_core(c);
    reset_core(d);
    int rc = gv_session_load(c, path, &e);
    if (rc != 0) {
        if (rc != -1 || !e.msg[0])
            abort(); /* the file is there: restored, or refused saying why */
        goto out;
    }
    const gv_settings *s = &c->set;
    if (c->nsugg < 0 || c->nsugg > GV_CORE_MAX_N || c->sel < 0 || (c->nsugg && c->sel >= c->nsugg) ||
        c->input.steps != GV_MODEL_STEPS || !(s->bpm >= GV_BPM_MIN && s->bpm <= GV_BPM_MAX) ||
        !(s->swing >= 0 && s->swing <= 1) || !(s->temperature >= 0 && s->temperature <= GV_TEMP_MAX) ||
        !(s->density >= GV_DENS_MIN && s->density <= GV_DENS_MAX) || s->n < 1 || s->n > GV_CORE_MAX_N ||
        s->feel < 0 || s->feel >= GV_FEEL_PRESETS || c->cur_step < 0 || c->cur_step >= GV_MODEL_STEPS ||
        c->cur_row < 0 || c->cur_row >= GV_VOICES || !memchr(c->input_src, 0, sizeof c->input_src))
        abort();
    for (int i = 0; i < c->nsugg; i++)
        if (c->sugg[i].pat.steps != GV_MODEL_STEPS || c->sugg[i].meta.zdim < 0 ||
            c->sugg[i].meta.zdim > GV_Z_MAX || !memchr(c->sugg[i].kept_name, 0, sizeof c->sugg[i].kept_name))
            abort();
    /* what was restored is what the next save writes: it must restore the same */
    if (gv_session_save(c, again, &e) != 0 || gv_session_load(d, again, &e) != 0)
        abort();
    const gv_settings *t = &d->set; /* floats compare as numbers: JSON writes -0 as 0 */
    if (s->bpm != t->bpm || s->swing != t->swing || s->temperature != t->temperature ||
        s->density != t->density || s->feel != t->feel || s->n != t->n || s->click != t->click ||
        !same_pattern(&c->input, &d->input) ||
        c->nsugg != d->nsugg || c->sel != d->sel)
        abort();
    for (int i = 0; i < c->nsugg; i++)
        if (!same_pattern(&c->sugg[i].pat, &d->sugg[i].pat) || c->sugg[i].kept != d->sugg[i].kept ||
            strcmp(c->sugg[i].kept_name, d->sugg[i].kept_name))
            abort();
out:
    fz_empty(dir);
    char sub[600];
    snprintf(sub, sizeof sub, "%s/again", dir);
    fz_empty(sub);
    return 0;
}
