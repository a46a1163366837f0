/* keymap.h - the keys that trigger the actions (action.h), and the key-map file.
 *
 * Four contexts: "normal" (always), "edit" (the hjkl edit mode, looked up
 * first, falling back to normal), "jam" (while a jam runs; no fallback:
 * a key bound to nothing there is a tap) and "song" (the song view; no
 * fallback).  Keys are the session's key codes
 * (keys.h): a character (< 256) or a GV_KEY_* code.
 *
 * Key-map file ($XDG_CONFIG_HOME/groove/keys, default ~/.config/groove/keys):
 *   # comment lines start with '#'
 *   generate   g            <- action, then one or more keys
 *   tempo-up   . >
 *   edit:cursor-up  k       <- "edit:" binds in the edit mode
 *   jam:hold   F8           <- "jam:" while jamming
 *   song:song-fill  F       <- "song:" in the song view
 * A line replaces the action's default keys in that context; a key it names
 * is taken away from any other action of that context.  Key names: a single
 * printable character, space tab btab enter esc backspace del insert up down
 * left right home end pgup pgdn, F1..F12, C-a..C-z (Ctrl).  The action names
 * and default keys come from the action table (action.h). */
#ifndef GV_KEYMAP_H
#define GV_KEYMAP_H

#include <stddef.h>

#include "base/error.h"
#include "session/action.h"
#include "session/keys.h"

typedef struct gv_keymap {
    unsigned char map[GV_CTX_COUNT][GV_KEY_CODES]; /* key -> gv_action */
} gv_keymap;

void gv_keymap_default(gv_keymap *km);

/* Applies a key-map text over km.  Every valid line is applied; the first bad
 * one is reported ("line 3: unknown action 'foo'") and -1 returned. */
int gv_keymap_parse(gv_keymap *km, const char *text, size_t len, gv_err *e);
/* Reads path and applies it; a missing file is not an error (returns 0). */
int gv_keymap_load(gv_keymap *km, const char *path, gv_err *e);

/* The action for key in ctx (edit falls back to normal, jam to nothing);
 * GV_A_NONE if none. */
gv_action gv_keymap_lookup(const gv_keymap *km, int ctx, int key);
/* Names of the keys bound to a in ctx only, space separated ("" if none). */
void gv_keymap_keys(const gv_keymap *km, int ctx, gv_action a, char *out, size_t n);

/* Key code for a name ("space", "C-r", "x"), or -1. */
int gv_key_parse(const char *name);
/* Display name of a key code ("space", "C-r", "x", "up"). */
void gv_key_name(int key, char *out, size_t n);

#endif
