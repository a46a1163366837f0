/* test_song.c - songs (session/song.h): the arrangement with repeats and
 * fills, JSON round trip, kept song files (a corrupt one moved aside, never
 * overwritten), library references, generated fills, and the exported file
 * against a golden one read back with mido. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/fileio.h"
#include "engine/model.h"
#include "patterns/load.h"
#include "session/song.h"
#include "tests/helpers.h"

static char tmpdir[256];

static void make_tmp(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/gv_song_XXXXXX");
    cr_assert_not_null(mkdtemp(tmpdir));
}

static void rm_tmp(void)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    cr_assert_eq(system(cmd), 0);
}

static gv_pattern preset(const char *name)
{
    gv_pattern p;
    gv_err e = {0};
    gv_load_opts o;
    gv_load_opts_default(&o);
    cr_assert_eq(gv_pattern_load(name, &o, &p, NULL, 0, &e), 0, "%s: %s", name, e.msg);
    return p;
}

static gv_song_section lib_section(const char *name, const char *id, int repeat)
{
    gv_song_section c;
    memset(&c, 0, sizeof c);
    snprintf(c.name, sizeof c.name, "%s", name);
    snprintf(c.pattern, sizeof c.pattern, "%s", id);
    c.repeat = repeat;
    c.fill.temperature = -1;
    return c;
}

static int hits(const gv_pattern *p, int from, int to)
{
    int n = 0;
    for (int t = from; t < to; t++)
        for (int v = 0; v < GV_VOICES; v++)
            n += p->hit[t][v] != 0;
    return n;
}

/* A 3-section song over the presets: rock x2, funk x3 with a fill (the
 * disco preset's last bar), bossa x1. */
static void three_sections(gv_song *s, gv_pattern *pats, gv_pattern *fills)
{
    gv_err e = {0};
    gv_song_init(s, "demo");
    s->bpm = 100;
    gv_song_section a = lib_section("intro", "rock", 2), b = lib_section("", "funk", 3),
                    c = lib_section("out", "bossa", 1);
    cr_assert_eq(gv_song_add(s, &a, &e), 0);
    cr_assert_eq(gv_song_add(s, &b, &e), 0);
    cr_assert_eq(gv_song_add(s, &c, &e), 0);
    pats[0] = preset("rock-basic"), pats[1] = preset("funk-basic"), pats[2] = preset("bossa-nova");
    memset(fills, 0, 3 * sizeof *fills);
    fills[1] = preset("disco");
}

Test(song, arrangement_repeats_sections_and_splices_fills)
{
    gv_song s;
    gv_pattern pats[3], fills[3], *parts;
    long starts[3];
    int n;
    gv_err e = {0};
    three_sections(&s, pats, fills);
    cr_assert_eq(gv_song_arrange(&s, pats, fills, &parts, &n, starts, &e), 0, "%s", e.msg);
    cr_assert_eq(n, 6);
    cr_assert_eq(starts[0], 0);
    cr_assert_eq(starts[1], 2 * pats[0].steps);
    cr_assert_eq(starts[2], 2 * pats[0].steps + 3 * pats[1].steps);
    for (int i = 0; i < n; i++)
        cr_assert_float_eq(parts[i].bpm, 100.f, 1e-6);
    /* repeats are the section's pattern; the last repeat's last bar is the fill's */
    cr_assert_eq(memcmp(parts[2].hit, pats[1].hit, sizeof parts[2].hit), 0);
    cr_assert_eq(memcmp(parts[3].hit, pats[1].hit, sizeof parts[3].hit), 0);
    int L = pats[1].steps, fl = fills[1].steps;
    cr_assert_eq(memcmp(parts[4].hit, pats[1].hit, (size_t)(L - 16) * sizeof parts[4].hit[0]), 0);
    cr_assert_eq(memcmp(parts[4].hit[L - 16], fills[1].hit[fl - 16], 16 * sizeof parts[4].hit[0]), 0);
    cr_assert_eq(memcmp(parts[4].vel[L - 16], fills[1].vel[fl - 16], 16 * sizeof parts[4].vel[0]), 0);
    cr_assert_neq(memcmp(parts[4].hit[L - 16], pats[1].hit[L - 16], 16 * sizeof parts[4].hit[0]), 0);
    cr_assert_eq(memcmp(parts[5].hit, pats[2].hit, sizeof parts[5].hit), 0);
    free(parts);
    gv_song_free(&s);
}

