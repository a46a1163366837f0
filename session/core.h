/* core.h - the TUI's session: state and actions, with no terminal.
 *
 * A front end (the TUI, a test) turns its input into gv_core_key /
 * gv_core_click_cell / gv_core_action calls, draws what the state says, and
 * carries out the requests the state holds for the outside world.  The
 * session is headless: it knows no terminal (keys are keys.h codes), no
 * audio, no MIDI port and no thread; time comes in as `now` (seconds on a
 * monotonic clock) wherever it matters (tapping).
 *
 * The protocol between the session and its front end:
 *
 *   Threads.  Every field of gv_core is read and written on one thread (the
 *   UI thread).  Other threads never see the struct: the generation worker
 *   gets a copy of a gv_job and fills a gv_job_result of its own; the audio
 *   and MIDI threads get copies of `play` through the player and scheduler.
 *
 *   Writing.  The front end reads any field, and changes the session only
 *   through functions (this header and those it includes), so that dirty
 *   flags, undo and messages follow every change (state.h).
 *
 *   Serials.  A counter moves whenever what it guards changes; the front
 *   end keeps the value it last acted on and acts when they differ:
 *     msg_serial   msg / msg_err changed: redraw the message line;
 *     play_serial  `play` (what should sound) changed: queue it, at the next
 *                  bar when play_next_bar is set, else at once;
 *     midi_serial  the MIDI ports or clock mode asked for changed: reopen
 *                  them (gv_core_set_midi records the names that opened).
 *
 *   Play state.  `playing` says whether the transport should run; `play` is
 *   a copy of the pattern that should sound (play_src: the input, the
 *   library preview or suggestion k) at the tempo set.bpm, which the
 *   transport also follows directly, as it does set.swing and set.click.  In
 *   tap mode (GV_MODE_TAP) the front end plays the count-in instead and
 *   tells the session when its "one" is heard (gv_core_tap_anchor); MIDI
 *   pads record through gv_core_tap_hit; gv_core_tick ends the recording.
 *
 *   Jam.  The jam key starts a jam (core_jam.h): while c->jam.on the keys
 *   go to the jam context (a key bound to nothing there taps), pads record
 *   through gv_core_jam_hit, the front end tells where the timeline is
 *   (gv_core_jam_anchor when it restarts its transport, which it does each
 *   time jam.serial moves; gv_core_jam_clock readings while it runs) and
 *   queues `play` with GV_QUEUE_BEAT when play_beat is set.  gv_core_tick
 *   makes the regeneration requests (jobs of kind GV_JOB_JAM).
 *
 *   Jobs.  A request (g, v, i, H, a tap) fills `job` and sets job_pending; a
 *   newer request replaces a pending one.  gv_core_take_job hands it out
 *   (job_pending 0, busy 1); the front end runs it elsewhere (gv_job_run)
 *   and gives the result back with gv_core_finish_job (busy 0), which drops
 *   a result whose id is not job_id (superseded).  One job runs at a time.
 *
 *   MIDI devices.  While midi_scan is set the front end lists the ports and
 *   hands them over with gv_core_midi_devices.
 *
 *   The model.  model_request (the model key, never while a job is out or
 *   a jam runs) asks the front end for the next model: it loads it, tells
 *   the session with gv_core_set_model / _cond, and clears the request.
 *
 *   Quitting and saving.  `quit` is set once the user has confirmed.  The
 *   session file is saved (session.h) when session_dirty is set, now and
 *   then and at quit, unless gv_core_may_save says a saved session waits for
 *   an answer (session_guard) or is to stay (session_keep).
 *
 * How the input is told to the model (issue 20) is in the settings: its
 * lanes (a tap sets them from the rows it used), the locked voices that every
 * suggestion keeps exactly, and a cap and a density factor per voice.
 *
 * Below this header, top to bottom: core.c (key routing by mode, the modes'
 * keys, quitting), the action table (action.h, actions.c), the file work
 * (core_io.h), the jobs (core_job.h), MIDI (core_midi.h), the state and
 * the changes they share (state.h).  Nothing below calls back up. */
#ifndef GV_CORE_H
#define GV_CORE_H

#include "base/error.h"
#include "session/action.h"
#include "session/core_io.h"
#include "session/core_jam.h"
#include "session/core_kits.h"
#include "session/core_job.h"
#include "session/core_midi.h"
#include "session/keymap.h"
#include "session/keys.h"
#include "session/state.h"

/* A core with default settings, an empty input and the default keys; NULL
 * when out of memory.  libdir: the library directory (gv_library_dir). */
gv_core *gv_core_new(const char *libdir);
void gv_core_free(gv_core *c);

/* Applies the key-map file at path over the keys (gv_keymap_load). */
int gv_core_load_keys(gv_core *c, const char *path, gv_err *e);

/* One key (keys.h), routed by mode. */
void gv_core_key(gv_core *c, int key, double now);
/* The quit key where the mode cannot be shown (a terminal too small): back
 * to the normal mode, then quit as the quit key does (asking first). */
void gv_core_quit_key(gv_core *c, double now);
/* Ctrl-C: the quit key, from whatever mode (a tap, a prompt, the library
 * are left first).  A second one while the quit question is open quits; a
 * saved session waiting for the replace answer is then kept. */
void gv_core_interrupt(gv_core *c);
/* Advances time-driven state to now: the tap recording, the jam
 * (gv_core_jam_sync: its requests and the patterns that came back). */
void gv_core_tick(gv_core *c, double now);

#endif
