/* test_cli.c - the `groove` program as a user runs it: show, convert,
 * flatten, exit statuses and messages, and `make install`.
 * The program is $GROOVE_BIN (default ./groove), the tree $GROOVE_ROOT. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "app/opts.h"
#include "base/fileio.h"
#include "patterns/load.h"
#include "patterns/pattern.h"
#include "patterns/smf.h"
#include "patterns/tab.h"

static char bin[4096], root[4096], dir[4096];
static char *out, *err; /* stdout and stderr of the last run */

static void setup(void)
{
    const char *b = getenv("GROOVE_BIN") ? getenv("GROOVE_BIN") : "./groove";
    const char *r = getenv("GROOVE_ROOT") ? getenv("GROOVE_ROOT") : ".";
    cr_assert(realpath(b, bin), "no program at %s (set GROOVE_BIN)", b);
    cr_assert(realpath(r, root));
    char tmp[] = "/tmp/gv_cli_XXXXXX";
    cr_assert(mkdtemp(tmp));
    cr_assert(realpath(tmp, dir));
}

static void teardown(void)
{
    free(out);
    free(err);
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

static char *slurp_n(const char *name, size_t *n)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    unsigned char *d;
    gv_err e;
    cr_assert_eq(gv_read_file(path, 1 << 24, &d, n, &e), 0, "%s: %s", path, e.msg);
    return (char *)d;
}

static char *slurp(const char *name)
{
    size_t n;
    return slurp_n(name, &n);
}

static int same_bytes(const char *a, const char *b)
{
    size_t na, nb;
    char *da = slurp_n(a, &na), *db = slurp_n(b, &nb);
    int same = na == nb && !memcmp(da, db, na);
    free(da);
    free(db);
    return same;
}

/* Runs `ENV groove ARGS` in the test's directory with GROOVE_ROOT set (so
 * presets are found); returns the exit status, output in out/err. */
static int run(const char *env, const char *fmt, ...)
{
    char args[4096], cmd[24576];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    snprintf(cmd, sizeof cmd, "cd '%s' && env GROOVE_ROOT='%s' %s '%s' %s >out.txt 2>err.txt", dir, root,
             env ? env : "", bin, args);
    int st = system(cmd);
    cr_assert(WIFEXITED(st), "%s: killed", cmd);
    free(out);
    free(err);
    out = slurp("out.txt");
    err = slurp("err.txt");
    return WEXITSTATUS(st);
}

static void put(const char *name, const char *text)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    gv_err e;
    cr_assert_eq(gv_write_atomic(path, text, strlen(text), &e), 0);
}

static void load_tab(const char *name, gv_pattern *p)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    gv_err e;
    cr_assert_eq(gv_tab_load(path, p, &e), 0, "%s: %s", name, e.msg);
}

static void no_help(FILE *f) { (void)f; }

TestSuite(cli, .init = setup, .fini = teardown, .timeout = 120);

Test(cli, version_and_help_of_each_command)
{
    cr_assert_eq(run(NULL, "--version"), 0);
    cr_assert(!strncmp(out, "groove ", 7) && strlen(out) > 8, "%s", out);
    static const char *cmds[] = {"show", "convert", "flatten"};
    for (int i = 0; i < 3; i++) {
        char want[64];
        snprintf(want, sizeof want, "usage: groove %s ", cmds[i]);
        cr_assert_eq(run(NULL, "%s --help", cmds[i]), 0);
        cr_assert(strstr(out, want) && strstr(out, "--start-bar K") && !*err, "%s", out);
        cr_assert_eq(run(NULL, "%s -h", cmds[i]), 0);
        cr_assert(strstr(out, want));
    }
    cr_assert_eq(run(NULL, "flatten --help"), 0);
    cr_assert(strstr(out, "default HH, the\n                 closed hi-hat"), "%s", out);
}

/* The option registry (app/opts.h) refuses a command whose groups share an
 * option name or key before it parses anything, so every command's --help
 * exiting 0 shows that no two options of any command collide. */
Test(cli, every_command_has_its_options_once)
{
    static const char *cmds[] = {"show",   "convert", "flatten", "generate", "humanize", "sample",
                                 "interpolate", "encode", "decode", "info",  "train",    "eval",
                                 "render", "play",    "devices", "tui"};
    for (size_t i = 0; i < sizeof cmds / sizeof *cmds; i++) {
        cr_assert_eq(run(NULL, "%s --help", cmds[i]), 0, "%s: %s", cmds[i], err);
        cr_assert_str_empty(err, "%s: %s", cmds[i], err);
    }
    gv_load_opts a, b;
    const gv_opt_use twice[] = {{&gv_opts_window, &a}, {&gv_opts_window, &b}};
    char *argv[] = {"x", "--bars", "1", NULL};
    optind = 0;
    cr_assert_eq(gv_opts_parse("x", no_help, twice, 2, 3, argv), 2);
}

