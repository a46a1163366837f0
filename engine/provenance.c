/* provenance.c - the one provenance record (see provenance.h). */
#include "engine/provenance.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/fileio.h"
#include "base/json.h"
#include "patterns/lanes.h"

#define SEED_LIMIT 9007199254740992.0 /* 2^53: seeds below it are exact in JSON */

void gv_prov_init(gv_prov *p, const char *kind)
{
    memset(p, 0, sizeof *p);
    p->version = GV_PROV_VERSION;
    snprintf(p->kind, sizeof p->kind, "%s", kind ? kind : "");
    p->density = 1.f;
    p->feel = (gv_feel){GV_FEEL_AUTO, GV_FEEL_AUTO};
    gv_cond_default(&p->cond);
}

void gv_prov_set_model(gv_prov *p, const gv_model *m)
{
    p->model[0] = 0;
    if (m->path[0])
        gv_path_stem(m->path, p->model, sizeof p->model);
    snprintf(p->arch, sizeof p->arch, "%s", m->cfg.arch);
}

void gv_prov_set_gen(gv_prov *p, const gv_gen_opts *o, int from_groove)
{
    p->seed = o->seed;
    p->temperature = o->temperature;
    p->density = o->density;
    p->sampling = o->sampling;
    p->from_groove = from_groove;
    if (from_groove) {
        p->feel = o->feel;
        p->cond = o->cond;
    }
}

void gv_prov_stamp(gv_prov *p)
{
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    strftime(p->created, sizeof p->created, "%Y-%m-%dT%H:%M:%S", &tm);
}

void gv_prov_set_z(gv_prov *p, const float *z, int chunks, int L)
{
    int n = chunks * L;
    p->zdim = z && n > 0 && n <= GV_PROV_Z_MAX ? n : 0;
    p->zchunks = p->zdim ? chunks : 0;
    if (p->zdim)
        memcpy(p->z, z, (size_t)n * sizeof *z);
}

/* How a groove was drummed: feel and conditioning (provenance.h). */
static void add_cond(cJSON *o, const gv_prov *p)
{
    cJSON_AddStringToObject(o, "timing", gv_feel_name(p->feel.timing));
    cJSON_AddStringToObject(o, "dynamics", gv_feel_name(p->feel.dynamics));
    cJSON_AddNumberToObject(o, "lanes", p->cond.lanes);
    if (p->cond.keep) {
        char kept[128];
        gv_voice_set_format(p->cond.keep, kept, sizeof kept);
        cJSON_AddStringToObject(o, "keep_voices", kept);
    }
    if (p->cond.humanize)
        cJSON_AddTrueToObject(o, "humanize");
}

cJSON *gv_prov_to_json_z(const gv_prov *p, const float *z, int chunks, int L, unsigned flags)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    if (p->created[0])
        cJSON_AddStringToObject(o, "created", p->created);
    cJSON_AddItemToObject(o, "bpm", gv_json_number(p->bpm));
    cJSON_AddStringToObject(o, "kind", p->kind);
    cJSON_AddStringToObject(o, "model", p->model);
    cJSON_AddItemToObject(o, "seed", gv_json_u64(p->seed));
    cJSON_AddItemToObject(o, "temperature", gv_json_number(p->temperature));
    cJSON_AddItemToObject(o, "density", gv_json_number(p->density));
    cJSON_AddItemToObject(o, "swing", gv_json_number(p->swing));
    if (p->has_groove)
        cJSON_AddItemToObject(o, "groove", gv_json_rows(p->groove, GV_MODEL_STEPS, 3));
    if (z && chunks > 0 && L > 0)
        cJSON_AddItemToObject(o, "z", flags & GV_PROV_Z_ROWS ? gv_json_rows(z, chunks, L)
                                                             : gv_json_floats(z, chunks * L));
    cJSON_AddNumberToObject(o, "format_version", GV_PROV_VERSION);
    if (p->arch[0])
        cJSON_AddStringToObject(o, "arch", p->arch);
    cJSON_AddStringToObject(o, "sampling", p->sampling == GV_SAMPLING_BERNOULLI ? "bernoulli" : "threshold");
    if (p->from_groove)
        add_cond(o, p);
    if (p->has_t)
        cJSON_AddNumberToObject(o, "t", p->t);
    return o;
}

cJSON *gv_prov_to_json(const gv_prov *p, unsigned flags)
{
    int chunks = p->zchunks > 0 && p->zdim % p->zchunks == 0 ? p->zchunks : 1;
    return gv_prov_to_json_z(p, p->zdim ? p->z : NULL, chunks, p->zdim / chunks, flags);
}

static void copy_string(const cJSON *o, const char *key, char *out, size_t n)
{
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(o, key);
    if (cJSON_IsString(s))
        snprintf(out, n, "%s", s->valuestring);
}

static double get_number(const cJSON *o, const char *key, double dflt)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) ? v->valuedouble : dflt;
}

static void read_groove(const cJSON *g, gv_prov *p)
{
    if (!cJSON_IsArray(g) || cJSON_GetArraySize(g) != GV_MODEL_STEPS)
        return;
    p->has_groove = 1;
    int s = 0;
    const cJSON *row;
    cJSON_ArrayForEach(row, g)
    {
        for (int k = 0; k < 3; k++) {
            const cJSON *v = cJSON_GetArrayItem(row, k);
            p->groove[3 * s + k] = cJSON_IsNumber(v) ? (float)v->valuedouble : 0;
        }
        s++;
    }
}

