/* test_song_view.c - the song view (issue 22) with no terminal: sections
 * added from the library and from the input, reordered, repeated, a fill
 * toggled, deleted; the audition from a section in chunks the player takes;
 * the export with a marker at each section start; songs saved and opened in
 * library/songs; and the tempo keys (tap tempo, the BPM prompt). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/fileio.h"
#include "session/core.h"
#include "session/core_song.h"
#include "tests/helpers.h"

static char tmpdir[256];

static void make_tmp(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/gv_songv_XXXXXX");
    cr_assert_not_null(mkdtemp(tmpdir));
}

static void rm_tmp(void)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    cr_assert_eq(system(cmd), 0);
}

TestSuite(song_view, .init = make_tmp, .fini = rm_tmp);

/* A core whose library holds n 2-bar patterns, pattern k with k+1 kicks
 * (names[k] its id); the list shows them newest first. */
static gv_core *core_with_library(int n, char names[][GV_LIB_NAME])
{
    char lib[300];
    snprintf(lib, sizeof lib, "%s/library", tmpdir);
    gv_core *c = gv_core_new(lib);
    cr_assert_not_null(c);
    for (int k = 0; k < n; k++) {
        gv_pattern p;
        gv_pattern_init(&p, GV_MODEL_STEPS, 120, "p");
        for (int h = 0; h <= k; h++)
            gv_pattern_set(&p, h * 4, GV_KICK, 1, 0.8f, 0);
        gv_err e;
        char tag[8];
        snprintf(tag, sizeof tag, "p%d", k);
        cr_assert_eq(gv_library_save(lib, &p, NULL, tag, names[k], &e), 0, "%s", e.msg);
    }
    return c;
}

static void type(gv_core *c, const char *s)
{
    for (; *s; s++)
        gv_core_key(c, (unsigned char)*s, 0);
}

/* Adds library entry id through the picker: a, move to it, Enter. */
static void add_from_library(gv_core *c, const char *id)
{
    gv_core_key(c, 'a', 0);
    cr_assert_eq(c->mode, GV_MODE_LIBRARY);
    cr_assert_eq(c->lib_pick, 2);
    for (int i = 0; i < c->nlib && strcmp(c->lib[c->lib_sel].name, id); i++)
        gv_core_key(c, 'j', 0);
    cr_assert_str_eq(c->lib[c->lib_sel].name, id);
    gv_core_key(c, '\n', 0);
    cr_assert_eq(c->mode, GV_MODE_SONG);
}

Test(song_view, sections_are_added_moved_repeated_and_deleted)
{
    char names[3][GV_LIB_NAME];
    gv_core *c = core_with_library(3, names);
    gv_core_key(c, 'A', 0);
    cr_assert_eq(c->mode, GV_MODE_SONG);
    add_from_library(c, names[0]);
    add_from_library(c, names[1]);
    /* the input, kept first */
    gv_pattern in;
    gv_pattern_init(&in, GV_MODEL_STEPS, 120, "in");
    gv_pattern_set(&in, 4, GV_SNARE, 1, 0.9f, 0);
    gv_core_set_input(c, &in, "test");
    gv_core_key(c, 'I', 0);
    gv_song *s = &c->songv.song;
    cr_assert_eq(s->n, 3);
    cr_assert_str_eq(s->sec[0].pattern, names[0]);
    cr_assert_str_eq(s->sec[1].pattern, names[1]);
    cr_assert(strstr(s->sec[2].pattern, "input"), "%s", s->sec[2].pattern);
    cr_assert_eq(c->songv.sel, 2);
    /* an entry added goes after the selection */
    gv_core_key(c, 'k', 0);
    gv_core_key(c, 'k', 0);
    add_from_library(c, names[2]);
    cr_assert_str_eq(s->sec[1].pattern, names[2]);
    cr_assert_eq(c->songv.sel, 1);
    /* K / J move it; + / - its repeats (1..) */
    gv_core_key(c, 'K', 0);
    cr_assert_str_eq(s->sec[0].pattern, names[2]);
    cr_assert_eq(c->songv.sel, 0);
    gv_core_key(c, 'K', 0); /* already first */
    cr_assert_str_eq(s->sec[0].pattern, names[2]);
    gv_core_key(c, 'J', 0);
    cr_assert_str_eq(s->sec[1].pattern, names[2]);
    gv_core_key(c, '+', 0);
    gv_core_key(c, '=', 0);
    cr_assert_eq(s->sec[1].repeat, 3);
    for (int i = 0; i < 5; i++)
        gv_core_key(c, '-', 0);
    cr_assert_eq(s->sec[1].repeat, 1);
    /* d deletes the selection; the last one deleted leaves the one before */
    gv_core_key(c, 'd', 0);
    cr_assert_eq(s->n, 3);
    cr_assert_str_eq(s->sec[1].pattern, names[1]);
    gv_core_key(c, GV_KEY_END, 0); /* not a song key: nothing */
    cr_assert_eq(s->n, 3);
    gv_core_key(c, GV_KEY_ESC, 0);
    cr_assert_eq(c->mode, GV_MODE_NORMAL);
    cr_assert(c->songv.dirty);
    gv_core_free(c);
}

