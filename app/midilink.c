/* midilink.c - the TUI's link to MIDI (see midilink.h). */
#include "app/midilink.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define NOTES_AT_ONCE 32

static void add_note(char *note, size_t n, const char *what, const char *msg)
{
    size_t k = strlen(note);
    /* a long note is cut to the line (snprintf's count tells; it ends in a NUL either way) */
    if (snprintf(note + k, n - k, "%s%s: %s", k ? "; " : "", what, msg) >= (int)(n - k))
        note[n - 1] = 0;
}

int gv_midi_link_attach(gv_midi_link *l, gv_midi_port *out, gv_midi_port *in, const gv_midi_sched_cfg *cfg,
                        const gv_midi_map *map, int voice_map, gv_err *e)
{
    memset(l, 0, sizeof *l);
    l->sent_serial = (unsigned)-1;
    l->sent_bpm = l->sent_swing = -1;
    l->map = *map;
    l->voice_map = voice_map;
    l->clock = cfg->clock;
    if (!(l->s = gv_midi_sched_new(out, in, cfg, e))) {
        gv_midi_close(out);
        gv_midi_close(in);
        return -1;
    }
    l->out = out;
    l->in = in;
    return 0;
}

int gv_midi_link_open(gv_midi_link *l, const gv_midi_cli *o, double bpm)
{
    char note[sizeof l->note] = "";
    gv_midi_cli opts = *o;
    int voice_map = opts.map != NULL;
    gv_midi_sched_cfg cfg;
    gv_midi_map map;
    gv_err e = {0};
    if (gv_midi_cli_cfg(&opts, bpm, &cfg, &map, &e)) {
        add_note(note, sizeof note, opts.map, e.msg);
        opts.map = NULL;
        gv_midi_cli_cfg(&opts, bpm, &cfg, &map, &e);
    }
    gv_midi_port *out = NULL, *in = NULL;
    if (gv_midi_cli_wants_out(&opts) && !(out = gv_midi_pm_open(opts.out, GV_MIDI_OUT, opts.latency_ms, &e)))
        add_note(note, sizeof note, "MIDI output", e.msg);
    if (gv_midi_cli_wants_in(&opts) && !(in = gv_midi_pm_open(opts.in, GV_MIDI_IN, 0, &e)))
        add_note(note, sizeof note, "MIDI input", e.msg);
    if ((cfg.clock == GV_MIDI_CLOCK_IN && !in) || (cfg.clock == GV_MIDI_CLOCK_OUT && !out))
        cfg.clock = GV_MIDI_CLOCK_OFF;
    memset(l, 0, sizeof *l);
    if ((out || in) && gv_midi_link_attach(l, out, in, &cfg, &map, voice_map, &e))
        add_note(note, sizeof note, "MIDI", e.msg);
    l->wanted = gv_midi_cli_wants_out(&opts) || gv_midi_cli_wants_in(&opts);
    snprintf(l->note, sizeof l->note, "%s", note);
    return note[0] ? -1 : 0;
}

/* What the scheduler reports, as messages when it changes. */
static int report(gv_midi_link *l, gv_core *c, const gv_midi_status *st)
{
    int changed = 0;
    if (st->out_lost && !l->out_lost) {
        gv_core_msg(c, 1, "MIDI output %.60s is gone: playing on audio only", l->out->name);
        l->out_lost = changed = 1;
    }
    if (st->in_lost && !l->in_lost) {
        gv_core_msg(c, 1, "MIDI input %.60s is gone", l->in->name);
        l->in_lost = changed = 1;
    }
    if (st->clock_state != l->clock_state) {
        if (st->clock_state == GV_MIDI_CLOCK_LOST)
            gv_core_msg(c, 1, "MIDI clock stopped: internal clock at %.1f BPM", st->ext_bpm);
        else if (st->clock_state == GV_MIDI_CLOCK_LOCKED)
            gv_core_msg(c, 0, "following MIDI clock at %.1f BPM", st->ext_bpm);
        l->clock_state = st->clock_state;
        changed = 1;
    }
    return changed;
}

