/* core_midi.h - the MIDI device list and the MIDI request.  The session only
 * says what should be open (midi_out, midi_in, midi_clock; midi_serial moves
 * on every change); the front end opens it and, while midi_scan is set,
 * hands the device list over. */
#ifndef GV_CORE_MIDI_H
#define GV_CORE_MIDI_H

#include "session/state.h"

/* The device list the front end found after midi_scan (n 0: why says why
 * there is none, and the list closes). */
void gv_core_midi_devices(gv_core *c, const gv_core_mdev *d, int n, const char *why);

/* The MIDI mode (GV_MODE_MIDI): opening the list, its keys, and the clock
 * cycle (off -> out -> in). */
void gv_core_midi_open(gv_core *c);
void gv_core_midi_key(gv_core *c, int key);
void gv_core_midi_clock_cycle(gv_core *c);

#endif
