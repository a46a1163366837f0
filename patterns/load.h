/* load.h - a pattern file by name: .mid/.midi or .tab by extension, a bare
 * preset name, and the bar window every reader of patterns shares.
 *
 * The front end (app/cli.h) and the TUI both load through here, so a file
 * opens the same way wherever it is named.  Nothing here prints. */
#ifndef GV_LOAD_H
#define GV_LOAD_H

#include <stddef.h>

#include "base/error.h"
#include "pattern.h"

/* The window and channel to read (--start-bar K --bars N --channel N).
 * start_bar -1: from the first bar with notes; bars 0: the whole file (up to
 * GV_MAX_STEPS).  start_bar is 0-based here; on the command line --start-bar
 * counts from 1, as DAWs do.  channel -1: 10 if it has drum notes, else all
 * (MIDI only). */
typedef struct gv_load_opts {
    int start_bar;
    int bars;
    int channel;
} gv_load_opts;

void gv_load_opts_default(gv_load_opts *o); /* start_bar -1, bars 2, channel -1 */

/* The file type an extension names (case-insensitive): .mid/.midi, .tab, or
 * GV_FMT_UNKNOWN. */
enum { GV_FMT_UNKNOWN = -1, GV_FMT_MID, GV_FMT_TAB };
int gv_pattern_format(const char *path);

/* The file a FILE argument names: arg itself, or, when arg is a bare name
 * with no extension and no '/', the preset of that name (patterns/presets.h)
 * when there is one, e.g. "rock-basic" - even beside a file or folder of that
 * name, which could not be read as a pattern (no extension).  Returns arg or
 * buf. */
const char *gv_pattern_resolve(const char *arg, char *buf, size_t n);

/* Loads the file arg names (after gv_pattern_resolve) into p, windowed by o
 * (NULL: gv_load_opts_default); a .tab window is cut at the tab's end.  The
 * path actually read goes into resolved (n bytes; may be NULL), also on
 * failure, so the caller can name it.  An unknown extension and a bare name
 * that is no preset are errors; gv_pattern_format(resolved) tells them apart.
 * A path that is not a regular file says what it is ("is a directory"). */
int gv_pattern_load(const char *arg, const gv_load_opts *o, gv_pattern *p, char *resolved, size_t n, gv_err *e);

/* Saves by extension (.mid/.midi or .tab), atomically. */
int gv_pattern_save(const char *path, const gv_pattern *p, gv_err *e);

#endif
