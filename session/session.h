/* session.h - the TUI session (settings: tempo, swing, the mixer ...; the
 * kit; the input and the take it is a window of; suggestions with their
 * latents, selection) saved on quit and periodically, restored on start.
 * Parts a session file lacks (older groove) load as their defaults.
 *
 * One JSON file ($XDG_STATE_HOME/groove/session.json), written atomically,
 * so a crash loses at most what changed since the last save.  The undo
 * history and the transport are not saved.  A session from an older or
 * damaged file is refused as a whole: the core is left as it was, and the
 * TUI moves the file aside (gv_session_move_aside) before it saves. */
#ifndef GV_SESSION_H
#define GV_SESSION_H

#include <stddef.h>

#include "session/core.h"

int gv_session_path(char *out, size_t n, gv_err *e);

/* The session lock: PATH.lock beside the session file, holding the PID of
 * the instance that owns the session (only that one restores and saves it).
 * Ownership is an flock(2) on the file, which the kernel drops however the
 * process ends: a lock left by kill -9 or a crash (or a PID reused after a
 * reboot) is simply taken over; the PID is there for the message.  Where
 * flock is not supported, a live PID in the file holds it instead. */
typedef struct gv_session_lock {
    int fd; /* -1: not held */
    char path[4096];
} gv_session_lock;

/* Takes the lock of the session at session_path (creating its directory):
 * 0 held (release with gv_session_unlock); 1 another live process holds it
 * (*pid its PID, 0 if unknown); -1 it cannot be taken (e). */
int gv_session_lock_take(gv_session_lock *l, const char *session_path, long *pid, gv_err *e);
/* Removes the lock file and releases it (nothing when not held). */
void gv_session_unlock(gv_session_lock *l);

/* Writes c to path (creating its directory); clears c->session_dirty. */
int gv_session_save(gv_core *c, const char *path, gv_err *e);

/* Restores c from path: 0 restored, 1 no session file, -1 a bad file (e). */
int gv_session_load(gv_core *c, const char *path, gv_err *e);

/* Renames a session file that could not be loaded to path.bad-YYYYmmdd-HHMMSS
 * (local time; "-2", "-3" ... appended when that name is taken: it never
 * replaces a file), so that the next save does not destroy what it held.
 * The new path goes to moved (n bytes). */
int gv_session_move_aside(const char *path, char *moved, size_t n, gv_err *e);

#endif
