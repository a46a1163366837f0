/* core_midi.c - the MIDI device list and the MIDI request (see core_midi.h).  The
 * core only says what should be open; the TUI's link (midilink.h) opens it
 * when midi_serial moves and fills the list when midi_scan is set. */
#include "session/core_midi.h"

#include <stdio.h>

#include "session/state.h"
#include "midi/midi_thread.h"

void gv_core_midi_open(gv_core *c)
{
    c->mode = GV_MODE_MIDI;
    c->midi_scan = 1;
    c->nmdev = c->mdev_sel = 0;
}

void gv_core_midi_devices(gv_core *c, const gv_core_mdev *d, int n, const char *why)
{
    if (c->mode != GV_MODE_MIDI)
        return;
    c->midi_scan = 0;
    c->nmdev = n < 0 ? 0 : n > GV_CORE_MIDI_DEVS ? GV_CORE_MIDI_DEVS : n;
    if (c->nmdev)
        memcpy(c->mdev, d, (size_t)c->nmdev * sizeof *d);
    c->mdev_sel = 0;
    if (c->nmdev == 0) {
        c->mode = GV_MODE_NORMAL;
        gv_core_msg(c, 1, "%s", why && *why ? why : "no MIDI devices");
    }
}

void gv_core_midi_clock_cycle(gv_core *c)
{
    /* off -> out -> in -> off: one mode at a time */
    c->midi_clock = c->midi_clock == GV_MIDI_CLOCK_OFF  ? GV_MIDI_CLOCK_OUT
                    : c->midi_clock == GV_MIDI_CLOCK_OUT ? GV_MIDI_CLOCK_IN
                                                         : GV_MIDI_CLOCK_OFF;
    c->midi_serial++;
}

/* Enter on a port: use it (in place of the one of its direction), or stop
 * using it when it is the one in use. */
static void choose(gv_core *c)
{
    const gv_core_mdev *d = &c->mdev[c->mdev_sel];
    char *slot = d->input ? c->midi_in : c->midi_out;
    if (!strcmp(slot, d->name))
        slot[0] = 0;
    else
        gv_copy(slot, GV_CORE_MIDI_NAME, d->name);
    c->midi_serial++;
}

void gv_core_midi_key(gv_core *c, int key)
{
    int r = gv_core_list_key(key, c->nmdev, &c->mdev_sel);
    if (r == 1)
        choose(c);
    else if (r < 0 && key == 'c')
        gv_core_midi_clock_cycle(c);
    else if (r < 0 && (key == 27 || key == 'q' || key == 'M')) {
        c->mode = GV_MODE_NORMAL;
        c->midi_scan = 0;
    }
}
