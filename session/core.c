/* core.c - the top of the session (see core.h): making one, and routing
 * keys by mode: the help pages, tap mode, the y/n questions, the prompts,
 * the library and the MIDI list; in the normal mode the key map names the
 * action to run (actions.c).  Everything below is reached from here. */
#include "session/core.h"

#include "session/core_song.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

gv_core *gv_core_new(const char *libdir)
{
    gv_core *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    /* calloc'd: pages of the undo history cost memory only once used. */
    c->undo = calloc(GV_CORE_UNDO, sizeof *c->undo);
    c->redo = calloc(GV_CORE_UNDO, sizeof *c->redo);
    c->hist = calloc(GV_CORE_HISTORY, sizeof *c->hist);
    c->hist_pos = -1;
    if (!c->undo || !c->redo || !c->hist) {
        gv_core_free(c);
        return NULL;
    }
    gv_keymap_default(&c->keys);
    c->set = (gv_settings){.bpm = 120, .swing = 0, .temperature = 1.0f, .density = 1.0f, .n = 4, .click = 0, .bars = 2,
                            .feel = GV_FEEL_P_AUTO, .lanes = 1,
                            .jam = {.every = GV_JAM_EVERY_BAR, .follow = 1.f, .hold = 0, .feel = 1, .mute = 0}};
    for (int v = 0; v < GV_VOICES; v++) {
        c->set.cap[v] = -1;
        c->set.vdens[v] = 1.f;
    }
    gv_vmix_init(&c->set.mix);
    gv_pattern_init(&c->input, GV_MODEL_STEPS, 120, "empty");
    snprintf(c->input_src, sizeof c->input_src, "empty");
    c->cur_row = GV_VOICES - 1;
    c->play_src = GV_PLAY_INPUT;
    c->play = c->input;
    c->next_seed = (uint64_t)time(NULL) & 0xffffffffu;
    c->last_edit = -1;
    gv_load_opts_default(&c->window);
    gv_song_init(&c->songv.song, "song");
    snprintf(c->libdir, sizeof c->libdir, "%s", libdir ? libdir : "");
    return c;
}

void gv_core_free(gv_core *c)
{
    if (!c)
        return;
    free(c->undo);
    free(c->redo);
    free(c->hist);
    free(c->lib);
    free(c->kits);
    gv_core_song_free(c);
    gv_song_free(&c->songv.song);
    gv_jam_take_free(&c->jam.take);
    free(c);
}

int gv_core_load_keys(gv_core *c, const char *path, gv_err *e)
{
    return gv_keymap_load(&c->keys, path, e);
}

/* ---- tap mode ---- */

static void tap_finish(gv_core *c)
{
    gv_pattern p;
    int hits = gv_tap_quantise(&c->tap, &p);
    gv_tap_cancel(&c->tap);
    c->mode = GV_MODE_NORMAL;
    if (hits == 0) {
        gv_core_msg(c, 0, "tap: nothing recorded");
        return;
    }
    gv_core_set_input(c, &p, "tap");
    /* The rows used say how much the player told: one row is a groove, two
     * or more say which drum is which (an unused row's lane is empty). */
    c->set.lanes = gv_core_tap_lanes(&p);
    c->session_dirty = 1;
    if (c->zdim > 0)
        gv_core_request_generate(c);
    int lanes = gv_core_lanes(c);
    gv_core_msg(c, 0, "tapped %d hits: %d lane%s%s", hits, lanes, lanes > 1 ? "s" : "",
                c->job_pending ? ": generating" : "");
}

void gv_core_tick(gv_core *c, double now)
{
    gv_core_jam_sync(c, now);
    if (c->mode != GV_MODE_TAP)
        return;
    if (gv_tap_update(&c->tap, now, &c->tap_beat) == GV_TAP_DONE)
        tap_finish(c);
}

static void tap_key(gv_core *c, int key, double now)
{
    gv_core_tick(c, now);
    if (c->mode != GV_MODE_TAP)
        return; /* a press after the recording ended is dropped */
    if (key == GV_KEY_ESC) {
        gv_tap_cancel(&c->tap);
        c->mode = GV_MODE_NORMAL;
        gv_core_msg(c, 0, "tap cancelled");
    } else {
        gv_tap_key(&c->tap, now, key);
    }
}

/* ---- the y/n questions ---- */

/* y: this session replaces the saved one; n: quit, keeping it; Esc (or q):
 * stay. */
static void confirm_replace(gv_core *c, int key, int yes)
{
    c->mode = GV_MODE_NORMAL;
    if (yes)
        c->session_guard = 0;
    else if (key == 'n' || key == 'N')
        c->session_keep = 1;
    else
        return;
    c->quit = 1;
}

static void confirm_yes(gv_core *c, int kind)
{
    gv_err e;
    if (kind == GV_CONFIRM_EMPTY_EXPORT)
        gv_core_export_prompt(c);
    else if (kind == GV_CONFIRM_EMPTY_KEEP) {
        if (gv_core_keep(c, c->sel, &e) != 0)
            gv_core_msg(c, 1, "keep: %s", e.msg);
    } else if (kind == GV_CONFIRM_QUIT)
        gv_core_quit_or_ask(c);
    else if (kind == GV_CONFIRM_DELETE)
        gv_core_library_delete(c);
    else if (kind == GV_CONFIRM_SONG_OVERWRITE) {
        if (gv_core_song_export(c, c->pending_path, &e) != 0)
            gv_core_msg(c, 1, "%s: %s", c->pending_path, e.msg);
    } else if (gv_core_export(c, c->sel, c->pending_path, &e) != 0)
        gv_core_msg(c, 1, "%s: %s", c->pending_path, e.msg);
}

