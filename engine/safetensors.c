/* safetensors.c - parse and write the safetensors container. */
#include "engine/safetensors.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/fileio.h"
#include "base/json.h"

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "safetensors data is little-endian; add byte swapping for this host"
#endif

static const struct { const char *name; size_t size; } dtypes[] = {
    {"F64", 8}, {"F32", 4}, {"F16", 2}, {"BF16", 2}, {"I64", 8}, {"U64", 8}, {"I32", 4},
    {"U32", 4}, {"I16", 2}, {"U16", 2}, {"I8", 1},   {"U8", 1},  {"BOOL", 1},
};

static size_t dtype_size(const char *s)
{
    for (size_t i = 0; i < sizeof dtypes / sizeof dtypes[0]; i++)
        if (strcmp(s, dtypes[i].name) == 0)
            return dtypes[i].size;
    return 0;
}

/* A JSON number that is an integer in [0, max]. */
static int json_uint(const cJSON *it, double max, uint64_t *out)
{
    if (!cJSON_IsNumber(it))
        return -1;
    double d = it->valuedouble;
    if (!(d >= 0 && d <= max) || d != floor(d))
        return -1;
    *out = (uint64_t)d;
    return 0;
}

static int parse_tensor(const cJSON *it, size_t data_len, gv_st_tensor *t, gv_err *e)
{
    if (strlen(it->string) >= sizeof t->name)
        return gv_failc(e, GV_E_FORMAT, "tensor name \"%.40s...\" too long", it->string);
    snprintf(t->name, sizeof t->name, "%s", it->string);
    if (!cJSON_IsObject(it))
        return gv_failc(e, GV_E_FORMAT, "tensor %s: entry is not an object", t->name);
    const cJSON *dt = cJSON_GetObjectItemCaseSensitive(it, "dtype");
    if (!cJSON_IsString(dt) || strlen(dt->valuestring) >= sizeof t->dtype || !dtype_size(dt->valuestring))
        return gv_failc(e, GV_E_FORMAT, "tensor %s: missing or unknown dtype", t->name);
    snprintf(t->dtype, sizeof t->dtype, "%s", dt->valuestring);
    const cJSON *sh = cJSON_GetObjectItemCaseSensitive(it, "shape");
    if (!cJSON_IsArray(sh) || cJSON_GetArraySize(sh) > GV_ST_MAX_DIMS)
        return gv_failc(e, GV_E_FORMAT, "tensor %s: shape is not an array of at most %d sizes", t->name, GV_ST_MAX_DIMS);
    uint64_t bytes = dtype_size(t->dtype);
    t->ndim = 0;
    const cJSON *d;
    cJSON_ArrayForEach(d, sh)
    {
        uint64_t v;
        if (json_uint(d, 4294967295.0, &v) || (v && bytes > UINT64_MAX / v))
            return gv_failc(e, GV_E_FORMAT, "tensor %s: bad shape", t->name);
        t->shape[t->ndim++] = v;
        bytes *= v;
    }
    const cJSON *off = cJSON_GetObjectItemCaseSensitive(it, "data_offsets");
    uint64_t b, en;
    if (!cJSON_IsArray(off) || cJSON_GetArraySize(off) != 2 || json_uint(cJSON_GetArrayItem(off, 0), 9e15, &b) ||
        json_uint(cJSON_GetArrayItem(off, 1), 9e15, &en))
        return gv_failc(e, GV_E_FORMAT, "tensor %s: data_offsets is not a pair of byte offsets", t->name);
    if (b > en)
        return gv_failc(e, GV_E_FORMAT, "tensor %s: data_offsets [%llu, %llu] run backwards", t->name,
                       (unsigned long long)b, (unsigned long long)en);
    if (en > data_len)
        return gv_failc(e, GV_E_FORMAT, "tensor %s: data_offsets end %llu past the %zu data bytes (truncated file?)",
                       t->name, (unsigned long long)en, data_len);
    if (en - b != bytes)
        return gv_failc(e, GV_E_FORMAT, "tensor %s: data_offsets span %llu bytes, its dtype and shape need %llu", t->name,
                       (unsigned long long)(en - b), (unsigned long long)bytes);
    t->begin = (size_t)b;
    t->end = (size_t)en;
    return 0;
}

static int by_begin(const void *a, const void *b)
{
    const gv_st_tensor *x = *(const gv_st_tensor *const *)a, *y = *(const gv_st_tensor *const *)b;
    if (x->begin != y->begin)
        return x->begin < y->begin ? -1 : 1;
    return (x->end > y->end) - (x->end < y->end);
}

static int by_name(const void *a, const void *b)
{
    return strcmp((*(const gv_st_tensor *const *)a)->name, (*(const gv_st_tensor *const *)b)->name);
}

/* Offsets must tile the data section exactly: no overlap, no gap, no tail;
 * names must be unique. */
static int check_tiling(gv_st_file *f, gv_err *e)
{
    if (f->n == 0)
        return f->data_len ? gv_failc(e, GV_E_FORMAT, "%zu data bytes but no tensors", f->data_len) : 0;
    const gv_st_tensor **s = malloc((size_t)f->n * sizeof *s);
    if (!s)
        return gv_failc(e, GV_E_NOMEM, "out of memory");
    for (int i = 0; i < f->n; i++)
        s[i] = &f->t[i];
    int rc = 0;
    qsort(s, (size_t)f->n, sizeof *s, by_name);
    for (int i = 1; i < f->n && !rc; i++)
        if (strcmp(s[i - 1]->name, s[i]->name) == 0)
            rc = gv_failc(e, GV_E_FORMAT, "tensor %s appears twice", s[i]->name);
    qsort(s, (size_t)f->n, sizeof *s, by_begin);
    size_t at = 0;
    for (int i = 0; i < f->n && !rc; i++) {
        if (s[i]->begin < at)
            rc = gv_failc(e, GV_E_FORMAT, "tensor %s: data overlaps tensor %s", s[i]->name, s[i - 1]->name);
        else if (s[i]->begin > at)
            rc = gv_failc(e, GV_E_FORMAT, "tensor %s: %zu unused data bytes before it", s[i]->name, s[i]->begin - at);
        at = s[i]->end;
    }
    if (!rc && at != f->data_len)
        rc = gv_failc(e, GV_E_FORMAT, "%zu unused data bytes after the last tensor", f->data_len - at);
    free(s);
    return rc;
}

