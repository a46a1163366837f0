/* midi_out.h - the playing pattern as MIDI: notes and clock on a port.
 *
 * The notes come from the sequencer (sequencer.h) on its tick timeline, the
 * same events the synth plays, mapped to time in microseconds on the port's
 * clock: tick(t) = (t - origin) * K with K = gv_seq_tick_rate(bpm, 1e6), so
 * velocities, offsets and swing land exactly where the synth puts them (a
 * note at tick x is sent at the first microsecond at or before it).
 *
 * gv_midi_out_run(now) writes everything due before now + port lead + ahead,
 * in time order, stamped with its exact time: called every millisecond or so,
 * the port's lead absorbs the caller's wake-up jitter.  Per note: a note-on
 * on the channel with the voice's note and round(vel * 127) (1..127), and a
 * note-off (velocity 0) note_us later; a note struck again before its
 * note-off gets the note-off right before the new note-on.  At one time:
 * note-offs first, then Song Position/Start/Continue and the clock pulse,
 * then note-ons in voice order.
 *
 * Transport (all times on the port clock, `now` the caller's reading):
 *  - start: step 0 sounds at now + lead + ahead + pre-roll (gv_seq_preroll:
 *    just enough for early hits on step 0; ahead: slack for the writer);
 *    with the clock on, SPP 0 and Start (F2 00 00, FA) go out right before
 *    the first pulse, at step 0.
 *  - stop: at the end of what has been written (or now + lead + ahead):
 *    the pending note-offs, All Notes Off (B0+ch 7B 00), then Stop (FC) with
 *    the clock on.  The position is kept for continue.
 *  - continue: resumes from the first step at or after the stop position, half
 *    a step past now + lead + ahead (room for early hits); with the clock
 *    on, SPP (that step, in 16ths) and Continue (FB) precede the pulse.
 *  - MIDI clock: 24 pulses per quarter (6 per step) on the straight grid,
 *    pulse j at tick j * TPS / 6 from step 0, while playing.  Switched on
 *    while playing, it starts with SPP + Continue at the next step.
 *  - tempo: takes effect from the written end on, keeping the position.
 *  - follow: re-anchors to an external clock: grid tick `tick` at time t.
 *  - patterns: GV_QUEUE_NOW switches at the next step boundary past what
 *    was written, GV_QUEUE_BAR at the first bar line at least half a step
 *    past it; the new pattern continues at the same place in the bar
 *    (modulo its length), as in the player.  Stopped: at once.
 *
 * Nothing here allocates, locks or blocks (the port write aside).  A port
 * write that fails marks the output lost: nothing more is written and run
 * returns -1; the caller reports it (playback on audio goes on). */
#ifndef GV_MIDI_OUT_H
#define GV_MIDI_OUT_H

#include <stdint.h>

#include "patterns/pattern.h"
#include "midi/midi_map.h"
#include "midi/midi_port.h"
#include "patterns/sequencer.h" /* GV_QUEUE_NOW, GV_QUEUE_BAR */

#define GV_MIDI_NOTE_US 30000   /* note-on to note-off */
#define GV_MIDI_AHEAD_US 4000   /* default lookahead past the port's lead */
#define GV_MIDI_OFFS 16

/* Channel-mode and system messages. */
#define GV_MIDI_CLOCK 0xf8
#define GV_MIDI_START 0xfa
#define GV_MIDI_CONTINUE 0xfb
#define GV_MIDI_STOP 0xfc
#define GV_MIDI_SPP 0xf2
#define GV_MIDI_ALL_NOTES_OFF 123

typedef struct gv_midi_out_cfg {
    int channel;             /* 1..16, default 10 */
    uint8_t note[GV_VOICES]; /* note per voice (gv_midi_map's) */
    int64_t note_us;         /* note length, default GV_MIDI_NOTE_US */
    int64_t ahead_us;        /* written this far past the lead, default GV_MIDI_AHEAD_US */
    int clock;               /* send MIDI clock and transport */
} gv_midi_out_cfg;

typedef struct gv_midi_off {
    int64_t t;
    uint8_t note;
} gv_midi_off;

typedef struct gv_midi_out {
    gv_midi_port *port;
    gv_midi_out_cfg cfg;
    gv_pattern cur, pend;
    int have_cur, have_pend;
    int64_t shift, pshift, sw; /* grid step u plays cur's u+shift; from step sw, pend's u+pshift */
    double bpm, swing;
    int64_t K, origin;         /* tick of time t: (t - origin) * K */
    int running;
    int64_t cursor;            /* ticks written so far */
    int64_t step_lo;           /* first grid step that sounds */
    int64_t stop_tick;         /* where the last stop was */
    int64_t pulse;             /* next clock pulse */
    int tr_kind;               /* 0, or Start/Continue due before `pulse` */
    int64_t tr_spp;
    int64_t now, last_t;
    int noff;
    gv_midi_off off[GV_MIDI_OFFS];
    int lost;
    int64_t sent, late, worst_late_us, resyncs;
    gv_seq_note notes[2 * GV_SEQ_MAX_NOTES(1)];
} gv_midi_out;

/* Channel 10, the default map's notes, default lengths, clock off. */
void gv_midi_out_cfg_default(gv_midi_out_cfg *c);
void gv_midi_out_cfg_map(gv_midi_out_cfg *c, const gv_midi_map *m);

/* Stopped, 120 bpm, swing 0, no pattern.  The port is borrowed. */
void gv_midi_out_init(gv_midi_out *o, gv_midi_port *port, const gv_midi_out_cfg *cfg);

/* -1 when the pattern's length is not a whole number of bars in 16..256. */
int gv_midi_out_queue(gv_midi_out *o, const gv_pattern *p, int when);
void gv_midi_out_tempo(gv_midi_out *o, double bpm); /* clamped to 20..400 */
void gv_midi_out_swing(gv_midi_out *o, double swing);
void gv_midi_out_start(gv_midi_out *o, int64_t now);
void gv_midi_out_stop(gv_midi_out *o, int64_t now);
void gv_midi_out_continue(gv_midi_out *o, int64_t now);
/* Plays from grid step `step` with that step at time t (an external Start
 * or Continue); transport goes out as for start/continue. */
void gv_midi_out_play_from(gv_midi_out *o, int64_t step, int64_t t, int64_t now);
void gv_midi_out_set_clock(gv_midi_out *o, int on, int64_t now);
/* External clock: tick `tick` of the grid is at time t, tempo bpm. */
void gv_midi_out_follow(gv_midi_out *o, int64_t tick, int64_t t, double bpm);

/* Writes what is due; the messages written, or -1 once the port is lost. */
int gv_midi_out_run(gv_midi_out *o, int64_t now);

/* Unwrapped step position at time t (fractional), -1 when stopped. */
double gv_midi_out_pos(const gv_midi_out *o, int64_t t);

/* Tick of clock pulse j (24 ppq, j >= 0). */
int64_t gv_midi_pulse_tick(int64_t j);

#endif