/* One range for --seed in every command that takes it: 0..2^53-1. */
Test(cli, one_seed_range)
{
    static const char *cmds[] = {"generate in.mid", "humanize in.mid", "sample", "decode", "train", "eval", "tui"};
    for (size_t i = 0; i < sizeof cmds / sizeof *cmds; i++) {
        cr_assert_eq(run(NULL, "%s --seed 9007199254740992", cmds[i]), 2, "%s: %s", cmds[i], err);
        cr_assert_str_eq(err, "groove: --seed: '9007199254740992' is not a whole number in 0..9007199254740991\n",
                         "%s", cmds[i]);
    }
}

Test(cli, usage_errors_exit_2)
{
    static const char *cmds[] = {"show", "convert", "flatten"};
    for (int i = 0; i < 3; i++) {
        char want[128];
        cr_assert_eq(run(NULL, "%s --nope a.tab b.tab", cmds[i]), 2);
        snprintf(want, sizeof want, "groove: %s: bad option or missing value: '--nope' (groove %s --help)\n",
                 cmds[i], cmds[i]);
        cr_assert_str_eq(err, want, "one line: %s", err);
        cr_assert_str_empty(out);
        cr_assert_eq(run(NULL, "%s -q a.tab b.tab", cmds[i]), 2);
        cr_assert(strstr(err, "bad option or missing value: '-q'"), "%s", err);
        cr_assert_eq(run(NULL, "%s a.tab b.tab --bars", cmds[i]), 2);
        cr_assert(strstr(err, "'--bars'"), "%s", err);
        cr_assert_eq(run(NULL, "%s --bars 17 a.tab b.tab", cmds[i]), 2);
        cr_assert_str_eq(err, "groove: --bars: '17' is not a whole number in 0..16\n");
        cr_assert_eq(run(NULL, "%s --start-bar 0 a.tab b.tab", cmds[i]), 2);
        cr_assert_str_eq(err, "groove: --start-bar: '0' is not a whole number in 1..100000\n");
        cr_assert_eq(run(NULL, "%s --channel x a.tab b.tab", cmds[i]), 2);
        cr_assert_str_eq(err, "groove: --channel: 'x' is not a whole number in 1..16\n");
        cr_assert_eq(run(NULL, "%s", cmds[i]), 2);
    }
    cr_assert_eq(run(NULL, "show a.tab b.tab"), 2);
    cr_assert(strstr(err, "groove: show: one FILE only"), "%s", err);
    cr_assert_eq(run(NULL, "show"), 2);
    cr_assert(strstr(err, "groove: show: no FILE given"), "%s", err);
    cr_assert_eq(run(NULL, "convert a.tab"), 2);
    cr_assert_str_eq(err, "groove: convert: expected IN and OUT, got 1 file (groove convert --help)\n");
    cr_assert_eq(run(NULL, "convert rock-basic out.wav"), 2);
    cr_assert(strstr(err, "groove: convert: out.wav: unknown output type (expected .mid, .midi or .tab)"), "%s",
              err);
    cr_assert_eq(run(NULL, "convert in.wav out.mid"), 2);
    cr_assert_str_eq(err, "groove: in.wav: unknown file type '.wav' (expected .mid, .midi or .tab)\n");
    cr_assert_eq(run(NULL, "flatten --voice cowbell rock-basic out.tab"), 2);
    cr_assert(strstr(err, "groove: flatten: --voice: unknown voice 'cowbell'"), "%s", err);
    cr_assert(access("out.tab", F_OK) != 0);
}