Test(song_view, esc_in_the_picker_goes_back_and_the_library_keys_stay_its_own)
{
    char names[2][GV_LIB_NAME];
    gv_core *c = core_with_library(2, names);
    gv_core_key(c, 'A', 0);
    gv_core_key(c, 'a', 0);
    gv_core_key(c, 'd', 0); /* no delete while picking */
    cr_assert_eq(c->mode, GV_MODE_LIBRARY);
    gv_core_key(c, GV_KEY_ESC, 0);
    cr_assert_eq(c->mode, GV_MODE_SONG);
    cr_assert_eq(c->songv.song.n, 0);
    cr_assert_eq(c->lib_pick, 0);
    /* the normal library still loads an entry as the input */
    gv_core_key(c, GV_KEY_ESC, 0);
    gv_core_key(c, 'l', 0);
    cr_assert_eq(c->mode, GV_MODE_LIBRARY);
    gv_core_key(c, '\n', 0);
    cr_assert_eq(c->mode, GV_MODE_NORMAL);
    gv_core_free(c);
}

Test(song_view, a_fill_is_toggled_and_needs_the_model)
{
    char names[1][GV_LIB_NAME];
    gv_core *c = core_with_library(1, names);
    gv_core_key(c, 'A', 0);
    add_from_library(c, names[0]);
    gv_core_key(c, 'f', 0);
    cr_assert_eq(c->songv.song.sec[0].fill.method, GV_FILL_NONE);
    cr_assert(c->msg_err && strstr(c->msg, "model"), "%s", c->msg);
    char path[1024];
    snprintf(path, sizeof path, "%s/engine/models/default.safetensors", gv_test_root());
    gv_model m;
    gv_err e;
    cr_assert_eq(gv_model_load(path, &m, &e), 0, "%s", e.msg);
    gv_core_song_set_model(c, &m);
    gv_core_key(c, 'f', 0);
    const gv_song_fill *f = &c->songv.song.sec[0].fill;
    cr_assert_eq(f->method, GV_FILL_VARY);
    uint64_t seed = f->seed;
    /* the audition plays the fill: the last bar differs from the section's */
    gv_core_key(c, 'p', 0);
    cr_assert_eq(c->play_src, GV_PLAY_SONG, "%s", c->msg);
    cr_assert_eq(c->songv.total, GV_MODEL_STEPS);
    gv_pattern plain;
    gv_lib_meta meta;
    cr_assert_geq(gv_library_load(c->libdir, names[0], &plain, &meta, &e), 0);
    int same = 1;
    for (int st = 16; st < 32; st++)
        for (int v = 0; v < GV_VOICES; v++)
            same &= plain.hit[st][v] == c->play.hit[st][v];
    cr_assert(!same, "the fill bar is the section's own");
    gv_core_key(c, 'f', 0);
    cr_assert_eq(c->songv.song.sec[0].fill.method, GV_FILL_NONE);
    gv_core_key(c, 'f', 0);
    cr_assert_neq(c->songv.song.sec[0].fill.seed, seed); /* a fresh fill */
    gv_core_free(c);
    gv_model_free(&m);
}

