/* core_priv.h - what the parts of the core (core.c, core_io.c, core_job.c)
 * call of each other; not for the TUI. */
#ifndef GV_CORE_PRIV_H
#define GV_CORE_PRIV_H

#include <string.h>

#include "session/core.h"

/* Copies src into dst (n bytes), cut to fit. */
static inline void gv_copy(char *dst, size_t n, const char *src)
{
    size_t l = strlen(src);
    if (l >= n)
        l = n - 1;
    memcpy(dst, src, l);
    dst[l] = 0;
}

/* Recopies the playing pattern (next_bar: the switch waits for the bar). */
void gv_core_play_refresh(gv_core *c, int next_bar);
/* Starts playing src (GV_PLAY_INPUT, GV_PLAY_PREVIEW or a suggestion). */
void gv_core_audition(gv_core *c, int src);

/* Generates from the input, or from nothing when it is empty (SAMPLE). */
void gv_core_request_generate(gv_core *c);
/* Humanizes the input: its result replaces the input (undoable). */
void gv_core_request_humanize(gv_core *c);
void gv_core_request_vary(gv_core *c, const gv_sugg *src);
void gv_core_request_interpolate(gv_core *c, const gv_pattern *a, const gv_lib_meta *ma, const gv_pattern *b,
                                 const gv_lib_meta *mb);

void gv_core_library_open(gv_core *c);
void gv_core_library_key(gv_core *c, int key, double now);
void gv_core_library_delete(gv_core *c);
void gv_core_prompt_key(gv_core *c, int key);

/* core_midi.c: opening the device list, its keys, the clock cycle. */
void gv_core_midi_open(gv_core *c);
void gv_core_midi_key(gv_core *c, int key);
void gv_core_midi_clock_cycle(gv_core *c);

#endif
