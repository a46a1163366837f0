/* core_kits.c - the kit picker and the kit asked for (see core_kits.h). */
#include "session/core_kits.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "session/keys.h"

void gv_core_set_kit_arg(gv_core *c, const char *dir)
{
    gv_copy(c->kit_arg, sizeof c->kit_arg, dir ? dir : "");
}

void gv_core_set_kit(gv_core *c, const char *dir)
{
    if (!dir)
        dir = "";
    if (!strcmp(c->kit_dir, dir))
        return;
    gv_copy(c->kit_dir, sizeof c->kit_dir, dir);
    c->kit_serial++;
    c->session_dirty = 1;
}

void gv_core_kits_open(gv_core *c, const char *home, const char *system_dir)
{
    if (!c->kits && !(c->kits = calloc(GV_KITS_MAX, sizeof *c->kits))) {
        gv_core_msg(c, 1, "kits: out of memory");
        return;
    }
    c->nkits = gv_kits_find(c->kits, GV_KITS_MAX, c->kit_arg, home, system_dir);
    c->kit_sel = 0;
    for (int i = 0; i < c->nkits; i++)
        if (!strcmp(c->kits[i].dir, c->kit_dir))
            c->kit_sel = i;
    c->mode = GV_MODE_KITS;
    gv_core_msg(c, 0, "%d kit%s: Enter plays one (Hydrogen kits in %s and ~/%s)", c->nkits,
                c->nkits == 1 ? "" : "s", system_dir ? system_dir : "-", GV_KITS_USER_DIR);
}

static void choose(gv_core *c)
{
    const gv_kit_choice *k = &c->kits[c->kit_sel];
    if (!strcmp(k->dir, c->kit_dir)) {
        gv_core_msg(c, 0, "kit %s plays already", k->name);
        return;
    }
    gv_core_set_kit(c, k->dir);
    gv_core_msg(c, 0, "loading kit %s ...", k->name);
}

void gv_core_kits_key(gv_core *c, int key)
{
    int r = gv_core_list_key(key, c->nkits, &c->kit_sel);
    if (r == 1)
        choose(c);
    else if (r < 0 && (key == GV_KEY_ESC || key == 'q' || key == 'K'))
        c->mode = GV_MODE_NORMAL;
}

void gv_core_kit_loaded(gv_core *c, const char *dir, int ok, const char *why, const char *prev)
{
    char name[128], before[128];
    gv_kits_name(dir, name, sizeof name);
    gv_kits_name(prev, before, sizeof before);
    if (ok) {
        gv_core_msg(c, 0, "kit %s", name);
        return;
    }
    gv_core_msg(c, 1, "kit %s: %.150s; %s plays on", name, why && *why ? why : "cannot be loaded", before);
    if (!strcmp(c->kit_dir, dir)) {
        /* the kit that plays is the one asked for again: nothing to load */
        gv_copy(c->kit_dir, sizeof c->kit_dir, prev ? prev : "");
        c->session_dirty = 1;
    }
}