Test(cli, runtime_errors_exit_1_with_one_line)
{
    cr_assert_eq(run(NULL, "show nope.mid"), 1);
    cr_assert_str_eq(err, "groove: nope.mid: No such file or directory\n");
    cr_assert_str_empty(out);
    cr_assert_eq(run(NULL, "show no-such-preset"), 1);
    cr_assert_str_eq(err, "groove: no-such-preset: no such preset, and no extension to tell the file type "
                          "(expected .mid, .midi or .tab)\n");
    put("bad.tab", "# tempo: 90\nZZ |x---x---x---x---|\n");
    cr_assert_eq(run(NULL, "convert bad.tab ok.mid"), 1);
    cr_assert_str_eq(err, "groove: bad.tab: line 2: unknown voice 'ZZ'\n");
    put("odd.tab", "KD |x---x---x---x---|\nSD |----x---\n");
    cr_assert_eq(run(NULL, "show odd.tab"), 1);
    cr_assert_str_eq(err, "groove: odd.tab: line 2: 8 steps, expected 16 as on line 1\n");
    put("junk.mid", "MThd garbage");
    cr_assert_eq(run(NULL, "show junk.mid"), 1);
    cr_assert(!strncmp(err, "groove: junk.mid: ", 18) && strchr(err, '\n') == err + strlen(err) - 1, "%s", err);
    cr_assert_eq(run(NULL, "convert rock-basic missing-dir/x.mid"), 1);
    cr_assert(!strncmp(err, "groove: missing-dir/x.mid: cannot create", 40), "%s", err);
    cr_assert_eq(run(NULL, "show rock-basic --start-bar 3"), 1);
    cr_assert(strstr(err, "rock-basic.tab: bar 3 is past the end (the tab has 2 bars)\n"), "%s", err);
}

/* Every preset: .tab -> .mid -> .tab gives the same grid, a written .tab
 * reads back to itself, and .mid -> .mid is byte for byte the same. */
Test(cli, convert_round_trips_every_preset)
{
    char pdir[4200];
    snprintf(pdir, sizeof pdir, "%s/patterns/presets", root);
    DIR *d = opendir(pdir);
    cr_assert(d);
    struct dirent *de;
    int n = 0;
    char sub[4200];
    gv_err e;
    snprintf(sub, sizeof sub, "%s/d1", dir);
    cr_assert_eq(gv_mkdirs(sub, &e), 0);
    snprintf(sub, sizeof sub, "%s/d2", dir);
    cr_assert_eq(gv_mkdirs(sub, &e), 0);
    snprintf(sub, sizeof sub, "%s/d3", dir);
    cr_assert_eq(gv_mkdirs(sub, &e), 0);
    while ((de = readdir(d))) {
        char stem[256];
        if (strcmp(gv_path_ext(de->d_name), "tab"))
            continue;
        gv_path_stem(de->d_name, stem, sizeof stem);
        n++;
        cr_assert_eq(run(NULL, "convert %s a.tab", stem), 0, "%s", err);
        cr_assert_eq(run(NULL, "convert a.tab a.mid"), 0, "%s", err);
        cr_assert_eq(run(NULL, "convert a.mid b.tab"), 0, "%s", err);
        cr_assert_eq(run(NULL, "convert a.tab c.tab"), 0, "%s", err);
        cr_assert_eq(run(NULL, "convert a.tab d1/p.mid"), 0, "%s", err);
        cr_assert_eq(run(NULL, "convert d1/p.mid d2/p.mid"), 0, "%s", err);
        cr_assert_eq(run(NULL, "convert d2/p.mid d3/p.mid"), 0, "%s", err);
        char *a = slurp("a.tab"), *b = slurp("b.tab"), *c = slurp("c.tab");
        cr_assert_str_eq(c, a, "%s: tab -> tab changed it", stem);
        /* from the tempo line on: the MIDI reader names a pattern by its file */
        cr_assert_str_eq(strstr(b, "# tempo:"), strstr(a, "# tempo:"), "%s: via MIDI:\n%s\n%s", stem, a, b);
        cr_assert(same_bytes("d2/p.mid", "d3/p.mid"), "%s: mid -> mid differs", stem);
        free(a), free(b), free(c);
    }
    closedir(d);
    cr_assert_geq(n, 24);
}

/* smf.h: a pattern read from MIDI is named after its file (track names in
 * the wild are "MIDI Region" & co), but convert passes on a track name that
 * names the pattern (issue 22: .mid -> .tab lost it); the tab keeps the rest. */
