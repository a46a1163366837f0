/* config.c - the mgt-vae config: defaults, validation and its JSON form (the
 * safetensors "config" metadata and the .json sidecar). */
#include "engine/config.h"

#include "engine/cond.h"
#include "engine/layout.h"
#include "engine/rnn.h"
#include "base/json.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DIM 2048
#define MAX_FF 16384
#define MAX_PARAMS (1u << 28) /* 1 GiB of floats */

void gv_config_default(gv_config *c)
{
    memset(c, 0, sizeof *c);
    snprintf(c->arch, sizeof c->arch, "mgt-vae");
    c->steps = GV_MODEL_STEPS;
    c->voices = GV_VOICES;
    c->src_features = GV_SRC_FEATURES;
    c->d_model_enc = 128;
    c->nhead_enc = 4;
    c->dim_feedforward_enc = 256;
    c->num_encoder_layers = 2;
    c->d_model_dec = 128;
    c->nhead_dec = 4;
    c->dim_feedforward_dec = 256;
    c->num_decoder_layers = 2;
    c->latent_dim = 64;
    snprintf(c->o_activation, sizeof c->o_activation, "tanh");
    c->layer_norm_eps = 1e-5f;
    c->empty_weight = 1.0f;
    for (int v = 0; v < GV_VOICES; v++)
        c->thresholds[v] = 0.5f;
}

static int check_range(gv_err *e, const char *key, int v, int lo, int hi)
{
    if (v < lo || v > hi)
        return gv_failc(e, GV_E_RANGE, "config: %s = %d, expected %d..%d", key, v, lo, hi);
    return 0;
}

int gv_config_is_rnn(const gv_config *c) { return strncmp(c->arch, "groovae", 7) == 0; }

static const char *const mode_names[] = {"drumify", "lanes", "humanize", "full"};
#define NMODES (int)(sizeof mode_names / sizeof mode_names[0])

unsigned gv_config_modes_allowed(const gv_config *c)
{
    if (gv_config_is_rnn(c))
        return c->rnn.input == GV_RNN_IN_GROOVE ? GV_MODE_DRUMIFY
               : c->rnn.input == GV_RNN_IN_HITS ? GV_MODE_HUMANIZE
                                                 : GV_MODE_FULL;
    return c->src_features == GV_COND_FEATURES ? GV_MODES_ALL : GV_MODE_DRUMIFY;
}

unsigned gv_config_modes(const gv_config *c) { return c->modes ? c->modes : gv_config_modes_allowed(c); }

const char *gv_mode_name(unsigned bit)
{
    for (int i = 0; i < NMODES; i++)
        if (bit == 1u << i)
            return mode_names[i];
    return NULL;
}

void gv_modes_str(unsigned modes, char *buf, size_t n)
{
    size_t at = 0;
    buf[0] = 0;
    for (int i = 0; i < NMODES; i++)
        if (modes >> i & 1u && at < n)
            at += (size_t)snprintf(buf + at, n - at, "%s%s", at ? ", " : "", mode_names[i]);
    if (!at)
        snprintf(buf, n, "none");
}

int gv_config_need(const gv_config *c, unsigned need, gv_err *e)
{
    unsigned has = gv_config_modes(c), lack = need & ~has;
    if (!lack)
        return 0;
    /* the transformer of the groove alone keeps the line it always had */
    if (!gv_config_is_rnn(c) && c->src_features == GV_SRC_FEATURES && !(lack & ~(GV_MODE_LANES | GV_MODE_HUMANIZE)))
        return gv_failc(e, GV_E_MODEL, "this model takes the groove alone (1 lane, nothing kept, no humanize); "
                                       "one trained with `groove train --inputs all` takes lanes, kept voices "
                                       "and humanize");
    char list[64];
    gv_modes_str(has, list, sizeof list);
    return gv_failc(e, GV_E_MODEL, "this %d-bar %s model has no %s mode (its modes: %s)", c->steps / GV_STEPS_PER_BAR,
                    c->arch, gv_mode_name(lack & -lack), list);
}

void gv_config_default_rnn(gv_config *c, int hier)
{
    gv_config_default(c);
    gv_rnn_config_default(&c->rnn, hier);
    snprintf(c->arch, sizeof c->arch, "%s", hier ? "groovae-hier" : "groovae");
    c->d_model_enc = c->nhead_enc = c->dim_feedforward_enc = c->num_encoder_layers = 0;
    c->d_model_dec = c->nhead_dec = c->dim_feedforward_dec = c->num_decoder_layers = 0;
    gv_config_rnn_sync(c);
}

