/* test_tab.c - the drum-tab format, the preset library and the data lookup. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kernels/rng.h"
#include "base/datadir.h"
#include "base/fileio.h"
#include "patterns/load.h"
#include "patterns/pattern.h"
#include "patterns/presets.h"
#include "patterns/tab.h"

static gv_pattern pat, pat2;

static int rd(const char *text, gv_err *e) { return gv_tab_read(text, strlen(text), &pat, e); }

/* The text must be refused with exactly this message. */
static void refused(const char *text, const char *msg)
{
    gv_err e = {0};
    cr_assert_eq(rd(text, &e), -1, "accepted: %s", text);
    cr_assert_str_eq(e.msg, msg, "for: %s", text);
}

Test(tab, reads_voices_glyphs_headers)
{
    gv_err e;
    const char *t = "# name:  Test groove  \r\n"
                    "# tempo: 96.5\n"
                    "# swing: 0.55 (a comment for the pattern model)\n"
                    "\n"
                    "  HH  |x-x-X-x-o-x-x-x-|x-x-x-x-x-x-x-x-|  \n"
                    "snare ----X-------X-------X-------X---\n"
                    "kick|X---------------|X---------------|\n";
    cr_assert_eq(rd(t, &e), 0, "%s", e.msg);
    cr_assert_str_eq(pat.name, "Test groove");
    cr_assert_float_eq(pat.bpm, 96.5f, 1e-4);
    cr_assert_eq(pat.steps, 32);
    cr_assert_eq(gv_pattern_count_voice(&pat, GV_CHAT), 16);
    cr_assert_eq(gv_pattern_count_voice(&pat, GV_SNARE), 4);
    cr_assert_eq(gv_pattern_count_voice(&pat, GV_KICK), 2);
    cr_assert_eq(gv_pattern_count_voice(&pat, GV_RIDE), 0); /* not listed: silent */
    cr_assert_float_eq(pat.vel[0][GV_CHAT], GV_TAB_HIT, 0);
    cr_assert_float_eq(pat.vel[4][GV_CHAT], GV_TAB_ACCENT, 0);
    cr_assert_float_eq(pat.vel[8][GV_CHAT], GV_TAB_GHOST, 0);
    cr_assert_eq(pat.hit[1][GV_CHAT], 0);
    cr_assert_float_eq(pat.off[4][GV_CHAT], 0, 0);
}

Test(tab, defaults_and_offsets)
{
    gv_err e;
    const char *t = "KD~ |1---9---a---i---|\n"
                    "KD  |x---x---x---x---|\n";
    cr_assert_eq(rd(t, &e), 0, "%s", e.msg);
    cr_assert_str_eq(pat.name, "");
    cr_assert_float_eq(pat.bpm, 120.f, 0);
    cr_assert_eq(pat.steps, 16);
    cr_assert_float_eq(pat.off[0][GV_KICK], 0.05f, 1e-6);
    cr_assert_float_eq(pat.off[4][GV_KICK], 0.45f, 1e-6);
    cr_assert_float_eq(pat.off[8][GV_KICK], -0.05f, 1e-6);
    cr_assert_float_eq(pat.off[12][GV_KICK], -0.45f, 1e-6);
}