Test(cli, midi_names_the_pattern_by_track_name_or_file)
{
    cr_assert_eq(run(NULL, "convert jazz-ride j.mid"), 0, "%s", err);
    cr_assert_eq(run(NULL, "convert j.mid j.tab"), 0, "%s", err);
    char *t = slurp("j.tab"), head[64];
    snprintf(head, sizeof head, "%s", t);
    free(t);
    cr_assert(!strncmp(head, "# name: Jazz ride swing\n# tempo: 160\n", 37), "%s", head);
    /* a DAW's default track name names nothing: the file does */
    put("daw.tab", "# name: MIDI Region\n# tempo: 100\nKD |X---X---X---X---|\n");
    cr_assert_eq(run(NULL, "convert daw.tab daw.mid"), 0, "%s", err);
    cr_assert_eq(run(NULL, "convert daw.mid daw2.tab"), 0, "%s", err);
    t = slurp("daw2.tab");
    snprintf(head, sizeof head, "%s", t);
    free(t);
    cr_assert(!strncmp(head, "# name: daw\n", 12), "%s", head);
}

Test(cli, convert_windows)
{
    /* bar 1 empty, then three bars told apart by their kick counts */
    put("long.tab", "# name: Long\n# tempo: 90\n"
                    "KD |----------------|x---------------|x-x-------------|x-x-x-----------|\n"
                    "SD |----------------|----x-------x---|----x-------x---|----x-------x---|\n");
    gv_pattern p;
    cr_assert_eq(run(NULL, "convert long.tab w.tab"), 0, "%s", err);
    load_tab("w.tab", &p);
    cr_assert_eq(p.steps, 32); /* from the first bar with notes, 2 bars */
    cr_assert_eq(gv_pattern_count_voice(&p, GV_KICK), 3);
    cr_assert_str_eq(p.name, "Long");
    cr_assert_eq(run(NULL, "convert --start-bar 4 --bars 1 long.tab w.tab"), 0, "%s", err);
    load_tab("w.tab", &p);
    cr_assert_eq(p.steps, 16);
    cr_assert_eq(gv_pattern_count_voice(&p, GV_KICK), 3);
    cr_assert_eq(run(NULL, "convert --bars 0 long.tab w.tab"), 0, "%s", err);
    load_tab("w.tab", &p);
    cr_assert_eq(p.steps, 48);
    cr_assert_eq(run(NULL, "convert --start-bar 1 --bars 0 long.tab w.tab"), 0, "%s", err);
    load_tab("w.tab", &p);
    cr_assert_eq(p.steps, 64);
    cr_assert_eq(run(NULL, "convert --start-bar 3 --bars 8 long.tab w.tab"), 0, "%s", err);
    load_tab("w.tab", &p); /* cut at the tab's end */
    cr_assert_eq(p.steps, 32);
    cr_assert_eq(gv_pattern_count_voice(&p, GV_KICK), 5);

    /* the same windows through MIDI */
    cr_assert_eq(run(NULL, "convert --start-bar 1 --bars 0 long.tab long.mid"), 0, "%s", err);
    cr_assert_eq(run(NULL, "convert --start-bar 3 --bars 1 long.mid w.tab"), 0, "%s", err);
    load_tab("w.tab", &p);
    cr_assert_eq(p.steps, 16);
    cr_assert_eq(gv_pattern_count_voice(&p, GV_KICK), 2);
    cr_assert_float_eq(p.bpm, 90.f, 1e-3);
}

/* The piano roll in ASCII shows each voice exactly as its tab line. */
Test(cli, show_ascii_rows_match_the_tab)
{
    cr_assert_eq(run(NULL, "convert funk-basic f.tab"), 0, "%s", err);
    cr_assert_eq(run("LANG=C.UTF-8", "show --ascii f.tab"), 0, "%s", err);
    cr_assert(!strncmp(out, "Funk basic  (f.tab)\ntempo 96 BPM, 32 steps (2 bars), ", 51), "%s", out);
    cr_assert(strstr(out, "\n    |1   2   3   4   |1   2   3   4   |\n"), "%s", out);
    char *tab = slurp("f.tab");
    int rows = 0;
    for (char *line = strtok(tab, "\n"); line; line = strtok(NULL, "\n"))
        if (line[0] != '#') {
            cr_assert(strstr(out, line), "row missing: %s\n%s", line, out);
            rows++;
        }
    cr_assert_eq(rows, GV_VOICES);
    free(tab);
    /* the groove row: loudest hit per step */
    gv_pattern p;
    load_tab("f.tab", &p);
    float hvo[3 * GV_MAX_STEPS];
    gv_pattern_groove(&p, hvo);
    char grv[64] = "GRV |";
    size_t k = strlen(grv);
    for (int t = 0; t < 32; t++) {
        grv[k++] = hvo[3 * t] > 0 ? gv_tab_vel_glyph(hvo[3 * t + 1]) : '-';
        if (t % 16 == 15)
            grv[k++] = '|';
    }
    grv[k] = 0;
    cr_assert(strstr(out, grv), "%s\n%s", grv, out);
    cr_assert(!strstr(out, "~"), "no offsets, no offset rows");
    cr_assert(!strstr(out, "\xe2"), "ASCII only");
}

