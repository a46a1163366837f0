/* fuzz_library.c - libFuzzer target for library sidecars (make fuzz): an
 * entry whose .mid is good and whose NAME.json is the input, loaded with
 * gv_library_load as the TUI's library does.  The pattern must always load
 * (a bad sidecar only loses its metadata, with a message); metadata that
 * loads must be in range and survive being written back and read again. */
#include <cJSON.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "session/library.h"
#include "base/fileio.h"
#include "patterns/smf.h"
#include "tests/fuzz_util.h"

static char libdir[512], json[512];
static gv_pattern pat;
static gv_lib_meta meta, back;

static void groove_pattern(gv_pattern *p)
{
    gv_pattern_init(p, GV_MODEL_STEPS, 100, "");
    for (int s = 0; s < GV_MODEL_STEPS; s++) {
        gv_pattern_set(p, s, GV_CHAT, 1, s % 4 ? 0.5f : 0.9f, s % 2 ? 0.1f : 0);
        if (s % 8 == 4)
            gv_pattern_set(p, s, GV_SNARE, 1, 1, -0.05f);
        if (s % 16 == 0 || s % 16 == 10)
            gv_pattern_set(p, s, GV_KICK, 1, 0.8f, 0);
    }
}

/* Sidecars as gv_library_save writes them: generated with a groove and a
 * latent, varied without a groove, a hand-made entry with no metadata. */
static void write_seeds(void)
{
    fz_init("fuzz_library_seeds");
    groove_pattern(&pat);
    memset(&meta, 0, sizeof meta);
    snprintf(meta.kind, sizeof meta.kind, "generate");
    snprintf(meta.model, sizeof meta.model, "default.safetensors");
    snprintf(meta.created, sizeof meta.created, "2025-01-01T12:00:00");
    meta.seed = 1234567890123ull;
    meta.temperature = 0.8f;
    meta.density = 1.2f;
    meta.bpm = 100;
    meta.has_groove = 1;
    gv_pattern_groove(&pat, meta.groove);
    meta.zdim = 2 * 64;
    for (int i = 0; i < meta.zdim; i++)
        meta.z[i] = sinf((float)i) * 2;
    char name[GV_LIB_NAME], path[1024];
    gv_err e;
    if (gv_library_save(fz_dir, &pat, &meta, "gen", name, &e) != 0)
        fz_die(e.msg, fz_dir);
    snprintf(path, sizeof path, "%s/%s.json", fz_dir, name);
    fz_seed_file("gen-generate.json", path);
    meta.has_groove = 0;
    meta.zdim = GV_Z_MAX;
    snprintf(meta.kind, sizeof meta.kind, "vary");
    meta.temperature = 0;
    if (gv_library_save(fz_dir, &pat, &meta, "vary", name, &e) != 0)
        fz_die(e.msg, fz_dir);
    snprintf(path, sizeof path, "%s/%s.json", fz_dir, name);
    fz_seed_file("gen-vary-full-z.json", path);
    memset(&meta, 0, sizeof meta);
    if (gv_library_save(fz_dir, &pat, &meta, "", name, &e) != 0)
        fz_die(e.msg, fz_dir);
    snprintf(path, sizeof path, "%s/%s.json", fz_dir, name);
    fz_seed_file("gen-empty-meta.json", path);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    if (fz_seeding()) {
        write_seeds();
        exit(0);
    }
    fz_init("fuzz_library");
    fz_path(libdir, sizeof libdir, "library");
    char mid[1024];
    snprintf(mid, sizeof mid, "%s/entry.mid", libdir);
    snprintf(json, sizeof json, "%s/entry.json", libdir);
    gv_err e;
    groove_pattern(&pat);
    if (gv_mkdirs(libdir, &e) != 0 || gv_smf_save(mid, &pat, &e) != 0)
        fz_die(e.msg, mid);
    return 0;
}

static int finite_meta(const gv_lib_meta *m)
{
    int ok = isfinite(m->temperature) && isfinite(m->density) && isfinite(m->bpm);
    for (int i = 0; i < GV_MODEL_STEPS * 3; i++)
        ok &= isfinite(m->groove[i]) != 0;
    for (int i = 0; i < m->zdim; i++)
        ok &= isfinite(m->z[i]) != 0;
    return ok;
}

/* Field by field: floats compare as numbers (JSON writes -0 as 0). */
static int same_meta(const gv_lib_meta *a, const gv_lib_meta *b)
{
    int ok = !strcmp(a->kind, b->kind) && !strcmp(a->model, b->model) && !strcmp(a->created, b->created) &&
             a->seed == b->seed && a->temperature == b->temperature && a->density == b->density &&
             a->bpm == b->bpm && a->has_groove == b->has_groove && a->zdim == b->zdim;
    for (int i = 0; ok && i < GV_MODEL_STEPS * 3; i++)
        ok = a->groove[i] == b->groove[i];
    for (int i = 0; ok && i < a->zdim; i++)
        ok = a->z[i] == b->z[i];
    return ok;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gv_err e;
    e.msg[0] = 0;
    fz_put(json, data, size);
    int rc = gv_library_load(libdir, "entry", &pat, &meta, &e);
    if (rc < 0 || pat.steps != GV_MODEL_STEPS || gv_pattern_count(&pat) == 0)
        abort(); /* the .mid is good: the entry must load whatever its sidecar says */
    if (rc == 1) {
        if (!strstr(e.msg, "entry.json"))
            abort(); /* the message names the sidecar */
        return 0;
    }
    if (meta.zdim < 0 || meta.zdim > GV_Z_MAX || !memchr(meta.kind, 0, sizeof meta.kind) ||
        !memchr(meta.model, 0, sizeof meta.model) || !memchr(meta.created, 0, sizeof meta.created))
        abort();
    if (!finite_meta(&meta))
        return 0; /* JSON has no inf/nan: such a latent cannot be written back as it is */
    cJSON *o = gv_lib_meta_to_json(&meta);
    char *text = o ? cJSON_PrintUnformatted(o) : NULL;
    cJSON_Delete(o);
    if (!text)
        abort();
    o = cJSON_Parse(text);
    cJSON_free(text);
    if (!cJSON_IsObject(o))
        abort();
    if (gv_lib_meta_from_json(o, &back, &e) != 0)
        abort(); /* what was loaded (latent checked) writes back and reads again */
    cJSON_Delete(o);
    if (!same_meta(&meta, &back))
        abort();
    return 0;
}
