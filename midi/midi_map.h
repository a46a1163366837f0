/* midi_map.h - which MIDI note each voice sends, and which voice a received
 * note records as.
 *
 * The default is the pattern model's General MIDI table (gv_voice_note out,
 * gv_note_voice in).  A drum-map file changes it voice by voice, one line a
 * voice: its name or label, the note it sends, then any further notes that
 * should record as that voice ('#' starts a comment):
 *     # groove drum map
 *     kick   36 35
 *     snare  40 38 37
 *     HH     44
 * A note named on a line records as that line's voice from then on; voices
 * not named keep the default. */
#ifndef GV_MIDI_MAP_H
#define GV_MIDI_MAP_H

#include <stdint.h>

#include "base/error.h"
#include "patterns/pattern.h"

typedef struct gv_midi_map {
    uint8_t note[GV_VOICES]; /* sent for each voice */
    int8_t voice[128];       /* voice a received note records as, -1: none */
} gv_midi_map;

void gv_midi_map_default(gv_midi_map *m);

/* Applies a drum-map text (NUL-terminated) on top of m.  Errors name the
 * line: "line 3: unknown voice 'foo'". */
int gv_midi_map_parse(const char *text, gv_midi_map *m, gv_err *e);

/* Default map, then the file at path. */
int gv_midi_map_load(const char *path, gv_midi_map *m, gv_err *e);

#endif