Test(tab, every_error_names_its_line)
{
    refused("# tempo: 90\nKD |x---x---x---x---|\nXX |x---------------|\n", "line 3: unknown voice 'XX'");
    refused("\n\nKD x---x---x---x---x---x---x---x-\n", "line 3: 30 steps, expected a multiple of 16");
    refused("KD |x---x---x---x---|x---x---x---x---|\nSD |----x-------x---|\n",
            "line 2: 16 steps, expected 32 as on line 1");
    refused("KD |x---x---|x---x---|\n", "line 1: bar line after 8 steps, expected one every 16 steps");
    refused("KD |x---x---x---y---|\n", "line 1: unexpected character 'y' in column 17 (steps are - o x X)");
    refused("KD |x---x---x---x---|\nKD~|x---------------|\n",
            "line 2: unexpected character 'x' in column 5 (offsets are - 1..9 a..i)");
    refused("SD |x---x---x---x---|\nkick |x---------------|\nKD |x---------------|\n",
            "line 3: KD given twice (first on line 2)");
    refused("KD~ |1---------------|\nKD |x---------------|\nkick~ |----------------|\n",
            "line 3: KD offsets given twice (first on line 1)");
    refused("KD |x---x---x---x---|\nKD~ |-1--------------|\n", "line 2: offset at step 2 where KD has no hit");
    refused("KD\n", "line 1: no steps after 'KD'");
    refused("|x---x---x---x---|\n", "line 1: a grid with no voice label (expected e.g. 'KD |x---...')");
    refused("# name: a\n# comment only\n", "no voice lines (expected e.g. 'KD |x---x---x---x---|')");
    refused("", "no voice lines (expected e.g. 'KD |x---x---x---x---|')");
    refused("# tempo: fast\nKD |x---------------|\n", "line 1: tempo 'fast' is not a positive number of BPM");
    refused("# tempo: 0\nKD |x---------------|\n", "line 1: tempo '0' is not a positive number of BPM");
    refused("# tempo: -90\nKD |x---------------|\n", "line 1: tempo '-90' is not a positive number of BPM");
    refused("# tempo: inf\nKD |x---------------|\n", "line 1: tempo 'inf' is not a positive number of BPM");
    refused("# tempo: 90\n# tempo: 91\n", "line 2: tempo given twice (first on line 1)");
    refused("# name: a\n#name: b\n", "line 2: name given twice (first on line 1)");
    refused("~ |x---------------|\n", "line 1: unknown voice ''");
    refused("KD\x01\x02 |x---------------|\n", "line 1: unknown voice 'KD?" "?'");

    char big[600] = "KD ";
    for (int i = 0; i < 272; i++)
        strcat(big, "x");
    refused(big, "line 1: more than 256 steps");
}

Test(tab, write_is_canonical_and_reads_back)
{
    gv_err e;
    const char *t = "# name: Canon\n# tempo: 100\n"
                    "KD  |X---o---x---X---|\nRD  |x-x-x-x-x-x-x-x-|\nKD~ |----3---g-------|\n";
    cr_assert_eq(rd(t, &e), 0, "%s", e.msg);
    char *out;
    size_t n;
    cr_assert_eq(gv_tab_write(&pat, &out, &n), 0);
    cr_assert_eq(strlen(out), n);
    const char *want = "# name: Canon\n# tempo: 100\n"
                       "KD  |X---o---x---X---|\n"
                       "SD  |----------------|\n"
                       "HH  |----------------|\n"
                       "OH  |----------------|\n"
                       "LT  |----------------|\n"
                       "MT  |----------------|\n"
                       "HT  |----------------|\n"
                       "CR  |----------------|\n"
                       "RD  |x-x-x-x-x-x-x-x-|\n"
                       "KD~ |----3---g-------|\n";
    cr_assert_str_eq(out, want);
    cr_assert_eq(gv_tab_read(out, n, &pat2, &e), 0, "%s", e.msg);
    cr_assert(!memcmp(&pat, &pat2, sizeof pat));
    free(out);
}

/* Any pattern survives write + read: same hits, the nearest glyph's velocity,
 * offsets within half a unit (|off| <= 0.45). */
Test(tab, random_patterns_round_trip)
{
    gv_rng r;
    gv_rng_seed(&r, 7);
    gv_err e;
    for (int iter = 0; iter < 50; iter++) {
        int steps = 16 * (1 + (int)gv_rng_below(&r, 16));
        gv_pattern_init(&pat, steps, 60.f + (float)gv_rng_below(&r, 120), "rand\nname");
        for (int t = 0; t < steps; t++)
            for (int v = 0; v < GV_VOICES; v++)
                if (gv_rng_uniform(&r) < 0.3f)
                    gv_pattern_set(&pat, t, v, 1, gv_rng_uniform(&r), gv_rng_uniform(&r) - 0.5f);
        char *out;
        size_t n;
        cr_assert_eq(gv_tab_write(&pat, &out, &n), 0);
        cr_assert_eq(gv_tab_read(out, n, &pat2, &e), 0, "%s\n%s", e.msg, out);
        free(out);
        cr_assert_str_eq(pat2.name, "rand name");
        cr_assert_eq(pat2.steps, steps);
        cr_assert_float_eq(pat2.bpm, pat.bpm, 1e-4);
        for (int t = 0; t < steps; t++)
            for (int v = 0; v < GV_VOICES; v++) {
                cr_assert_eq(pat2.hit[t][v], pat.hit[t][v]);
                if (!pat.hit[t][v])
                    continue;
                float vel = pat.vel[t][v];
                float want = vel < 0.525f ? GV_TAB_GHOST : vel < 0.85f ? GV_TAB_HIT : GV_TAB_ACCENT;
                cr_assert_float_eq(pat2.vel[t][v], want, 0);
                float off = fmaxf(-0.45f, fminf(0.45f, pat.off[t][v]));
                cr_assert(fabsf(pat2.off[t][v] - off) <= 0.5f / GV_TAB_OFFSET_UNIT + 1e-5f);
            }
    }
}

