/* smf.h - Standard MIDI Files in (gv_score, windows into gv_pattern) and out.
 *
 * Reader contract
 * - Formats 0 and 1 (all tracks merged); format 2 is refused.  Unknown chunks
 *   are skipped; a missing End of Track ends the track at its chunk end.
 * - Steps come from ticks alone: a 16th = division/4 ticks, so tempo changes
 *   never move steps.  Each note also carries its time in seconds (`sec`),
 *   computed through the whole tempo map (120 BPM until the first tempo).
 *   `bpm` reports the first tempo (120 when the file has none); a pattern
 *   made from the score has it clamped to 20..400 (gv_pattern_set_tempo).
 * - SMPTE division (fps x ticks-per-frame) is converted: ticks -> seconds by
 *   the frame rate (29 = 29.97 drop-frame), seconds -> steps at the file's
 *   first tempo (or 120 BPM), i.e. a constant grid.  `sec` is exact there.
 * - Running status survives meta and sysex events (as real files rely on);
 *   sysex (F0/F7) and meta events are skipped by their length; note-on with
 *   velocity 0 is a note-off.  Only onsets are kept, as gv_notes of notes
 *   the drum map places (gv_note_voice), sorted by step.
 * - channel -1: channel 10 if it holds a mapped note, else every channel;
 *   1..16: that channel only.
 * - Bars follow the first time signature (earliest tick): steps_per_bar =
 *   num*16/den.  When that is not a whole number in 1..256 (e.g. 3/32) the
 *   bar grid falls back to 16 steps; ts_num/ts_den still report the file.
 *   No time signature = 4/4.
 * - An empty pattern is a pattern: a file with no note-on at all parses to
 *   a score with n = 0 (its length still in total_steps).  A file with notes
 *   none of which the drum map places (or none on the channel asked for) is
 *   a file of something else: "no drum notes", -1.
 * - Every malformed input (bad header, zero division, truncated chunk, length
 *   past the end, bad variable-length number, data byte with no status,
 *   > GV_SMF_MAX_NOTES notes, absurd length) returns -1 with a message.
 *
 * Windows (gv_score_window)
 * - A window starts on the file's bar line start_bar*steps_per_bar and has
 *   ceil(bars*steps_per_bar/16)*16 steps (patterns are whole 16-step units):
 *   exactly bars*16 in 4/4; in 3/4 two bars give 32 steps (24 of the bars
 *   asked for, then the next 8).  More than 256 steps is an error.
 * - A note goes to step floor(step+0.5) (nearest, halves up) with the
 *   remainder as offset (-0.5..0.5); so a late note that rounds into the
 *   window's end belongs to the next window, and an early note just before
 *   start rounds into it.  Several notes in one cell: the loudest stays.
 *
 * Writer contract (gv_smf_write)
 * - Format 0, 480 PPQ, one track: track name (pattern name, when not empty),
 *   tempo, 4/4 time signature, notes on channel 10 with gv_voice_note(v),
 *   End of Track at the pattern's length.  Tick = step*120 + round(off*120),
 *   the shift kept inside (-60, +60) so the note reads back into its own step;
 *   an early note on step 0 clamps at tick 0.  Velocity round(vel*127) in
 *   1..127.  Notes last a 1/32 (60 ticks) but end before the next hit of the
 *   same voice.  At one tick note-offs come before note-ons, notes in voice
 *   order: output bytes are deterministic. */
#ifndef GV_SMF_H
#define GV_SMF_H

#include <stddef.h>

#include "base/error.h"
#include "pattern.h"

#define GV_SMF_MAX_NOTES (1 << 20)
#define GV_SMF_MAX_FILE (64u << 20) /* gv_smf_load refuses larger files */
#define GV_SMF_PPQ 480              /* what gv_smf_write uses */

typedef struct gv_note {
    double step; /* onset in 16th steps from the start of the file, fractional */
    int voice;
    float vel;   /* 0..1 */
    int note;
    double sec;  /* onset in seconds, through the tempo map */
} gv_note;

typedef struct gv_score {            /* a whole file, notes mapped to voices, sorted by step */
    gv_note *notes;
    int n;
    double bpm;                      /* first tempo */
    int steps_per_bar;               /* from the first time signature: num*16/den; 16 for 4/4 */
    int ts_num, ts_den;
    double total_steps;              /* end of the last event, in steps */
    char name[64];                   /* first track name meta event, "" if none */
} gv_score;

/* Parses a whole file held in memory into out (caller frees with gv_score_free;
 * out is left empty on failure). */
int gv_smf_parse(const unsigned char *data, size_t len, int channel /* -1 auto: ch10 if it has notes else all; 1..16 */,
                 gv_score *out, gv_err *e);
/* Every note-on of every channel, drum or not (a tap take: a bass line, a
 * guitar, pads): voice is the drum map's voice for it or -1. */