void gv_config_rnn_sync(gv_config *c)
{
    c->steps = c->rnn.steps;
    c->src_features = c->rnn.input;
    c->latent_dim = c->rnn.latent;
    c->modes = gv_config_modes_allowed(c); /* a recurrent model's file says what it is for */
}

/* The recurrent family: its own checks, and the fields that mirror it. */
static int validate_rnn(const gv_config *c, gv_err *e)
{
    int hier = strcmp(c->arch, "groovae-hier") == 0;
    if (!hier && strcmp(c->arch, "groovae") != 0)
        return gv_failc(e, GV_E_FORMAT, "config: arch \"%.16s\", expected \"groovae\" or \"groovae-hier\"", c->arch);
    gv_err why = {0};
    if (gv_rnn_config_check(&c->rnn, &why))
        return gv_failc(e, GV_E_FORMAT, "config: %s", why.msg);
    if (c->rnn.hier != hier || c->steps != c->rnn.steps || c->src_features != c->rnn.input ||
        c->latent_dim != c->rnn.latent || c->voices != GV_VOICES)
        return gv_failc(e, GV_E_FORMAT, "config: arch, steps, src_features, latent_dim or voices disagree with "
                                        "the recurrent sizes");
    if (c->prior_components)
        return gv_failc(e, GV_E_FORMAT, "config: a %s model has no mixture prior", c->arch);
    for (int v = 0; v < GV_VOICES; v++)
        if (!(c->thresholds[v] >= 0.0f && c->thresholds[v] <= 1.0f))
            return gv_failc(e, GV_E_RANGE, "config: threshold %d = %g out of [0, 1]", v, (double)c->thresholds[v]);
    size_t np;
    gv_rnn_tensors(&c->rnn, NULL, &np);
    if (np > MAX_PARAMS)
        return gv_failc(e, GV_E_RANGE, "config: %zu parameters, limit %u", np, MAX_PARAMS);
    return 0;
}

/* Declared modes are ones the inputs allow. */
static int validate_modes(const gv_config *c, gv_err *e)
{
    unsigned bad = c->modes & ~gv_config_modes_allowed(c);
    if (!bad)
        return 0;
    const char *name = gv_mode_name(bad & -bad);
    if (!name)
        return gv_failc(e, GV_E_FORMAT, "config: modes 0x%x: unknown bits", c->modes);
    return gv_failc(e, GV_E_FORMAT, "config: mode \"%s\" is not one its inputs allow", name);
}

