/* tui_loop.c - the event loop: wait for a key, a finished generation or the
 * next frame; route input to the core; keep audio in step; draw when
 * something changed; save the session now and then (see tui.h). */
#include <curses.h>
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "session/session.h"
#include "app/tui.h"

#define AUTOSAVE_S 10.0
#define FRAME_MS 15 /* while something moves: play-head, tap, generation */
#define IDLE_MS 500

static volatile sig_atomic_t stop_signal, interrupted;

static void on_signal(int sig)
{
    stop_signal = sig;
}

/* Ctrl-C is a key here (the quit key), not the end: see gv_core_interrupt. */
static void on_interrupt(int sig)
{
    (void)sig;
    interrupted = 1;
}

/* The UI's clock: the monotonic clock, or, when $GROOVE_CLOCK_FILE names a
 * file, the seconds written in it.  A script then moves time itself (key,
 * wait for its effect, next time), so that tests of timed input such as tap
 * mode do not depend on how fast keys travel on a busy machine.  The audio
 * and MIDI threads keep their own clocks. */
static double tui_now(const tui *t)
{
    if (t->clock_file) {
        FILE *f = fopen(t->clock_file, "r");
        double v = 0;
        int ok = f && fscanf(f, "%lf", &v) == 1;
        if (f)
            fclose(f);
        if (ok)
            return v;
    }
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* 0 saved (or nothing to save to); -1 with e filled. */
static int save_session(tui *t, double now, gv_err *e)
{
    t->last_save = now;
    if (t->session_path[0] && gv_core_may_save(t->c) && gv_session_save(t->c, t->session_path, e) != 0) {
        gv_core_msg(t->c, 1, "session not saved: %s", e->msg);
        return -1;
    }
    return 0;
}

static void mouse(tui *t)
{
    MEVENT ev;
    gv_core *c = t->c;
    if (getmouse(&ev) != OK || !(ev.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED)) || c->mode != GV_MODE_NORMAL)
        return;
    int step, row;
    if (tui_hit_input(t, ev.y, ev.x, &step, &row)) {
        gv_core_click_cell(c, step, row);
        return;
    }
    int k = tui_hit_sugg(t, ev.y, ev.x);
    if (k >= 0 && k == c->sel)
        gv_core_action(c, GV_A_AUDITION, tui_now(t));
    else if (k >= 0)
        gv_core_select(c, k);
}

static void key(tui *t, int ch, double now)
{
    gv_core *c = t->c;
    if (ch == KEY_RESIZE) {
        clearok(curscr, TRUE);
        return;
    }
    if (ch == KEY_MOUSE) {
        mouse(t);
        return;
    }
    int k = tui_term_key(ch);
    if (!t->lay.ok && c->mode != GV_MODE_CONFIRM && c->mode != GV_MODE_TAP) {
        /* too small to see anything: only quitting makes sense */
        if (gv_keymap_lookup(&c->keys, GV_CTX_NORMAL, k) == GV_A_QUIT)
            gv_core_quit_key(c, now);
        return;
    }
    gv_core_key(c, k, now);
}

/* The play-head position the screen shows, to redraw when it moves. */
static int head_state(const tui *t, double now)
{
    const gv_core *c = t->c;
    if (c->mode == GV_MODE_TAP)
        return (int)((now - c->tap.t0) / gv_tap_step_sec(&c->tap)) + 1000 * c->tap.n;
    if (c->jam.on) /* the jam's step, its taps and patterns */
        return (int)floor(gv_core_jam_step(c, now)) + 1000 * (c->jam.take.ntaps + 1000 * c->jam.regens);
    return t->au.sent_playing ? tui_audio_cell(&t->au, t->au.shown_src) * 64 + t->au.shown_src + 8 : -1;
}

static void bench_first_frame(void)
{
    const char *path = getenv("GROOVE_BENCH_FILE");
    if (!path || !*path)
        return;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    FILE *f = fopen(path, "w");
    if (!f)
        return;
    fprintf(f, "%lld\n", (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec);
    fclose(f);
}

static void catch_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sa.sa_handler = on_interrupt;
    sigaction(SIGINT, &sa, NULL);
}

/* Brings the session and the outside world in step: Ctrl-C, the tap clock,
 * the generation worker, audio and MIDI.  Returns 1 when the screen should
 * be redrawn. */
