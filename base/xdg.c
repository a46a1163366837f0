/* xdg.c - per-user file locations (see xdg.h). */
#include "base/xdg.h"

#include <stdio.h>
#include <stdlib.h>

int gv_xdg_path(const char *var, const char *home_rel, const char *sub, char *out, size_t n, gv_err *e)
{
    const char *base = getenv(var);
    int w;
    if (base && base[0] == '/') {
        w = snprintf(out, n, "%s/groove/%s", base, sub);
    } else {
        const char *home = getenv("HOME");
        if (!home || !home[0])
            return gv_fail(e, "neither $%s nor $HOME is set", var);
        w = snprintf(out, n, "%s/%s/groove/%s", home, home_rel, sub);
    }
    if (w < 0 || (size_t)w >= n)
        return gv_fail(e, "path too long");
    return 0;
}
