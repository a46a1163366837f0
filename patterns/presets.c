#include "presets.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/datadir.h"
#include "base/fileio.h"
#include "tab.h"

static int by_name(const void *a, const void *b) { return strcmp(a, b); }

int gv_preset_list_load(gv_preset_list *l, gv_err *e)
{
    memset(l, 0, sizeof *l);
    if (gv_data_path("presets", l->dir, sizeof l->dir) != 0)
        return gv_failc(e, GV_E_NOTFOUND, "no presets directory found (installed share/groove/presets, "
                          "patterns/presets in the source tree, or $GROOVE_DATA)");
    DIR *d = opendir(l->dir);
    if (!d)
        return gv_failc(e, gv_errno_code(errno), "cannot open %s", l->dir);
    int cap = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        const char *ext = gv_path_ext(de->d_name);
        if (strcmp(ext, "tab") != 0 || de->d_name[0] == '.')
            continue;
        char stem[GV_PRESET_NAME_MAX + 8];
        gv_path_stem(de->d_name, stem, sizeof stem);
        if (strlen(stem) >= GV_PRESET_NAME_MAX)
            continue;
        if (l->n == cap) {
            cap = cap ? 2 * cap : 32;
            void *grown = realloc(l->names, (size_t)cap * sizeof *l->names);
            if (!grown) {
                closedir(d);
                return gv_failc(e, GV_E_NOMEM, "out of memory");
            }
            l->names = grown;
        }
        strcpy(l->names[l->n++], stem);
    }
    closedir(d);
    if (l->n)
        qsort(l->names, (size_t)l->n, sizeof *l->names, by_name);
    return 0;
}

void gv_preset_list_free(gv_preset_list *l)
{
    free(l->names);
    l->names = NULL;
    l->n = 0;
}

int gv_preset_find(const char *name, char *path, size_t n)
{
    if (n)
        path[0] = 0;
    if (!*name || strchr(name, '/') || strchr(name, '.') || strlen(name) >= GV_PRESET_NAME_MAX)
        return -1;
    gv_preset_list l;
    if (gv_preset_list_load(&l, NULL) != 0) {
        gv_preset_list_free(&l);
        return -1;
    }
    int rc = -1;
    for (int i = 0; i < l.n && rc != 0; i++)
        if (!strcasecmp(l.names[i], name)) {
            int k = snprintf(path, n, "%s/%s.tab", l.dir, l.names[i]);
            rc = k > 0 && (size_t)k < n ? 0 : -1;
        }
    gv_preset_list_free(&l);
    return rc;
}

int gv_preset_load(const char *name, gv_pattern *p, gv_err *e)
{
    char path[1200];
    if (gv_preset_find(name, path, sizeof path) != 0)
        return gv_failc(e, GV_E_NOTFOUND, "no preset called '%s'", name);
    return gv_tab_load(path, p, e);
}