Test(song, edits_reorder_remove_and_follow_renames)
{
    gv_song s;
    gv_err e = {0};
    gv_song_init(&s, "x");
    gv_song_section a = lib_section("a", "p1", 1), b = lib_section("b", "p2", 1), c = lib_section("c", "p1", 1);
    c.fill.method = GV_FILL_LIBRARY;
    snprintf(c.fill.pattern, sizeof c.fill.pattern, "p2");
    gv_song_add(&s, &a, &e), gv_song_add(&s, &b, &e), gv_song_add(&s, &c, &e);
    gv_song_move(&s, 2, 0);
    cr_assert_str_eq(s.sec[0].name, "c");
    cr_assert_str_eq(s.sec[1].name, "a");
    cr_assert_str_eq(s.sec[2].name, "b");
    cr_assert(gv_song_uses(&s, "p2"));
    cr_assert_eq(gv_song_rename_pattern(&s, "p2", "verse"), 2);
    cr_assert_not(gv_song_uses(&s, "p2"));
    cr_assert_str_eq(s.sec[0].fill.pattern, "verse");
    gv_song_remove(&s, 1);
    cr_assert_eq(s.n, 2);
    cr_assert_str_eq(s.sec[1].name, "b");
    gv_song_free(&s);
}

Test(song, json_round_trip)
{
    gv_song s, back;
    gv_err e = {0};
    gv_song_init(&s, "round-trip");
    s.bpm = 96.5f, s.swing = 0.25f;
    gv_song_section a = lib_section("intro", "20250101-120000-gen", 4), b = lib_section("", "", 2);
    a.fill.method = GV_FILL_VARY, a.fill.density = 1.75f, a.fill.seed = 9007199254740991ULL;
    a.fill.temperature = 0.5f;
    snprintf(b.file, sizeof b.file, "grooves/verse.mid");
    b.start_bar = 3, b.bars = 4;
    b.fill.method = GV_FILL_LIBRARY;
    snprintf(b.fill.pattern, sizeof b.fill.pattern, "20250101-121000-vary");
    cr_assert_eq(gv_song_add(&s, &a, &e), 0);
    cr_assert_eq(gv_song_add(&s, &b, &e), 0);
    make_tmp();
    char path[512];
    snprintf(path, sizeof path, "%s/rt.json", tmpdir);
    cr_assert_eq(gv_song_write(path, &s, &e), 0, "%s", e.msg);
    cr_assert_eq(gv_song_load(path, &back, &e), 0, "%s", e.msg);
    cr_assert_eq(back.version, GV_SONG_VERSION);
    cr_assert_str_eq(back.name, "round-trip");
    cr_assert_float_eq(back.bpm, 96.5f, 0);
    cr_assert_float_eq(back.swing, 0.25f, 0);
    cr_assert_eq(back.n, 2);
    for (int i = 0; i < 2; i++) {
        const gv_song_section *x = &s.sec[i], *y = &back.sec[i];
        cr_assert_str_eq(x->name, y->name);
        cr_assert_str_eq(x->pattern, y->pattern);
        cr_assert_str_eq(x->file, y->file);
        cr_assert_eq(x->start_bar, y->start_bar);
        cr_assert_eq(x->bars, y->bars);
        cr_assert_eq(x->repeat, y->repeat);
        cr_assert_eq(x->fill.method, y->fill.method);
        cr_assert_str_eq(x->fill.pattern, y->fill.pattern);
        cr_assert_eq(x->fill.seed, y->fill.seed);
        if (x->fill.method != GV_FILL_LIBRARY) {
            cr_assert_float_eq(x->fill.density, y->fill.density, 0);
            cr_assert_float_eq(x->fill.temperature, y->fill.temperature, 0);
        }
    }
    gv_song_free(&back);
    gv_song_free(&s);
    rm_tmp();
}

Test(song, bad_songs_are_refused_with_one_line)
{
    static const char *const bad[] = {
        "[1]",
        "{\"sections\": []}",
        "{\"version\": 2, \"sections\": []}",
        "{\"version\": 1}",
        "{\"version\": 1, \"sections\": [{\"repeat\": 2}]}",
        "{\"version\": 1, \"sections\": [{\"pattern\": \"a\", \"file\": \"b.mid\"}]}",
        "{\"version\": 1, \"sections\": [{\"pattern\": \"a\", \"repeat\": 0}]}",
        "{\"version\": 1, \"sections\": [{\"pattern\": \"a\", \"repeat\": 1.5}]}",
        "{\"version\": 1, \"sections\": [{\"pattern\": \"a\", \"fill\": {\"method\": \"loud\"}}]}",
        "{\"version\": 1, \"sections\": [{\"pattern\": \"a\", \"fill\": {\"seed\": -1}}]}",
        "{\"version\": 1, \"bpm\": 5, \"sections\": []}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        cJSON *o = cJSON_Parse(bad[i]);
        gv_song s;
        gv_err e = {0};
        cr_assert_eq(gv_song_from_json(o, &s, &e), -1, "%s accepted", bad[i]);
        cr_assert(e.msg[0] && !strchr(e.msg, '\n'), "%s: '%s'", bad[i], e.msg);
        cr_assert_eq(s.n, 0);
        cJSON_Delete(o);
    }
}

