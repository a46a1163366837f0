/* presets.h - the library of grooves that ships with groove (.tab files in
 * the presets data directory, see datadir.h).  A preset is named by its file
 * stem, e.g. "rock-basic" for presets/rock-basic.tab. */
#ifndef GV_PRESETS_H
#define GV_PRESETS_H

#include <stddef.h>

#include "base/error.h"
#include "pattern.h"

#define GV_PRESET_NAME_MAX 64

typedef struct gv_preset_list {
    int n;
    char (*names)[GV_PRESET_NAME_MAX]; /* sorted by name; malloc'd */
    char dir[1024];                    /* where they were found */
} gv_preset_list;

/* Lists every preset; free with gv_preset_list_free (also after a failure). */
int gv_preset_list_load(gv_preset_list *l, gv_err *e);
void gv_preset_list_free(gv_preset_list *l);

/* Path of the preset called name (case-insensitive); -1 when there is none
 * or name is not a plain preset name (no '/', no extension). */
int gv_preset_find(const char *name, char *path, size_t n);

/* Loads the preset called name. */
int gv_preset_load(const char *name, gv_pattern *p, gv_err *e);

#endif
