/* tui_audio.c - the TUI's link to the drum synth (see tui.h): starting audio
 * off the UI thread, and telling the player what the core wants to hear.
 *
 * Switches requested "at the next bar" are queued with GV_QUEUE_BAR; the
 * play-head follows the old pattern until the player's cell crosses a bar
 * line, then the new one.  Tap mode takes the player over: an empty bar
 * looped with the metronome, restarted so that its first click is the
 * count-in's "one". */
#include <stdio.h>
#include <string.h>

#include "app/tui.h"
#include "session/core_song.h"

static void *audio_main(void *arg)
{
    tui_audio *a = arg;
    gv_err e = {0};
    a->audio = gv_audio_open(a->has_device ? a->device : NULL, a->latency_ms, 0, &e);
    if (!a->audio) {
        snprintf(a->note, sizeof a->note, "%.200s: running silently", e.msg);
        snprintf(a->state, sizeof a->state, "no audio");
        snprintf(a->state_short, sizeof a->state_short, "no audio");
        a->audio = gv_audio_open_silent(48000, &e);
    } else {
        snprintf(a->state, sizeof a->state, "audio %.80s", gv_audio_name(a->audio));
        snprintf(a->state_short, sizeof a->state_short, "audio");
    }
    if (!a->audio) {
        snprintf(a->state, sizeof a->state, "audio off");
        snprintf(a->state_short, sizeof a->state_short, "audio off");
        atomic_store(&a->ready, -1);
        return NULL;
    }
    double rate = gv_audio_rate(a->audio);
    gv_kit *kit = &a->kits[a->kit_cur];
    if (a->has_kit && gv_kit_load(kit, a->kit_dir, rate, &e) != 0) {
        snprintf(a->note, sizeof a->note, "kit %.90s: %.120s; using the built-in kit", a->kit_dir, e.msg);
        snprintf(a->kit_boot_why, sizeof a->kit_boot_why, "%.190s", e.msg);
        a->has_kit = 0;
    }
    if ((!a->has_kit && gv_kit_builtin(kit, rate, &e) != 0) || !(a->player = gv_player_new(rate, kit, &e)) ||
        gv_audio_start(a->audio, a->player, &e) != 0) {
        snprintf(a->note, sizeof a->note, "audio: %.200s", e.msg);
        snprintf(a->state, sizeof a->state, "audio off");
        snprintf(a->state_short, sizeof a->state_short, "audio off");
        atomic_store(&a->ready, -1);
        return NULL;
    }
    atomic_store(&a->ready, 1);
    return NULL;
}

void tui_audio_start(tui_audio *a)
{
    a->shown_src = a->pending_src = GV_PLAY_INPUT;
    a->sent_serial = (unsigned)-1;
    a->sent_bpm = a->sent_swing = -1;
    a->sent_click = -1;
    atomic_store(&a->ready, 0);
    a->started = pthread_create(&a->th, NULL, audio_main, a) == 0;
    if (!a->started) {
        snprintf(a->state, sizeof a->state, "audio off");
        snprintf(a->state_short, sizeof a->state_short, "audio off");
        atomic_store(&a->ready, -1);
    }
}

/* ---- switching kits ---- */

static void *kit_main(void *arg)
{
    tui_audio *a = arg;
    gv_kit *k = &a->kits[1 - a->kit_cur];
    gv_err e = {0};
    double rate = gv_audio_rate(a->audio);
    a->kit_ok = (a->kit_next[0] ? gv_kit_load(k, a->kit_next, rate, &e) : gv_kit_builtin(k, rate, &e)) == 0;
    snprintf(a->kit_why, sizeof a->kit_why, "%.190s", a->kit_ok ? "" : e.msg);
    atomic_store(&a->kit_loaded, 1);
    return NULL;
}

/* The core asks for another kit: load it aside (kit_main), hand it to the
 * player, free the old one once the audio thread has let go of it. */
