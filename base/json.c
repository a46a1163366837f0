/* json.c - shared cJSON helpers (see json.h). */
#include "base/json.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>

cJSON *gv_json_number(double v)
{
    char buf[64];
    if (!isfinite(v))
        return cJSON_CreateNull();
    snprintf(buf, sizeof buf, "%.9g", v);
    return cJSON_CreateRaw(buf);
}

cJSON *gv_json_floats(const float *x, int n)
{
    cJSON *a = cJSON_CreateArray();
    for (int i = 0; a && i < n; i++)
        if (!cJSON_AddItemToArray(a, gv_json_number(x[i]))) {
            cJSON_Delete(a);
            return NULL;
        }
    return a;
}

cJSON *gv_json_rows(const float *x, int rows, int cols)
{
    cJSON *a = cJSON_CreateArray();
    for (int r = 0; a && r < rows; r++)
        if (!cJSON_AddItemToArray(a, gv_json_floats(x + (size_t)r * cols, cols))) {
            cJSON_Delete(a);
            return NULL;
        }
    return a;
}

cJSON *gv_json_u64(uint64_t v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%" PRIu64, v);
    return cJSON_CreateRaw(buf);
}

cJSON *gv_json_object(const char *text, size_t len, const char *bad_json, const char *not_object,
                      gv_err *e)
{
    cJSON *o = cJSON_ParseWithLength(text, len);
    if (cJSON_IsObject(o))
        return o;
    gv_failc(e, GV_E_FORMAT, "%s", o ? not_object : bad_json);
    cJSON_Delete(o);
    return NULL;
}