Test(song_view, the_audition_plays_from_the_section_in_chunks)
{
    char names[3][GV_LIB_NAME];
    gv_core *c = core_with_library(3, names);
    gv_core_key(c, 'A', 0);
    gv_core_key(c, 'p', 0); /* no sections: a message, nothing plays */
    cr_assert_eq(c->playing, 0);
    for (int k = 0; k < 3; k++)
        add_from_library(c, names[k]);
    c->songv.song.sec[0].repeat = 2;
    c->songv.song.sec[2].repeat = 2;
    gv_core_key(c, 'k', 0); /* section 2 */
    unsigned serial = c->songv.serial;
    gv_core_key(c, '\n', 0);
    gv_core_song *sv = &c->songv;
    cr_assert_eq(c->play_src, GV_PLAY_SONG, "%s", c->msg);
    cr_assert(c->playing);
    cr_assert_eq(sv->serial, serial + 1);
    cr_assert_eq(sv->total, 5 * GV_MODEL_STEPS);
    cr_assert_eq(sv->starts[1], 2 * GV_MODEL_STEPS);
    cr_assert_eq(sv->from, 2 * GV_MODEL_STEPS);
    cr_assert_eq(c->play.steps, 3 * GV_MODEL_STEPS); /* to the end */
    /* section 2 is pattern 1 (2 kicks), section 3 pattern 2 (3 kicks) */
    cr_assert_eq(gv_pattern_count(&c->play), 2 + 3 * 2);
    cr_assert_eq(gv_core_song_section_at(sv, 0), 0);
    cr_assert_eq(gv_core_song_section_at(sv, 2 * GV_MODEL_STEPS + 5), 1);
    cr_assert_eq(gv_core_song_section_at(sv, 5 * GV_MODEL_STEPS - 1), 2);
    cr_assert_eq(gv_core_song_section_at(sv, 5 * GV_MODEL_STEPS), -1);
    gv_pattern next;
    cr_assert_eq(gv_core_song_chunk(sv, sv->from, &next), sv->from); /* round again */
    /* a long song: chunks of 16 bars, the last one shorter, then back */
    sv->song.sec[0].repeat = 40; /* 80 bars */
    gv_core_key(c, 'k', 0);
    gv_core_key(c, 'p', 0);
    cr_assert_eq(sv->from, 0);
    cr_assert_eq(sv->total, 43 * GV_MODEL_STEPS);
    cr_assert_eq(c->play.steps, GV_MAX_STEPS);
    long at = sv->from, steps = 0;
    int chunks = 0;
    do {
        at = gv_core_song_chunk(sv, at, &next);
        steps += next.steps;
        chunks++;
    } while (at != sv->from && chunks < 100);
    cr_assert_eq(steps, sv->total);
    cr_assert_eq(chunks, 6); /* 5 x 256 + 96 */
    cr_assert_eq(next.steps, sv->total - 5 * GV_MAX_STEPS);
    /* a tempo change is no restart */
    gv_core_key(c, GV_KEY_ESC, 0);
    gv_core_key(c, '.', 0);
    cr_assert_eq(sv->serial, serial + 2);
    cr_assert_eq(c->play_src, GV_PLAY_SONG);
    gv_core_free(c);
}

static int count_markers(const char *path, long *len)
{
    unsigned char *d;
    size_t n;
    gv_err e;
    cr_assert_eq(gv_read_file(path, 1 << 20, &d, &n, &e), 0, "%s", e.msg);
    int k = 0;
    for (size_t i = 0; i + 2 < n; i++)
        k += d[i] == 0xff && d[i + 1] == 0x06;
    free(d);
    *len = (long)n;
    return k;
}

