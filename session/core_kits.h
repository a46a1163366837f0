/* core_kits.h - the kit picker (GV_MODE_KITS) and the kit the session asks
 * for.  The session only names the kit (c->kit_dir); the front end loads it
 * off the UI thread whenever kit_serial moves, switches the player over, and
 * says how it went with gv_core_kit_loaded (a kit that fails to load puts
 * the one before back, so the session never saves a kit that does not
 * play). */
#ifndef GV_CORE_KITS_H
#define GV_CORE_KITS_H

#include "session/state.h"

/* The --kit folder (listed second in the picker) and the kit to start with
 * when the session has none; "" or NULL: none. */
void gv_core_set_kit_arg(gv_core *c, const char *dir);

/* Asks for the kit in dir ("" the built-in kit): kit_serial moves when it
 * differs from the one asked for before. */
void gv_core_set_kit(gv_core *c, const char *dir);

/* Opens the picker on the kits found (kits.h; home: $HOME, system_dir the
 * system drumkits folder), the current kit selected. */
void gv_core_kits_open(gv_core *c, const char *home, const char *system_dir);

/* A key in the picker: up/down j/k move, Enter or space switches to the
 * kit, Esc q K close. */
void gv_core_kits_key(gv_core *c, int key);

/* The front end's answer for the kit asked for: ok, or why it failed
 * (then prev, the kit that still plays, is asked for again, quietly). */
void gv_core_kit_loaded(gv_core *c, const char *dir, int ok, const char *why, const char *prev);

#endif