static void kit_sync(tui_audio *a, gv_core *c)
{
    if (a->kit_boot_why[0]) { /* the kit asked for at start-up did not load */
        gv_core_kit_loaded(c, c->kit_dir, 0, a->kit_boot_why, "");
        a->kit_boot_why[0] = 0;
        a->kit_dir[0] = 0;
    }
    if (a->kit_state == 0 && c->kit_serial != a->kit_serial) {
        a->kit_serial = c->kit_serial;
        if (!strcmp(c->kit_dir, a->has_kit ? a->kit_dir : ""))
            return; /* plays already */
        snprintf(a->kit_next, sizeof a->kit_next, "%s", c->kit_dir);
        atomic_store(&a->kit_loaded, 0);
        if (pthread_create(&a->kit_th, NULL, kit_main, a) != 0) {
            gv_core_kit_loaded(c, a->kit_next, 0, "no thread to load it on", a->has_kit ? a->kit_dir : "");
            return;
        }
        a->kit_state = 1;
    } else if (a->kit_state == 1 && atomic_load(&a->kit_loaded)) {
        pthread_join(a->kit_th, NULL);
        if (!a->kit_ok || gv_player_set_kit(a->player, &a->kits[1 - a->kit_cur]) != 0) {
            gv_kit_free(&a->kits[1 - a->kit_cur]);
            gv_core_kit_loaded(c, a->kit_next, 0, a->kit_ok ? "wrong sample rate" : a->kit_why,
                               a->has_kit ? a->kit_dir : "");
            a->kit_serial = c->kit_serial; /* the core went back to the kit that plays */
            a->kit_state = 0;
            return;
        }
        a->kit_state = 2;
    } else if (a->kit_state == 2 && gv_player_kit_settled(a->player)) {
        gv_kit_free(&a->kits[a->kit_cur]);
        a->kit_cur = 1 - a->kit_cur;
        a->has_kit = a->kit_next[0] != 0;
        snprintf(a->kit_dir, sizeof a->kit_dir, "%s", a->kit_next);
        gv_core_kit_loaded(c, a->kit_next, 1, "", "");
        a->kit_state = 0;
    }
}

static void tap_begin(tui_audio *a, gv_core *c, double now)
{
    gv_player *pl = a->player;
    static gv_pattern bar; /* an empty bar for the metronome to run on */
    gv_pattern_init(&bar, GV_STEPS_PER_BAR, c->tap.bpm, "count-in");
    gv_player_stop(pl);
    gv_player_queue(pl, &bar, GV_QUEUE_NOW);
    gv_player_set_tempo(pl, c->tap.bpm);
    gv_player_set_metronome(pl, 1);
    gv_player_start(pl);
    /* The first click is heard one output latency from now: that is the
     * count-in's "one" the player taps against. */
    gv_audio_stats st;
    gv_audio_get_stats(a->audio, &st);
    gv_core_tap_anchor(c, now + st.latency_ms / 1000.0);
    a->tap_state = 1;
    a->sent_playing = 1;
    a->sent_click = -1;
    a->sent_bpm = -1;
    a->sent_serial = c->play_serial - 1; /* the core's pattern goes back in after */
}

/* A jam starts: its first drums from the top, and step 0 is the first
 * downbeat heard (one output latency from now). */
static void jam_begin(tui_audio *a, gv_core *c, double now)
{
    gv_player *pl = a->player;
    gv_player_stop(pl);
    gv_core_heard(c, &a->heard);
    gv_player_queue(pl, &a->heard, GV_QUEUE_NOW);
    gv_player_set_tempo(pl, c->set.bpm);
    gv_player_start(pl);
    gv_audio_stats st;
    gv_audio_get_stats(a->audio, &st);
    gv_core_jam_anchor(c, now + st.latency_ms / 1000.0);
    a->sent_serial = c->play_serial;
    a->sent_playing = c->playing;
    a->sent_bpm = c->set.bpm;
    a->shown_src = a->pending_src = c->play_src;
}

/* While jamming: the player's position, as heard, is the jam's timeline. */
static void jam_clock(tui_audio *a, gv_core *c, double now)
{
    double pos;
    if (!a->jam_clock || gv_player_position(a->player, &pos) != 0)
        return;
    gv_audio_stats st;
    gv_audio_get_stats(a->audio, &st);
    double lead = st.latency_ms / 1000.0 * c->set.bpm / 15.0;
    gv_core_jam_clock(c, now, pos - lead, lead);
}

/* Patterns that wait for a line: GV_QUEUE_BEAT when the core says so. */
static int queue_when(const gv_core *c, gv_player *pl)
{
    if (!c->play_next_bar || !gv_player_playing(pl))
        return GV_QUEUE_NOW;
    return c->play_beat ? GV_QUEUE_BEAT : GV_QUEUE_BAR;
}

/* A new audition of the song: its first chunk from the top at once. */
static void song_begin(tui_audio *a, gv_core *c)
{
    gv_player *pl = a->player;
    a->song_serial = c->songv.serial;
    a->song_at = c->songv.from;
    a->song_len = c->play.steps;
    a->song_next_at = -1;
    a->song_cell = -1;
    gv_player_stop(pl);
    if (gv_player_queue(pl, &c->play, GV_QUEUE_NOW) != 0)
        return;
    gv_player_start(pl);
    a->sent_serial = c->play_serial;
    a->sent_playing = 1;
    a->shown_src = a->pending_src = GV_PLAY_SONG;
}

/* While the song plays: the next chunk queued in the last bar of the one
 * playing, taking over at its end (a bar line, the loop's start: the new
 * one starts at its step 0); the wrap of the cell says it has. */