static int sync_world(tui *t, double now)
{
    gv_core *c = t->c;
    int dirty = 0;
    if (interrupted) {
        interrupted = 0;
        gv_core_interrupt(c);
        dirty = 1;
    }
    gv_core_tick(c, now);
    if (tui_worker_poll(&t->w, c))
        dirty = 1;
    if (c->model_request) {
        tui_model_next(t);
        dirty = 1;
    }
    tui_audio_sync(&t->au, c, now);
    gv_midi_link_scan(c);
    if (c->midi_serial != t->midi_serial) {
        t->midi_serial = c->midi_serial;
        gv_midi_link_apply(&t->midi, &t->midi_opts, c, 1);
        dirty = 1;
    }
    if (gv_midi_link_sync(&t->midi, c, atomic_load(&t->au.ready) == 1 ? t->au.player : NULL, now))
        dirty = 1;
    return dirty;
}

/* Once audio is up (or failed), what it has to say goes beside the start-up
 * message (what was opened or restored stays in front: the audio thread may
 * finish before the first frame or long after it): never over the answer to
 * a key, nor over a start-up error (a file ignored, MIDI that did not open):
 * the status line says "no audio" already.  Returns 1 when it is time. */
static int audio_note(tui *t, unsigned start_serial)
{
    gv_core *c = t->c;
    if (t->au.note[0] && c->msg_serial == start_serial && !c->msg_err) {
        char first[sizeof c->msg];
        snprintf(first, sizeof first, "%s", c->msg);
        gv_core_msg(c, 1, "%s%s%s", first, first[0] ? "; " : "", t->au.note);
    }
    return 1;
}

static void draw(tui *t, double now)
{
    tui_draw(t, now);
    refresh();
    if (t->frames++ == 0) {
        bench_first_frame();
        tui_audio_start(&t->au); /* after the first screen: device probing takes a while */
    }
}

/* Waits for a key, a finished job or the next frame, then routes the keys
 * that came.  Returns -1 when the terminal is gone, else whether any key
 * came. */
static int wait_keys(tui *t)
{
    gv_core *c = t->c;
    /* a MIDI input's pads and transport want answering at frame rate */
    int moving = c->playing || c->mode == GV_MODE_TAP || c->busy || c->job_pending || !atomic_load(&t->au.ready) ||
                 (t->midi.in && !t->midi.in_lost);
    struct pollfd fds[2] = {{.fd = 0, .events = POLLIN}, {.fd = t->w.wake_fd[0], .events = POLLIN}};
    int n = poll(fds, t->w.wake_fd[0] >= 0 ? 2 : 1, moving ? FRAME_MS : IDLE_MS);
    if (n < 0 && errno != EINTR)
        return -1;
    /* the terminal went away (no SIGHUP came): it would poll ready forever */
    if (n > 0 && (fds[0].revents & (POLLHUP | POLLERR | POLLNVAL)) && !(fds[0].revents & POLLIN))
        return -1;
    double now = tui_now(t);
    int ch, any = 0;
    while ((ch = getch()) != ERR) {
        key(t, ch, now);
        any = 1;
    }
    return any;
}

int tui_run(tui *t)
{
    gv_core *c = t->c;
    catch_signals();
    int dirty = 1, note_shown = 0, head = -2;
    unsigned msg_serial = c->msg_serial, start_serial = c->msg_serial;
    t->last_save = tui_now(t);
    t->au.jam_clock = t->clock_file == NULL; /* a scripted clock carries the jam alone */
    for (;;) {
        double now = tui_now(t);
        dirty |= sync_world(t, now);
        if (!note_shown && atomic_load(&t->au.ready) != 0)
            dirty = note_shown = audio_note(t, start_serial);
        if (c->quit || stop_signal)
            break;
        gv_err e;
        if (c->session_dirty && now - t->last_save > AUTOSAVE_S)
            save_session(t, now, &e);
        int h = head_state(t, now);
        if (h != head || c->msg_serial != msg_serial) {
            head = h;
            msg_serial = c->msg_serial;
            dirty = 1;
        }
        if (dirty) {
            draw(t, now);
            dirty = 0;
        }
        int keys = wait_keys(t);
        if (keys < 0)
            break;
        dirty = keys;
    }
    /* the screen is still up: the caller prints the error once it is gone */
    gv_err e;
    if (save_session(t, tui_now(t), &e) != 0) {
        snprintf(t->quit_err, sizeof t->quit_err, "%s", e.msg);
        return 1;
    }
    return 0;
}
