/* midi_thread.h - the MIDI scheduler: its own thread drives midi_out (notes,
 * clock out) and midi_in (clock in, pad hits) every period_us.
 *
 * Threads: ONE control thread (the UI) calls the commands; they travel to the
 * scheduler through lock-free SPSC queues (spsc.h), patterns through their
 * own 4-deep queue, in the order they were issued.  The scheduler's loop
 * sleeps to absolute deadlines (clock_nanosleep, no drift) and never
 * allocates, locks or blocks: it reads the input without waiting and writes
 * timestamped messages ahead through the output's lead.  Read-outs are
 * atomics, readable from any thread.
 *
 * Clock modes (one at a time, so clock in and clock out are never both on):
 *  - OFF: notes only.  OUT: notes + MIDI clock and transport (midi_out.h).
 *  - IN: the input's clock drives the notes: external Start/Continue/Stop
 *    start/resume/stop the output, each 6th pulse re-anchors the step grid
 *    at the pulse's smoothed time and tempo (midi_in.h); the UI's tempo is
 *    ignored while locked.  When the pulses stop, the output carries on at
 *    the last tempo on the internal clock and clock_state says LOST.  The UI
 *    mirrors ext_running / ext_bpm onto the audio player (ext_seq bumps at
 *    every external Start/Continue/Stop).
 *
 * Devices: a failed write or read marks that side lost (out_lost, in_lost):
 * the scheduler stops using it and keeps its time; the audio player is
 * independent and plays on.  The ports are borrowed: close them after
 * gv_midi_sched_free. */
#ifndef GV_MIDI_THREAD_H
#define GV_MIDI_THREAD_H

#include <stdint.h>

#include "base/error.h"
#include "patterns/pattern.h"
#include "midi/midi_in.h"
#include "midi/midi_out.h"
#include "midi/midi_port.h"

enum gv_midi_clock_mode { GV_MIDI_CLOCK_OFF, GV_MIDI_CLOCK_OUT, GV_MIDI_CLOCK_IN };

typedef struct gv_midi_sched_cfg {
    gv_midi_out_cfg out;  /* channel, notes, note length, lookahead (its clock flag is ignored) */
    int clock;            /* GV_MIDI_CLOCK_* */
    int64_t period_us;    /* loop period, default 1000 */
    double bpm;           /* initial tempo, default 120 */
    int manual;           /* 1: no thread; the caller runs each loop with
                           * gv_midi_sched_tick (tests on a virtual clock) */
} gv_midi_sched_cfg;

typedef struct gv_midi_status {
    int running;          /* the output is playing */
    int out_lost, in_lost;
    int clock;            /* mode */
    int clock_state;      /* GV_MIDI_CLOCK_NONE / LOCKED / LOST (clock in) */
    double ext_bpm;       /* the followed tempo (clock in) */
    int ext_running;      /* external transport running */
    unsigned ext_seq;     /* bumped at each external Start, Continue, Stop */
    double step;          /* output position in steps (unwrapped), -1 stopped */
    int64_t sent;         /* messages written */
    int64_t late;         /* messages written after time - lead */
    double worst_late_us;
    int64_t loops;        /* scheduler wake-ups */
    double worst_wake_us; /* latest wake-up past its deadline */
    int64_t notes_dropped; /* pad hits lost to a full queue */
} gv_midi_status;

typedef struct gv_midi_sched gv_midi_sched;

void gv_midi_sched_cfg_default(gv_midi_sched_cfg *c);

/* Starts the thread on out and/or in (either may be NULL, not both). */
gv_midi_sched *gv_midi_sched_new(gv_midi_port *out, gv_midi_port *in, const gv_midi_sched_cfg *cfg, gv_err *e);
/* Stops playback (note-offs, All Notes Off, clock Stop), joins, frees.
 * NULL is fine. */
void gv_midi_sched_free(gv_midi_sched *s);

/* Control thread; 0, or -1 when a queue is full (try again later) or the
 * pattern's length is not whole bars in 16..256. */
int gv_midi_sched_queue(gv_midi_sched *s, const gv_pattern *p, int when);
int gv_midi_sched_start(gv_midi_sched *s);
int gv_midi_sched_stop(gv_midi_sched *s);
int gv_midi_sched_continue(gv_midi_sched *s);
int gv_midi_sched_tempo(gv_midi_sched *s, double bpm);
int gv_midi_sched_swing(gv_midi_sched *s, double swing);
int gv_midi_sched_clock(gv_midi_sched *s, int mode);

void gv_midi_sched_status(gv_midi_sched *s, gv_midi_status *st);

/* manual mode only: one pass of the scheduler's loop at the clock port's
 * time (commands, input, clock, output, read-outs), in the caller's thread.
 * A memory port with a virtual clock (gv_midi_mem_set_time) then makes the
 * whole schedule deterministic, whatever the machine's load.  A no-op for a
 * threaded scheduler. */
void gv_midi_sched_tick(gv_midi_sched *s);

/* Note-ons received (velocity > 0), oldest first: up to max into out;
 * returns the count.  Feed them to gv_midi_note_hit for tapping. */
int gv_midi_sched_notes(gv_midi_sched *s, gv_midi_msg *out, int max);

#endif
