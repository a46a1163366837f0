/* midicli.h - the MIDI options the front ends share (their rows:
 * gv_opts_midi, app/opts.h), and the MIDI part of `groove devices`:
 *   --midi-out D     send the playing pattern to output D (index or name)
 *   --midi-in D      take pad hits (tap mode) and clock from input D
 *   --midi-channel N channel of the notes sent (1..16, default 10)
 *   --clock MODE     in (follow D's clock), out (send clock), off (default)
 *   --midi-map FILE  drum map: the note each voice sends / records as ("gm":
 *                    the General MIDI table; either way the TUI's tap then
 *                    records voice by voice)
 *   --midi-latency MS  how far ahead messages are queued (default 10)
 * --clock in without --midi-in uses the default input, --clock out without
 * --midi-out the default output. */
#ifndef GV_MIDICLI_H
#define GV_MIDICLI_H

#include <signal.h>
#include <stdint.h>
#include <stdio.h>

#include "midi/midi_thread.h"

typedef struct gv_midi_cli {
    const char *out, *in; /* device specs; NULL: not named */
    int channel;
    int clock;            /* GV_MIDI_CLOCK_* */
    const char *map;      /* NULL or "gm": the General MIDI table */
    float latency_ms;
} gv_midi_cli;

#define GV_MIDI_HELP                                                                   \
    "  --midi-out D       send the playing pattern to MIDI output D (index or\n"     \
    "                     name, see groove devices)\n"                              \
    "  --midi-in D        MIDI input D: pads record in tap mode, clock in\n"         \
    "  --midi-channel N   channel of the notes sent, 1..16 (default 10)\n"          \
    "  --clock in|out|off follow the input's MIDI clock, send clock, or neither\n"  \
    "                     (default off)\n"                                          \
    "  --midi-map FILE|gm drum map: per voice, the note sent (and notes recorded)\n" \
    "  --midi-latency MS  MIDI output queued this far ahead (default 10)\n"

void gv_midi_cli_default(gv_midi_cli *c);

/* Whether any MIDI port is wanted, and which. */
int gv_midi_cli_wants_out(const gv_midi_cli *c);
int gv_midi_cli_wants_in(const gv_midi_cli *c);

/* The scheduler settings the options ask for (the map loaded: -1 and e
 * filled when the file is refused). */
int gv_midi_cli_cfg(const gv_midi_cli *c, double bpm, gv_midi_sched_cfg *cfg, gv_midi_map *map, gv_err *e);

/* `groove play`: waits while s plays p (queued and started) for `steps`
 * steps, 0 meaning until *stop is set (which also ends it early).  An empty
 * bar is queued in the last bar so that nothing of the next loop goes out,
 * as the player's loop limit does; stop s after.  0, or -1 when the output
 * went away. */
int gv_midi_cli_play_wait(gv_midi_sched *s, const gv_pattern *p, int64_t steps, volatile sig_atomic_t *stop);
/* One look of that wait (tests tick a manual scheduler between two):
 * 1 done, 0 not yet, -1 the output went away.  *ended starts at 0 and is
 * set once the closing empty bar is queued. */
int gv_midi_cli_play_poll(gv_midi_sched *s, const gv_pattern *p, int64_t steps, volatile sig_atomic_t *stop,
                          int *ended);

/* `groove devices`: the MIDI inputs and outputs, or one line saying why
 * there are none. */
void gv_midi_cli_list(FILE *f);

#endif
