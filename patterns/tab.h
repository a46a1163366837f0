/* tab.h - the drum-tab text format (.tab): patterns people can read and write.
 *
 *   # name: Rock basic
 *   # tempo: 96
 *   # anything else after '#' is a comment
 *   HH  |x-x-x-x-x-x-x-x-|x-x-x-x-x-x-x-X-|
 *   SD  |----X-------X---|----X--o----X---|
 *   KD  |X-------x-x-----|X-------x-x-----|
 *   KD~ |--------3-------|----------------|
 *
 * One line per voice: a label (KD SD HH OH LT MT HT CR RD, or a name or alias
 * that gv_voice_parse accepts: kick, snare, closed-hat, ...), then one
 * character per 16th-note step:
 *   -  rest    o  ghost (velocity 0.35)    x  hit (0.7)    X  accent (1.0)
 * Voices not listed are silent.  '|' bar lines are optional but, where
 * present, stand only on bar boundaries (every 16 steps); every voice line
 * has the same number of steps, a multiple of 16 up to 256.  Whitespace
 * separates the label from the grid and may end a line; blank lines are
 * skipped.  Headers: "# name:" and "# tempo:" (BPM, default 120; a tempo
 * outside 20..400 is clamped, bpm_file keeping it, see pattern.h);
 * "# swing:" and any other '#' line are comments.
 *
 * Tabs are on the grid unless a voice has an offset line: its label followed
 * by '~' (e.g. "KD~"), one character per step, bar lines as in the grid:
 *   -  on the grid    1..9  late by n/20 of a step    a..i  early by n/20
 * An offset may stand only on a step that has a hit.  Offsets are kept to the
 * nearest 1/20 of a step (|offset| <= 0.45); a triplet 8th is "7" / "g".
 *
 * Writing maps each velocity to the nearest glyph (o < 0.525 <= x < 0.85 <= X)
 * and writes all nine voices, plus offset lines for voices with offsets.
 * Errors name the line: "line 4: unknown voice 'XX'". */
#ifndef GV_TAB_H
#define GV_TAB_H

#include <stddef.h>

#include "base/error.h"
#include "pattern.h"

#define GV_TAB_GHOST 0.35f
#define GV_TAB_HIT 0.7f
#define GV_TAB_ACCENT 1.0f
#define GV_TAB_OFFSET_UNIT 20 /* offsets in 1/20 of a step */

/* The tab glyph nearest to a velocity: 'o', 'x' or 'X'. */
char gv_tab_vel_glyph(float vel);

/* Parses len bytes of text into p (name empty if the tab has no name header). */
int gv_tab_read(const char *text, size_t len, gv_pattern *p, gv_err *e);

/* Formats p as a tab into a malloc'd NUL-terminated buffer (*out, caller
 * frees; *len excludes the NUL).  Returns -1 only when out of memory. */
int gv_tab_write(const gv_pattern *p, char **out, size_t *len);

/* Reads a .tab file; a tab with no name header is named after the file stem. */
int gv_tab_load(const char *path, gv_pattern *p, gv_err *e);

/* Writes p to path atomically. */
int gv_tab_save(const char *path, const gv_pattern *p, gv_err *e);

#endif