int gv_config_validate(const gv_config *c, gv_err *e)
{
    if (validate_modes(c, e))
        return -1;
    if (gv_config_is_rnn(c))
        return validate_rnn(c, e);
    if (strcmp(c->arch, "mgt-vae") != 0)
        return gv_failc(e, GV_E_FORMAT, "config: arch \"%.16s\", expected \"mgt-vae\", \"groovae\" or \"groovae-hier\"", c->arch);
    /* src_features 3: the groove alone (models before issue 20); GV_COND_FEATURES:
     * lanes, kept voices and humanize (engine/cond.h) */
    if (c->steps != GV_MODEL_STEPS || c->voices != GV_VOICES ||
        (c->src_features != GV_SRC_FEATURES && c->src_features != GV_COND_FEATURES))
        return gv_failc(e, GV_E_FORMAT, "config: steps/voices/src_features = %d/%d/%d, expected %d/%d/%d or %d", c->steps,
                       c->voices, c->src_features, GV_MODEL_STEPS, GV_VOICES, GV_SRC_FEATURES,
                       GV_COND_FEATURES);
    if (check_range(e, "d_model_enc", c->d_model_enc, 1, MAX_DIM) ||
        check_range(e, "nhead_enc", c->nhead_enc, 1, c->d_model_enc) ||
        check_range(e, "dim_feedforward_enc", c->dim_feedforward_enc, 1, MAX_FF) ||
        check_range(e, "num_encoder_layers", c->num_encoder_layers, 0, GV_MAX_LAYERS) ||
        check_range(e, "d_model_dec", c->d_model_dec, 1, MAX_DIM) ||
        check_range(e, "nhead_dec", c->nhead_dec, 1, c->d_model_dec) ||
        check_range(e, "dim_feedforward_dec", c->dim_feedforward_dec, 1, MAX_FF) ||
        check_range(e, "num_decoder_layers", c->num_decoder_layers, 0, GV_MAX_LAYERS) ||
        check_range(e, "latent_dim", c->latent_dim, 1, MAX_DIM) ||
        check_range(e, "prior_components", c->prior_components, 0, GV_PRIOR_MAX_COMPONENTS))
        return -1;
    if (c->d_model_enc % c->nhead_enc || c->d_model_dec % c->nhead_dec)
        return gv_failc(e, GV_E_RANGE, "config: nhead must divide d_model (%d/%d, %d/%d)", c->d_model_enc,
                       c->nhead_enc, c->d_model_dec, c->nhead_dec);
    if (c->num_encoder_layers + c->num_decoder_layers > GV_MAX_LAYERS)
        return gv_failc(e, GV_E_RANGE, "config: more than %d layers in all", GV_MAX_LAYERS);
    if (strcmp(c->o_activation, "tanh") != 0 && strcmp(c->o_activation, "sigmoid") != 0)
        return gv_failc(e, GV_E_FORMAT, "config: o_activation \"%.16s\", expected \"tanh\" or \"sigmoid\"",
                       c->o_activation);
    if (!(c->empty_weight > 0.0f && c->empty_weight <= 1.0f))
        return gv_failc(e, GV_E_RANGE, "config: empty_weight %g out of (0, 1]", (double)c->empty_weight);
    if (!(c->layer_norm_eps > 0.0f && c->layer_norm_eps < 1.0f))
        return gv_failc(e, GV_E_RANGE, "config: layer_norm_eps %g out of (0, 1)", (double)c->layer_norm_eps);
    for (int v = 0; v < GV_VOICES; v++)
        if (!(c->thresholds[v] >= 0.0f && c->thresholds[v] <= 1.0f))
            return gv_failc(e, GV_E_RANGE, "config: threshold %d = %g out of [0, 1]", v, (double)c->thresholds[v]);
    gv_layout L;
    gv_layout_build(c, &L, NULL);
    if (L.nparams > MAX_PARAMS)
        return gv_failc(e, GV_E_RANGE, "config: %zu parameters, limit %u", L.nparams, MAX_PARAMS);
    return 0;
}

/* The shortest decimal that reads back as the same float, so that 1e-5f is
 * written "1e-05" and not "9.9999997473787516e-06". */
static double short_float(float f)
{
    char buf[32];
    for (int prec = 6; prec < 9; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, (double)f);
        if ((float)strtod(buf, NULL) == f)
            return strtod(buf, NULL);
    }
    return (double)f;
}

/* The modes, the thresholds array, then the text; o is deleted. */
static char *finish_json(const gv_config *c, cJSON *o, int pretty)
{
    cJSON *md = c->modes ? cJSON_AddArrayToObject(o, "modes") : NULL; /* none declared: none written */
    for (int i = 0; md && i < NMODES; i++)
        if (c->modes >> i & 1u)
            cJSON_AddItemToArray(md, cJSON_CreateString(mode_names[i]));
    cJSON *th = cJSON_AddArrayToObject(o, "thresholds");
    for (int v = 0; th && v < GV_VOICES; v++)
        cJSON_AddItemToArray(th, cJSON_CreateNumber(short_float(c->thresholds[v])));
    char *s = pretty ? cJSON_Print(o) : cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return s;
}

/* A recurrent model's keys: the mirrored ones, then the family's own (the
 * names tests/reference/groovae.py reads). */
static char *rnn_to_json(const gv_config *c, cJSON *o, int pretty)
{
    const gv_rnn_config *r = &c->rnn;
    const struct { const char *k; int v; } ints[] = {
        {"steps", c->steps}, {"voices", c->voices}, {"src_features", c->src_features},
        {"latent_dim", c->latent_dim}, {"hier", r->hier}, {"input", r->input}, {"enc", r->enc},
        {"latent", r->latent}, {"dec", r->dec}, {"dec_layers", r->dec_layers}, {"cond", r->cond},
    };
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++)
        cJSON_AddNumberToObject(o, ints[i].k, ints[i].v);
    cJSON_AddNumberToObject(o, "dropout", short_float(r->dropout));
    cJSON_AddNumberToObject(o, "free_bits", short_float(r->free_bits));
    cJSON_AddNumberToObject(o, "beta", short_float(r->beta));
    return finish_json(c, o, pretty);
}