/* Clock in: the external tempo and transport become the core's. */
static int follow(gv_midi_link *l, gv_core *c, const gv_midi_status *st, double now)
{
    int changed = 0;
    if (st->clock_state == GV_MIDI_CLOCK_LOCKED) {
        float bpm = roundf((float)st->ext_bpm * 10) / 10;
        bpm = bpm < GV_BPM_MIN ? GV_BPM_MIN : bpm > GV_BPM_MAX ? GV_BPM_MAX : bpm;
        if (bpm != c->set.bpm) {
            gv_core_set_tempo(c, bpm);
            changed = 1;
        }
    }
    if (st->ext_seq != l->ext_seen) {
        l->ext_seen = st->ext_seq;
        if (!!st->ext_running != !!c->playing) {
            gv_core_action(c, GV_A_PLAY, now);
            changed = 1;
        }
        l->sent_playing = c->playing; /* the scheduler moved by itself */
    }
    return changed;
}

/* A jam started: MIDI out starts over with it (our clock).  Clock in,
 * locked and running: the DAW's position is the jam's timeline, counted
 * from the bar pair the jam started in (so that cells line up). */
static void jam_clock(gv_midi_link *l, gv_core *c, const gv_midi_status *st, double now)
{
    if (c->jam.serial != l->jam_serial) {
        l->jam_serial = c->jam.serial;
        l->jam_origin = -1;
        /* our own clock: MIDI starts over with the jam, as the synth does */
        if (l->clock != GV_MIDI_CLOCK_IN && l->sent_playing && gv_midi_sched_stop(l->s) == 0)
            gv_midi_sched_start(l->s);
    }
    if (l->clock != GV_MIDI_CLOCK_IN || st->clock_state != GV_MIDI_CLOCK_LOCKED || !st->ext_running || st->step < 0)
        return;
    if (l->jam_origin < 0)
        l->jam_origin = floor(st->step / GV_JAM_STEPS) * GV_JAM_STEPS;
    gv_core_jam_clock(c, now, st->step - l->jam_origin, 0);
}

static int pads(gv_midi_link *l, gv_core *c, gv_player *pl)
{
    gv_midi_msg m[NOTES_AT_ONCE];
    int n, changed = 0;
    while ((n = gv_midi_sched_notes(l->s, m, NOTES_AT_ONCE)) > 0)
        for (int i = 0; i < n; i++) {
            int v;
            float vel;
            if (c->mode == GV_MODE_TAP) {
                if (gv_midi_note_hit(&m[i], l->voice_map ? &l->map : NULL, 0, &v, &vel))
                    changed |= gv_core_tap_hit(c, (double)m[i].t / 1e6, v, vel);
            } else if (c->jam.on) {
                /* with a map its voices (unmapped notes ignored), else every note one lane */
                if (gv_midi_note_hit(&m[i], l->voice_map ? &l->map : NULL, 0, &v, &vel))
                    changed |= gv_core_jam_hit(c, (double)m[i].t / 1e6, m[i].b[1], l->voice_map ? v : GV_MIDI_TAP_VOICE, vel);
            } else if (pl && gv_midi_note_hit(&m[i], &l->map, 0, &v, &vel)) {
                gv_player_trigger(pl, v, vel);
            }
        }
    return changed;
}

