/* keymap.h - the TUI's actions and the keys that trigger them.
 *
 * Two contexts: "normal" (always) and "edit" (the hjkl edit mode, looked up
 * first, falling back to normal).  Keys are the session's key codes
 * (keys.h): a character (< 256) or a GV_KEY_* code.
 *
 * Key-map file ($XDG_CONFIG_HOME/groove/keys, default ~/.config/groove/keys):
 *   # comment lines start with '#'
 *   generate   g            <- action, then one or more keys
 *   tempo-up   . >
 *   edit:cursor-up  k       <- "edit:" binds in the edit mode
 * A line replaces the action's default keys in that context; a key it names
 * is taken away from any other action of that context.  Key names: a single
 * printable character, space tab btab enter esc backspace del insert up down
 * left right home end pgup pgdn, F1..F12, C-a..C-z (Ctrl). */
#ifndef GV_KEYMAP_H
#define GV_KEYMAP_H

#include <stddef.h>

#include "base/error.h"
#include "session/keys.h"

typedef enum gv_action {
    GV_A_NONE,
    GV_A_PLAY, GV_A_GENERATE,
    GV_A_SELECT1, GV_A_SELECT2, GV_A_SELECT3, GV_A_SELECT4,
    GV_A_SELECT5, GV_A_SELECT6, GV_A_SELECT7, GV_A_SELECT8,
    GV_A_SELECT_NEXT, GV_A_SELECT_PREV,
    GV_A_AUDITION, GV_A_AUDITION_INPUT, GV_A_USE,
    GV_A_TAP, GV_A_METRONOME,
    GV_A_LEFT, GV_A_RIGHT, GV_A_UP, GV_A_DOWN, GV_A_EDIT_MODE,
    GV_A_TOGGLE, GV_A_VEL_UP, GV_A_VEL_DOWN, GV_A_NUDGE_EARLY, GV_A_NUDGE_LATE,
    GV_A_CLEAR, GV_A_UNDO, GV_A_REDO,
    GV_A_TEMP_DOWN, GV_A_TEMP_UP, GV_A_DENS_DOWN, GV_A_DENS_UP, GV_A_FEEL,
    GV_A_LANES, GV_A_LOCK, GV_A_CAP_DOWN, GV_A_CAP_UP, GV_A_VDENS_DOWN, GV_A_VDENS_UP, GV_A_HUMANIZE,
    GV_A_FEWER, GV_A_MORE, GV_A_TEMPO_DOWN, GV_A_TEMPO_UP, GV_A_SWING, GV_A_SWING_BACK,
    GV_A_KEEP, GV_A_LIBRARY, GV_A_VARY, GV_A_INTERPOLATE,
    GV_A_EXPORT, GV_A_OPEN, GV_A_MIDI, GV_A_MIDI_CLOCK, GV_A_QUIT, GV_A_HELP, GV_A_CANCEL,
    GV_A_COUNT
} gv_action;

enum gv_key_context { GV_CTX_NORMAL, GV_CTX_EDIT, GV_CTX_COUNT };

typedef struct gv_keymap {
    unsigned char map[GV_CTX_COUNT][GV_KEY_CODES]; /* key -> gv_action */
} gv_keymap;

void gv_keymap_default(gv_keymap *km);

/* Applies a key-map text over km.  Every valid line is applied; the first bad
 * one is reported ("line 3: unknown action 'foo'") and -1 returned. */
int gv_keymap_parse(gv_keymap *km, const char *text, size_t len, gv_err *e);
/* Reads path and applies it; a missing file is not an error (returns 0). */
int gv_keymap_load(gv_keymap *km, const char *path, gv_err *e);

/* The action for key in ctx (edit falls back to normal); GV_A_NONE if none. */
gv_action gv_keymap_lookup(const gv_keymap *km, int ctx, int key);
/* Names of the keys bound to a in ctx only, space separated ("" if none). */
void gv_keymap_keys(const gv_keymap *km, int ctx, gv_action a, char *out, size_t n);

const char *gv_action_name(gv_action a); /* "tempo-up" */
/* The default keys of a in ctx as gv_keymap_default binds them, space
 * separated key names ("" none). */
const char *gv_action_default_keys(gv_action a, int ctx);
const char *gv_action_help(gv_action a); /* "tempo +1 BPM (Shift: +10)" */
gv_action gv_action_parse(const char *name); /* GV_A_NONE if unknown */

/* Key code for a name ("space", "C-r", "x"), or -1. */
int gv_key_parse(const char *name);
/* Display name of a key code ("space", "C-r", "x", "up"). */
void gv_key_name(int key, char *out, size_t n);

#endif
