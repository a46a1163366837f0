/* cmd_show.c - `groove show FILE`: a piano roll of a .mid or .tab file.
 *
 * One row per voice (cymbals on top, kick at the bottom, as drum notation
 * reads), one column per 16th step, bar lines, a beat row and the monotonic
 * groove.  Velocity is a block height (UTF-8) or the tab glyphs o x X
 * (ASCII); a voice whose hits leave the grid by more than SHOW_OFF_MARK of a
 * step gets a row beneath it with < (early) and > (late). */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/cli.h"
#include "app/commands.h"
#include "app/opts.h"
#include "patterns/tab.h"

#define SHOW_BARS_PER_LINE 4 /* 4 bars = 73 columns: fits an 80-column terminal */
#define SHOW_OFF_MARK 0.15f

static const char *const USAGE = "FILE [--start-bar K] [--bars N] [--channel N] [--ascii]";

static const int row_order[GV_VOICES] = {GV_CRASH, GV_RIDE,  GV_OHAT,  GV_CHAT, GV_HTOM,
                                         GV_MTOM,  GV_LTOM, GV_SNARE, GV_KICK};

static void help(FILE *f)
{
    fprintf(f, "usage: groove show %s\n"
           "Prints a piano roll of a .mid/.midi or .tab file (or a preset by name,\n"
           "e.g. 'groove show funk-basic'): one row per voice, one column per 16th\n"
           "step, velocity as a glyph, bar lines, a beat row and the monotonic groove\n"
           "(GRV).  A row marked ~ under a voice shows hits more than %.2f of a step\n"
           "early (<) or late (>).\n\n"
           GV_WINDOW_HELP
           "  --ascii        ASCII glyphs (- o x X) instead of UTF-8 blocks; the\n"
           "                 default when LC_ALL/LC_CTYPE/LANG is not UTF-8\n"
           "  -h, --help     this help\n",
           USAGE, (double)SHOW_OFF_MARK);
}

static int utf8_locale(void)
{
    static const char *const vars[] = {"LC_ALL", "LC_CTYPE", "LANG"};
    for (int i = 0; i < 3; i++) {
        const char *v = getenv(vars[i]);
        if (!v || !*v)
            continue;
        char low[128];
        size_t k = 0;
        for (; v[k] && k < sizeof low - 1; k++)
            low[k] = (char)tolower((unsigned char)v[k]);
        low[k] = 0;
        return strstr(low, "utf-8") || strstr(low, "utf8");
    }
    return 0;
}

/* Cells of one row: velocity (< 0 = rest) and offset per step. */
typedef struct row {
    float vel[GV_MAX_STEPS], off[GV_MAX_STEPS];
} row;

static void put_glyph(float vel, int utf8)
{
    static const char *const blocks[8] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
    if (vel < 0) {
        fputs(utf8 ? "·" : "-", stdout);
    } else if (utf8) {
        int level = (int)ceilf(vel * 8.f) - 1;
        fputs(blocks[level < 0 ? 0 : level > 7 ? 7 : level], stdout);
    } else {
        putchar(gv_tab_vel_glyph(vel));
    }
}

static void print_row(const char *label, const row *r, int t0, int t1, int utf8)
{
    printf("%-4s|", label);
    for (int t = t0; t < t1; t++) {
        put_glyph(r->vel[t], utf8);
        if ((t + 1) % GV_STEPS_PER_BAR == 0)
            putchar('|');
    }
    putchar('\n');
    int marks = 0;
    for (int t = t0; t < t1; t++)
        marks |= r->vel[t] >= 0 && fabsf(r->off[t]) > SHOW_OFF_MARK;
    if (!marks)
        return;
    printf("%s~%*s|", label, (int)(3 - strlen(label)), "");
    for (int t = t0; t < t1; t++) {
        int m = r->vel[t] >= 0 && fabsf(r->off[t]) > SHOW_OFF_MARK;
        putchar(!m ? ' ' : r->off[t] < 0 ? '<' : '>');
        if ((t + 1) % GV_STEPS_PER_BAR == 0)
            putchar('|');
    }
    putchar('\n');
}

static void print_roll(const char *path, const gv_pattern *p, int utf8)
{
    int bars = p->steps / GV_STEPS_PER_BAR;
    printf("%s  (%s)\n", p->name[0] ? p->name : "(unnamed)", path);
    printf("tempo %g BPM, %d steps (%d bar%s), %d hits\n", (double)p->bpm, p->steps, bars,
           bars == 1 ? "" : "s", gv_pattern_count(p));
    row rows[GV_VOICES + 1];
    float hvo[3 * GV_MAX_STEPS];
    for (int v = 0; v < GV_VOICES; v++)
        for (int t = 0; t < p->steps; t++) {
            rows[v].vel[t] = p->hit[t][v] ? p->vel[t][v] : -1.f;
            rows[v].off[t] = p->off[t][v];
        }
    gv_pattern_groove(p, hvo);
    for (int t = 0; t < p->steps; t++) {
        rows[GV_VOICES].vel[t] = hvo[3 * t] > 0 ? hvo[3 * t + 1] : -1.f;
        rows[GV_VOICES].off[t] = hvo[3 * t + 2];
    }
    for (int b0 = 0; b0 < bars; b0 += SHOW_BARS_PER_LINE) {
        int b1 = b0 + SHOW_BARS_PER_LINE < bars ? b0 + SHOW_BARS_PER_LINE : bars;
        int t0 = b0 * GV_STEPS_PER_BAR, t1 = b1 * GV_STEPS_PER_BAR;
        if (bars > SHOW_BARS_PER_LINE)
            printf("\nbars %d-%d\n", b0 + 1, b1);
        else
            putchar('\n');
        printf("    |");
        for (int t = t0; t < t1; t++) {
            int s = t % GV_STEPS_PER_BAR;
            putchar(s % 4 ? ' ' : (char)('1' + s / 4));
            if (s == GV_STEPS_PER_BAR - 1)
                putchar('|');
        }
        putchar('\n');
        for (int i = 0; i < GV_VOICES; i++)
            print_row(gv_voice_label(row_order[i]), &rows[row_order[i]], t0, t1, utf8);
        print_row("GRV", &rows[GV_VOICES], t0, t1, utf8);
    }
    printf("\n%s  < early / > late by more than %.2f step\n",
           utf8 ? "velocity ▁ soft .. █ loud, · rest" : "velocity o ghost, x hit, X accent, - rest",
           (double)SHOW_OFF_MARK);
}

typedef struct show_opts {
    int ascii;
} show_opts;
static const gv_opt show_rows[] = {GV_OPT_B("ascii", show_opts, ascii)};
static const gv_opt_group show_group = GV_OPT_GROUP("show", show_rows);

int cmd_show(int argc, char **argv)
{
    gv_load_opts lo;
    gv_load_opts_default(&lo);
    show_opts so = {0};
    const gv_opt_use use[] = {{&gv_opts_window, &lo}, {&show_group, &so}};
    int rc = gv_opts_parse("show", help, use, 2, argc, argv);
    if (rc >= 0)
        return rc;
    int utf8 = utf8_locale() && !so.ascii;
    if (argc - optind != 1)
        return gv_cli_usage_error("show", argc == optind ? "no FILE given" : "one FILE only");
    gv_pattern p;
    char buf[1200];
    const char *path = gv_pattern_resolve(argv[optind], buf, sizeof buf);
    rc = gv_cli_load(path, &lo, &p);
    if (rc == 0)
        print_roll(path, &p, utf8);
    return rc;
}