char *gv_config_to_json(const gv_config *c, int pretty)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddStringToObject(o, "arch", c->arch);
    if (gv_config_is_rnn(c))
        return rnn_to_json(c, o, pretty);
    const struct { const char *k; int v; } ints[] = {
        {"steps", c->steps}, {"voices", c->voices}, {"src_features", c->src_features},
        {"d_model_enc", c->d_model_enc}, {"nhead_enc", c->nhead_enc},
        {"dim_feedforward_enc", c->dim_feedforward_enc}, {"num_encoder_layers", c->num_encoder_layers},
        {"d_model_dec", c->d_model_dec}, {"nhead_dec", c->nhead_dec},
        {"dim_feedforward_dec", c->dim_feedforward_dec}, {"num_decoder_layers", c->num_decoder_layers},
        {"latent_dim", c->latent_dim},
    };
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++)
        cJSON_AddNumberToObject(o, ints[i].k, ints[i].v);
    if (c->prior_components) /* absent: none, as in models before it */
        cJSON_AddNumberToObject(o, "prior_components", c->prior_components);
    if (c->empty_weight != 1.0f)
        cJSON_AddNumberToObject(o, "empty_weight", short_float(c->empty_weight));
    cJSON_AddStringToObject(o, "o_activation", c->o_activation);
    cJSON_AddNumberToObject(o, "layer_norm_eps", short_float(c->layer_norm_eps));
    return finish_json(c, o, pretty);
}

static int get_int(const cJSON *o, const char *k, int *out, gv_err *e)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, k);
    if (!it)
        return gv_failc(e, GV_E_FORMAT, "config: missing \"%s\"", k);
    double d = it->valuedouble;
    if (!cJSON_IsNumber(it) || d != floor(d) || d < -1e9 || d > 1e9)
        return gv_failc(e, GV_E_FORMAT, "config: \"%s\" is not an integer", k);
    *out = (int)d;
    return 0;
}

static int get_str(const cJSON *o, const char *k, char *out, size_t n, gv_err *e)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, k);
    if (!it)
        return gv_failc(e, GV_E_FORMAT, "config: missing \"%s\"", k);
    if (!cJSON_IsString(it) || strlen(it->valuestring) >= n)
        return gv_failc(e, GV_E_FORMAT, "config: \"%s\" is not a short string", k);
    snprintf(out, n, "%s", it->valuestring);
    return 0;
}

static int get_float(const cJSON *it, const char *k, float *out, gv_err *e)
{
    if (!cJSON_IsNumber(it) || !isfinite(it->valuedouble))
        return gv_failc(e, GV_E_FORMAT, "config: \"%s\" is not a number", k);
    *out = (float)it->valuedouble;
    return 0;
}

/* Thresholds are optional (a model fresh from PyTorch has none calibrated). */
static int thresholds_from_json(const cJSON *o, gv_config *c, gv_err *e)
{
    const cJSON *th = cJSON_GetObjectItemCaseSensitive(o, "thresholds");
    for (int v = 0; v < GV_VOICES; v++)
        c->thresholds[v] = 0.5f;
    if (!th)
        return 0;
    if (!cJSON_IsArray(th) || cJSON_GetArraySize(th) != GV_VOICES)
        return gv_failc(e, GV_E_FORMAT, "config: \"thresholds\" is not an array of %d numbers", GV_VOICES);
    for (int v = 0; v < GV_VOICES; v++)
        if (get_float(cJSON_GetArrayItem(th, v), "thresholds", &c->thresholds[v], e))
            return -1;
    return 0;
}