/* The feel and conditioning keys; from_groove when any is there. */
static void read_cond(const cJSON *o, gv_prov *p)
{
    static const char *const keys[] = {"timing", "dynamics", "lanes", "keep_voices", "humanize"};
    for (int k = 0; k < 5; k++)
        p->from_groove |= cJSON_GetObjectItemCaseSensitive(o, keys[k]) != NULL;
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(o, "timing"), *d = cJSON_GetObjectItemCaseSensitive(o, "dynamics");
    gv_err e;
    if (cJSON_IsString(t) && gv_feel_parse(t->valuestring, &p->feel.timing, &e) != 0)
        p->feel.timing = GV_FEEL_AUTO;
    if (cJSON_IsString(d) && gv_feel_parse(d->valuestring, &p->feel.dynamics, &e) != 0)
        p->feel.dynamics = GV_FEEL_AUTO;
    double lanes = get_number(o, "lanes", 1);
    p->cond.lanes = lanes >= 1 && lanes <= GV_MAX_LANES ? (int)lanes : 1;
    const cJSON *kv = cJSON_GetObjectItemCaseSensitive(o, "keep_voices");
    unsigned keep = 0;
    if (cJSON_IsString(kv) && kv->valuestring[0] && gv_voice_set_parse(kv->valuestring, &keep, &e) == 0 &&
        keep != (1u << GV_VOICES) - 1)
        p->cond.keep = keep;
    p->cond.humanize = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "humanize"));
}

/* z flat or as rows of equal length (provenance.h). */
static int read_z(const cJSON *z, gv_prov *p, gv_err *e)
{
    if (!cJSON_IsArray(z) || !cJSON_IsArray(z->child))
        return gv_prov_latent(z, p->z, GV_PROV_Z_MAX, &p->zdim, e);
    int n = 0, rows = 0, len = -1;
    const cJSON *row;
    cJSON_ArrayForEach(row, z)
    {
        int k;
        if (gv_prov_latent(row, p->z + n, GV_PROV_Z_MAX - n, &k, e) != 0)
            return -1;
        if (len >= 0 && k != len)
            return gv_fail(e, "z: rows of %d and %d numbers", len, k);
        len = k;
        n += k;
        rows++;
    }
    p->zdim = n;
    p->zchunks = rows;
    return 0;
}

int gv_prov_from_json(const cJSON *o, gv_prov *p, gv_err *e)
{
    gv_prov_init(p, "");
    p->version = (int)get_number(o, "format_version", 0);
    copy_string(o, "created", p->created, sizeof p->created);
    copy_string(o, "kind", p->kind, sizeof p->kind);
    copy_string(o, "model", p->model, sizeof p->model);
    copy_string(o, "arch", p->arch, sizeof p->arch);
    double seed = get_number(o, "seed", 0);
    p->seed = seed > 0 && seed < SEED_LIMIT ? (uint64_t)seed : 0;
    p->temperature = (float)get_number(o, "temperature", 0);
    p->density = (float)get_number(o, "density", 1);
    p->bpm = (float)get_number(o, "bpm", 0);
    double swing = get_number(o, "swing", 0); /* older sidecars have none: straight */
    p->swing = swing > 0 ? (float)(swing < 1 ? swing : 1) : 0;
    const cJSON *smp = cJSON_GetObjectItemCaseSensitive(o, "sampling");
    p->sampling = cJSON_IsString(smp) && !strcmp(smp->valuestring, "bernoulli") ? GV_SAMPLING_BERNOULLI
                                                                                 : GV_SAMPLING_THRESHOLD;
    read_cond(o, p);
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(o, "t");
    if (cJSON_IsNumber(t)) {
        p->has_t = 1;
        p->t = t->valuedouble;
    }
    read_groove(cJSON_GetObjectItemCaseSensitive(o, "groove"), p);
    const cJSON *z = cJSON_GetObjectItemCaseSensitive(o, "z");
    if (!z || cJSON_IsNull(z))
        return 0;
    if (read_z(z, p, e) != 0) {
        memset(p->z, 0, sizeof p->z);
        p->zdim = p->zchunks = 0;
        return -1;
    }
    return 0;
}

int gv_prov_latent(const cJSON *arr, float *z, int max, int *n, gv_err *e)
{
    *n = 0;
    if (!cJSON_IsArray(arr))
        return gv_fail(e, "z: not an array of numbers");
    int k = 0;
    const cJSON *v;
    cJSON_ArrayForEach(v, arr)
    {
        if (k == max)
            return gv_fail(e, "z: more than %d numbers", max);
        if (!cJSON_IsNumber(v))
            return gv_fail(e, "z[%d]: not a number", k);
        double x = v->valuedouble; /* checked as a double: 1e39 would become inf as a float */
        if (!isfinite(x) || fabs(x) > GV_Z_ABS_MAX)
            return gv_fail(e, "z[%d] = %g is not a usable latent value (finite, |z| at most %g)", k, x,
                           GV_Z_ABS_MAX);
        z[k++] = (float)x;
    }
    *n = k;
    return 0;
}