int gv_midi_link_sync(gv_midi_link *l, gv_core *c, gv_player *pl, double now)
{
    if (!l->s)
        return 0;
    gv_midi_status st;
    gv_midi_sched_status(l->s, &st);
    int changed = report(l, c, &st);
    if (l->clock == GV_MIDI_CLOCK_IN)
        changed |= follow(l, c, &st, now);
    changed |= pads(l, c, pl);
    if (c->set.bpm != l->sent_bpm && gv_midi_sched_tempo(l->s, c->set.bpm) == 0)
        l->sent_bpm = c->set.bpm;
    if (c->set.swing != l->sent_swing && gv_midi_sched_swing(l->s, c->set.swing) == 0)
        l->sent_swing = c->set.swing;
    int playing = c->playing && c->mode != GV_MODE_TAP;
    int when = !c->play_next_bar || !playing ? GV_QUEUE_NOW : c->play_beat ? GV_QUEUE_BEAT : GV_QUEUE_BAR;
    if (c->play_serial != l->sent_serial) {
        gv_core_heard(c, &l->heard);
        if (gv_midi_sched_queue(l->s, &l->heard, when) == 0)
            l->sent_serial = c->play_serial;
    }
    if (c->jam.on)
        jam_clock(l, c, &st, now);
    if (playing != l->sent_playing) {
        /* clock in: only the external transport starts MIDI */
        int rc = playing ? (l->clock == GV_MIDI_CLOCK_IN ? 0 : gv_midi_sched_start(l->s)) : gv_midi_sched_stop(l->s);
        if (rc == 0)
            l->sent_playing = playing;
    }
    return changed;
}

void gv_midi_link_state(const gv_midi_link *l, char *buf, size_t n)
{
    if (!l->s)
        snprintf(buf, n, l->wanted ? "no midi" : "midi off");
    else if ((l->out && l->out_lost) || (l->in && l->in_lost))
        snprintf(buf, n, "midi gone");
    else if (l->clock == GV_MIDI_CLOCK_IN && l->clock_state == GV_MIDI_CLOCK_LOST)
        snprintf(buf, n, "clock lost");
    else if (l->clock == GV_MIDI_CLOCK_IN) {
        gv_midi_status st;
        gv_midi_sched_status(l->s, &st);
        snprintf(buf, n, "clock in %.1f", st.ext_bpm);
    } else
        snprintf(buf, n, "midi %s%s%s", l->in ? "in" : "", l->in && l->out ? "+" : "",
                 l->out ? (l->clock == GV_MIDI_CLOCK_OUT ? "out+clock" : "out") : "");
}

int gv_midi_link_apply(gv_midi_link *l, const gv_midi_cli *base, gv_core *c, int say)
{
    gv_midi_cli o = *base;
    o.out = c->midi_out[0] ? c->midi_out : NULL;
    o.in = c->midi_in[0] ? c->midi_in : NULL;
    o.clock = c->midi_clock;
    gv_midi_link_close(l);
    int rc = gv_midi_link_open(l, &o, c->set.bpm);
    /* the names of what did open, so that the device list can mark them */
    gv_core_set_midi(c, l->out ? l->out->name : "", l->in ? l->in->name : "", c->midi_clock);
    if (rc) {
        gv_core_msg(c, 1, "%s", l->note);
    } else if (say) {
        static const char *const clock[] = {"off", "out", "in"}; /* GV_MIDI_CLOCK_* order */
        if (!l->s)
            gv_core_msg(c, 0, "MIDI off");
        else
            gv_core_msg(c, 0, "MIDI%s%.60s%s%.60s, clock %s", l->out ? " out: " : "", l->out ? l->out->name : "",
                        l->in ? (l->out ? ", in: " : " in: ") : "", l->in ? l->in->name : "", clock[l->clock]);
    }
    return rc;
}

static void add_dev(const gv_midi_device *d, void *ctx)
{
    gv_core_mdev *list = ctx;
    for (int k = 0; k < GV_CORE_MIDI_DEVS; k++)
        if (!list[k].name[0]) {
            snprintf(list[k].name, sizeof list[k].name, "%s", d->name);
            list[k].input = d->input;
            return;
        }
}

void gv_midi_link_scan(gv_core *c)
{
    if (!c->midi_scan)
        return;
    gv_core_mdev list[GV_CORE_MIDI_DEVS];
    memset(list, 0, sizeof list);
    gv_err e = {0};
    int n = 0;
    if (gv_midi_list(add_dev, list, &e) == 0)
        while (n < GV_CORE_MIDI_DEVS && list[n].name[0])
            n++;
    gv_core_midi_devices(c, list, n, e.msg);
}

void gv_midi_link_close(gv_midi_link *l)
{
    gv_midi_sched_free(l->s);
    gv_midi_close(l->out);
    gv_midi_close(l->in);
    memset(l, 0, sizeof *l);
}