static int file_is(const char *path, const char *text)
{
    unsigned char *d;
    size_t n;
    gv_err e = {0};
    if (gv_read_file(path, 1 << 20, &d, &n, &e))
        return 0;
    int same = n == strlen(text) && !memcmp(d, text, n);
    free(d);
    return same;
}

Test(song, corrupt_song_file_is_moved_aside_never_overwritten)
{
    make_tmp();
    char dir[512], path[600], moved[700];
    snprintf(dir, sizeof dir, "%s/songs", tmpdir);
    snprintf(path, sizeof path, "%s/verse.json", dir);
    gv_err e = {0};
    cr_assert_eq(gv_mkdirs(dir, &e), 0);
    const char *junk = "{\"version\": 1, \"sections\": [tru";
    cr_assert_eq(gv_write_atomic(path, junk, strlen(junk), &e), 0);
    gv_song s;
    cr_assert_eq(gv_song_open(dir, "verse", &s, moved, sizeof moved, &e), -2);
    cr_assert(strstr(e.msg, "verse.json: ") == e.msg && strstr(e.msg, "moved to"), "%s", e.msg);
    cr_assert(!strchr(e.msg, '\n'));
    cr_assert(file_is(moved, junk), "%s does not hold the old bytes", moved);
    cr_assert_neq(access(path, F_OK), 0);
    /* a save over a file that is not a song moves it aside first */
    cr_assert_eq(gv_write_atomic(path, junk, strlen(junk), &e), 0);
    gv_song_init(&s, "verse");
    gv_song_section a = lib_section("a", "p", 1);
    gv_song_add(&s, &a, &e);
    char moved2[700];
    cr_assert_eq(gv_song_save(dir, &s, moved2, sizeof moved2, &e), 0, "%s", e.msg);
    cr_assert(moved2[0] && strcmp(moved2, moved), "%s", moved2);
    cr_assert(file_is(moved2, junk));
    cr_assert(file_is(moved, junk));
    gv_song back;
    char none[700];
    cr_assert_eq(gv_song_open(dir, "verse", &back, none, sizeof none, &e), 0, "%s", e.msg);
    cr_assert_eq(back.n, 1);
    /* saving over a song is an update: nothing moved */
    cr_assert_eq(gv_song_save(dir, &s, none, sizeof none, &e), 0);
    cr_assert_str_eq(none, "");
    cr_assert_eq(gv_song_save(dir, &(gv_song){.name = "../x"}, none, sizeof none, &e), -1);
    gv_song_free(&back);
    gv_song_free(&s);
    rm_tmp();
}

Test(song, sections_resolve_from_the_library_and_beside_the_song)
{
    make_tmp();
    char lib[512], song[600], file[600], id[GV_LIB_NAME];
    snprintf(lib, sizeof lib, "%s/library", tmpdir);
    snprintf(song, sizeof song, "%s/my.json", tmpdir);
    snprintf(file, sizeof file, "%s/funk.mid", tmpdir);
    gv_err e = {0};
    gv_pattern rock = preset("rock-basic"), funk = preset("funk-basic");
    cr_assert_eq(gv_library_save(lib, &rock, NULL, "rock", id, &e), 0, "%s", e.msg);
    cr_assert_eq(gv_pattern_save(file, &funk, &e), 0);
    gv_song s;
    gv_song_init(&s, "my");
    gv_song_section a = lib_section("a", id, 1), b = lib_section("b", "", 2);
    snprintf(b.file, sizeof b.file, "funk.mid");
    gv_song_add(&s, &a, &e), gv_song_add(&s, &b, &e);
    gv_pattern pats[2];
    gv_lib_meta metas[2];
    cr_assert_eq(gv_song_resolve(&s, lib, song, pats, metas, &e), 0, "%s", e.msg);
    cr_assert_eq(memcmp(pats[0].hit, rock.hit, sizeof rock.hit), 0);
    cr_assert_eq(memcmp(pats[1].hit, funk.hit, sizeof funk.hit), 0);
    snprintf(s.sec[0].pattern, sizeof s.sec[0].pattern, "gone");
    cr_assert_eq(gv_song_resolve(&s, lib, song, pats, metas, &e), -1);
    cr_assert(strstr(e.msg, "section 1 (a): ") == e.msg, "%s", e.msg);
    gv_song_free(&s);
    rm_tmp();
}

