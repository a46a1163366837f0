/* pattern.h - the one pattern type every part of groove shares.
 *
 * A pattern is `steps` 16th-note steps (a multiple of 16, 16..256; the model
 * works on 32 = 2 bars of 4/4) x 9 voices.  Each cell holds
 *   hit  0/1,  vel 0..1 (0 when no hit),  off -0.5..0.5 of a step (0 when no hit).
 * Fixed-size storage: a gv_pattern is a plain value the caller owns (about
 * 20 KiB), copied with '=' and never allocated behind the caller's back. */
#ifndef GV_PATTERN_H
#define GV_PATTERN_H

#include <stdint.h>

#define GV_VOICES 9
#define GV_STEPS_PER_BAR 16
#define GV_MIN_STEPS 16
#define GV_MAX_STEPS 256
#define GV_MODEL_STEPS 32
/* Tempos a pattern may have; a file's tempo outside them is clamped on reading. */
#define GV_TEMPO_MIN 20.0
#define GV_TEMPO_MAX 400.0

enum gv_voice {
    GV_KICK, GV_SNARE, GV_CHAT, GV_OHAT, GV_LTOM, GV_MTOM, GV_HTOM, GV_CRASH, GV_RIDE
};

typedef struct gv_pattern {
    int steps;            /* multiple of 16, 16..256 */
    float bpm;            /* tempo, beats (quarters) per minute */
    float bpm_file;       /* the file's tempo when a reader clamped bpm to
                             GV_TEMPO_MIN..MAX (front ends warn), else 0 */
    char name[64];
    uint8_t hit[GV_MAX_STEPS][GV_VOICES];
    float vel[GV_MAX_STEPS][GV_VOICES];
    float off[GV_MAX_STEPS][GV_VOICES];
} gv_pattern;

/* Empty pattern of `steps` steps at `bpm`. */
void gv_pattern_init(gv_pattern *p, int steps, float bpm, const char *name);

/* Sets p->bpm to a tempo read from a file, clamped to GV_TEMPO_MIN..MAX;
 * p->bpm_file keeps the file's value when it had to change.  bpm must be
 * finite and positive (readers refuse anything else). */
void gv_pattern_set_tempo(gv_pattern *p, double bpm);

/* Sets one cell; vel is clamped to 0..1 and off to -0.5..0.5.  hit=0 clears the cell. */
void gv_pattern_set(gv_pattern *p, int step, int voice, int hit, float vel, float off);

/* Places a note in a cell, keeping the louder one when the cell is taken
 * (the rule for several notes quantised into one cell). */
void gv_pattern_merge(gv_pattern *p, int step, int voice, float vel, float off);

/* Number of hits in the pattern (all voices) / in one voice. */
int gv_pattern_count(const gv_pattern *p);
int gv_pattern_count_voice(const gv_pattern *p, int voice);

/* The monotonic groove: per step, hit if any voice hits; velocity and offset
 * are the loudest hit's.  Writes steps*3 floats (hit, vel, off) to hvo. */
void gv_pattern_groove(const gv_pattern *p, float *hvo);

/* The same rule over the voices in `voices` (bit v: voice v) only, the
 * loudest's (the lowest voice on a tie): step t's (hit, vel, off) go to
 * hvo[t*stride + 0..2] (patterns/lanes.h flattens each lane with it). */
void gv_pattern_groove_of(const gv_pattern *p, unsigned voices, float *hvo, int stride);

/* Copies steps [start, start+n) of src into dst (n multiple of 16). */
void gv_pattern_slice(const gv_pattern *src, int start, int n, gv_pattern *dst);

/* Voice metadata: short label ("KD"), name ("kick"), GM note written on export. */
const char *gv_voice_label(int voice);
const char *gv_voice_name(int voice);
int gv_voice_note(int voice);

/* Voice for a GM percussion note per the drum map table, or -1 when the note
 * has no place (outside 22..87 or unmapped). */
int gv_note_voice(int note);

/* Voice index for a name or label ("kick", "KD", "snare", ...), or -1. */
int gv_voice_parse(const char *s);

#endif