static void song_follow(tui_audio *a, gv_core *c)
{
    int cell = gv_player_cell(a->player);
    if (cell < 0)
        return;
    if (a->song_next_at >= 0 && a->song_cell >= 0 && cell < a->song_cell) {
        a->song_at = a->song_next_at;
        a->song_len = a->song_next_len;
        a->song_next_at = -1;
    }
    a->song_cell = cell;
    if (a->song_next_at < 0 && cell >= a->song_len - GV_STEPS_PER_BAR && cell < a->song_len - 1) {
        long at = (a->song_at + a->song_len >= c->songv.total) ? c->songv.from : a->song_at + a->song_len;
        gv_core_song_chunk(&c->songv, at, &a->song_next);
        if (gv_player_queue(a->player, &a->song_next, GV_QUEUE_BAR) == 0) {
            a->song_next_at = at;
            a->song_next_len = a->song_next.steps;
        }
    }
}

long tui_audio_song_pos(const tui_audio *a)
{
    int cell = tui_audio_cell(a, GV_PLAY_SONG);
    return cell < 0 ? -1 : a->song_at + cell;
}

void tui_audio_sync(tui_audio *a, gv_core *c, double now)
{
    if (atomic_load(&a->ready) == -1 && c->kit_serial != a->kit_serial) {
        a->kit_serial = c->kit_serial; /* no player to take a kit */
        gv_core_kit_loaded(c, c->kit_dir, 0, "the audio is off", a->has_kit ? a->kit_dir : "");
    }
    if (atomic_load(&a->ready) != 1)
        return;
    gv_player *pl = a->player;
    kit_sync(a, c);
    if (c->jam.serial != a->jam_serial) {
        a->jam_serial = c->jam.serial;
        if (c->jam.on)
            jam_begin(a, c, now);
    }
    if (c->jam.on)
        jam_clock(a, c, now);
    if (c->mode == GV_MODE_TAP) {
        if (!a->tap_state)
            tap_begin(a, c, now);
        return;
    }
    if (a->tap_state) {
        gv_player_stop(pl);
        a->tap_state = 0;
        a->sent_playing = 0;
    }
    if (c->set.bpm != a->sent_bpm) {
        gv_player_set_tempo(pl, c->set.bpm);
        a->sent_bpm = c->set.bpm;
    }
    if (c->set.swing != a->sent_swing) {
        gv_player_set_swing(pl, c->set.swing);
        a->sent_swing = c->set.swing;
    }
    if (c->set.click != a->sent_click) {
        gv_player_set_metronome(pl, c->set.click);
        a->sent_click = c->set.click;
    }
    if (c->play_src == GV_PLAY_SONG && c->playing && c->songv.serial != a->song_serial)
        song_begin(a, c);
    if (c->play_src == GV_PLAY_SONG && c->play_serial != a->sent_serial) /* a tempo change: no restart */
        a->sent_serial = c->play_serial;
    if (c->play_serial != a->sent_serial) {
        int when = queue_when(c, pl);
        gv_core_heard(c, &a->heard);
        if (gv_player_queue(pl, &a->heard, when) == 0) {
            a->sent_serial = c->play_serial;
            a->pending_src = c->play_src;
            a->pending_bar = gv_player_cell(pl);
            if (when == GV_QUEUE_NOW)
                a->shown_src = c->play_src;
        }
    }
    if (c->playing != a->sent_playing) {
        if (c->playing) {
            gv_player_start(pl);
            a->shown_src = a->pending_src;
        } else {
            gv_player_stop(pl);
            a->song_serial = c->songv.serial - 1; /* played again: from its section */
        }
        a->sent_playing = c->playing;
    }
    if (c->playing && a->shown_src == GV_PLAY_SONG)
        song_follow(a, c);
    if (a->pending_src != a->shown_src) {
        /* pending_bar holds the last cell seen: a smaller position in the bar
         * means a bar line went by, and with it the switch. */
        int cell = gv_player_cell(pl);
        if (cell >= 0 && a->pending_bar >= 0 && cell % GV_STEPS_PER_BAR < a->pending_bar % GV_STEPS_PER_BAR)
            a->shown_src = a->pending_src;
        a->pending_bar = cell;
    }
}

int tui_audio_cell(const tui_audio *a, int src)
{
    if (atomic_load(&a->ready) != 1 || !a->sent_playing || a->tap_state || src != a->shown_src)
        return -1;
    return gv_player_cell(a->player);
}

void tui_audio_stop(tui_audio *a)
{
    if (!a->started)
        return;
    pthread_join(a->th, NULL);
    a->started = 0;
    if (a->kit_state == 1)
        pthread_join(a->kit_th, NULL);
    if (a->player)
        gv_player_stop(a->player);
    gv_audio_close(a->audio);
    gv_player_free(a->player);
    gv_kit_free(&a->kits[0]);
    gv_kit_free(&a->kits[1]);
    a->kit_state = 0;
    a->audio = NULL;
    a->player = NULL;
    atomic_store(&a->ready, 0);
}