Test(song_view, export_writes_markers_and_asks_before_replacing)
{
    char names[3][GV_LIB_NAME];
    gv_core *c = core_with_library(3, names);
    gv_core_key(c, 'A', 0);
    for (int k = 0; k < 3; k++)
        add_from_library(c, names[k]);
    char out[400];
    snprintf(out, sizeof out, "%s/song.mid", tmpdir);
    gv_core_key(c, 'e', 0);
    cr_assert_eq(c->mode, GV_MODE_PROMPT);
    cr_assert_str_eq(c->prompt, "song.mid");
    gv_core_key(c, 21, 0); /* C-u */
    type(c, out);
    gv_core_key(c, '\n', 0);
    cr_assert_eq(c->mode, GV_MODE_SONG, "%s", c->msg);
    cr_assert(!c->msg_err, "%s", c->msg);
    long len;
    cr_assert_eq(count_markers(out, &len), 3);
    /* again: the file is there; n keeps it */
    FILE *f = fopen(out, "wb");
    cr_assert_not_null(f);
    fputs("mine", f);
    fclose(f);
    gv_core_key(c, 'e', 0);
    gv_core_key(c, 21, 0);
    type(c, out);
    gv_core_key(c, '\n', 0);
    cr_assert_eq(c->mode, GV_MODE_CONFIRM);
    gv_core_key(c, 'n', 0);
    cr_assert_eq(c->mode, GV_MODE_SONG);
    cr_assert_eq(count_markers(out, &len), 0);
    cr_assert_eq(len, 4);
    gv_core_key(c, 'e', 0);
    gv_core_key(c, 21, 0);
    type(c, out);
    gv_core_key(c, '\n', 0);
    gv_core_key(c, 'y', 0);
    cr_assert_eq(count_markers(out, &len), 3);
    gv_core_free(c);
}

Test(song_view, songs_are_saved_and_opened_in_library_songs)
{
    char names[2][GV_LIB_NAME];
    gv_core *c = core_with_library(2, names);
    gv_core_key(c, 'A', 0);
    add_from_library(c, names[0]);
    add_from_library(c, names[1]);
    gv_core_key(c, '+', 0);
    gv_core_key(c, 'w', 0);
    cr_assert_eq(c->mode, GV_MODE_PROMPT);
    gv_core_key(c, 21, 0);
    type(c, "verse/bad");
    gv_core_key(c, '\n', 0);
    cr_assert(c->msg_err, "%s", c->msg); /* no such name */
    gv_core_key(c, 'w', 0);
    gv_core_key(c, 21, 0);
    type(c, "verse");
    gv_core_key(c, '\n', 0);
    cr_assert(!c->msg_err, "%s", c->msg);
    cr_assert(!c->songv.dirty);
    char path[400];
    snprintf(path, sizeof path, "%s/library/songs/verse.json", tmpdir);
    cr_assert_eq(access(path, F_OK), 0);
    gv_core_key(c, 'd', 0);
    gv_core_key(c, 'd', 0);
    cr_assert_eq(c->songv.song.n, 0);
    gv_core_key(c, 'o', 0);
    type(c, "verse");
    gv_core_key(c, '\n', 0);
    cr_assert(!c->msg_err, "%s", c->msg);
    cr_assert_eq(c->songv.song.n, 2);
    cr_assert_str_eq(c->songv.song.sec[1].pattern, names[1]);
    cr_assert_eq(c->songv.song.sec[1].repeat, 2);
    cr_assert_str_eq(c->songv.song.name, "verse");
    gv_core_key(c, 'o', 0);
    type(c, "nothere");
    gv_core_key(c, '\n', 0);
    cr_assert(c->msg_err, "%s", c->msg);
    cr_assert_eq(c->songv.song.n, 2); /* kept */
    gv_core_free(c);
}

