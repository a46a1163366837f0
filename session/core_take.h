/* core_take.h - the loaded file as a take: the input is a 2-bar window that
 * moves through the whole file (issue 22).
 *
 * Opening a file (core_io.h) scans it once from bar 0: its length in bars,
 * the hits in every bar (the mini-map) and which bars have a backbeat.  The
 * window is then read from the file itself (gv_pattern_load with a start
 * bar), exactly as `groove generate FILE --start-bar K` reads it, so the
 * TUI and the command line agree on every window.
 *
 * Where a file opens: at the first full bar with a backbeat, the first bar
 * b that has a hit on its downbeat (step 0) and from which both bars of the
 * 2-bar window have a snare or clap on beat 2 or 4 (within a 16th of it,
 * steps 3-5 or 11-13: a funk's "2 e" counts), so that a pickup, a count-in
 * or a fill before the groove is skipped; without one, at the first bar with
 * notes (the command line's default); an explicit bar (FILE:BAR, FILE
 * --start-bar K) wins.
 *
 * Above state.h (the struct lives in gv_core as c->take); calls nothing else
 * of the session. */
#ifndef GV_CORE_TAKE_H
#define GV_CORE_TAKE_H

#include "base/error.h"
#include "session/state.h"

/* Splits an open argument into the file and a 1-based bar: "x.mid:20" and
 * "x.mid --start-bar 20" give "x.mid" and 20; a bare name gives 0 (none).
 * A ':' suffix counts only when digits follow it and the whole argument is
 * no existing file.  Returns -1 (e says why) for a bar that is no number
 * >= 1. */
int gv_take_parse_arg(const char *arg, char *file, size_t n, int *bar, gv_err *e);

/* Scans the file at path (resolved: a .mid/.midi, a .tab or a preset name)
 * into t: its bars, hits per bar, backbeat bars; t->bar is left 0. */
int gv_take_scan(const char *path, int channel, gv_core_take *t, gv_err *e);

/* The bar (0-based) a window starts at when the file opens (see above). */
int gv_take_start_bar(const gv_core_take *t);

/* The last bar a 2-bar (bars-bar) window may start at (so that it ends in
 * the file). */
int gv_take_last_start(const gv_core_take *t);
int gv_take_last_start_of(const gv_core_take *t, int bars);

/* Moves the window to start at bar (0-based, clamped to the take) and loads
 * it as the input (undoable).  Returns -1 with e when the file cannot be
 * read any more (the input stays). */
int gv_core_take_goto(gv_core *c, int bar, gv_err *e);

/* The window one bar (or one window, 2 bars) back or on: a message says
 * where it is ("bars 3-4 of 44") or why it cannot move. */
void gv_core_take_step(gv_core *c, int bars);

/* Forgets the take (the input no longer comes from a file). */
void gv_core_take_clear(gv_core *c);

#endif