/* Modes are optional (files before them declare none). */
static int modes_from_json(const cJSON *o, gv_config *c, gv_err *e)
{
    const cJSON *md = cJSON_GetObjectItemCaseSensitive(o, "modes"), *it;
    c->modes = 0;
    if (!md)
        return 0;
    if (!cJSON_IsArray(md) || cJSON_GetArraySize(md) == 0)
        return gv_failc(e, GV_E_FORMAT, "config: \"modes\" is not an array of mode names");
    cJSON_ArrayForEach(it, md) {
        int i = 0;
        while (i < NMODES && !(cJSON_IsString(it) && strcmp(it->valuestring, mode_names[i]) == 0))
            i++;
        if (i == NMODES)
            return gv_failc(e, GV_E_FORMAT, "config: unknown mode %s%.32s%s (drumify, lanes, humanize, full)",
                            cJSON_IsString(it) ? "\"" : "", cJSON_IsString(it) ? it->valuestring : "(not a string)",
                            cJSON_IsString(it) ? "\"" : "");
        c->modes |= 1u << i;
    }
    return 0;
}

/* A recurrent model's sizes (rnn_to_json's keys); the mirrored fields follow. */
static int rnn_from_json(const cJSON *o, gv_config *c, gv_err *e)
{
    gv_rnn_config *r = &c->rnn;
    const struct { const char *k; int *v; } ints[] = {
        {"hier", &r->hier}, {"steps", &r->steps}, {"input", &r->input}, {"enc", &r->enc}, {"latent", &r->latent},
        {"dec", &r->dec}, {"dec_layers", &r->dec_layers}, {"cond", &r->cond}, {"voices", &c->voices},
    };
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++)
        if (get_int(o, ints[i].k, ints[i].v, e))
            return -1;
    if (get_float(cJSON_GetObjectItemCaseSensitive(o, "dropout"), "dropout", &r->dropout, e) ||
        get_float(cJSON_GetObjectItemCaseSensitive(o, "free_bits"), "free_bits", &r->free_bits, e) ||
        get_float(cJSON_GetObjectItemCaseSensitive(o, "beta"), "beta", &r->beta, e))
        return -1;
    gv_config_rnn_sync(c);
    c->empty_weight = 1.0f;
    snprintf(c->o_activation, sizeof c->o_activation, "tanh");
    return 0;
}

int gv_config_from_json(const char *json, size_t len, gv_config *c, gv_err *e)
{
    memset(c, 0, sizeof *c);
    cJSON *o = gv_json_object(json, len, "config: not valid JSON", "config: not a JSON object", e);
    if (!o)
        return -1;
    int rc = -1;
    if (get_str(o, "arch", c->arch, sizeof c->arch, e))
        goto out;
    if (gv_config_is_rnn(c)) {
        if (rnn_from_json(o, c, e) == 0 && thresholds_from_json(o, c, e) == 0 && modes_from_json(o, c, e) == 0)
            rc = gv_config_validate(c, e);
        goto out;
    }
    if (get_int(o, "steps", &c->steps, e) ||
        get_int(o, "voices", &c->voices, e) || get_int(o, "src_features", &c->src_features, e) ||
        get_int(o, "d_model_enc", &c->d_model_enc, e) || get_int(o, "nhead_enc", &c->nhead_enc, e) ||
        get_int(o, "dim_feedforward_enc", &c->dim_feedforward_enc, e) ||
        get_int(o, "num_encoder_layers", &c->num_encoder_layers, e) ||
        get_int(o, "d_model_dec", &c->d_model_dec, e) || get_int(o, "nhead_dec", &c->nhead_dec, e) ||
        get_int(o, "dim_feedforward_dec", &c->dim_feedforward_dec, e) ||
        get_int(o, "num_decoder_layers", &c->num_decoder_layers, e) ||
        get_int(o, "latent_dim", &c->latent_dim, e) ||
        get_str(o, "o_activation", c->o_activation, sizeof c->o_activation, e) ||
        get_float(cJSON_GetObjectItemCaseSensitive(o, "layer_norm_eps"), "layer_norm_eps",
                  &c->layer_norm_eps, e))
        goto out;
    if (cJSON_GetObjectItemCaseSensitive(o, "prior_components") &&
        get_int(o, "prior_components", &c->prior_components, e))
        goto out;
    c->empty_weight = 1.0f;
    const cJSON *ew = cJSON_GetObjectItemCaseSensitive(o, "empty_weight");
    if (ew && get_float(ew, "empty_weight", &c->empty_weight, e))
        goto out;
    if (thresholds_from_json(o, c, e) || modes_from_json(o, c, e))
        goto out;
    rc = gv_config_validate(c, e);
out:
    cJSON_Delete(o);
    return rc;
}