Test(song_view, song_keys_are_remapped_with_a_song_prefix)
{
    gv_keymap km;
    gv_keymap_default(&km);
    cr_assert_eq(gv_keymap_lookup(&km, GV_CTX_SONG, 'f'), GV_A_SONG_FILL);
    cr_assert_eq(gv_keymap_lookup(&km, GV_CTX_SONG, 'g'), GV_A_NONE); /* no fallback */
    cr_assert_eq(gv_keymap_lookup(&km, GV_CTX_NORMAL, 'A'), GV_A_SONG);
    gv_err e;
    const char *text = "song:song-fill F\n";
    cr_assert_eq(gv_keymap_parse(&km, text, strlen(text), &e), 0, "%s", e.msg);
    cr_assert_eq(gv_keymap_lookup(&km, GV_CTX_SONG, 'F'), GV_A_SONG_FILL);
    cr_assert_eq(gv_keymap_lookup(&km, GV_CTX_SONG, 'f'), GV_A_NONE);
    cr_assert_eq(gv_keymap_lookup(&km, GV_CTX_NORMAL, 'f'), GV_A_FEEL);
}

Test(song_view, help_in_the_song_view_comes_back_to_it)
{
    char names[1][GV_LIB_NAME];
    gv_core *c = core_with_library(1, names);
    gv_core_key(c, 'A', 0);
    gv_core_key(c, '?', 0);
    cr_assert_eq(c->mode, GV_MODE_HELP);
    gv_core_key(c, 'x', 0);
    cr_assert_eq(c->mode, GV_MODE_SONG);
    gv_core_free(c);
}

/* ---- tempo ---- */

Test(song_view, tap_tempo_sets_the_bpm_from_the_fourth_tap)
{
    gv_core *c = gv_core_new("");
    float bpm0 = c->set.bpm;
    gv_core_key(c, 'T', 10.0);
    gv_core_key(c, 'T', 10.6);
    gv_core_key(c, 'T', 11.2);
    cr_assert_eq(c->set.bpm, bpm0);
    cr_assert(strstr(c->msg, "1 more tap"), "%s", c->msg);
    gv_core_key(c, 'T', 11.8);
    cr_assert_float_eq(c->set.bpm, 100.f, 0.01f);
    gv_core_key(c, 'T', 12.3); /* the mean of the 5: 2.3 s / 4 */
    cr_assert_float_eq(c->set.bpm, 104.35f, 0.01f);
    /* a pause starts a new count */
    gv_core_key(c, 'T', 20.0);
    cr_assert_float_eq(c->set.bpm, 104.35f, 0.01f);
    gv_core_free(c);
}

Test(song_view, the_bpm_prompt_takes_a_number)
{
    gv_core *c = gv_core_new("");
    gv_core_key(c, 'B', 0);
    cr_assert_eq(c->mode, GV_MODE_PROMPT);
    cr_assert_eq(c->prompt_kind, GV_PROMPT_BPM);
    cr_assert_str_eq(c->prompt, "120");
    gv_core_key(c, 21, 0);
    type(c, "9x7.5"); /* letters are not typed */
    cr_assert_str_eq(c->prompt, "97.5");
    gv_core_key(c, '\n', 0);
    cr_assert_eq(c->mode, GV_MODE_NORMAL);
    cr_assert_float_eq(c->set.bpm, 97.5f, 0.001f);
    gv_core_key(c, 'B', 0);
    gv_core_key(c, 21, 0);
    type(c, "300");
    gv_core_key(c, '\n', 0);
    cr_assert(c->msg_err, "%s", c->msg);
    cr_assert_float_eq(c->set.bpm, 97.5f, 0.001f);
    gv_core_key(c, 'B', 0);
    gv_core_key(c, GV_KEY_ESC, 0);
    cr_assert_eq(c->mode, GV_MODE_NORMAL);
    cr_assert_float_eq(c->set.bpm, 97.5f, 0.001f);
    gv_core_key(c, '.', 0); /* , and . stay +-1 */
    cr_assert_float_eq(c->set.bpm, 98.5f, 0.001f);
    gv_core_free(c);
}

/* Deleting a library entry that songs use asks, naming them (the kept
 * songs and the one in the view); one no song uses asks plainly. */