Test(cli, show_utf8_locale_and_offsets)
{
    cr_assert_eq(run("LANG=C.UTF-8 LC_ALL= LC_CTYPE=", "show rock-basic"), 0, "%s", err);
    cr_assert(strstr(out, "KD  |█·······█·█·····|"), "%s", out);
    cr_assert(strstr(out, "patterns/presets/rock-basic.tab)\n"), "%s", out);
    cr_assert_eq(run("LANG=C.UTF-8 LC_ALL=C", "show rock-basic"), 0, "%s", err);
    cr_assert(strstr(out, "KD  |X-------X-X-----|"), "LC_ALL wins: %s", out);
    cr_assert_eq(run("LANG= LC_ALL= LC_CTYPE=", "show rock-basic"), 0, "%s", err);
    cr_assert(strstr(out, "KD  |X-------X-X-----|"), "%s", out);
    cr_assert_eq(run("LC_ALL=en_US.utf8", "show --ascii rock-basic"), 0, "%s", err);
    cr_assert(!strstr(out, "\xe2"), "--ascii wins");

    cr_assert_eq(run("LC_ALL=C", "show purdie-shuffle"), 0, "%s", err);
    cr_assert(strstr(out, "\nHH~ |   <   <   <   <|   <   <   <   <|\n"), "%s", out);
    cr_assert(strstr(out, "\nKD~ |       <   <    |       <     >  |\n"), "%s", out);
    cr_assert(strstr(out, "\nGRV~|"), "%s", out);
    /* 0.15 of a step is the threshold: 3/20 does not show, 4/20 does */
    put("o.tab", "KD |x---x-----------|\nKD~|3---4-----------|\n");
    cr_assert_eq(run("LC_ALL=C", "show o.tab"), 0, "%s", err);
    cr_assert(strstr(out, "\nKD~ |    >           |\n"), "%s", out);
}

Test(cli, show_long_patterns_in_systems_and_midi)
{
    put("five.tab", "KD |x---------------|x---------------|x---------------|x---------------|x-------x-------|\n");
    cr_assert_eq(run("LC_ALL=C", "show --bars 0 five.tab"), 0, "%s", err);
    cr_assert(strstr(out, "80 steps (5 bars), 6 hits"), "%s", out);
    cr_assert(strstr(out, "\nbars 1-4\n") && strstr(out, "\nbars 5-5\n"), "%s", out);
    cr_assert(strstr(out, "\nKD  |x-------x-------|\n"), "%s", out);
    cr_assert_eq(run(NULL, "convert samba s.mid"), 0, "%s", err);
    cr_assert_eq(run("LC_ALL=C", "show s.mid"), 0, "%s", err);
    char *roll_mid = strdup(strchr(out, '\n'));
    cr_assert_eq(run("LC_ALL=C", "show samba"), 0, "%s", err);
    cr_assert_str_eq(strchr(out, '\n'), roll_mid, "MIDI and tab rolls differ");
    free(roll_mid);
}

Test(cli, flatten_writes_the_groove_on_one_voice)
{
    gv_pattern src, g;
    float hvo[3 * GV_MAX_STEPS];
    cr_assert_eq(run(NULL, "convert purdie-shuffle src.tab"), 0, "%s", err);
    load_tab("src.tab", &src);
    gv_pattern_groove(&src, hvo);
    cr_assert_eq(run(NULL, "flatten purdie-shuffle g.tab"), 0, "%s", err);
    cr_assert_str_empty(out);
    load_tab("g.tab", &g);
    cr_assert_eq(g.steps, src.steps);
    cr_assert_float_eq(g.bpm, src.bpm, 1e-4);
    int steps_hit = 0;
    for (int t = 0; t < src.steps; t++) {
        steps_hit += hvo[3 * t] > 0;
        cr_assert_eq(g.hit[t][GV_CHAT], hvo[3 * t] > 0, "step %d", t);
        if (hvo[3 * t] > 0) {
            cr_assert_float_eq(g.vel[t][GV_CHAT], hvo[3 * t + 1], 1e-6);
            cr_assert_float_eq(g.off[t][GV_CHAT], hvo[3 * t + 2], 1e-6);
        }
    }
    cr_assert_eq(gv_pattern_count(&g), steps_hit);
    cr_assert_eq(gv_pattern_count_voice(&g, GV_CHAT), steps_hit);

    cr_assert_eq(run(NULL, "flatten --voice kick purdie-shuffle g.mid"), 0, "%s", err);
    char path[4200];
    snprintf(path, sizeof path, "%s/g.mid", dir);
    gv_err e;
    cr_assert_geq(gv_smf_load(path, -1, 0, -1, &g, &e), 0, "%s", e.msg);
    cr_assert_eq(gv_pattern_count_voice(&g, GV_KICK), steps_hit);
    cr_assert_eq(gv_pattern_count(&g), steps_hit);
    for (int t = 0; t < src.steps; t++)
        if (hvo[3 * t] > 0)
            cr_assert(fabsf(g.off[t][GV_KICK] - hvo[3 * t + 2]) <= 1.f / 120 + 1e-4, "step %d", t);
}