Test(song, generated_fill_is_reproducible_from_its_seed)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/engine/models/default.safetensors", gv_test_root());
    gv_model m;
    gv_err e = {0};
    cr_assert_eq(gv_model_load(path, &m, &e), 0, "%s", e.msg);
    gv_song s;
    gv_song_init(&s, "f");
    gv_song_section a = lib_section("a", "rock", 2);
    a.fill.method = GV_FILL_VARY, a.fill.seed = 11;
    gv_song_add(&s, &a, &e);
    gv_pattern pat = preset("rock-basic"), f1, f2, f3;
    cr_assert(gv_song_needs_model(&s));
    cr_assert_eq(gv_song_fills(&s, &pat, NULL, "/nonexistent", &m, &f1, &e), 0, "%s", e.msg);
    cr_assert_eq(gv_song_fills(&s, &pat, NULL, "/nonexistent", &m, &f2, &e), 0, "%s", e.msg);
    cr_assert_eq(f1.steps, pat.steps);
    cr_assert_eq(memcmp(f1.hit, f2.hit, sizeof f1.hit), 0);
    cr_assert(hits(&f1, 0, f1.steps) > 0);
    s.sec[0].fill.method = GV_FILL_DRUMIFY;
    cr_assert_eq(gv_song_fills(&s, &pat, NULL, "/nonexistent", &m, &f3, &e), 0, "%s", e.msg);
    cr_assert_eq(f3.steps, pat.steps);
    s.sec[0].fill.method = GV_FILL_VARY;
    cr_assert_eq(gv_song_fills(&s, &pat, NULL, "/nonexistent", NULL, &f3, &e), -1);
    cr_assert(strstr(e.msg, "section 1's fill: "), "%s", e.msg);
    gv_song_free(&s);
    gv_model_free(&m);
}

/* The export of three_sections is tests/golden/song_demo.mid byte for byte
 * (GV_UPDATE_GOLDEN=1 rewrites it), and mido reads it back: its length,
 * tempo, a marker at each section start, the notes of each section. */
Test(song, export_matches_the_golden_file_and_mido_reads_it)
{
    gv_song s;
    gv_pattern pats[3], fills[3], *parts;
    long starts[3];
    int n;
    gv_err e = {0};
    three_sections(&s, pats, fills);
    s.swing = 0.2f;
    cr_assert_eq(gv_song_arrange(&s, pats, fills, &parts, &n, starts, &e), 0);
    unsigned char *data, *gold;
    size_t len, glen;
    cr_assert_eq(gv_song_export(&s, parts, n, starts, &data, &len, &e), 0, "%s", e.msg);
    char golden[1024], cmd[4096];
    snprintf(golden, sizeof golden, "%s/tests/golden/song_demo.mid", gv_test_root());
    if (getenv("GV_UPDATE_GOLDEN"))
        cr_assert_eq(gv_write_atomic(golden, data, len, &e), 0);
    cr_assert_eq(gv_read_file(golden, 1 << 20, &gold, &glen, &e), 0, "%s", e.msg);
    cr_assert(glen == len && !memcmp(gold, data, len), "the export differs from %s", golden);
    /* notes per section, from the parts */
    int notes[3] = {0}, k = 0;
    for (int i = 0; i < 3; i++)
        for (int r = 0; r < s.sec[i].repeat; r++, k++)
            notes[i] += hits(&parts[k], 0, parts[k].steps);
    long total = starts[2] + parts[n - 1].steps;
    snprintf(cmd, sizeof cmd,
             "/usr/bin/python3 '%s/tests/reference/song_check.py' '%s' %ld 100 '%ld:intro' '%ld:2 funk' '%ld:out' "
             "-- %d %d %d 2>&1",
             gv_test_root(), golden, total * 120, starts[0] * 120, starts[1] * 120, starts[2] * 120, notes[0],
             notes[1], notes[2]);
    FILE *pp = popen(cmd, "r");
    char out[4096] = "";
    size_t got = fread(out, 1, sizeof out - 1, pp);
    out[got] = 0;
    cr_assert_eq(pclose(pp), 0, "%s\n%s", cmd, out);
    cr_assert_str_eq(out, "ok\n");
    /* no markers: the bytes of gv_smf_write_parts */
    unsigned char *plain, *marked;
    size_t plen, mlen;
    cr_assert_eq(gv_smf_write_parts(parts, n, NULL, 0, "x", &plain, &plen, &e), 0);
    cr_assert_eq(gv_smf_write_marked(parts, n, NULL, 0, NULL, 0, "x", &marked, &mlen, &e), 0);
    cr_assert(plen == mlen && !memcmp(plain, marked, plen));
    free(plain), free(marked), free(gold), free(data), free(parts);
    gv_song_free(&s);
}