Test(song_view, deleting_a_pattern_a_song_uses_names_the_songs)
{
    char names[2][GV_LIB_NAME];
    gv_core *c = core_with_library(2, names);
    gv_core_key(c, 'A', 0);
    add_from_library(c, names[0]);
    gv_err e;
    cr_assert_eq(gv_core_song_save(c, "verse", &e), 0, "%s", e.msg);
    cr_assert_eq(gv_core_song_save(c, "chorus", &e), 0, "%s", e.msg);
    gv_core_key(c, GV_KEY_ESC, 0);
    gv_core_key(c, 'l', 0);
    while (strcmp(c->lib[c->lib_sel].name, names[0]))
        gv_core_key(c, 'j', 0);
    gv_core_key(c, 'd', 0);
    cr_assert_eq(c->mode, GV_MODE_CONFIRM);
    cr_assert(strstr(c->confirm_note, "chorus") && strstr(c->confirm_note, "verse") &&
                  strstr(c->confirm_note, "the song in the view"),
              "%s", c->confirm_note);
    gv_core_key(c, 'n', 0);
    cr_assert_eq(c->nlib, 2);
    while (strcmp(c->lib[c->lib_sel].name, names[1]))
        gv_core_key(c, 'j', 0);
    gv_core_key(c, 'd', 0);
    cr_assert_str_eq(c->confirm_note, "");
    gv_core_key(c, 'y', 0);
    cr_assert_eq(c->nlib, 1);
    gv_core_free(c);
}

/* r in the library renames the entry (its .mid and sidecar), the saved
 * songs and the song in the view follow it, Esc cancels back to the
 * library, and a name in use is refused with the entry kept. */
Test(song_view, renaming_a_library_entry_keeps_the_songs_that_use_it)
{
    char names[2][GV_LIB_NAME];
    gv_core *c = core_with_library(2, names);
    gv_core_key(c, 'A', 0);
    add_from_library(c, names[0]);
    gv_core_key(c, 'w', 0);
    gv_core_key(c, 21, 0);
    type(c, "chorus");
    gv_core_key(c, '\n', 0);
    cr_assert(!c->msg_err, "%s", c->msg);
    gv_core_key(c, GV_KEY_ESC, 0); /* back to the patterns, then the library */
    gv_core_key(c, 'l', 0);
    cr_assert_eq(c->mode, GV_MODE_LIBRARY);
    for (int i = 0; i < c->nlib && strcmp(c->lib[c->lib_sel].name, names[0]); i++)
        gv_core_key(c, 'j', 0);
    gv_core_key(c, 'r', 0);
    cr_assert_eq(c->mode, GV_MODE_PROMPT);
    cr_assert_str_eq(c->prompt, names[0], "the prompt starts from the name");
    gv_core_key(c, GV_KEY_ESC, 0);
    cr_assert_eq(c->mode, GV_MODE_LIBRARY, "Esc goes back to the library");
    gv_core_key(c, 'r', 0);
    gv_core_key(c, 21, 0);
    type(c, names[1]); /* taken */
    gv_core_key(c, '\n', 0);
    cr_assert(c->msg_err, "%s", c->msg);
    cr_assert_eq(c->mode, GV_MODE_LIBRARY);
    gv_core_key(c, 'r', 0);
    gv_core_key(c, 21, 0);
    type(c, "groove-one");
    gv_core_key(c, '\n', 0);
    cr_assert(!c->msg_err, "%s", c->msg);
    cr_assert_eq(c->mode, GV_MODE_LIBRARY);
    cr_assert_str_eq(c->lib[c->lib_sel].name, "groove-one", "the renamed entry stays selected");
    char path[400];
    snprintf(path, sizeof path, "%s/library/groove-one.mid", tmpdir);
    cr_assert_eq(access(path, F_OK), 0);
    snprintf(path, sizeof path, "%s/library/%s.mid", tmpdir, names[0]);
    cr_assert_neq(access(path, F_OK), 0, "the old name is gone");
    cr_assert_str_eq(c->songv.song.sec[0].pattern, "groove-one", "the song in the view follows");
    gv_song s;
    gv_err e;
    snprintf(path, sizeof path, "%s/library/songs/chorus.json", tmpdir);
    cr_assert_eq(gv_song_load(path, &s, &e), 0, "%s", e.msg);
    cr_assert_str_eq(s.sec[0].pattern, "groove-one", "the saved song follows");
    gv_song_free(&s);
    gv_core_free(c);
}
