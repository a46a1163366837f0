/* player.h - the drum engine: sequencer + mixer + kit behind a lock-free
 * interface, driven by the audio callback (audio.h) or rendered offline
 * (render.h) through the same gv_player_render.
 *
 * Threads: ONE control thread (the UI, a command) calls the setters, queue
 * and trigger functions; ONE audio thread calls gv_player_render.  The
 * read-outs may be polled from any thread.  gv_player_render never allocates,
 * locks, logs or does I/O.
 *
 * Playback semantics:
 *  - gv_player_queue hands a pattern over through an SPSC queue.  GV_QUEUE_NOW
 *    replaces the current pattern at the next block, keeping the position
 *    (modulo the new length); GV_QUEUE_BAR switches at the next bar line
 *    (GV_QUEUE_BEAT: beat line) at least half a step ahead, so the new
 *    pattern's early hits on that bar are
 *    kept: notes of grid steps before the bar come from the old pattern, the
 *    rest from the new one, which continues at the same bar of the loop
 *    (modulo its length).  When stopped, both take effect at once.
 *  - gv_player_start plays the current pattern from step 0, with a pre-roll
 *    just long enough for early hits on step 0 (none when there are none).
 *  - gv_player_stop stops the sequencer; sounding voices ring out.
 *  - Tempo, swing, volume take effect at the next block (volume is ramped);
 *    a tempo change keeps the position in the bar (see sequencer.h).
 *  - Mute/solo decide whether a note is triggered; voices already sounding
 *    ring out.
 *  - A kit switch (gv_player_set_kit) reaches the audio thread as a pointer
 *    through an atomic; the mixer restarts on it at the next block.
 *  - The loop limit stops the sequencer after N loops from the start: notes
 *    of grid steps past the end are not played, and the playing flag drops
 *    once nothing of the last loop can still sound. */
#ifndef GV_PLAYER_H
#define GV_PLAYER_H

#include <stdint.h>

#include "base/error.h"
#include "patterns/pattern.h"
#include "patterns/sequencer.h" /* GV_QUEUE_NOW, GV_QUEUE_BAR */
#include "synth/kit.h"

typedef struct gv_player gv_player;

/* A player at rate playing kit.  The kit is borrowed: it must outlive the
 * player.  Defaults: stopped, 120 bpm, swing 0, volume 1, no pattern. */
gv_player *gv_player_new(double rate, const gv_kit *kit, gv_err *e);
void gv_player_free(gv_player *pl);
double gv_player_rate(const gv_player *pl);

/* Control thread.  queue: 0, or -1 when the queue (4 deep) is full or the
 * pattern's length is not a whole number of bars in 16..256 steps. */
int gv_player_queue(gv_player *pl, const gv_pattern *p, int when);
void gv_player_start(gv_player *pl);
void gv_player_stop(gv_player *pl);
void gv_player_set_tempo(gv_player *pl, double bpm);     /* clamped to 20..400 */
void gv_player_set_swing(gv_player *pl, double swing);   /* clamped to 0..1 */
void gv_player_set_volume(gv_player *pl, double volume); /* clamped to 0..2 */
void gv_player_set_mute(gv_player *pl, int voice, int on);
void gv_player_set_solo(gv_player *pl, int voice, int on);
void gv_player_set_metronome(gv_player *pl, int on);
void gv_player_set_loop_limit(gv_player *pl, int loops);
/* Switches to kit at the next block (sounding voices stop).  The kit must
 * have the player's rate (else -1) and outlive its use: the kit replaced may
 * be freed once gv_player_kit_settled says the audio thread has let it go. */
int gv_player_set_kit(gv_player *pl, const gv_kit *kit);
int gv_player_kit_settled(const gv_player *pl);
/* Sounds a voice (0..GV_KIT_SLOTS-1) at the next block: auditioning, MIDI in.
 * 0, or -1 when the trigger queue (64 deep) is full. */
int gv_player_trigger(gv_player *pl, int voice, float vel);

/* Read-outs, any thread. */
int gv_player_playing(const gv_player *pl);
int gv_player_cell(const gv_player *pl);      /* play-head cell, -1 when stopped */
int gv_player_steps(const gv_player *pl);     /* current pattern's length, 0 if none */
int64_t gv_player_loops_done(const gv_player *pl);
/* Steps played since the last start, unwrapped (loops of the pattern that
 * plays + the position in it, fractional; negative in the pre-roll): a
 * timeline for patterns of one length (a jam's).  It is the position
 * rendered, one output latency ahead of what is heard.  0 with *steps, or -1
 * while stopped or before the first block of the last start. */
int gv_player_position(const gv_player *pl, double *steps);
int gv_player_active(const gv_player *pl);    /* voices sounding */
int64_t gv_player_frames(const gv_player *pl);
int64_t gv_player_notes(const gv_player *pl); /* notes triggered so far */
double gv_player_tempo(const gv_player *pl);
double gv_player_swing(const gv_player *pl);

/* Audio thread: renders `frames` interleaved stereo frames into out
 * (overwritten; every sample within [-1, 1]). */
void gv_player_render(gv_player *pl, float *out, int frames);

#endif