int gv_st_parse(const void *buf, size_t len, gv_st_file *f, gv_err *e)
{
    memset(f, 0, sizeof *f);
    const unsigned char *p = buf;
    if (len < 8)
        return gv_failc(e, GV_E_FORMAT, "file too short (%zu bytes) for a safetensors header", len);
    uint64_t hlen = 0;
    for (int i = 7; i >= 0; i--)
        hlen = hlen << 8 | p[i];
    if (hlen > GV_ST_MAX_HEADER)
        return gv_failc(e, GV_E_FORMAT, "header length %llu exceeds the %u MiB limit (not a groove model?)",
                       (unsigned long long)hlen, GV_ST_MAX_HEADER >> 20);
    if (hlen > len - 8)
        return gv_failc(e, GV_E_FORMAT, "header length %llu past end of file (%zu bytes): truncated?",
                       (unsigned long long)hlen, len);
    if (hlen < 2 || p[8] != '{')
        return gv_failc(e, GV_E_FORMAT, "header is not a JSON object");
    f->data = p + 8 + hlen;
    f->data_len = len - 8 - (size_t)hlen;
    cJSON *h = gv_json_object((const char *)p + 8, (size_t)hlen, "header is not valid JSON",
                              "header is not a JSON object", e);
    if (!h)
        return -1;
    int rc = -1;
    int n = cJSON_GetArraySize(h);
    f->t = calloc(n ? (size_t)n : 1, sizeof *f->t);
    if (!f->t) {
        gv_failc(e, GV_E_NOMEM, "out of memory");
        goto out;
    }
    const cJSON *it;
    cJSON_ArrayForEach(it, h)
    {
        if (strcmp(it->string, "__metadata__") == 0) {
            if (!cJSON_IsObject(it)) {
                gv_failc(e, GV_E_FORMAT, "__metadata__ is not an object");
                goto out;
            }
            const cJSON *c = cJSON_GetObjectItemCaseSensitive(it, "config");
            if (c && !cJSON_IsString(c)) {
                gv_failc(e, GV_E_FORMAT, "__metadata__.config is not a string");
                goto out;
            }
            if (c && !f->config && !(f->config = strdup(c->valuestring))) {
                gv_failc(e, GV_E_NOMEM, "out of memory");
                goto out;
            }
            continue;
        }
        if (parse_tensor(it, f->data_len, &f->t[f->n], e))
            goto out;
        f->n++;
    }
    rc = check_tiling(f, e);
out:
    cJSON_Delete(h);
    return rc;
}

void gv_st_free(gv_st_file *f)
{
    free(f->config);
    free(f->t);
    memset(f, 0, sizeof *f);
}

int gv_st_write(const char *path, const char *config, const gv_tensor_info *t, int n, const float *params,
                gv_err *e)
{
    cJSON *h = cJSON_CreateObject();
    cJSON *meta = cJSON_AddObjectToObject(h, "__metadata__");
    if (!meta || !cJSON_AddStringToObject(meta, "config", config)) {
        cJSON_Delete(h);
        return gv_failc(e, GV_E_NOMEM, "out of memory");
    }
    size_t bytes = 0;
    for (int i = 0; i < n; i++) {
        cJSON *o = cJSON_AddObjectToObject(h, t[i].name);
        if (!o) {
            cJSON_Delete(h);
            return gv_failc(e, GV_E_NOMEM, "out of memory");
        }
        cJSON_AddStringToObject(o, "dtype", "F32");
        cJSON *sh = cJSON_AddArrayToObject(o, "shape");
        for (int d = 0; sh && d < t[i].ndim; d++)
            cJSON_AddItemToArray(sh, cJSON_CreateNumber(t[i].shape[d]));
        cJSON *off = cJSON_AddArrayToObject(o, "data_offsets");
        cJSON_AddItemToArray(off, cJSON_CreateNumber((double)bytes));
        bytes += t[i].numel * sizeof(float);
        cJSON_AddItemToArray(off, cJSON_CreateNumber((double)bytes));
    }
    char *js = cJSON_PrintUnformatted(h);
    cJSON_Delete(h);
    if (!js)
        return gv_failc(e, GV_E_NOMEM, "out of memory");
    /* Spaces pad the header so the data starts 8-byte aligned, as the format advises. */
    size_t jl = strlen(js), hl = (jl + 7) & ~(size_t)7;
    unsigned char *buf = malloc(8 + hl + bytes);
    if (!buf) {
        free(js);
        return gv_failc(e, GV_E_NOMEM, "out of memory");
    }
    for (int i = 0; i < 8; i++)
        buf[i] = (unsigned char)((uint64_t)hl >> (8 * i));
    memcpy(buf + 8, js, jl);
    memset(buf + 8 + jl, ' ', hl - jl);
    free(js);
    unsigned char *d = buf + 8 + hl;
    for (int i = 0; i < n; i++) {
        memcpy(d, params + t[i].offset, t[i].numel * sizeof(float));
        d += t[i].numel * sizeof(float);
    }
    int rc = gv_write_atomic(path, buf, 8 + hl + bytes, e);
    free(buf);
    return rc;
}
