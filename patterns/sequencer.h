/* sequencer.h - the one timeline groove plays on: a pure function of
 * (pattern, tempo, swing, position) that yields timed note events.
 *
 * The synth, the MIDI output and the TUI play-head all use these functions,
 * so they agree to the sample.  Nothing here allocates, locks or does I/O:
 * every function is safe in a real-time callback.
 *
 * Time is kept in integer TICKS on an unwrapped step timeline: step u of the
 * timeline (u = loop * steps + cell) starts at tick u * GV_SEQ_TICKS_PER_STEP.
 * Integer ticks make the block-by-block split exact: asking for [a, b) then
 * [b, c) yields every note once, whatever the block sizes, and the frame of a
 * note does not depend on how the span was cut.
 *
 * A note of cell i (unwrapped step u) sounds at
 *     tick(u) = u * TPS + round((swing_delay(i) + off) * TPS)
 * i.e. swing moves the grid position of every odd (upbeat) 16th, then the
 * note's own offset (-0.5..0.5 step) is added.  So an early hit on cell 0
 * (off < 0) of loop k+1 sounds before the loop point, at the end of loop k,
 * and a note is always attributed to its grid step, not to where it sounds.
 *
 * SWING is 0..1: 0 is straight; every odd 16th is delayed by swing/2 of a
 * step (MPC swing percentage = 50 + 25 * swing; 2/3 is a triplet shuffle,
 * 1 is a dotted-16th feel).
 *
 * Frames <-> ticks at a constant tempo: K = gv_seq_tick_rate(bpm, rate) ticks
 * per frame (an integer, so the mapping is exact); tick(f) = (f - origin) * K
 * and a note at tick t sounds at frame origin + floor(t / K), the first frame
 * at or before its exact time (error < 1 frame).
 *
 * TEMPO CHANGES: a player keeps its position in ticks and advances it per
 * block by frames * K; a new tempo only changes K for the following blocks,
 * so position (hence phase in the bar) is continuous and no note is dropped
 * or doubled.  Equivalently, with the frame functions below, re-anchor:
 * origin' = f - round(tick(f) / K'), which gv_seq_reanchor does. */
#ifndef GV_SEQUENCER_H
#define GV_SEQUENCER_H

#include <stdint.h>

#include "patterns/pattern.h"

/* Where a new pattern takes over from the playing one (the player and the
 * MIDI output both switch this way): NOW at the next step boundary (the new
 * pattern's cell keeps the position modulo its length), BAR at the next bar
 * line, BEAT at the next beat line (a jam regenerating every beat). */
enum { GV_QUEUE_NOW = 0, GV_QUEUE_BAR = 1, GV_QUEUE_BEAT = 2 };

#define GV_SEQ_TICK_BITS 36
#define GV_SEQ_TICKS_PER_STEP ((int64_t)1 << GV_SEQ_TICK_BITS)

/* A note on the tick timeline. */
typedef struct gv_seq_note {
    int64_t tick;  /* when it sounds */
    int64_t step;  /* unwrapped grid step it belongs to (loop * steps + cell) */
    int voice;     /* 0..GV_VOICES-1 */
    float vel;     /* 0..1 */
} gv_seq_note;

/* A note at a sample frame. */
typedef struct gv_event {
    int64_t frame; /* absolute sample frame */
    int voice;
    float vel;
} gv_event;

/* Upper bound on the notes a span of `steps` steps can hold (for sizing out[]). */
#define GV_SEQ_MAX_NOTES(span_steps) (((span_steps) + 3) * GV_VOICES)

/* Ticks per frame at bpm (quarter notes per minute, 4 steps a beat) and rate
 * (frames per second); >= 1. */
int64_t gv_seq_tick_rate(double bpm, double rate);

/* Frames per step (exact reciprocal of the rounded tick rate). */
double gv_seq_frames_per_step(double bpm, double rate);

/* The swing delay of cell `cell` in steps: swing/2 on odd cells, else 0. */
double gv_seq_swing_delay(int64_t cell, double swing);

/* Swing written as it is heard (export, keep, `groove convert --swing`):
 * gv_seq_swing_bake adds each hit's swing delay (above) to its offset, so
 * that p played or written straight sounds as p played at `swing`.  An
 * offset stays in -0.5..0.5 (the note keeps its own step, as files read
 * back): exact while delay + offset < 0.5 step (every offset up to 0.34 at
 * MPC 58%), the latest a note can be beyond that.  gv_seq_swing_unbake
 * takes the delays out again (a file known to be written at `swing`). */
void gv_seq_swing_bake(gv_pattern *p, double swing);
void gv_seq_swing_unbake(gv_pattern *p, double swing);

/* Tick at which a note of unwrapped step u with offset off sounds. */
int64_t gv_seq_note_tick(int64_t u, double swing, float off);

/* Notes of p (looped forever in both directions) with tick in [from, to),
 * sorted by tick then voice; at most max are written, the count is returned.
 * A span of n steps holds at most GV_SEQ_MAX_NOTES(n) notes. */
int gv_seq_notes(const gv_pattern *p, double swing, int64_t from, int64_t to,
                 gv_seq_note *out, int max);

/* The same, keeping only notes whose grid step lies in [step_lo, step_hi)
 * (e.g. "from step 0 on", "up to the end of loop N", "old pattern before the
 * switch bar"). */
int gv_seq_notes_in(const gv_pattern *p, double swing, int64_t from, int64_t to,
                    int64_t step_lo, int64_t step_hi, gv_seq_note *out, int max);

/* Frame domain at a constant tempo: the notes sounding in frames
 * [from_frame, to_frame) when step 0 of loop 0 is at origin_frame, with
 * their absolute frames.  Sorted; at most max written, count returned. */
int gv_seq_events(const gv_pattern *p, double bpm, double swing, double rate,
                  int64_t from_frame, int64_t to_frame, int64_t origin_frame,
                  gv_event *out, int max);

/* Tick of frame f / frame of tick t (floor) for origin and tick rate K. */
int64_t gv_seq_frame_tick(int64_t f, int64_t origin, int64_t K);
int64_t gv_seq_tick_frame(int64_t t, int64_t origin, int64_t K);

/* New origin for tick rate K2 such that frame f keeps (to a frame) the tick it
 * had under (origin, K): a tempo change at frame f. */
int64_t gv_seq_reanchor(int64_t f, int64_t origin, int64_t K, int64_t K2);

/* Step position (fractional, unwrapped) of frame f, and the play-head cell
 * (0..steps-1) at frame f for a pattern of `steps` steps: the cell whose grid
 * time sounds at or before f. */
double gv_seq_frame_step(int64_t f, int64_t origin, int64_t K);
int gv_seq_cell(int64_t f, int64_t origin, int64_t K, int steps);

/* Whole frames of pre-roll a start needs so that early hits on step 0 sound
 * (0 when step 0 has none): start at tick -preroll * K, step 0 then lands
 * on frame `preroll`. */
int64_t gv_seq_preroll(const gv_pattern *p, double swing, int64_t K);

/* Floor division for ticks (C's / truncates toward zero). */
static inline int64_t gv_seq_floordiv(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

#endif