int gv_smf_parse_all(const unsigned char *data, size_t len, gv_score *out, gv_err *e);
void gv_score_free(gv_score *s);

/* First bar that has a note (by quantised step); 0 when there is none. */
int gv_score_first_bar(const gv_score *s);
/* Bars from bar 0 through the last bar that has a note (by quantised step);
 * 0 when there is none. */
int gv_score_bars(const gv_score *s);

/* Quantise bars [start_bar, start_bar+bars) into out (see "Windows" above;
 * bpm and name come from the score).  Returns hits placed (may be 0), or -1. */
int gv_score_window(const gv_score *s, int start_bar, int bars, gv_pattern *out, gv_err *e);
/* The same from any step (not only a bar line): steps a multiple of 16, at
 * most 256.  Training takes windows that start between bar lines with it. */
int gv_score_window_steps(const gv_score *s, int start_step, int steps, gv_pattern *out, gv_err *e);

/* Reads path (at most GV_SMF_MAX_FILE bytes), parses it and takes a window.
 * start_bar -1: the first bar with notes.  bars 0: from start_bar through the
 * last bar with notes, cut at 256 steps (a start past that bar is an
 * error; an explicit window past it is just empty).  A file with no notes
 * starts at bar 0 and with bars 0 is as long as the file (End of Track, at
 * least one bar): an empty pattern of its length.  The pattern's name is the file
 * name without extension (track names in the wild are "MIDI Region" & co). */
int gv_smf_load(const char *path, int start_bar /* -1 first bar with notes */, int bars /* 0 whole (<=256 steps) */,
                int channel, gv_pattern *out, gv_err *e);

/* The whole take from start_bar (-1: the first bar with notes) through its
 * last bar with notes, in consecutive pieces of at most 256 steps: piece 0
 * is exactly gv_smf_load(path, start_bar, 0, channel); piece k starts where
 * piece k-1 ends (gv_score_window_steps, so any meter stays contiguous); the
 * last holds the last bar with notes, cut to a multiple of 16 steps.  All
 * are named as gv_smf_load names them.  *out malloc'd (caller frees), *n >= 1
 * (a file with no notes: the one piece gv_smf_load gives). */
int gv_smf_load_take(const char *path, int start_bar, int channel, gv_pattern **out, int *n, gv_err *e);

/* The file's first track name when it names the pattern (as groove writes
 * it: gv_smf_write puts the pattern's name there) into out (n bytes): 1; 0
 * when it has none or a DAW's default ("Midi Drums", "MIDI Region",
 * "Track 3", "Untitled", ...; out ""); -1 with e when the file cannot be
 * read.  gv_smf_load keeps naming patterns by file; convert passes the
 * name on. */
int gv_smf_track_name(const char *path, char *out, size_t n, gv_err *e);

/* A tap for gv_smf_write_parts: when (in steps), the MIDI note it was, how hard. */
typedef struct gv_smf_tap {
    double step;
    int note;
    float vel;
} gv_smf_tap;

/* A performance as one format-1 file (480 PPQ): track 1 "NAME" holds the
 * tempo of parts[0], 4/4, and the drums of parts[0..n) played one after
 * another on channel 10 (each part as gv_smf_write writes a pattern); track 2
 * "taps", when ntaps > 0, the taps as their own notes on channel 1 at their
 * own times (tick = round(step * 120)), each a 1/32 long.  A jam's take, a
 * song of kept patterns. */
int gv_smf_write_parts(const gv_pattern *parts, int n, const gv_smf_tap *taps, int ntaps, const char *name,
                       unsigned char **data, size_t *len, gv_err *e);

/* A marker (meta event FF 06) for gv_smf_write_marked: at step (from the
 * start of the file), its text (at most GV_SMF_MARK_MAX bytes are written). */
#define GV_SMF_MARK_MAX 127
#define GV_SMF_MAX_MARKS 65536
typedef struct gv_smf_mark {
    long step;
    const char *text;
} gv_smf_mark;

/* gv_smf_write_parts with markers in track 1: marks[0..nmarks) in order of
 * step (0 .. the parts' length), each before the notes of its tick (a song's
 * sections).  With nmarks 0 the bytes are gv_smf_write_parts's. */
int gv_smf_write_marked(const gv_pattern *parts, int n, const gv_smf_tap *taps, int ntaps, const gv_smf_mark *marks,
                        int nmarks, const char *name, unsigned char **data, size_t *len, gv_err *e);

/* Writes p as a Standard MIDI File into a malloc'd buffer (caller frees). */
int gv_smf_write(const gv_pattern *p, unsigned char **data, size_t *len, gv_err *e);
/* gv_smf_write + gv_write_atomic. */
int gv_smf_save(const char *path, const gv_pattern *p, gv_err *e);

#endif