/* make install into a DESTDIR; the installed program, run away from the
 * source tree with no GROOVE_DATA/GROOVE_ROOT, finds its own presets. */
Test(cli, make_install_finds_installed_data, .timeout = 600)
{
    char cmd[16384];
    snprintf(cmd, sizeof cmd,
             "env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C '%s' install DESTDIR='%s/stage' "
             "PREFIX=/usr/local >'%s/make.txt' 2>&1",
             root, dir, dir);
    if (system(cmd) != 0) {
        static char shown[4096];
        char *log = slurp("make.txt");
        snprintf(shown, sizeof shown, "%s", log);
        free(log);
        cr_assert_fail("make install failed:\n%s", shown);
    }
    char prog[4200], man[4200];
    snprintf(prog, sizeof prog, "%s/stage/usr/local/bin/groove", dir);
    snprintf(man, sizeof man, "%s/stage/usr/local/share/man/man1/groove.1", dir);
    cr_assert_eq(access(prog, X_OK), 0);
    cr_assert_eq(access(man, R_OK), 0);
    snprintf(cmd, sizeof cmd,
             "cd '%s' && env -u GROOVE_DATA -u GROOVE_ROOT LC_ALL=C '%s' show rock-basic >out.txt 2>err.txt", dir,
             prog);
    int st = system(cmd);
    free(out);
    free(err);
    out = slurp("out.txt");
    err = slurp("err.txt");
    cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "%s", err);
    char want[4400];
    snprintf(want, sizeof want, "Rock basic  (%s/stage/usr/local/share/groove/presets/rock-basic.tab)\n", dir);
    cr_assert(!strncmp(out, want, strlen(want)), "%s", out);
    cr_assert(strstr(out, "KD  |X-------X-X-----|"), "%s", out);
}

/* groove.1 names every command the program lists and every preset. */
Test(cli, man_page_covers_commands_and_presets)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/groove.1", root);
    unsigned char *man;
    size_t n;
    gv_err e;
    cr_assert_eq(gv_read_file(path, 1 << 20, &man, &n, &e), 0, "%s", e.msg);
    cr_assert_eq(run(NULL, "--help"), 0);
    char *cmds = strstr(out, "commands:\n");
    cr_assert(cmds);
    int listed = 0;
    for (char *line = strtok(cmds + 10, "\n"); line; line = strtok(NULL, "\n")) {
        char name[32], want[64];
        if (sscanf(line, " %31s", name) != 1)
            continue;
        snprintf(want, sizeof want, ".SS \"groove %s", name);
        cr_assert(strstr((char *)man, want), "groove.1 lacks %s", want);
        listed++;
    }
    cr_assert_geq(listed, 3);
    snprintf(path, sizeof path, "%s/patterns/presets", root);
    DIR *d = opendir(path);
    cr_assert(d);
    struct dirent *de;
    while ((de = readdir(d))) {
        char stem[256], esc[512];
        if (strcmp(gv_path_ext(de->d_name), "tab"))
            continue;
        gv_path_stem(de->d_name, stem, sizeof stem);
        size_t k = 0; /* roff writes '-' as '\-' */
        for (const char *c = stem; *c && k < sizeof esc - 3; c++) {
            if (*c == '-')
                esc[k++] = '\\';
            esc[k++] = *c;
        }
        esc[k] = 0;
        cr_assert(strstr((char *)man, esc), "groove.1 lacks preset %s", stem);
    }
    closedir(d);
    free(man);
}
