#include "engine/modelpath.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/datadir.h"

/* A bare name that is no file here ("groovae-2bar") names a shipped model:
 * models/NAME.safetensors where the default one is looked up. */
static int shipped(const char *name, char *out, size_t n)
{
    char rel[300];
    if (strchr(name, '/') || access(name, F_OK) == 0 || strlen(name) > 200)
        return 0;
    size_t l = strlen(name), x = strlen(".safetensors");
    snprintf(rel, sizeof rel, "models/%s%s", name, l > x && !strcmp(name + l - x, ".safetensors") ? "" : ".safetensors");
    return gv_data_path(rel, out, n) == 0;
}

int gv_model_path(const char *opt, char *out, size_t n, gv_err *e)
{
    const char *given = opt && *opt ? opt : getenv("GROOVE_MODEL");
    if (given && *given) {
        if (shipped(given, out, n))
            return 0;
        if ((size_t)snprintf(out, n, "%s", given) >= n)
            return gv_fail(e, "model path too long");
        return 0;
    }
    if (gv_data_path(GV_DEFAULT_MODEL, out, n) == 0)
        return 0;
    return gv_fail(e, "no model found: give --model FILE or set GROOVE_MODEL (looked for %s in $GROOVE_DATA, "
                      "the installed share directory and the source tree)",
                   GV_DEFAULT_MODEL);
}

int gv_model_named(const char *opt)
{
    const char *env = getenv("GROOVE_MODEL");
    return opt || (env && *env);
}

int gv_model_open(const char *opt, gv_model *m, char *path, size_t n, gv_err *e)
{
    if (n)
        path[0] = 0;
    if (gv_model_path(opt, path, n, e) != 0) {
        if (n)
            path[0] = 0;
        return -1;
    }
    return gv_model_load(path, m, e) != 0 ? -1 : 0;
}
