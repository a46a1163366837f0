/* midi_in.h - what groove takes from a MIDI input: an external clock to
 * follow, and pad hits to record.
 *
 * CLOCK FOLLOWING (gv_midi_clock).  Feed every message from the input, in
 * order, with its arrival time; poll gv_midi_clock_check now and then.
 *  - Tempo: a least-squares line through the arrival times of the last
 *    GV_MIDI_CLOCK_FIT pulses (four beats) against their count, so the
 *    jitter of single pulses averages out; the line also gives each pulse a
 *    smoothed time.  With +-1 ms of uniform jitter (worst of 200 runs) the
 *    tempo is within 0.12 BPM at 120 BPM and 0.44 at 240 after two beats,
 *    0.03 and 0.15 after six.  Three pulses in a row off the line by more
 *    than a quarter of a pulse period (2 ms at least) mean a tempo change:
 *    the fit restarts from them.
 *  - Transport: Start (FA) plays from position 0, Continue (FB) from the
 *    current position, Stop (FC) stops; Song Position Pointer (F2, in 16ths)
 *    sets the position.  The first pulse after Start or Continue is at that
 *    position; each later pulse while running advances it by one (24 per
 *    quarter, a step every 6).
 *  - Fallback: when no pulse has come for 8 pulse periods (100 ms at least),
 *    the state becomes GV_MIDI_CLOCK_LOST: the caller carries on with its
 *    own clock at the last tempo, and says so.  Pulses coming back lock again.
 *
 * TAPPING (gv_midi_note_hit): a note-on as a pad hit with its real velocity.
 * Without a note map every hit is GV_MIDI_TAP_VOICE (a monotonic groove);
 * with one, each note records as its voice and unmapped notes are ignored.
 * The hit's time is the message's (port clock, CLOCK_MONOTONIC: seconds =
 * t / 1e6, the clock gv_tap in session/tap.h is driven with).
 *
 * No allocation, locks or I/O: safe on the MIDI thread. */
#ifndef GV_MIDI_IN_H
#define GV_MIDI_IN_H

#include <stdint.h>

#include "midi/midi_map.h"
#include "midi/midi_port.h"

#define GV_MIDI_CLOCK_FIT 96
#define GV_MIDI_CLOCK_TIMEOUT_US 100000
#define GV_MIDI_TAP_VOICE GV_SNARE

enum gv_midi_clock_state {
    GV_MIDI_CLOCK_NONE,   /* no clock seen yet */
    GV_MIDI_CLOCK_LOCKED, /* following */
    GV_MIDI_CLOCK_LOST    /* pulses stopped: internal clock */
};

/* What a message did (gv_midi_clock_feed's bits). */
enum {
    GV_MIDI_CK_PULSE = 1,    /* a clock pulse (position advanced when running) */
    GV_MIDI_CK_STEP = 2,     /* ... on a step (position a multiple of 6) while running */
    GV_MIDI_CK_START = 4,
    GV_MIDI_CK_CONTINUE = 8,
    GV_MIDI_CK_STOP = 16,
    GV_MIDI_CK_SPP = 32,
    GV_MIDI_CK_LOCK = 64     /* this pulse (re)gained the lock */
};

typedef struct gv_midi_clock {
    int state;
    int running;            /* between Start/Continue and Stop */
    int64_t next;           /* position of the next pulse (pulses from song start) */
    int64_t pos;            /* position of the last pulse while running */
    int64_t count;          /* pulses since the fit started */
    int64_t last_t;         /* arrival of the last pulse */
    int n, head, outliers;
    int64_t fit_t[GV_MIDI_CLOCK_FIT];
    int64_t fit_k[GV_MIDI_CLOCK_FIT];
    double period_us;       /* fitted pulse period; 0 until two pulses */
    double smooth_t;        /* fitted time of the last pulse */
    double bpm;
} gv_midi_clock;

/* bpm: the tempo reported until the pulses say otherwise. */
void gv_midi_clock_init(gv_midi_clock *c, double bpm);
/* One input message; returns GV_MIDI_CK_* bits (0 for anything else). */
int gv_midi_clock_feed(gv_midi_clock *c, const gv_midi_msg *m);
/* 1 when the pulses have just been found missing at time now (-> LOST). */
int gv_midi_clock_check(gv_midi_clock *c, int64_t now);
/* Step of the last pulse's position (pos / 6, floor). */
int64_t gv_midi_clock_step(const gv_midi_clock *c);

/* A pad hit: 1 with *voice and *vel (0..1) for a note-on (velocity > 0) on
 * channel (1..16, or 0 for any) that the map places (map NULL: the GM drum
 * map, so that a pad's drum keeps its lane, and a note no drum has as
 * GV_MIDI_TAP_VOICE); else 0. */
int gv_midi_note_hit(const gv_midi_msg *m, const gv_midi_map *map, int channel, int *voice, float *vel);

#endif
