/* midilink.h - the TUI's link to MIDI (the MIDI twin of tui_audio): opens
 * the ports the options name, then once per UI loop mirrors the core's
 * playback onto the MIDI scheduler and brings back what MIDI has to say.
 *
 *  - core -> MIDI: the pattern that should sound (play_serial, at the next
 *    bar when play_next_bar), tempo, swing, play/stop.  In tap mode MIDI
 *    output stops, as the synth does for the count-in.
 *  - pad hits: in tap mode every note-on is recorded into the core's tap
 *    with its velocity and arrival time (a monotonic groove; voice by voice
 *    when --midi-map was given, "gm" naming the General MIDI table); outside
 *    tap mode pads sound on the synth through the map (gv_player_trigger).
 *  - jam: pads tap into the jam (gv_core_jam_hit: with --midi-map voice by
 *    voice, unmapped notes ignored; else every note on one lane); with
 *    clock in, the DAW's position (locked and running) is the jam's
 *    timeline, from the bar pair the jam started in.
 *  - clock in: the followed tempo becomes the core's tempo, external
 *    Start/Stop/Continue start and stop the core's playback (MIDI notes are
 *    locked to the pulses; the synth follows tempo and transport).  When the
 *    pulses stop, a message says MIDI falls back to the internal clock.
 *  - a device that goes away is reported once on the message line; audio
 *    plays on.
 * Nothing fails fatally: a port that cannot be opened is explained in
 * `note` and the rest works. */
#ifndef GV_MIDILINK_H
#define GV_MIDILINK_H

#include <stddef.h>

#include "session/core.h"
#include "app/midicli.h"
#include "synth/player.h"

typedef struct gv_midi_link {
    gv_midi_port *out, *in;
    gv_midi_sched *s;
    gv_midi_map map;
    int voice_map; /* tap records voice by voice */
    int clock;
    unsigned sent_serial, ext_seen;
    int sent_playing, clock_state, out_lost, in_lost;
    int wanted; /* ports were asked for (none open: "no midi") */
    float sent_bpm, sent_swing;
    unsigned jam_serial; /* the core's jam.serial last seen */
    double jam_origin;   /* clock in: the MIDI step the jam's step 0 is (-1: not yet) */
    char note[256]; /* what went wrong at open ("" if nothing): show it once */
    gv_pattern heard; /* scratch: the core's play through its mixer */
} gv_midi_link;

/* 0 when every port asked for is open (none asked: 0, nothing opened);
 * -1 when something is missing (note says what). */
int gv_midi_link_open(gv_midi_link *l, const gv_midi_cli *o, double bpm);

/* The same on ports already open (memory ports in tests); takes them over
 * (closed on failure too).  voice_map: tap records voice by voice. */
int gv_midi_link_attach(gv_midi_link *l, gv_midi_port *out, gv_midi_port *in, const gv_midi_sched_cfg *cfg,
                        const gv_midi_map *map, int voice_map, gv_err *e);

/* (l: zeroed or open.)  Closes, then opens what the core asks for (c->midi_out, midi_in,
 * midi_clock) with base's channel, map and latency; c->midi_out / midi_in
 * become the names of the ports that did open ("" for none).  What is
 * missing goes on the message line, and with say what is open too.  0, or
 * -1 when something is missing. */
int gv_midi_link_apply(gv_midi_link *l, const gv_midi_cli *base, gv_core *c, int say);

/* When the core asks for the device list (midi_scan), lists the ports and
 * hands them to it (gv_core_midi_devices). */
void gv_midi_link_scan(gv_core *c);

/* Once per UI loop; pl: the player for pads (may be NULL).  Returns 1 when
 * the core changed (redraw). */
int gv_midi_link_sync(gv_midi_link *l, gv_core *c, gv_player *pl, double now);

/* For the status line: "midi off", "no midi" (asked for, none open), "midi out", "midi in+out", "clock in
 * 121.3", "clock lost", "midi gone". */
void gv_midi_link_state(const gv_midi_link *l, char *buf, size_t n);

/* Stops MIDI playback (note-offs, All Notes Off), closes the ports. */
void gv_midi_link_close(gv_midi_link *l);

#endif