static void confirm_key(gv_core *c, int key)
{
    int yes = key == 'y' || key == 'Y';
    if (!yes && key != 'n' && key != 'N' && key != GV_KEY_ESC && key != 'q')
        return;
    int kind = c->confirm_kind;
    if (kind == GV_CONFIRM_REPLACE_SESSION) {
        confirm_replace(c, key, yes);
        return;
    }
    c->mode = kind == GV_CONFIRM_DELETE           ? GV_MODE_LIBRARY
              : kind == GV_CONFIRM_SONG_OVERWRITE ? GV_MODE_SONG
                                                  : GV_MODE_NORMAL;
    if (yes)
        confirm_yes(c, kind);
    else if (kind == GV_CONFIRM_OVERWRITE || kind == GV_CONFIRM_SONG_OVERWRITE || kind == GV_CONFIRM_EMPTY_EXPORT)
        gv_core_msg(c, 0, "not exported");
    else if (kind == GV_CONFIRM_EMPTY_KEEP)
        gv_core_msg(c, 0, "not kept");
}

/* ---- leaving ---- */

void gv_core_interrupt(gv_core *c)
{
    if (c->mode == GV_MODE_CONFIRM &&
        (c->confirm_kind == GV_CONFIRM_QUIT || c->confirm_kind == GV_CONFIRM_REPLACE_SESSION)) {
        c->mode = GV_MODE_NORMAL;
        if (c->session_guard)
            c->session_keep = 1; /* no answer is no licence to replace it */
        c->quit = 1;
        return;
    }
    if (c->mode == GV_MODE_TAP)
        gv_tap_cancel(&c->tap);
    if (c->jam.on)
        gv_core_jam_end(c, c->jam.now_seen);
    c->mode = GV_MODE_NORMAL;
    c->prompt_hint[0] = 0;
    c->lib_pick = 0;
    c->lib_a[0] = 0;
    gv_core_action(c, GV_A_QUIT, 0);
}

void gv_core_quit_key(gv_core *c, double now)
{
    c->mode = GV_MODE_NORMAL;
    gv_core_action(c, GV_A_QUIT, now);
}

/* ---- routing ---- */

static void help_key(gv_core *c, int key)
{
    if (key == GV_KEY_PGDN || key == ' ' || key == GV_KEY_DOWN)
        c->help_page++;
    else if (key == GV_KEY_PGUP || key == GV_KEY_UP)
        c->help_page = c->help_page > 0 ? c->help_page - 1 : 0;
    else
        c->mode = c->help_back;
}

/* While jamming: the jam context's controls, else a tap. */
static void jam_key(gv_core *c, int key, double now)
{
    gv_action a = gv_keymap_lookup(&c->keys, GV_CTX_JAM, key);
    if (a != GV_A_NONE)
        gv_core_action(c, a, now);
    else
        gv_core_jam_key(c, key, now);
}

/* The BPM prompt's Enter: a number sets the tempo. */
static void bpm_submit(gv_core *c)
{
    char *end;
    double bpm = strtod(c->prompt, &end);
    while (*end == ' ')
        end++;
    if (!c->prompt[0] || *end || !(bpm >= GV_BPM_MIN && bpm <= GV_BPM_MAX)) {
        gv_core_msg(c, 1, "tempo: '%s' is no number of BPM in %d..%d", c->prompt, GV_BPM_MIN, GV_BPM_MAX);
        return;
    }
    gv_core_set_tempo(c, (float)bpm);
    gv_core_msg(c, 0, "tempo %.2f BPM", c->set.bpm);
}

/* The song view's prompts and the BPM prompt end here; their text is
 * edited as every prompt's (core_io.h). */
static void prompt_key(gv_core *c, int key)
{
    int kind = c->prompt_kind, song = kind >= GV_PROMPT_SONG_EXPORT && kind <= GV_PROMPT_SONG_OPEN;
    if (!song && kind != GV_PROMPT_BPM) {
        gv_core_prompt_key(c, key);
        return;
    }
    int enter = key == '\n' || key == '\r' || key == GV_KEY_ENTER;
    if (key == GV_KEY_ESC || enter) {
        c->mode = song ? GV_MODE_SONG : GV_MODE_NORMAL;
        c->prompt_hint[0] = 0;
        if (!enter)
            gv_core_msg(c, 0, "cancelled");
        else if (song)
            gv_core_song_prompt_submit(c);
        else
            bpm_submit(c);
    } else if (key != '\t' && (kind != GV_PROMPT_BPM || key >= 256 || key < ' ' || key == 127 ||
                                (key >= '0' && key <= '9') || key == '.')) {
        gv_core_prompt_key(c, key);
    }
}

void gv_core_key(gv_core *c, int key, double now)
{
    switch (c->mode) {
    case GV_MODE_HELP: help_key(c, key); return;
    case GV_MODE_TAP: tap_key(c, key, now); return;
    case GV_MODE_CONFIRM: confirm_key(c, key); return;
    case GV_MODE_PROMPT: prompt_key(c, key); return;
    case GV_MODE_SONG: gv_core_action(c, gv_keymap_lookup(&c->keys, GV_CTX_SONG, key), now); return;
    case GV_MODE_LIBRARY:
        if (c->lib_pick == 2)
            gv_core_song_library_key(c, key, now);
        else
            gv_core_library_key(c, key, now);
        return;
    case GV_MODE_MIDI: gv_core_midi_key(c, key); return;
    case GV_MODE_KITS: gv_core_kits_key(c, key); return;
    default: break;
    }
    if (c->mode == GV_MODE_NORMAL && c->jam.on)
        jam_key(c, key, now);
    else if (c->mode == GV_MODE_NORMAL)
        gv_core_action(c, gv_keymap_lookup(&c->keys, c->edit_mode ? GV_CTX_EDIT : GV_CTX_NORMAL, key), now);
}
