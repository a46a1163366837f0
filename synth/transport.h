/* transport.h - the player's controls and read-outs, shared between the UI
 * thread and the audio callback through C11 atomics (no locks).
 *
 * The UI writes the controls at any time; the callback reads them once per
 * block.  The callback writes the read-outs; the UI polls them.  Use the
 * gv_player_* functions in player.h rather than touching fields directly. */
#ifndef GV_TRANSPORT_H
#define GV_TRANSPORT_H

#include <stdatomic.h>
#include <stdint.h>

typedef struct gv_transport {
    /* controls (UI -> callback) */
    atomic_int playing;       /* 1 while the sequencer runs */
    atomic_uint start_seq;    /* bumped by a start: play from step 0 */
    _Atomic double bpm;       /* quarter notes per minute */
    _Atomic double swing;     /* 0..1, see sequencer.h */
    _Atomic double volume;    /* master gain, 0..2 (1 = unity) */
    atomic_uint mute;         /* bit per voice */
    atomic_uint solo;         /* bit per voice; any set: only soloed voices sound */
    atomic_int metronome;     /* click on every beat, accent on beat 1 */
    atomic_int loop_limit;    /* stop after this many loops from a start; 0 = loop forever */
    _Atomic(const void *) kit; /* the kit to play (a gv_kit), taken when kit_seq moves */
    atomic_uint kit_seq;      /* bumped by gv_player_set_kit */
    /* read-outs (callback -> UI) */
    atomic_int cell;          /* play-head cell of the current pattern, -1 when stopped */
    atomic_int steps;         /* length of the current pattern (0 before one is queued) */
    atomic_llong loops_done;  /* loop points crossed since the last start */
    atomic_llong ticks;       /* position since the last start, unwrapped (loops_done
                                 lengths + the position in the loop), in sequencer ticks */
    atomic_uint ticks_seq;    /* the start (start_seq) ticks belongs to */
    atomic_int active;        /* voices sounding */
    atomic_llong frames;      /* frames rendered since creation */
    atomic_llong notes;       /* notes triggered since creation */
    atomic_uint kit_seen;     /* the kit_seq the callback plays: the kit before is free */
} gv_transport;

#endif
