/* core_jam.h - the live jam in the session (issue 21): drums that follow
 * the player bar by bar, on the jam's clock-free core (jam.h) and the jobs
 * (core_job.h), with no terminal, audio device or thread.
 *
 * The jam key starts it; while it runs (c->jam.on) the keys go to the jam
 * context of the key map, and a key bound there to nothing taps: letters and
 * space by tap mode's rows (tap.h), MIDI pads through gv_core_jam_hit.  The
 * drums that played when it started go on looping until the first new
 * pattern takes over.
 *
 * Time.  The jam's timeline is steps (16ths) from the downbeat it started
 * on.  The front end says where that is: gv_core_jam_anchor (the clock time
 * step 0 is heard: the system clock then carries it, as for tap mode), and,
 * while a transport runs, gv_core_jam_clock readings (its position as heard
 * at a clock time: the audio player's, a followed MIDI clock's).  A tap at
 * clock time t lands at the step the timeline was at t.
 *
 * Each UI turn the front end calls gv_core_jam_sync(now): when a
 * regeneration point was passed a GV_JOB_JAM job is requested (the worker
 * runs it as any job, gv_job_run); when its pattern is back it becomes
 * `play` (play_src GV_PLAY_JAM, play_serial moves, play_next_bar set and
 * play_beat when the jam regenerates every beat) and takes over at its swap
 * step, or at the next line the transport can still make when it came
 * late.  Every pattern that took over and every tap go into c->jam.take.
 *
 * The controls change c->set.jam (saved with the session) and the running
 * jam at once; a mute takes the voice out of what plays from the next line.
 * The end (gv_core_jam_end) exports the take as one Standard MIDI File
 * (gv_core_jam_export) and stops the transport. */
#ifndef GV_CORE_JAM_H
#define GV_CORE_JAM_H

#include "base/error.h"
#include "session/state.h"

/* Starts a jam at clock time now (step 0 = now until anchored): refused,
 * with a message, without a model. */
void gv_core_jam_start(gv_core *c, double now);
/* Ends it at clock time now: exports what was played (when anything was)
 * and stops the transport. */
void gv_core_jam_end(gv_core *c, double now);

/* Where the timeline is: step 0 is heard at clock time t0 (forgets the
 * readings); at clock time now it is at pos, the transport rendering lead
 * steps ahead of that.  The step at clock time now. */
void gv_core_jam_anchor(gv_core *c, double t0);
void gv_core_jam_clock(gv_core *c, double now, double pos, double lead);
double gv_core_jam_step(const gv_core *c, double now);

/* A key that no jam control has: 1 when it tapped (letters, space). */
int gv_core_jam_key(gv_core *c, int key, double now);
/* A tap from elsewhere (a MIDI pad): the MIDI note it came from, its voice
 * and velocity (0..1).  1 taken; 0 when no jam runs or before its start. */
int gv_core_jam_hit(gv_core *c, double now, int note, int voice, float vel);

/* Requests at regeneration points, patterns that came back into `play`.
 * Returns 1 when the session changed (redraw). */
int gv_core_jam_sync(gv_core *c, double now);

/* The controls: c->set.jam into the running jam (after a change), and the
 * cursor voice's mute (on what plays from the next line too). */
void gv_core_jam_apply(gv_core *c);
void gv_core_jam_mute(gv_core *c, int voice, double now);

/* The take so far as one Standard MIDI File (format 1: the drums as heard,
 * 2 bars a part, on channel 10; the taps on their own track) under a fresh
 * name in c->jam_dir, written atomically; c->jam.path says where. */
int gv_core_jam_export(gv_core *c, double now, gv_err *e);
/* The drums playing now into the library (as the keep key keeps). */
int gv_core_jam_keep(gv_core *c, gv_err *e);

#endif