Test(tab, glyph_thresholds)
{
    cr_assert_eq(gv_tab_vel_glyph(0.0f), 'o');
    cr_assert_eq(gv_tab_vel_glyph(0.52f), 'o');
    cr_assert_eq(gv_tab_vel_glyph(0.53f), 'x');
    cr_assert_eq(gv_tab_vel_glyph(0.84f), 'x');
    cr_assert_eq(gv_tab_vel_glyph(0.86f), 'X');
    cr_assert_eq(gv_tab_vel_glyph(GV_TAB_GHOST), 'o');
    cr_assert_eq(gv_tab_vel_glyph(GV_TAB_HIT), 'x');
    cr_assert_eq(gv_tab_vel_glyph(GV_TAB_ACCENT), 'X');
}

Test(tab, save_is_atomic_and_load_names_by_stem)
{
    char dir[] = "/tmp/gv_tab_XXXXXX";
    cr_assert(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/my-beat.tab", dir);
    gv_err e;
    cr_assert_eq(rd("KD |x---x---x---x---|\n", &e), 0);
    cr_assert_eq(gv_tab_save(path, &pat, &e), 0, "%s", e.msg);
    cr_assert_eq(gv_tab_load(path, &pat2, &e), 0, "%s", e.msg);
    cr_assert_str_eq(pat2.name, "my-beat");
    cr_assert_eq(gv_pattern_count(&pat2), 4);
    char missing[300];
    snprintf(missing, sizeof missing, "%s/none.tab", dir);
    cr_assert_eq(gv_tab_load(missing, &pat2, &e), -1);
    cr_assert_str_eq(e.msg, "No such file or directory");
    snprintf(missing, sizeof missing, "%s/nodir/x.tab", dir);
    cr_assert_eq(gv_tab_save(missing, &pat, &e), -1);
    cr_assert(strstr(e.msg, "cannot create") && !strstr(e.msg, ".tmp"), "names no temp file: %s", e.msg);
    unlink(path);
    cr_assert_eq(rmdir(dir), 0, "save left files behind");
}

/* gv_pattern_load: extension, preset names, the window, and errors in e. */
Test(load, by_extension_preset_and_window)
{
    char dir[] = "/tmp/gv_load_XXXXXX", path[256], got[1200];
    cr_assert(mkdtemp(dir));
    gv_err e = {0};
    /* bar 1 empty, bars 2..4 with 4, 2 and 1 kicks */
    cr_assert_eq(rd("KD |----------------|x---x---x---x---|x-------x-------|x---------------|\n", &e), 0, "%s", e.msg);
    snprintf(path, sizeof path, "%s/beat.TAB", dir);
    cr_assert_eq(gv_pattern_save(path, &pat, &e), 0, "%s", e.msg);
    gv_load_opts o;
    gv_load_opts_default(&o);
    cr_assert_eq(gv_pattern_load(path, &o, &pat2, got, sizeof got, &e), 0, "%s", e.msg);
    cr_assert_str_eq(got, path);
    cr_assert_eq(pat2.steps, 2 * GV_STEPS_PER_BAR);
    cr_assert_eq(gv_pattern_count(&pat2), 6, "the window starts at the first bar with notes");
    o.start_bar = 3;
    cr_assert_eq(gv_pattern_load(path, &o, &pat2, NULL, 0, &e), 0, "%s", e.msg);
    cr_assert_eq(pat2.steps, GV_STEPS_PER_BAR, "cut at the tab's end");
    o.start_bar = 4;
    cr_assert_eq(gv_pattern_load(path, &o, &pat2, NULL, 0, &e), -1);
    cr_assert(strstr(e.msg, "past the end"), "%s", e.msg);

    cr_assert_eq(gv_pattern_load("rock-basic", NULL, &pat2, got, sizeof got, &e), 0, "%s", e.msg);
    cr_assert(strstr(got, "presets/rock-basic.tab"), "%s", got);
    cr_assert_gt(gv_pattern_count(&pat2), 0);
    cr_assert_eq(gv_pattern_load("no-such-preset", NULL, &pat2, got, sizeof got, &e), -1);
    cr_assert(strstr(e.msg, "no such preset"), "%s", e.msg);
    cr_assert_eq(gv_pattern_format(got), GV_FMT_UNKNOWN);
    cr_assert_eq(gv_pattern_load("x.wav", NULL, &pat2, NULL, 0, &e), -1);
    cr_assert(strstr(e.msg, "unknown file type '.wav'"), "%s", e.msg);
    snprintf(path, sizeof path, "%s/beat.mid", dir);
    cr_assert_eq(gv_pattern_save(path, &pat, &e), 0, "%s", e.msg);
    gv_load_opts_default(&o);
    o.bars = 0;
    cr_assert_eq(gv_pattern_load(path, &o, &pat2, NULL, 0, &e), 0, "%s", e.msg);
    cr_assert_eq(gv_pattern_count(&pat2), 7);
    snprintf(path, sizeof path, "%s/beat", dir);
    cr_assert_eq(gv_pattern_save(path, &pat, &e), -1);
    cr_assert(strstr(e.msg, "no extension"), "%s", e.msg);
    char rm[300];
    snprintf(rm, sizeof rm, "rm -r '%s'", dir);
    cr_assert_eq(system(rm), 0);
}

Test(presets, at_least_24_that_load_with_unique_names)
{
    gv_preset_list l;
    gv_err e;
    cr_assert_eq(gv_preset_list_load(&l, &e), 0, "%s", e.msg);
    cr_assert_geq(l.n, 24);
    static char names[256][64];
    cr_assert_lt(l.n, 256);
    for (int i = 0; i < l.n; i++) {
        char path[1200];
        cr_assert_eq(gv_preset_find(l.names[i], path, sizeof path), 0, "%s", l.names[i]);
        cr_assert_eq(gv_preset_load(l.names[i], &pat, &e), 0, "%s: %s", l.names[i], e.msg);
        cr_assert(pat.steps >= 32 && pat.steps % 16 == 0, "%s: %d steps", l.names[i], pat.steps);
        cr_assert_geq(gv_pattern_count(&pat), 8, "%s has %d hits", l.names[i], gv_pattern_count(&pat));
        cr_assert_neq(strcmp(pat.name, l.names[i]), 0, "%s has no name header", l.names[i]);
        unsigned char *text;
        size_t n;
        cr_assert_eq(gv_read_file(path, 1 << 20, &text, &n, &e), 0);
        cr_assert(strstr((char *)text, "\n# tempo: "), "%s has no tempo header", l.names[i]);
        free(text);
        for (int j = 0; j < i; j++)
            cr_assert_str_neq(names[j], pat.name, "%s and %s share a name", l.names[j], l.names[i]);
        snprintf(names[i], sizeof names[i], "%s", pat.name);
        if (i)
            cr_assert_lt(strcmp(l.names[i - 1], l.names[i]), 0, "list not sorted");
    }
    gv_preset_list_free(&l);
}

Test(presets, find_by_name)
{
    char path[1200];
    gv_err e;
    cr_assert_eq(gv_preset_find("Rock-Basic", path, sizeof path), 0);
    cr_assert(strstr(path, "/rock-basic.tab"), "%s", path);
    cr_assert_eq(gv_preset_find("../presets/rock-basic", path, sizeof path), -1);
    cr_assert_eq(gv_preset_find("rock-basic.tab", path, sizeof path), -1);
    cr_assert_eq(gv_preset_find("", path, sizeof path), -1);
    cr_assert_eq(gv_preset_load("no-such-style", &pat, &e), -1);
    cr_assert_str_eq(e.msg, "no preset called 'no-such-style'");
    cr_assert_eq(gv_preset_load("jazz-ride", &pat, &e), 0, "%s", e.msg);
    cr_assert_str_eq(pat.name, "Jazz ride swing");
}

Test(datadir, source_tree_layout_and_override)
{
    const char *root = getenv("GROOVE_ROOT") ? getenv("GROOVE_ROOT") : ".";
    char out[2048], want[2048];
    cr_assert_eq(gv_data_path("presets/rock-basic.tab", out, sizeof out), 0);
    char *canon = realpath(root, NULL);
    cr_assert(canon);
    snprintf(want, sizeof want, "%s/patterns/presets/rock-basic.tab", canon);
    free(canon);
    cr_assert_str_eq(out, want);
    cr_assert_eq(gv_data_path("presets/none-such.tab", out, sizeof out), -1);
    cr_assert_str_eq(out, "");

    /* $GROOVE_DATA, in the installed layout, comes first. */
    char dir[] = "/tmp/gv_data_XXXXXX", sub[300], file[300];
    cr_assert(mkdtemp(dir));
    snprintf(sub, sizeof sub, "%s/models", dir);
    cr_assert_eq(mkdir(sub, 0755), 0);
    snprintf(file, sizeof file, "%s/models/m.safetensors", dir);
    gv_err e;
    cr_assert_eq(gv_write_atomic(file, "x", 1, &e), 0);
    setenv("GROOVE_DATA", dir, 1);
    cr_assert_eq(gv_data_path("models/m.safetensors", out, sizeof out), 0);
    canon = realpath(file, NULL);
    cr_assert_str_eq(out, canon);
    free(canon);
    cr_assert_eq(gv_data_path("models/m.safetensors", out, 8), -1); /* does not fit */
    unsetenv("GROOVE_DATA");
    unlink(file);
    rmdir(sub);
    rmdir(dir);
}

/* Mangled tabs are refused with a line-numbered message or read into a
 * valid pattern; never a crash (ASan watches). */
Test(tab, mangled_input_is_refused_cleanly)
{
    const char *base = "# name: Mangle\n# tempo: 100\nHH  |x-x-X-x-x-x-X-x-|x-x-X-x-x-x-X-x-|\n"
                       "SD  |----X-------X---|----X--o----X---|\nKD  |X-------X-X-----|X-------X-x-----|\n"
                       "KD~ |--------3-------|----------g-----|\n";
    static const char alphabet[] = "-oxX|~#: \n\r\t19agiKDSHRC\x01\xff";
    size_t n = strlen(base);
    char buf[512];
    gv_rng r;
    gv_rng_seed(&r, 3);
    int accepted = 0;
    for (int iter = 0; iter < 5000; iter++) {
        memcpy(buf, base, n);
        size_t len = n;
        for (int m = 1 + (int)gv_rng_below(&r, 4); m > 0; m--) {
            size_t at = gv_rng_below(&r, (uint32_t)len);
            char ch = alphabet[gv_rng_below(&r, sizeof alphabet - 1)];
            switch (gv_rng_below(&r, 3)) {
            case 0: buf[at] = ch; break;                                    /* replace */
            case 1: memmove(buf + at, buf + at + 1, len - at - 1); len--; break; /* delete */
            default:                                                        /* insert */
                if (len + 1 < sizeof buf) {
                    memmove(buf + at + 1, buf + at, len - at);
                    buf[at] = ch;
                    len++;
                }
            }
        }
        gv_err e = {0};
        if (gv_tab_read(buf, len, &pat, &e) == 0) {
            accepted++;
            cr_assert(pat.steps >= 16 && pat.steps <= GV_MAX_STEPS && pat.steps % 16 == 0);
            cr_assert(pat.bpm >= 20 && pat.bpm <= 400);
        } else {
            cr_assert(!strncmp(e.msg, "line ", 5) || !strncmp(e.msg, "no voice lines", 14), "%s", e.msg);
        }
    }
    cr_assert(accepted > 0 && accepted < 5000, "%d accepted", accepted);
}

/* A tempo outside 20..400 BPM (e.g. the 6e+07 an old groove wrote for a MIDI
 * file's 1-microsecond tempo) is clamped on reading, the file's value kept in
 * bpm_file for the warning; a tempo in range leaves bpm_file 0. */
Test(tab, tempo_outside_20_400_is_clamped)
{
    gv_err e = {0};
    cr_assert_eq(rd("# tempo: 6e+07\nKD |x---------------|\n", &e), 0, "%s", e.msg);
    cr_assert_float_eq(pat.bpm, 400, 0);
    cr_assert_float_eq(pat.bpm_file, 6e7, 1);
    cr_assert_eq(rd("# tempo: 1000\nKD |x---------------|\n", &e), 0, "%s", e.msg);
    cr_assert_float_eq(pat.bpm, 400, 0);
    cr_assert_eq(rd("# tempo: 7.5\nKD |x---------------|\n", &e), 0, "%s", e.msg);
    cr_assert_float_eq(pat.bpm, 20, 0);
    cr_assert_float_eq(pat.bpm_file, 7.5, 1e-6);
    cr_assert_eq(rd("# tempo: 400\nKD |x---------------|\n", &e), 0, "%s", e.msg);
    cr_assert_float_eq(pat.bpm, 400, 0);
    cr_assert_float_eq(pat.bpm_file, 0, 0);
    cr_assert_eq(rd("KD |x---------------|\n", &e), 0, "%s", e.msg);
    cr_assert_float_eq(pat.bpm, 120, 0);
    cr_assert_float_eq(pat.bpm_file, 0, 0);
}
