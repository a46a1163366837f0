/* xdg.h - where groove keeps per-user files (XDG base directories).
 *
 *   library   $XDG_DATA_HOME/groove/library    (~/.local/share/groove/library)
 *   keys      $XDG_CONFIG_HOME/groove/keys     (~/.config/groove/keys)
 *   session   $XDG_STATE_HOME/groove/session.json (~/.local/state/groove/...)
 * An unset, empty or relative $XDG_* is ignored, as the specification says. */
#ifndef GV_XDG_H
#define GV_XDG_H

#include <stddef.h>

#include "base/error.h"

/* Writes $var/groove/sub, or $HOME/home_rel/groove/sub, into out (n bytes). */
int gv_xdg_path(const char *var, const char *home_rel, const char *sub, char *out, size_t n, gv_err *e);

#define GV_XDG_DATA "XDG_DATA_HOME", ".local/share"
#define GV_XDG_CONFIG "XDG_CONFIG_HOME", ".config"
#define GV_XDG_STATE "XDG_STATE_HOME", ".local/state"

#endif
