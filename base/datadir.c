#include "datadir.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef GV_DATADIR
#define GV_DATADIR "/usr/local/share/groove"
#endif

/* Installed-layout top directory -> source-layout directory. */
static const char *const layout[][2] = {
    {"models", "engine/models"},
    {"presets", "patterns/presets"},
    {"gmd", "patterns/gmd"},
};

/* REL in the source layout, into buf. */
static void source_name(const char *rel, char *buf, size_t n)
{
    for (size_t i = 0; i < sizeof layout / sizeof layout[0]; i++) {
        size_t k = strlen(layout[i][0]);
        if (!strncmp(rel, layout[i][0], k) && (rel[k] == '/' || rel[k] == 0)) {
            snprintf(buf, n, "%s%s", layout[i][1], rel + k);
            return;
        }
    }
    snprintf(buf, n, "%s", rel);
}

static int try_path(const char *dir, const char *sub, const char *name, char *out, size_t n)
{
    if (!dir || !*dir)
        return -1;
    int k = snprintf(out, n, "%s%s/%s", dir, sub, name);
    if (k < 0 || (size_t)k >= n || access(out, R_OK) != 0) {
        out[0] = 0;
        return -1;
    }
    char *canon = realpath(out, NULL); /* "bin/../share" reads badly in messages */
    if (canon && strlen(canon) < n)
        strcpy(out, canon);
    free(canon);
    return 0;
}

int gv_data_path(const char *rel, char *out, size_t n)
{
    if (n == 0)
        return -1;
    out[0] = 0;
    char src[1024], exe[4096];
    source_name(rel, src, sizeof src);
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    exe[len > 0 ? len : 0] = 0;
    char *slash = strrchr(exe, '/');
    if (slash)
        *slash = 0;
    else
        exe[0] = 0;
    if (!try_path(getenv("GROOVE_DATA"), "", rel, out, n) || !try_path(exe, "/../share/groove", rel, out, n) ||
        !try_path(GV_DATADIR, "", rel, out, n) || !try_path(exe, "", src, out, n) ||
        !try_path(exe, "/..", src, out, n) || !try_path(getenv("GROOVE_ROOT"), "", src, out, n) ||
        !try_path(".", "", src, out, n))
        return 0;
    return -1;
}