Test(song, render_plays_every_part_in_order)
{
    gv_song s;
    gv_pattern pats[3], fills[3], *parts;
    long starts[3];
    int n;
    gv_err e = {0};
    three_sections(&s, pats, fills);
    cr_assert_eq(gv_song_arrange(&s, pats, fills, &parts, &n, starts, &e), 0);
    gv_kit kit;
    cr_assert_eq(gv_kit_builtin(&kit, 8000, &e), 0);
    float *buf;
    int64_t frames;
    cr_assert_eq(gv_song_render(&s, parts, n, &kit, 0, &buf, &frames, &e), 0, "%s", e.msg);
    long steps = starts[2] + parts[n - 1].steps;
    double step_frames = 8000 * 15.0 / 100;
    cr_assert(frames >= (int64_t)(steps * step_frames), "%lld frames", (long long)frames);
    /* sound in each section's first beat (every preset hits on its step 0) */
    for (int i = 0; i < 3; i++) {
        int64_t a = (int64_t)(starts[i] * step_frames);
        float peak = 0;
        for (int64_t f = a; f < a + (int64_t)(4 * step_frames); f++)
            peak = fabsf(buf[2 * f]) > peak ? fabsf(buf[2 * f]) : peak;
        cr_assert(peak > 0.01f, "section %d silent", i + 1);
    }
    free(buf), free(parts);
    gv_kit_free(&kit);
    gv_song_free(&s);
}

Test(song, kept_songs_follow_a_library_rename_and_name_their_users)
{
    make_tmp();
    char dir[512], users[256];
    snprintf(dir, sizeof dir, "%s/songs", tmpdir);
    gv_err e = {0};
    gv_song a, b;
    gv_song_init(&a, "alpha"), gv_song_init(&b, "beta");
    gv_song_section x = lib_section("x", "old", 2), y = lib_section("y", "other", 1);
    gv_song_add(&a, &x, &e), gv_song_add(&a, &y, &e), gv_song_add(&b, &y, &e);
    cr_assert_eq(gv_song_save(dir, &a, users, sizeof users, &e), 0, "%s", e.msg);
    cr_assert_eq(gv_song_save(dir, &b, users, sizeof users, &e), 0, "%s", e.msg);
    const char *junk = "not a song";
    char jpath[600];
    snprintf(jpath, sizeof jpath, "%s/junk.json", dir);
    cr_assert_eq(gv_write_atomic(jpath, junk, strlen(junk), &e), 0);
    cr_assert_eq(gv_song_dir_users(dir, "old", users, sizeof users, &e), 1);
    cr_assert_str_eq(users, "alpha");
    cr_assert_eq(gv_song_dir_users(dir, "other", users, sizeof users, &e), 2);
    cr_assert(!strcmp(users, "alpha, beta") || !strcmp(users, "beta, alpha"), "%s", users);
    int changed = -1;
    cr_assert_eq(gv_song_dir_rename_pattern(dir, "old", "verse", &changed, &e), 0, "%s", e.msg);
    cr_assert_eq(changed, 1);
    gv_song back;
    char moved[600];
    cr_assert_eq(gv_song_open(dir, "alpha", &back, moved, sizeof moved, &e), 0, "%s", e.msg);
    cr_assert_str_eq(back.sec[0].pattern, "verse");
    cr_assert_eq(back.sec[0].repeat, 2);
    cr_assert_eq(gv_song_dir_users(dir, "old", users, sizeof users, &e), 0);
    cr_assert(file_is(jpath, junk), "a file that is not a song was touched");
    gv_song_free(&back), gv_song_free(&a), gv_song_free(&b);
    rm_tmp();
}
