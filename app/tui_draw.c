/* tui_draw.c - everything the TUI puts on screen: the input piano roll with
 * its groove row, the suggestions side by side, the side panel, the title
 * and status lines, and the help, library, tap and prompt views.
 *
 * The screen at 80x24 (the minimum), top to bottom: a title line (the last
 * message), 9 voice rows + the groove row of the input, 12 rows of
 * suggestions (2x2 compact rolls at 80x24; full 9-row rolls when there is
 * room), the status line. */
#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/tui.h"
#include "app/tui_status.h"
#include "session/core_song.h"

#define MIN_W 80
#define MIN_H 24
#define INPUT_Y 1
#define GROOVE_Y (INPUT_Y + GV_VOICES)
#define SUGG_Y (GROOVE_Y + 1)
#define LABEL_W 4
#define SUGG_W 33  /* 32 steps + the bar line */
#define SUGG_GAP 2
#define SHIFT_MIN 0.15f /* offsets from here on are drawn beside the grid */

/* ---- glyphs ---- */

typedef struct glyphs {
    const char *vel[4], *empty, *beat, *bar, *upper, *lower, *both, *play, *next, *hl, *vl, *tl, *tr, *bl, *br;
    const char *up, *down, *dot, *rec, *lock, *cap;
} glyphs;

static const glyphs utf8 = {{"\u2582", "\u2584", "\u2586", "\u2588"}, "\u00b7", "\u250a", "\u2502", "\u2580",
                            "\u2584", "\u2588", "\u25b6", "\u2192", "\u2500", "\u2502", "\u256d", "\u256e",
                            "\u2570", "\u256f", "\u25b2", "\u25bc", "\u2022", "\u25cf", "\u25a0", "\u2264"};
static const glyphs ascii = {{"o", "o", "x", "X"}, "-", ":", "|", "'", ",", ":", ">", "->", "-", "|", "+", "+",
                             "+", "+", "^", "v", "*", "*", "#", "<"};

static const glyphs *G(const tui *t)
{
    return t->ascii ? &ascii : &utf8;
}

static int vel_level(float v)
{
    return v < 0.3f ? 0 : v < 0.55f ? 1 : v < 0.8f ? 2 : 3;
}

/* ---- colours ---- */

enum { F_KICK, F_SNARE, F_HAT, F_TOM, F_CYM, F_GROOVE };
static int family(int voice)
{
    switch (voice) {
    case GV_KICK: return F_KICK;
    case GV_SNARE: return F_SNARE;
    case GV_CHAT:
    case GV_OHAT: return F_HAT;
    case GV_LTOM:
    case GV_MTOM:
    case GV_HTOM: return F_TOM;
    default: return F_CYM;
    }
}

static const short shade256[6][4] = {
    {88, 124, 160, 196}, {136, 178, 214, 221}, {30, 37, 44, 51},
    {28, 34, 40, 83},    {97, 134, 171, 213},  {244, 248, 252, 231},
};
static const short base8[6] = {COLOR_RED, COLOR_YELLOW, COLOR_CYAN, COLOR_GREEN, COLOR_MAGENTA, COLOR_WHITE};

enum { UI_TITLE, UI_STATUS, UI_DIM, UI_GRID, UI_BEAT, UI_SEL, UI_ERR, UI_OK, UI_BOX, UI_HEAD, UI_TEXT, UI_REC };

/* Finds or makes the colour pair (fg, bg); 0 when out of pairs. */
static attr_t pair(tui *t, short fg, short bg)
{
    for (short i = 0; i < t->npairs; i++)
        if (t->pair_fg[i] == fg && t->pair_bg[i] == bg)
            return COLOR_PAIR(i + 1);
    if (t->npairs >= 64 || t->npairs + 1 >= COLOR_PAIRS)
        return 0;
    init_pair((short)(t->npairs + 1), fg, bg);
    t->pair_fg[t->npairs] = fg;
    t->pair_bg[t->npairs] = bg;
    t->npairs++;
    return COLOR_PAIR(t->npairs);
}

void tui_colors_init(tui *t)
{
    t->colors = 0;
    t->npairs = 0;
    if (!has_colors() || getenv("NO_COLOR"))
        return;
    start_color();
    use_default_colors();
    t->colors = COLORS >= 256 ? 256 : COLORS >= 8 ? 8 : 0;
}

static short head_bg(const tui *t)
{
    return t->colors == 256 ? 238 : COLOR_BLUE;
}

static attr_t ui(tui *t, int what)
{
    int c256 = t->colors == 256;
    if (!t->colors) {
        switch (what) {
        case UI_TITLE:
        case UI_STATUS:
        case UI_HEAD: return A_REVERSE;
        case UI_SEL: return A_REVERSE | A_BOLD;
        case UI_DIM:
        case UI_GRID:
        case UI_BEAT: return A_DIM;
        case UI_ERR:
        case UI_OK:
        case UI_REC: return A_BOLD;
        default: return A_NORMAL;
        }
    }
    switch (what) {
    case UI_TITLE: return pair(t, COLOR_BLACK, c256 ? 37 : COLOR_CYAN) | A_BOLD;
    case UI_STATUS: return pair(t, c256 ? 252 : COLOR_WHITE, c256 ? 236 : COLOR_BLUE);
    case UI_DIM: return c256 ? pair(t, 245, -1) : A_DIM;
    case UI_GRID: return c256 ? pair(t, 237, -1) : A_DIM;
    case UI_BEAT: return c256 ? pair(t, 241, -1) : A_DIM;
    case UI_SEL: return pair(t, COLOR_BLACK, c256 ? 214 : COLOR_YELLOW) | A_BOLD;
    case UI_ERR: return pair(t, c256 ? 203 : COLOR_RED, -1) | A_BOLD;
    case UI_OK: return pair(t, c256 ? 114 : COLOR_GREEN, -1);
    case UI_BOX: return c256 ? pair(t, 67, -1) : pair(t, COLOR_CYAN, -1);
    case UI_HEAD: return pair(t, c256 ? 255 : COLOR_WHITE, head_bg(t));
    case UI_REC: return pair(t, c256 ? 196 : COLOR_RED, -1) | A_BOLD;
    default: return A_NORMAL;
    }
}

/* A hit's look: colour by voice family, shade by velocity; `head` puts it on
 * the play-head column. */
static attr_t hit_attr(tui *t, int fam, int level, int head)
{
    if (!t->colors)
        return (level == 0 ? A_DIM : level == 3 ? A_BOLD : A_NORMAL) | (head ? A_REVERSE : 0);
    short bg = head ? head_bg(t) : -1;
    if (t->colors == 256)
        return pair(t, shade256[fam][level], bg) | (level == 3 ? A_BOLD : 0);
    return pair(t, base8[fam], bg) | (level == 3 ? A_BOLD : level == 0 ? A_DIM : 0);
}

/* Grid marks (empty cells, beat and bar lines), on the play-head or not. */
static attr_t grid_attr(tui *t, int what, int head)
{
    if (!head)
        return ui(t, what);
    if (!t->colors)
        return A_REVERSE;
    return pair(t, t->colors == 256 ? (what == UI_GRID ? 243 : 247) : COLOR_WHITE, head_bg(t));
}

/* ---- text ---- */

static void put(int y, int x, attr_t a, const char *s)
{
    if (y < 0 || y >= LINES || x < 0 || x >= COLS)
        return;
    attrset(a);
    mvaddstr(y, x, s);
}

/* Writes at most w columns of s (UTF-8 aware; every glyph we use is one
 * column wide), padding with spaces to w when pad. */
static void putn(int y, int x, int w, attr_t a, const char *s, int pad)
{
    if (y < 0 || y >= LINES || x >= COLS || w <= 0)
        return;
    if (x + w > COLS)
        w = COLS - x;
    attrset(a);
    move(y, x);
    int col = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p && col < w) {
        int len = *p < 0x80 ? 1 : (*p >> 5) == 6 ? 2 : (*p >> 4) == 14 ? 3 : (*p >> 3) == 30 ? 4 : 1;
        addnstr((const char *)p, len);
        for (int i = 0; i < len && *p; i++)
            p++;
        col++;
    }
    while (pad && col++ < w)
        addch(' ');
}

static int text_cols(const char *s)
{
    int n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        n += (*p & 0xc0) != 0x80;
    return n;
}

/* ---- layout ---- */

static int sugg_count(const gv_core *c)
{
    return c->nsugg > 0 ? c->nsugg : c->set.n;
}

/* The song view, or a prompt or question it opened. */
static int song_shown(const gv_core *c)
{
    return c->mode == GV_MODE_SONG ||
           (c->mode == GV_MODE_PROMPT && c->prompt_kind >= GV_PROMPT_SONG_EXPORT &&
            c->prompt_kind <= GV_PROMPT_SONG_OPEN) ||
           (c->mode == GV_MODE_CONFIRM && c->confirm_kind == GV_CONFIRM_SONG_OVERWRITE) ||
           (c->mode == GV_MODE_HELP && c->help_back == GV_MODE_SONG);
}

/* The take line (the window's place in the file, its mini-map, the batch
 * shown) sits above the suggestions while there is a take or a batch. */
static int take_line(const gv_core *c)
{
    int other_view = c->mode == GV_MODE_LIBRARY || c->mode == GV_MODE_TAP || c->mode == GV_MODE_MIDI ||
                     c->mode == GV_MODE_KITS ||
                     song_shown(c) ||
                     (c->mode == GV_MODE_CONFIRM && c->confirm_kind == GV_CONFIRM_DELETE);
    return (c->take.on || c->nhist > 0) && !c->jam.on && !other_view;
}

static void layout(tui *t)
{
    tui_layout *l = &t->lay;
    const gv_core *c = t->c;
    l->ok = COLS >= MIN_W && LINES >= MIN_H;
    l->cw = COLS >= LABEL_W + 1 + 3 * GV_MODEL_STEPS + 14 ? 3 : 2;
    l->roll_x = LABEL_W;
    l->panel_x = l->roll_x + l->cw * GV_MODEL_STEPS + 2;
    l->sugg_y = SUGG_Y + take_line(c);
    l->sugg_h = LINES - l->sugg_y - 1;
    int n = sugg_count(c);
    l->sugg_cols = (COLS - LABEL_W + SUGG_GAP) / (SUGG_W + SUGG_GAP);
    if (l->sugg_cols < 1)
        l->sugg_cols = 1;
    if (l->sugg_cols > n)
        l->sugg_cols = n;
    int rows = (n + l->sugg_cols - 1) / l->sugg_cols;
    l->sugg_full = rows * (GV_VOICES + 1) <= l->sugg_h;
    int rh = l->sugg_full ? GV_VOICES + 1 : 6;
    l->sugg_rows_vis = l->sugg_h / rh;
    if (l->sugg_rows_vis < 1)
        l->sugg_rows_vis = 1;
    int selrow = c->sel / l->sugg_cols;
    if (selrow < l->sugg_scroll)
        l->sugg_scroll = selrow;
    if (selrow >= l->sugg_scroll + l->sugg_rows_vis)
        l->sugg_scroll = selrow - l->sugg_rows_vis + 1;
    if (l->sugg_scroll > rows - l->sugg_rows_vis)
        l->sugg_scroll = rows - l->sugg_rows_vis > 0 ? rows - l->sugg_rows_vis : 0;
    l->sugg_x0 = LABEL_W;
    l->sugg_w = SUGG_W + SUGG_GAP;
}

/* Screen column of step s's grid position in a 1-column-per-step roll. */
static int small_x(int x0, int s)
{
    return x0 + s + (s >= GV_STEPS_PER_BAR);
}

/* An input longer than 2 bars shows 2 of them at a time: those the cursor
 * is in (page 0, 1, ...). */
static int input_page(const gv_core *c)
{
    return c->input.steps > GV_MODEL_STEPS ? c->cur_step / GV_MODEL_STEPS : 0;
}

int tui_hit_input(const tui *t, int y, int x, int *step, int *row)
{
    const tui_layout *l = &t->lay;
    if (!l->ok || y < INPUT_Y || y >= INPUT_Y + GV_VOICES || x < l->roll_x)
        return 0;
    int s = (x - l->roll_x) / l->cw + input_page(t->c) * GV_MODEL_STEPS;
    if (s - input_page(t->c) * GV_MODEL_STEPS >= GV_MODEL_STEPS || s >= t->c->input.steps)
        return 0;
    *step = s;
    *row = y - INPUT_Y;
    return 1;
}

int tui_hit_sugg(const tui *t, int y, int x)
{
    const tui_layout *l = &t->lay;
    if (!l->ok || t->c->mode != GV_MODE_NORMAL || y < l->sugg_y || y >= l->sugg_y + l->sugg_h || x < l->sugg_x0)
        return -1;
    int rh = l->sugg_full ? GV_VOICES + 1 : 6;
    int col = (x - l->sugg_x0) / l->sugg_w, row = (y - l->sugg_y) / rh + l->sugg_scroll;
    if (col >= l->sugg_cols || (x - l->sugg_x0) % l->sugg_w >= SUGG_W)
        return -1;
    int k = row * l->sugg_cols + col;
    return k < t->c->nsugg ? k : -1;
}

/* ---- the input roll ---- */

/* Draws one row of the big roll: cells of `cw` columns, each a gap column
 * (beat / bar line, or an early hit), the grid column, and (cw 3) a late
 * column; with cw 2 a late hit takes the next cell's gap column.  Steps n
 * and on (a 1-bar input) are left blank. */
static void big_row(tui *t, int y, const float *vel, const float *off, const uint8_t *hit, int stride, int fam,
                    int head, int cursor, int n)
{
    const glyphs *g = G(t);
    int x0 = t->lay.roll_x, cw = t->lay.cw;
    for (int s = 0; s <= GV_MODEL_STEPS; s++) {
        int x = x0 + cw * s;
        int h = s == head;
        const char *line = s % GV_STEPS_PER_BAR == 0 ? g->bar : s % 4 == 0 ? g->beat : " ";
        put(y, x, grid_attr(t, UI_BEAT, 0), s <= n ? line : " ");
        if (s == GV_MODEL_STEPS)
            break;
        put(y, x + 1, grid_attr(t, UI_GRID, h) | (s == cursor ? A_REVERSE : 0), s < n ? g->empty : " ");
        if (cw == 3)
            put(y, x + 2, grid_attr(t, UI_GRID, h), " ");
    }
    for (int s = 0; s < n; s++) {
        if (!hit[s * stride])
            continue;
        int x = x0 + cw * s + 1;
        float o = off[s * stride];
        /* an early hit on the first step would cover the roll's opening
         * bar line: it stays in its cell, underlined as early */
        int early_first = s == 0 && o <= -SHIFT_MIN;
        if (o <= -SHIFT_MIN && !early_first)
            x--;
        else if (o >= SHIFT_MIN)
            x++;
        int lv = vel_level(vel[s * stride]);
        attr_t a = hit_attr(t, fam, lv, s == head && x == x0 + cw * s + 1);
        put(y, x, a | (s == cursor ? A_REVERSE : 0) | (early_first ? A_UNDERLINE : 0), g->vel[lv]);
    }
}

/* The jam's step now (the play-head's), -1 before its first downbeat. */
static int jam_now(const gv_core *c, double now)
{
    double pos = gv_core_jam_step(c, now);
    return pos < 0 ? -1 : (int)floor(pos);
}

static const gv_pattern *shown_input(tui *t, gv_pattern *scratch, double now)
{
    gv_core *c = t->c;
    if (c->jam.on) { /* the rolling window, filling as the player taps */
        gv_jam_window(&c->jam.j, (int64_t)floor(gv_core_jam_step(c, now) + 0.5) + 1, scratch);
        return scratch;
    }
    if (c->mode == GV_MODE_TAP && c->tap.phase == GV_TAP_RECORD) {
        gv_tap_quantise(&c->tap, scratch);
        return scratch;
    }
    return &c->input;
}

static int tap_step(const gv_core *c, double now)
{
    if (c->mode != GV_MODE_TAP || c->tap.phase != GV_TAP_RECORD)
        return -1;
    int s = (int)floor((now - c->tap.t0) / gv_tap_step_sec(&c->tap)) - GV_TAP_COUNTIN_BEATS * 4;
    return s >= 0 && s < GV_MODEL_STEPS ? s : -1;
}

/* The mark beside a voice's label when it has its own cap (a cap glyph) or
 * density (+ / -); the side panel spells out the cursor voice's. */
static const char *voice_mark(tui *t, int v)
{
    const gv_settings *s = &t->c->set;
    return s->cap[v] >= 0 ? G(t)->cap : s->vdens[v] > 1 ? "+" : s->vdens[v] < 1 ? "-" : " ";
}

/* The cursor voice's lock, cap and density in w columns ("" when it has
 * none of them). */
static void voice_settings(const gv_core *c, int v, int w, char *buf, size_t n)
{
    const gv_settings *s = &c->set;
    char cap[16] = "", dens[16] = "", mix[32];
    int locked = s->lock >> v & 1u;
    int long_form = w >= 22;
    if (s->cap[v] >= 0)
        snprintf(cap, sizeof cap, long_form ? "cap %d " : "c%d ", s->cap[v]);
    if (s->vdens[v] != 1)
        snprintf(dens, sizeof dens, "x%.2g ", (double)s->vdens[v]);
    gv_vmix_describe(&s->mix, v, mix, sizeof mix);
    snprintf(buf, n, "%s%s%s%s", locked ? (long_form ? "locked " : "L ") : "", cap, dens, mix);
}

static void draw_input(tui *t, double now)
{
    static gv_pattern scratch;
    gv_core *c = t->c;
    const gv_pattern *p = shown_input(t, &scratch, now);
    int head = c->mode == GV_MODE_TAP ? tap_step(c, now)
               : c->jam.on        ? jam_now(c, now) % GV_JAM_STEPS
                                  : tui_audio_cell(&t->au, GV_PLAY_INPUT);
    int show_cursor = c->mode != GV_MODE_TAP;
    /* a long input: the 2 bars the cursor is in */
    int o = p == &c->input ? input_page(c) * GV_MODEL_STEPS : 0;
    int n = p->steps - o < GV_MODEL_STEPS ? p->steps - o : GV_MODEL_STEPS;
    head = head >= o && head < o + n ? head - o : -1;
    for (int r = 0; r < GV_VOICES; r++) {
        int v = gv_core_row_voice[r];
        int cur = show_cursor && r == c->cur_row;
        int locked = c->set.lock >> v & 1u;
        put(INPUT_Y + r, 0, cur ? ui(t, UI_SEL) : locked ? ui(t, UI_OK) | A_BOLD : ui(t, UI_DIM),
            locked ? G(t)->lock : " ");
        put(INPUT_Y + r, 1, cur ? ui(t, UI_SEL) : hit_attr(t, family(v), 2, 0), gv_voice_label(v));
        /* column 3: the jam's mute or the mixer's (m), a solo (s), a voice
         * another's solo silences (_) */
        int mute = (c->jam.on && c->set.jam.mute >> v & 1u) || c->set.mix.mute >> v & 1u;
        int solo = c->set.mix.solo >> v & 1u, silent = !mute && !gv_vmix_sounds(&c->set.mix, v);
        put(INPUT_Y + r, 3, mute || silent ? ui(t, UI_ERR) : solo ? ui(t, UI_OK) : ui(t, UI_DIM),
            mute ? "m" : solo ? "s" : silent ? "_" : voice_mark(t, v));
        big_row(t, INPUT_Y + r, &p->vel[o][v], &p->off[o][v], &p->hit[o][v], GV_VOICES, family(v), head,
                cur && !c->jam.on ? c->cur_step - o : -1, n);
    }
    float hvo[GV_MAX_STEPS * 3];
    uint8_t gh[GV_MAX_STEPS * 3];
    gv_pattern_groove(p, hvo);
    for (int s = 0; s < p->steps; s++)
        gh[3 * s] = hvo[3 * s] > 0.5f;
    put(GROOVE_Y, 0, ui(t, UI_DIM), " GR ");
    big_row(t, GROOVE_Y, hvo + 3 * o + 1, hvo + 3 * o + 2, gh + 3 * o, 3, F_GROOVE, head, -1, n);
}

/* ---- side panel ---- */

static void draw_panel(tui *t)
{
    gv_core *c = t->c;
    int x = t->lay.panel_x, w = COLS - x - 1;
    if (w < 8)
        return;
    char buf[128];
    putn(INPUT_Y, x, w, A_BOLD, c->input.name[0] ? c->input.name : "input", 1);
    putn(INPUT_Y + 1, x, w, ui(t, UI_DIM), c->input_src, 1);
    int bars = c->input.steps / GV_STEPS_PER_BAR, pg = input_page(c) * 2;
    if (bars > 2)
        snprintf(buf, sizeof buf, "%d hits, %d bars: %d-%d", gv_pattern_count(&c->input), bars, pg + 1, pg + 2);
    else
        snprintf(buf, sizeof buf, "%d hits%s", gv_pattern_count(&c->input), bars == 1 ? ", 1 bar" : "");
    putn(INPUT_Y + 2, x, w, ui(t, UI_DIM), buf, 1);
    int s = c->cur_step, v = gv_core_row_voice[c->cur_row];
    voice_settings(c, v, w, buf, sizeof buf);
    putn(INPUT_Y + 3, x, w, ui(t, UI_OK), buf, 1);
    snprintf(buf, sizeof buf, "%s %d.%d.%d", gv_voice_label(v), s / 16 + 1, s % 16 / 4 + 1, s % 4 + 1);
    putn(INPUT_Y + 4, x, w, A_BOLD, buf, 1);
    if (c->input.hit[s][v]) {
        snprintf(buf, sizeof buf, "vel %.2f", c->input.vel[s][v]);
        putn(INPUT_Y + 5, x, w, A_NORMAL, buf, 1);
        snprintf(buf, sizeof buf, "off %+.2f", c->input.off[s][v]);
        putn(INPUT_Y + 6, x, w, A_NORMAL, buf, 1);
    } else {
        putn(INPUT_Y + 5, x, w, ui(t, UI_DIM), "x adds", 1);
        putn(INPUT_Y + 6, x, w, A_NORMAL, "", 1);
    }
    putn(INPUT_Y + 7, x, w, c->edit_mode ? ui(t, UI_SEL) : A_NORMAL, c->edit_mode ? "EDIT hjkl" : "", 1);
    snprintf(buf, sizeof buf, "undo %d", c->nundo);
    putn(INPUT_Y + 8, x, w, ui(t, UI_DIM), c->nundo ? buf : "", 1);
    putn(INPUT_Y + 9, x, w, ui(t, UI_DIM), "? help", 1);
}

/* ---- suggestions ---- */

static void small_full_row(tui *t, int y, int x0, const gv_pattern *p, int v, int head)
{
    const glyphs *g = G(t);
    for (int s = 0; s < GV_MODEL_STEPS; s++) {
        int x = small_x(x0, s), h = s == head;
        if (s == GV_STEPS_PER_BAR)
            put(y, x - 1, grid_attr(t, UI_BEAT, 0), g->bar);
        if (p->hit[s][v]) {
            int lv = vel_level(p->vel[s][v]);
            put(y, x, hit_attr(t, family(v), lv, h), g->vel[lv]);
        } else {
            put(y, x, grid_attr(t, s % 4 ? UI_GRID : UI_BEAT, h), s % 4 ? " " : g->empty);
        }
    }
}

/* A compact row of two voice groups: `up` in the upper half of the cell and
 * `lo` in the lower (half blocks; both: upper colour on lower background). */
static void small_pair_row(tui *t, int y, int x0, const gv_pattern *p, const int *up, int nup, const int *lo,
                           int nlo, int head)
{
    const glyphs *g = G(t);
    for (int s = 0; s < GV_MODEL_STEPS; s++) {
        int x = small_x(x0, s), h = s == head;
        if (s == GV_STEPS_PER_BAR)
            put(y, x - 1, grid_attr(t, UI_BEAT, 0), g->bar);
        float vu = -1, vl = -1;
        int fu = family(up[0]), fl = family(lo[0]);
        for (int i = 0; i < nup; i++)
            if (p->hit[s][up[i]] && p->vel[s][up[i]] > vu)
                vu = p->vel[s][up[i]];
        for (int i = 0; i < nlo; i++)
            if (p->hit[s][lo[i]] && p->vel[s][lo[i]] > vl)
                vl = p->vel[s][lo[i]];
        if (vu < 0 && vl < 0) {
            put(y, x, grid_attr(t, s % 4 ? UI_GRID : UI_BEAT, h), s % 4 ? " " : g->empty);
        } else if (vu >= 0 && vl >= 0) {
            attr_t a;
            if (t->colors)
                a = pair(t, t->colors == 256 ? shade256[fu][vel_level(vu)] : base8[fu],
                         t->colors == 256 ? shade256[fl][vel_level(vl)] : base8[fl]);
            else
                a = h ? A_REVERSE : A_NORMAL;
            put(y, x, a, t->colors ? g->upper : g->both);
        } else if (vu >= 0) {
            put(y, x, hit_attr(t, fu, vel_level(vu), h), g->upper);
        } else {
            put(y, x, hit_attr(t, fl, vel_level(vl), h), g->lower);
        }
    }
}

/* A pattern of other than 2 bars in a small (32-column) roll: a 1-bar one
 * in its first bar, a longer one compressed (a column the loudest hit of
 * its steps); the play-head moves with it. */
static const gv_pattern *small_view(const gv_pattern *p, int *head)
{
    static gv_pattern v;
    if (p->steps == GV_MODEL_STEPS)
        return p;
    int k = p->steps > GV_MODEL_STEPS ? p->steps / GV_MODEL_STEPS : 1;
    gv_pattern_init(&v, GV_MODEL_STEPS, p->bpm, p->name);
    for (int s = 0; s < p->steps; s++)
        for (int vc = 0; vc < GV_VOICES; vc++)
            if (p->hit[s][vc] && (!v.hit[s / k][vc] || p->vel[s][vc] > v.vel[s / k][vc]))
                gv_pattern_set(&v, s / k, vc, 1, p->vel[s][vc], p->off[s][vc]);
    if (*head >= 0)
        *head /= k;
    return &v;
}

static void draw_roll_small(tui *t, int y, int x0, const gv_pattern *p, int full, int head, int labels)
{
    p = small_view(p, &head);
    if (full) {
        for (int r = 0; r < GV_VOICES; r++) {
            int v = gv_core_row_voice[r];
            if (labels) /* in the 3 columns left of the roll */
                put(y + r, x0 - 3, hit_attr(t, family(v), 1, 0), gv_voice_label(v));
            small_full_row(t, y + r, x0, p, v, head);
        }
        return;
    }
    static const int cym_u[] = {GV_CRASH}, cym_l[] = {GV_RIDE}, hat_u[] = {GV_OHAT}, hat_l[] = {GV_CHAT};
    static const int tom_u[] = {GV_HTOM, GV_MTOM}, tom_l[] = {GV_LTOM};
    static const char *lab[5] = {"cy", "hh", "tt", "SD", "KD"};
    static const int labv[5] = {GV_CRASH, GV_CHAT, GV_MTOM, GV_SNARE, GV_KICK};
    small_pair_row(t, y, x0, p, cym_u, 1, cym_l, 1, head);
    small_pair_row(t, y + 1, x0, p, hat_u, 1, hat_l, 1, head);
    small_pair_row(t, y + 2, x0, p, tom_u, 2, tom_l, 1, head);
    small_full_row(t, y + 3, x0, p, GV_SNARE, head);
    small_full_row(t, y + 4, x0, p, GV_KICK, head);
    if (labels)
        for (int i = 0; i < 5; i++)
            put(y + i, x0 - 3, hit_attr(t, family(labv[i]), 1, 0), lab[i]);
}

/* What the merged rows' halves are (draw_roll_small's compact form), on
 * row y from column x within w columns. */
static void merged_legend(tui *t, int y, int x, int w)
{
    const glyphs *g = G(t);
    char buf[160];
    snprintf(buf, sizeof buf, "cy %s crash %s ride   hh %s open %s closed   tt %s high, mid %s low", g->upper,
             g->lower, g->upper, g->lower, g->upper, g->lower);
    if (text_cols(buf) > w)
        snprintf(buf, sizeof buf, "%s crash/open/hi-mid %s ride/closed/low", g->upper, g->lower);
    putn(y, x, w, ui(t, UI_DIM), buf, 0);
}

static void sugg_title(tui *t, int y, int x, int k)
{
    gv_core *c = t->c;
    const gv_sugg *s = &c->sugg[k];
    const glyphs *g = G(t);
    int sel = k == c->sel;
    char buf[64];
    snprintf(buf, sizeof buf, " %d ", k + 1);
    put(y, x, sel ? ui(t, UI_SEL) : A_BOLD, buf);
    int cx = x + (int)strlen(buf);
    if (s->pat.steps != GV_MODEL_STEPS) /* drawn compressed or in half the roll */
        snprintf(buf, sizeof buf, " %d hits, %d bar%s", gv_pattern_count(&s->pat), s->pat.steps / GV_STEPS_PER_BAR,
                 s->pat.steps == GV_STEPS_PER_BAR ? "" : "s");
    else
        snprintf(buf, sizeof buf, " %d hits", gv_pattern_count(&s->pat));
    put(y, cx, sel ? A_BOLD : ui(t, UI_DIM), buf);
    cx += (int)strlen(buf);
    if (s->kept) {
        put(y, cx, ui(t, UI_OK), " kept");
        cx += 5;
    }
    if (s->exported) {
        put(y, cx, ui(t, UI_OK), " exp");
        cx += 4;
    }
    const tui_audio *a = &t->au;
    int playing = c->playing && a->shown_src == k, pending = c->playing && a->pending_src == k && !playing;
    if (playing || pending) {
        snprintf(buf, sizeof buf, " %s", playing ? g->play : g->next);
        put(y, cx, ui(t, UI_OK) | A_BOLD, buf);
    }
}

/* The mini-map: one column per bar or group of bars, its height the most
 * hits in a bar of the group against the busiest bar of the file; the
 * window's columns reversed. */
static void take_map(tui *t, int y, int x, int w)
{
    static const char *const ublocks[8] = {"\u2581", "\u2582", "\u2583", "\u2584",
                                           "\u2585", "\u2586", "\u2587", "\u2588"};
    static const char *const ablocks[8] = {".", ":", "-", "=", "+", "*", "#", "@"};
    const gv_core_take *k = &t->c->take;
    int cols = k->bars < w ? k->bars : w, top = 1;
    for (int b = 0; b < k->bars; b++)
        top = k->hits[b] > top ? k->hits[b] : top;
    for (int i = 0; i < cols; i++) {
        int b0 = (int)((long)i * k->bars / cols), b1 = (int)((long)(i + 1) * k->bars / cols), most = 0;
        for (int b = b0; b < b1 || b == b0; b++)
            most = k->hits[b] > most ? k->hits[b] : most;
        int in = b1 > k->bar && b0 < k->bar + t->c->input.steps / GV_STEPS_PER_BAR;
        const char *g = most == 0 ? G(t)->empty : (t->ascii ? ablocks : ublocks)[(most * 8 - 1) / top];
        put(y, x + i, in ? ui(t, UI_SEL) : most ? hit_attr(t, F_GROOVE, 2, 0) : ui(t, UI_DIM), g);
    }
}

static void draw_take(tui *t)
{
    gv_core *c = t->c;
    int y = SUGG_Y, x = 1, right = COLS - 1;
    char buf[64];
    if (c->nhist > 0) {
        snprintf(buf, sizeof buf, "batch %d/%d", c->hist_pos + 1, c->nhist);
        right -= (int)strlen(buf);
        put(y, right, ui(t, UI_DIM), buf);
        right -= 2;
    }
    if (!c->take.on)
        return;
    int end = c->take.bar + c->input.steps / GV_STEPS_PER_BAR; /* a file shorter than the window: its end */
    snprintf(buf, sizeof buf, "bars %d-%d of %d ", c->take.bar + 1, end < c->take.bars ? end : c->take.bars,
             c->take.bars);
    put(y, x, A_BOLD, buf);
    x += (int)strlen(buf);
    if (right - x >= 4)
        take_map(t, y, x, right - x);
}

static void draw_empty_sugg(tui *t)
{
    gv_core *c = t->c;
    const tui_layout *l = &t->lay;
    const char *a, *b;
    if (c->busy || c->job_pending) {
        a = "generating ...";
        b = "";
    } else if (c->zdim <= 0) {
        a = "no model: generation is off";
        b = "start with --model FILE, or set $GROOVE_MODEL";
    } else if (gv_pattern_count(&c->input) == 0) {
        a = "the input is empty";
        b = "o opens a file or preset, t taps a groove, x adds hits";
    } else {
        a = "no suggestions yet";
        b = "g generates patterns from the input's groove";
    }
    int y = l->sugg_y + l->sugg_h / 2 - 1;
    put(y, (COLS - text_cols(a)) / 2, A_BOLD, a);
    put(y + 1, (COLS - text_cols(b)) / 2, ui(t, UI_DIM), b);
}

static void draw_suggestions(tui *t)
{
    gv_core *c = t->c;
    const tui_layout *l = &t->lay;
    if (c->nsugg == 0) {
        draw_empty_sugg(t);
        return;
    }
    int rh = l->sugg_full ? GV_VOICES + 1 : 6;
    int first = l->sugg_scroll * l->sugg_cols;
    int last = first + l->sugg_rows_vis * l->sugg_cols;
    for (int k = first; k < c->nsugg && k < last; k++) {
        int row = k / l->sugg_cols - l->sugg_scroll, col = k % l->sugg_cols;
        int y = l->sugg_y + row * rh, x = l->sugg_x0 + col * l->sugg_w;
        sugg_title(t, y, x, k);
        draw_roll_small(t, y + 1, x, &c->sugg[k].pat, l->sugg_full, tui_audio_cell(&t->au, k), col == 0);
    }
    const glyphs *g = G(t);
    int rows = (c->nsugg + l->sugg_cols - 1) / l->sugg_cols;
    if (!l->sugg_full && l->sugg_rows_vis * rh < l->sugg_h) /* a free line under the rows: the legend */
        merged_legend(t, l->sugg_y + l->sugg_h - 1, l->sugg_x0 - 3, COLS - l->sugg_x0);
    if (l->sugg_scroll > 0)
        put(l->sugg_y, COLS - 2, ui(t, UI_DIM), g->up);
    if (l->sugg_scroll + l->sugg_rows_vis < rows)
        put(l->sugg_y + l->sugg_h - 1, COLS - 2, ui(t, UI_DIM), g->down);
    if (c->busy || c->job_pending)
        put(l->sugg_y, COLS - 16, ui(t, UI_OK), " generating ... ");
}

/* ---- the jam ---- */

/* The take's pattern sounding at step pos (the last to take over at or
 * before it), or the jam's latest when none has yet. */
static const gv_pattern *jam_sounding(const gv_core *c, int pos, int64_t *from)
{
    const gv_jam_take *tk = &c->jam.take;
    for (int i = tk->nswaps - 1; i >= 0; i--)
        if (tk->swaps[i].at <= pos) {
            *from = tk->swaps[i].at;
            return &tk->pats[tk->swaps[i].pattern];
        }
    *from = c->jam.cur_at;
    return &c->jam.cur;
}

/* The last 8 bars: each with its taps, '*' where new drums took over. */
static void jam_history(tui *t, int y, int pos)
{
    const gv_core *c = t->c;
    int64_t bar = pos < 0 ? 0 : pos / GV_JAM_BAR;
    put(y, 1, ui(t, UI_DIM), "last bars");
    for (int i = 0; i < GV_JAM_HISTORY; i++) {
        int64_t b = bar - (GV_JAM_HISTORY - 1) + i;
        gv_jam_bar h = gv_jam_history(&c->jam.j, b);
        char buf[16];
        if (b < 0)
            snprintf(buf, sizeof buf, "     .");
        else
            snprintf(buf, sizeof buf, "%3lld:%-2d%s", (long long)b + 1, h.bar == b ? h.taps : 0,
                     h.bar == b && h.regenerated ? "*" : " ");
        put(y, 11 + 8 * i, b == bar ? A_BOLD : h.bar == b && h.regenerated ? ui(t, UI_OK) : ui(t, UI_DIM), buf);
    }
}

static void draw_jam(tui *t, double now)
{
    gv_core *c = t->c;
    const tui_layout *l = &t->lay;
    const gv_core_jam *J = &c->jam;
    int pos = jam_now(c, now), y = l->sugg_y;
    char buf[256];
    put(y, 1, ui(t, UI_REC), G(t)->rec);
    int at = pos < 0 ? 0 : pos;
    snprintf(buf, sizeof buf, " JAM  bar %d beat %d   %d taps   %d new drums%s", at / 16 + 1, at % 16 / 4 + 1,
             J->take.ntaps, J->regens, c->set.jam.hold ? "   HOLD" : "");
    putn(y, 2, COLS - 3, A_BOLD, buf, 0);
    if (c->busy || c->job_pending)
        put(y, COLS - 16, ui(t, UI_OK), " generating ... ");
    jam_history(t, y + 1, pos);
    int64_t from;
    const gv_pattern *p = jam_sounding(c, pos, &from);
    int full = l->sugg_h >= GV_VOICES + 3;
    int head = tui_audio_cell(&t->au, GV_PLAY_JAM);
    if (!t->au.jam_clock || head < 0)
        head = pos < 0 ? -1 : pos % GV_JAM_STEPS;
    snprintf(buf, sizeof buf, "playing since bar %lld", (long long)from / GV_JAM_BAR + 1);
    if (J->cur_at > pos && J->cur_at != from)
        snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "   %s new drums at bar %lld", G(t)->next,
                 (long long)J->cur_at / GV_JAM_BAR + 1);
    putn(y + 2, LABEL_W + SUGG_W + 2, COLS - LABEL_W - SUGG_W - 3, ui(t, UI_DIM), buf, 0);
    draw_roll_small(t, y + 2, LABEL_W, p, full, head, 1);
    char dir[GV_CORE_PATH];
    if (c->jam_dir[0])
        snprintf(dir, sizeof dir, "%s", c->jam_dir);
    else if (!getcwd(dir, sizeof dir))
        snprintf(dir, sizeof dir, ".");
    snprintf(buf, sizeof buf, "Esc ends and exports to %.150s  F11 export now  F12 keep  F1 keys", dir);
    putn(y + l->sugg_h - 1, 1, COLS - 2, ui(t, UI_DIM), buf, 0);
}

/* ---- boxes: help, library, tap ---- */

static void frame(tui *t, int y, int x, int h, int w, const char *title)
{
    const glyphs *g = G(t);
    attr_t a = ui(t, UI_BOX);
    for (int i = 0; i < h; i++) {
        move(y + i, x);
        attrset(A_NORMAL);
        for (int j = 0; j < w && x + j < COLS; j++)
            addch(' ');
        if (i == 0 || i == h - 1)
            for (int j = 1; j < w - 1; j++)
                put(y + i, x + j, a, g->hl);
        put(y + i, x, a, i == 0 ? g->tl : i == h - 1 ? g->bl : g->vl);
        put(y + i, x + w - 1, a, i == 0 ? g->tr : i == h - 1 ? g->br : g->vl);
    }
    if (title) {
        char buf[256];
        snprintf(buf, sizeof buf, " %s ", title);
        putn(y, x + 2, w - 4, a | A_BOLD, buf, 0);
    }
}

static const char *help_extra[] = {
    "",
    "LIBRARY  up/down j/k move, Enter load as input, p play, space play/stop,",
    "         v vary, i interpolate (start, then end), r rename, d delete, Esc",
    "TAP      count-in bar, then 2 bars: z x c v b n m / space = kick,",
    "         a s d ... l = snare, q w e ... p = hat; Shift or caps = accent;",
    "         one row is a groove (1 lane), two rows or more 3 lanes",
    "VOICES   on the cursor's row: L locks the voice (kept as it is in every",
    "         suggestion; marked left of the row), ; ' its cap (hits per",
    "         2 bars), ( ) its density; the side panel shows them (L c8 x1.5)",
    "HUMANIZE H plays the input's hits with a drummer's velocity and timing",
    "         (temperature and seed as for g); u undoes",
    "PROMPTS  Tab completes (files, presets, gmd/, presets/), Enter accepts,",
    "         Esc cancels, C-u clears, C-w deletes a path component",
    "MIDI     M lists the ports: up/down j/k move, Enter uses the port (again:",
    "         stops using it), c clock off / out / in, Esc close",
    "MOUSE    click a cell to toggle it, a suggestion to select it",
    "JAM      J: the drums follow your taps, new ones every bar (F9: beat,",
    "         2 bars) taking over at the next bar line; follow 0 keeps them,",
    "         1 snaps; Esc ends and exports drums + taps as one MIDI file",
    "         (see the bottom line)",
};

/* The cursor keys' line ("arrows  move the cursor (hjkl: E)") stands for
 * the four cursor actions while they have their default keys. */
static int cursor_default(const gv_core *c)
{
    static const char *const want[4] = {"left h", "right l", "up k", "down j"};
    int same = 1;
    for (int i = 0; i < 4; i++) {
        char k[64], ek[16];
        gv_keymap_keys(&c->keys, GV_CTX_NORMAL, (gv_action)(GV_A_LEFT + i), k, sizeof k);
        gv_keymap_keys(&c->keys, GV_CTX_EDIT, (gv_action)(GV_A_LEFT + i), ek, sizeof ek);
        snprintf(k + strlen(k), sizeof k - strlen(k), " %s", ek);
        same &= !strcmp(k, want[i]);
    }
    return same;
}

/* The keys of takes and history (issue 22) get lines of their own below
 * the columns, so that the columns still fit one page at 80x24; the lines
 * name the keys bound now. */
static int folded(gv_action a)
{
    return (a >= GV_A_BAR_BACK && a <= GV_A_REGENERATE) || (a >= GV_A_VOICE_MUTE && a <= GV_A_KITS) ||
           a == GV_A_SONG || a == GV_A_TAP_TEMPO || a == GV_A_BPM || a == GV_A_BARS || a == GV_A_MODEL;
}

#define TAKE_HELP_LINES 10

static void take_help(const gv_core *c, int i, char *out, size_t n)
{
    char k[7][24], line[256];
    int first = i < 4 ? GV_A_BAR_BACK : GV_A_VOICE_MUTE, count = i < 4 ? 7 : 6;
    for (int a = 0; a < count; a++) {
        gv_keymap_keys(&c->keys, GV_CTX_NORMAL, (gv_action)(first + a), k[a], sizeof k[a]);
        if (!k[a][0])
            snprintf(k[a], sizeof k[a], "-");
    }
    /* each at most 72 columns with the default keys: the help's width at 80 */
    if (i == 0)
        snprintf(line, sizeof line, "TAKES    %s / %s move the window a bar, %s / %s 2 bars, through the", k[0], k[1],
                 k[2], k[3]);
    else if (i == 1)
        snprintf(line, sizeof line, "         file (o FILE:BAR or FILE --start-bar K opens at a bar)");
    else if (i == 2)
        snprintf(line, sizeof line, "HISTORY  %s / %s older / newer batch (32 kept), %s makes the shown one", k[4],
                 k[5], k[6]);
    else if (i == 3)
        snprintf(line, sizeof line, "         again from its seed and settings; u / C-r undo the input");
    else if (i == 4) /* the mixer and kits: voice-mute .. kits */
        snprintf(line, sizeof line, "MIXER    %s mutes the cursor voice, %s solos it, %s / %s its volume;", k[0], k[1],
                 k[2], k[3]);
    else if (i == 5)
        snprintf(line, sizeof line, "         %s export as heard / written; %s kits: pick the drum sounds", k[4], k[5]);
    else if (i == 6) {
        char a[24], t[24];
        gv_keymap_keys(&c->keys, GV_CTX_NORMAL, GV_A_SONG, a, sizeof a);
        gv_keymap_keys(&c->keys, GV_CTX_NORMAL, GV_A_TAP_TEMPO, t, sizeof t);
        snprintf(line, sizeof line, "SONG     %s the song view (its keys: the last page); %s tap tempo (4+),",
                 a[0] ? a : "-", t[0] ? t : "-");
    } else if (i == 7) {
        char b[24];
        gv_keymap_keys(&c->keys, GV_CTX_NORMAL, GV_A_BPM, b, sizeof b);
        snprintf(line, sizeof line, "         %s type a tempo in BPM; , / . stay -/+ 1 BPM", b[0] ? b : "-");
    } else if (i == 8) {
        char d[24];
        gv_keymap_keys(&c->keys, GV_CTX_NORMAL, GV_A_BARS, d, sizeof d);
        snprintf(line, sizeof line, "LENGTH   %s the input and what g makes: 1 / 2 / 4 / 8 bars", d[0] ? d : "-");
    } else {
        char o[24];
        gv_keymap_keys(&c->keys, GV_CTX_NORMAL, GV_A_MODEL, o, sizeof o);
        snprintf(line, sizeof line, "MODEL    %s next model (drummer): the ones groove ships, --model's", o[0] ? o : "-");
    }
    gv_copy(out, n, line);
}

/* One line of the help for action a (keyw columns of keys, then the text),
 * as the action table describes it; 0 when a has no line of its own. */
static int help_line(const gv_core *c, gv_action a, int keyw, int cursor_one, char *line, size_t n)
{
    const char *pair_help;
    gv_action b = gv_action_pair(a, &pair_help);
    if ((a > GV_A_SELECT1 && a <= GV_A_SELECT8) || gv_action_paired(a) ||
        (cursor_one && a > GV_A_LEFT && a <= GV_A_DOWN) || folded(a))
        return 0;
    if (b != GV_A_NONE) {
        char ka[32], kb[32], both[72];
        gv_keymap_keys(&c->keys, GV_CTX_NORMAL, a, ka, sizeof ka);
        gv_keymap_keys(&c->keys, GV_CTX_NORMAL, b, kb, sizeof kb);
        snprintf(both, sizeof both, "%s / %s", ka[0] ? ka : "-", kb[0] ? kb : "-");
        snprintf(line, n, "%-*.*s %s", keyw - 1, keyw - 1, both, pair_help);
        return 1;
    }
    if (cursor_one && a == GV_A_LEFT) {
        snprintf(line, n, "%-*s %s", keyw - 1, "arrows", "move the cursor (hjkl: E)");
        return 1;
    }
    char keys[64], ek[32];
    gv_keymap_keys(&c->keys, GV_CTX_NORMAL, a, keys, sizeof keys);
    gv_keymap_keys(&c->keys, GV_CTX_EDIT, a, ek, sizeof ek);
    if (a == GV_A_SELECT1)
        snprintf(keys, sizeof keys, "1..8");
    if (ek[0] && strlen(keys) + strlen(ek) + 2 < sizeof keys) {
        strcat(keys, keys[0] ? " " : "");
        strcat(keys, ek);
    }
    snprintf(line, n, "%-*.*s %s", keyw - 1, keyw - 1, keys[0] ? keys : "-",
             a == GV_A_SELECT1 ? "select a suggestion" : gv_action_help(a));
    return 1;
}

/* An action only the jam (the song view) has keys for, by default: listed
 * with the jam's (the song view's). */
static int jam_only(gv_action a)
{
    return !gv_action_default_keys(a, GV_CTX_NORMAL)[0] &&
           (gv_action_default_keys(a, GV_CTX_JAM)[0] || gv_action_default_keys(a, GV_CTX_SONG)[0]);
}

/* One line of the jam's (ctx's) keys for action a; 0 when it has none there. */
static int jam_help_line(const gv_core *c, int ctx, gv_action a, int keyw, char *line, size_t n)
{
    char ka[32], kb[32], both[72];
    gv_keymap_keys(&c->keys, ctx, a, ka, sizeof ka);
    if (gv_action_paired(a) || !ka[0])
        return 0;
    const char *pair_help;
    gv_action b = gv_action_pair(a, &pair_help);
    if (b != GV_A_NONE) {
        gv_keymap_keys(&c->keys, ctx, b, kb, sizeof kb);
        snprintf(both, sizeof both, "%s / %s", ka, kb[0] ? kb : "-");
        snprintf(line, n, "%-*.*s %s", keyw - 1, keyw - 1, both, pair_help);
    } else {
        snprintf(line, n, "%-*.*s %s", keyw - 1, keyw - 1, ka, gv_action_help(a));
    }
    return 1;
}

/* A line longer than width goes on in a line of its own under its text
 * (keyw columns in), cut at the last space that fits, so that no help text
 * is cut off ("feel: auto / groove / timing / model" at 80 columns).
 * lines holds room for max; cont[i] says line i goes on line i - 1.
 * Returns the new count. */
static int help_wrap(char (*lines)[96], int n, int max, int width, int keyw, unsigned char *cont)
{
    char out[2 * GV_A_COUNT][96];
    unsigned char oc[2 * GV_A_COUNT];
    int m = 0;
    for (int i = 0; i < n && m < max && m < 2 * GV_A_COUNT; i++) {
        const char *l = lines[i];
        int len = (int)strlen(l), cut = len;
        if (len > width) /* at a space after the keys, within width */
            for (cut = width; cut > keyw && l[cut] != ' '; cut--)
                ;
        if (len <= width || cut <= keyw || m + 1 >= max) {
            snprintf(out[m], sizeof out[m], "%s", l);
            oc[m++] = cont[i];
            continue;
        }
        snprintf(out[m], sizeof out[m], "%.*s", cut, l);
        oc[m++] = cont[i];
        snprintf(out[m], sizeof out[m], "%*s%.80s", keyw, "", l + cut + 1);
        oc[m++] = 1;
    }
    memcpy(lines, out, (size_t)m * sizeof out[0]);
    memcpy(cont, oc, (size_t)m);
    return m;
}

/* The rows of a two-column block of n lines: half, rounded so that no
 * line's continuation opens the second column; n in one column. */
static int help_rows(int two, int n, const unsigned char *cont)
{
    int rows = two ? (n + 1) / 2 : n;
    while (rows < n && cont[rows])
        rows++;
    return rows;
}

/* A row of the help pages: a row of the columns, a note line, the jam's
 * (the song view's) title, a row of its columns, or nothing (a page ends
 * early). */
enum { HELP_BLANK, HELP_COLS, HELP_EXTRA, HELP_JAM_TITLE, HELP_JAM, HELP_SONG_TITLE, HELP_SONG };
typedef struct help_disp {
    int kind, i;
} help_disp;

/* Appends a row at d[nd]; a row that goes on a line of the row before
 * (cont) and would open a page takes that row with it onto the page. */
static int help_push(help_disp *d, int nd, int per_page, int kind, int i, int cont)
{
    if (cont && nd > 0 && nd % per_page == 0) {
        d[nd] = d[nd - 1];
        d[nd - 1] = (help_disp){HELP_BLANK, 0};
        nd++;
    }
    d[nd] = (help_disp){kind, i};
    return nd + 1;
}

/* Help row r of a two-column block of n lines (help_rows rows). */
static void help_row(int y, int x, int colw, int rows, char (*lines)[96], int n, int r)
{
    putn(y, x, colw - 1, A_NORMAL, lines[r], 0);
    if (r + rows < n && rows < n)
        putn(y, x + colw, colw - 1, A_NORMAL, lines[r + rows], 0);
}

/* The keys of the normal mode in two columns, the notes, then the jam's
 * keys (after the notes: the first page stays as it was). */
static void draw_help(tui *t)
{
    gv_core *c = t->c;
    int w = COLS - 2 < 100 ? COLS - 2 : 100, h = LINES - 2;
    int x = (COLS - w) / 2, y = 1;
    frame(t, y, x, h, w, "keys  (remap them in $XDG_CONFIG_HOME/groove/keys)");
    static char lines[2 * GV_A_COUNT][96], jam[2 * GV_A_COUNT][96], song[2 * GV_A_COUNT][96];
    unsigned char cont[2 * GV_A_COUNT] = {0}, jcont[2 * GV_A_COUNT] = {0}, scont[2 * GV_A_COUNT] = {0};
    int n = 0, nj = 0, ns = 0, two = w >= 76, keyw = w >= 90 ? 12 : 9, cursor_one = cursor_default(c);
    for (int a = 1; a < GV_A_COUNT; a++) {
        if (!jam_only((gv_action)a))
            n += help_line(c, (gv_action)a, keyw, cursor_one, lines[n], sizeof lines[n]);
        nj += jam_help_line(c, GV_CTX_JAM, (gv_action)a, keyw, jam[nj], sizeof jam[nj]);
        ns += jam_help_line(c, GV_CTX_SONG, (gv_action)a, keyw, song[ns], sizeof song[ns]);
    }
    int colw = two ? (w - 4) / 2 : w - 4;
    n = help_wrap(lines, n, 2 * GV_A_COUNT, colw - 1, keyw, cont);
    nj = help_wrap(jam, nj, 2 * GV_A_COUNT, colw - 1, keyw, jcont);
    ns = help_wrap(song, ns, 2 * GV_A_COUNT, colw - 1, keyw, scont);
    int nstatic = (int)(sizeof help_extra / sizeof help_extra[0]), nextra = nstatic + TAKE_HELP_LINES;
    char take[128];
    int inner = h - 2, per_col = help_rows(two, n, cont), jam_rows = help_rows(two, nj, jcont);
    int song_rows = help_rows(two, ns, scont);
    /* the rows of every page, in order: a line and its continuation stay
     * on one page */
    static help_disp d[6 * GV_A_COUNT + 64];
    int nd = 0;
    for (int r = 0; r < per_col; r++)
        nd = help_push(d, nd, inner, HELP_COLS, r, cont[r] || (r + per_col < n && cont[r + per_col]));
    for (int i = 0; i < nextra; i++)
        nd = help_push(d, nd, inner, HELP_EXTRA, i, 0);
    nd = help_push(d, nd, inner, HELP_JAM_TITLE, 0, 0);
    for (int r = 0; r < jam_rows; r++)
        nd = help_push(d, nd, inner, HELP_JAM, r, jcont[r] || (r + jam_rows < nj && jcont[r + jam_rows]));
    nd = help_push(d, nd, inner, HELP_SONG_TITLE, 0, 0);
    for (int r = 0; r < song_rows; r++)
        nd = help_push(d, nd, inner, HELP_SONG, r, scont[r] || (r + song_rows < ns && scont[r + song_rows]));
    int pages = (nd + inner - 1) / inner;
    int page = gv_core_help_page(c, pages);
    for (int i = 0; i < inner && page * inner + i < nd; i++) {
        const help_disp *e = &d[page * inner + i];
        int yy = y + 1 + i;
        if (e->kind == HELP_COLS)
            help_row(yy, x + 2, colw, per_col, lines, n, e->i);
        else if (e->kind == HELP_EXTRA) {
            if (e->i >= nstatic)
                take_help(c, e->i - nstatic, take, sizeof take);
            putn(yy, x + 2, w - 4, ui(t, UI_DIM), e->i < nstatic ? help_extra[e->i] : take, 0);
        } else if (e->kind == HELP_JAM_TITLE)
            putn(yy, x + 2, w - 4, A_BOLD, "IN A JAM (J): letters, space and pads tap; these keys control it", 0);
        else if (e->kind == HELP_JAM)
            help_row(yy, x + 2, colw, jam_rows, jam, nj, e->i);
        else if (e->kind == HELP_SONG_TITLE)
            putn(yy, x + 2, w - 4, A_BOLD, "IN THE SONG VIEW (A): sections of kept patterns, played in a row", 0);
        else if (e->kind == HELP_SONG)
            help_row(yy, x + 2, colw, song_rows, song, ns, e->i);
    }
    char foot[64];
    snprintf(foot, sizeof foot, pages > 1 ? " %d/%d  space: more  other keys close " : " any key closes ",
             page + 1, pages);
    putn(y + h - 1, x + w - 2 - text_cols(foot), text_cols(foot), ui(t, UI_BOX), foot, 0);
}

static void draw_library(tui *t)
{
    gv_core *c = t->c;
    const tui_layout *l = &t->lay;
    int y = l->sugg_y, h = l->sugg_h, w = COLS;
    char title[160];
    if (c->lib_pick)
        snprintf(title, sizeof title, "interpolate: choose the %s (Enter)%s%s", c->lib_a[0] ? "end" : "start",
                 c->lib_a[0] ? "  from " : "", c->lib_a);
    else
        snprintf(title, sizeof title, "library (%d)  Enter load  p play  v vary  i interp.  r rename  d delete  Esc",
                 c->nlib);
    frame(t, y, 0, h, w, title);
    int listw = w - SUGG_W - 9 > 44 ? 44 : w - SUGG_W - 9; /* the preview: labels, then the roll */
    int rows = h - 2, top = c->lib_sel >= rows ? c->lib_sel - rows + 1 : 0;
    for (int i = 0; i < rows && top + i < c->nlib; i++) {
        int k = top + i;
        int sel = k == c->lib_sel, marked = c->lib_a[0] && !strcmp(c->lib[k].name, c->lib_a);
        char buf[160];
        static const char *const half[] = {"", "  (no sidecar)", "  (sidecar only: no .mid)"};
        snprintf(buf, sizeof buf, "%s %s%s", marked ? G(t)->dot : " ", c->lib[k].name, half[c->lib[k].half % 3]);
        putn(y + 1 + i, 2, listw, sel ? ui(t, UI_SEL) : A_NORMAL, buf, 1);
    }
    if (!c->lib_loaded)
        return;
    int px = listw + 4;
    const gv_lib_meta *m = &c->lib_meta;
    char info[160];
    if (m->kind[0])
        snprintf(info, sizeof info, "%s  T %.1f  D %.1f  %d hits", m->kind, m->temperature, m->density,
                 gv_pattern_count(&c->lib_pat));
    else
        snprintf(info, sizeof info, "%d hits  (no sidecar)", gv_pattern_count(&c->lib_pat));
    putn(y + 1, px, COLS - px - 1, ui(t, UI_DIM), info, 1);
    int full = h - 4 >= GV_VOICES;
    int head = c->playing && t->au.shown_src == GV_PLAY_PREVIEW ? tui_audio_cell(&t->au, GV_PLAY_PREVIEW) : -1;
    if (h - 4 >= 5) /* the voice labels in the 3 columns before the roll */
        draw_roll_small(t, y + 2, px + 3, &c->lib_pat, full, head, 1);
    if (!full && h - 4 >= 6)
        merged_legend(t, y + 7, px, COLS - px - 1);
}

/* ---- the song view (session/core_song.h) ---- */

/* Section i's bars as drawn: 2 a repeat (a library pattern's), or the
 * arrangement's when it is made for this song. */
static long song_bars(const gv_core_song *sv, int i)
{
    if (sv->starts && sv->total > 0 && sv->nparts > 0) {
        long end = i + 1 < sv->song.n ? sv->starts[i + 1] : sv->total;
        if (end > sv->starts[i])
            return (end - sv->starts[i]) / GV_STEPS_PER_BAR;
    }
    return 2L * sv->song.sec[i].repeat;
}

/* One line of blocks, a section's width its share of the bars, and the
 * play-head under it. */
static void song_blocks(tui *t, int y, int x, int w, long pos)
{
    const gv_core_song *sv = &t->c->songv;
    long all = 0, at = 0;
    for (int i = 0; i < sv->song.n; i++)
        all += song_bars(sv, i);
    int playing = pos >= 0 ? gv_core_song_section_at(sv, pos) : -1;
    for (int i = 0; i < sv->song.n && all > 0; i++) {
        long b = song_bars(sv, i);
        int x0 = x + (int)(at * w / all), x1 = x + (int)((at + b) * w / all);
        char buf[64];
        const gv_song_section *sec = &sv->song.sec[i];
        snprintf(buf, sizeof buf, "[%d x%d%s", i + 1, sec->repeat, sec->fill.method ? " F" : "");
        attr_t a = i == sv->sel ? ui(t, UI_SEL) : i == playing ? ui(t, UI_OK) | A_BOLD : A_NORMAL;
        for (int cx = x0; cx < x1 - 1; cx++)
            put(y, cx, a, " ");
        putn(y, x0, x1 - x0 - 1 > 0 ? x1 - x0 - 1 : 1, a, buf, 0);
        put(y, x1 - 1 > x0 ? x1 - 1 : x0, a, "]");
        at += b;
    }
    if (pos >= 0 && sv->total > 0) {
        int px = x + (int)(pos * w / sv->total);
        put(y + 1, px, ui(t, UI_OK) | A_BOLD, G(t)->up);
        char buf[96];
        snprintf(buf, sizeof buf, " bar %ld of %ld, section %d", pos / GV_STEPS_PER_BAR + 1,
                 sv->total / GV_STEPS_PER_BAR, playing + 1);
        putn(y + 1, px + 1 + 40 < x + w ? px + 1 : x + w - 40, 40, ui(t, UI_DIM), buf, 0);
    }
}

static void draw_song(tui *t)
{
    gv_core *c = t->c;
    const tui_layout *l = &t->lay;
    const gv_core_song *sv = &c->songv;
    int y = l->sugg_y, h = l->sugg_h, w = COLS;
    char title[200];
    snprintf(title, sizeof title, "song %s%s (%d)  a add  I input  K/J move  -/+ repeats  f fill  d del  p play  e "
             "export  w save  o open  Esc", sv->song.name, sv->dirty ? "*" : "", sv->song.n);
    frame(t, y, 0, h, w, title);
    if (sv->song.n == 0) {
        putn(y + 2, 2, w - 4, ui(t, UI_DIM), "no sections yet: a adds a kept pattern (the library), I the input", 0);
        return;
    }
    long pos = c->playing && c->play_src == GV_PLAY_SONG ? tui_audio_song_pos(&t->au) : -1;
    song_blocks(t, y + 1, 2, w - 4, pos);
    int rows = h - 5, top = sv->sel >= rows ? sv->sel - rows + 1 : 0;
    for (int i = 0; i < rows && top + i < sv->song.n; i++) {
        int k = top + i;
        const gv_song_section *sec = &sv->song.sec[k];
        char label[GV_SONG_FILE + 16], buf[GV_SONG_FILE + 96];
        gv_song_label(&sv->song, k, label, sizeof label);
        snprintf(buf, sizeof buf, "%2d  %-40.40s  x%-3d %s", k + 1, label, sec->repeat,
                 sec->fill.method == GV_FILL_NONE ? "" : sec->fill.method == GV_FILL_LIBRARY ? "fill (library)" : "fill");
        putn(y + 4 + i, 2, w - 4, k == sv->sel ? ui(t, UI_SEL) : A_NORMAL, buf, 1);
    }
}

static void draw_midi(tui *t)
{
    gv_core *c = t->c;
    const tui_layout *l = &t->lay;
    static const char *const clock[] = {"off", "out", "in"}; /* GV_MIDI_CLOCK_* order */
    char title[128];
    snprintf(title, sizeof title, "MIDI ports  Enter use / stop  c clock: %s  Esc", clock[c->midi_clock % 3]);
    frame(t, l->sugg_y, 0, l->sugg_h, COLS, title);
    if (c->midi_scan) {
        putn(l->sugg_y + 1, 2, COLS - 4, ui(t, UI_DIM), "looking for MIDI ports ...", 0);
        return;
    }
    int rows = l->sugg_h - 2, top = c->mdev_sel >= rows ? c->mdev_sel - rows + 1 : 0;
    for (int i = 0; i < rows && top + i < c->nmdev; i++) {
        const gv_core_mdev *d = &c->mdev[top + i];
        int used = !strcmp(d->name, d->input ? c->midi_in : c->midi_out);
        char buf[200];
        snprintf(buf, sizeof buf, "%s %-6s %s", used ? G(t)->dot : " ", d->input ? "in" : "out", d->name);
        putn(l->sugg_y + 1 + i, 2, COLS - 4, top + i == c->mdev_sel ? ui(t, UI_SEL) : A_NORMAL, buf, 1);
    }
}

static void draw_kits(tui *t)
{
    gv_core *c = t->c;
    const tui_layout *l = &t->lay;
    frame(t, l->sugg_y, 0, l->sugg_h, COLS, "kits  Enter plays it  Esc");
    int rows = l->sugg_h - 2, top = c->kit_sel >= rows ? c->kit_sel - rows + 1 : 0;
    for (int i = 0; i < rows && top + i < c->nkits; i++) {
        const gv_kit_choice *k = &c->kits[top + i];
        char buf[1200];
        snprintf(buf, sizeof buf, "%s %-12s %-24s %s", !strcmp(k->dir, c->kit_dir) ? G(t)->dot : " ", k->where,
                 k->name, k->dir);
        putn(l->sugg_y + 1 + i, 2, COLS - 4, top + i == c->kit_sel ? ui(t, UI_SEL) : A_NORMAL, buf, 1);
    }
}

static void draw_tap(tui *t, double now)
{
    gv_core *c = t->c;
    const tui_layout *l = &t->lay;
    int w = 60, h = 7, x = (COLS - w) / 2, y = l->sugg_y + (l->sugg_h - h) / 2;
    frame(t, y, x, h, w, "tap");
    int beat = 0;
    int phase = gv_tap_phase(&c->tap, now, &beat);
    char buf[128];
    if (phase == GV_TAP_COUNTIN) {
        int bx = x + 20;
        put(y + 2, x + 4, A_BOLD, "count-in");
        for (int b = 0; b < 4; b++) {
            snprintf(buf, sizeof buf, " %d ", b + 1);
            put(y + 2, bx + 5 * b, b == beat ? ui(t, UI_SEL) : ui(t, UI_DIM), buf);
        }
    } else {
        put(y + 2, x + 4, ui(t, UI_REC), G(t)->rec);
        snprintf(buf, sizeof buf, " REC  bar %d  beat %d   %d taps", beat / 4 + 1, beat % 4 + 1, c->tap.n);
        put(y + 2, x + 5, A_BOLD, buf);
    }
    snprintf(buf, sizeof buf, "%.0f BPM: z..m kick  a..l snare  q..p hat", c->tap.bpm);
    putn(y + 4, x + 4, w - 8, ui(t, UI_DIM), buf, 0);
    putn(y + 5, x + 4, w - 8, ui(t, UI_DIM), "Shift = accent   Esc cancels", 0);
}

/* ---- title and status ---- */

static void draw_title(tui *t)
{
    gv_core *c = t->c;
    move(0, 0);
    attrset(A_NORMAL);
    clrtoeol();
    put(0, 0, ui(t, UI_TITLE), " groove ");
    const char *text = c->msg;
    attr_t a = c->msg_err ? ui(t, UI_ERR) : A_NORMAL;
    if (c->mode == GV_MODE_PROMPT) {
        text = c->prompt_hint[0] ? c->prompt_hint
               : c->prompt_kind == GV_PROMPT_OPEN
                   ? "a .mid/.tab path, a preset name, gmd/... or presets/... (Tab completes)"
               : c->prompt_kind == GV_PROMPT_SONG_EXPORT ? "a .mid file name (Enter accepts, Esc cancels)"
               : c->prompt_kind == GV_PROMPT_SONG_SAVE || c->prompt_kind == GV_PROMPT_SONG_OPEN
                   ? "a song name in library/songs (A-Z a-z 0-9 . _ -)"
               : c->prompt_kind == GV_PROMPT_BPM ? "a tempo, 40..240 BPM (Enter sets it, Esc cancels)"
               : c->prompt_kind == GV_PROMPT_RENAME ? "a new name for the kept pattern (no '/'; songs follow it)"
                   : "a .mid or .tab file name (Enter accepts, Esc cancels)";
        a = ui(t, UI_DIM);
    }
    putn(0, 9, COLS - 10, a, text, 0);
}

/* The prompt on the status line, its end in view, with a cursor. */
static void status_prompt(tui *t, int y, attr_t st)
{
    gv_core *c = t->c;
    char buf[GV_CORE_PATH + 64];
    static const char *const label[] = {"Export to:", "Open:", "Export the song to:", "Save the song as:",
                                        "Open the song:", "Tempo (BPM):", "Rename to:"};
    int k = c->prompt_kind >= 0 && c->prompt_kind <= GV_PROMPT_RENAME ? c->prompt_kind : 0;
    snprintf(buf, sizeof buf, " %s %s", label[k], c->prompt);
    int len = (int)strlen(buf), skip = 0;
    while (text_cols(buf + skip) > COLS - 2) /* keep the end in view */
        skip++;
    while (skip < len && ((unsigned char)buf[skip] & 0xc0) == 0x80)
        skip++;
    putn(y, 0, COLS, st | A_BOLD, buf + skip, 0);
    put(y, text_cols(buf + skip), A_REVERSE, " "); /* the cursor */
}

/* The open y/n question. */
static void status_confirm(tui *t, int y)
{
    gv_core *c = t->c;
    char buf[GV_CORE_PATH + 64];
    if (c->confirm_kind == GV_CONFIRM_QUIT)
        snprintf(buf, sizeof buf, " %d suggestion%s not kept or exported. Quit anyway? (y/n)", gv_core_unsaved(c),
                 gv_core_unsaved(c) == 1 ? "" : "s");
    else if (c->confirm_kind == GV_CONFIRM_REPLACE_SESSION)
        snprintf(buf, sizeof buf, " Replace the saved session with this one? (y/n, Esc stays)");
    else if (c->confirm_kind == GV_CONFIRM_DELETE)
        snprintf(buf, sizeof buf, " Delete %s from the library?%s%s%s (y/n)",
                 c->lib_sel < c->nlib ? c->lib[c->lib_sel].name : "?", c->confirm_note[0] ? " " : "", c->confirm_note,
                 c->confirm_note[0] ? "!" : "");
    else if (c->confirm_kind == GV_CONFIRM_SONG_OVERWRITE)
        snprintf(buf, sizeof buf, " %s exists. Overwrite it with the song? (y/n)", c->pending_path);
    else if (c->confirm_kind == GV_CONFIRM_EMPTY_EXPORT || c->confirm_kind == GV_CONFIRM_EMPTY_KEEP)
        snprintf(buf, sizeof buf, " Suggestion %d is empty. %s anyway? (y/n)", c->sel + 1,
                 c->confirm_kind == GV_CONFIRM_EMPTY_KEEP ? "Keep" : "Export");
    else
        snprintf(buf, sizeof buf, " %s exists. Overwrite? (y/n)", c->pending_path);
    putn(y, 0, COLS, ui(t, UI_SEL), buf, 1);
}

/* What plays (" stopped", " > #2", " > input -> #3"). */
static void status_play(const tui *t, char *play, size_t n)
{
    const gv_core *c = t->c;
    const tui_audio *au = &t->au;
    const glyphs *g = G(t);
    int src = au->shown_src;
    if (!c->playing)
        snprintf(play, n, " stopped");
    else if (src == GV_PLAY_INPUT)
        snprintf(play, n, " %s input", g->play);
    else if (src == GV_PLAY_PREVIEW)
        snprintf(play, n, " %s library", g->play);
    else if (src == GV_PLAY_JAM)
        snprintf(play, n, " %s jam", g->play);
    else if (src == GV_PLAY_SONG)
        snprintf(play, n, " %s song", g->play);
    else
        snprintf(play, n, " %s #%d", g->play, src + 1);
    if (c->playing && au->pending_src != src) {
        char nx[24];
        if (au->pending_src == GV_PLAY_INPUT)
            snprintf(nx, sizeof nx, " %s input", g->next);
        else if (au->pending_src == GV_PLAY_PREVIEW)
            snprintf(nx, sizeof nx, " %s lib", g->next);
        else
            snprintf(nx, sizeof nx, " %s #%d", g->next, au->pending_src + 1);
        if (au->pending_src == GV_PLAY_SONG)
            snprintf(nx, sizeof nx, " %s song", g->next);
        strncat(play, nx, n - strlen(play) - 1);
    }
}

/* The jam's controls for the status line: "every bar | follow 0.5 | feel on
 * | hold | mute KD SD" (short: "bar| f0.5| feel| hold| -KD SD"). */
static void jam_status(const gv_core *c, int brief, char *buf, size_t n)
{
    const gv_jam_prefs *p = &c->set.jam;
    const char *every = p->every == GV_JAM_EVERY_BEAT ? "beat" : p->every == GV_JAM_EVERY_BAR ? "bar" : "2 bars";
    const char *sep = brief ? "| " : " | ";
    snprintf(buf, n, brief ? "%s%sf%.1f%sfeel %s" : "every %s%sfollow %.1f%sfeel %s", every, sep, p->follow, sep,
             p->feel ? "on" : "off");
    if (p->hold)
        snprintf(buf + strlen(buf), n - strlen(buf), "%sHOLD", sep);
    for (int v = 0, first = 1; v < GV_VOICES; v++)
        if (p->mute >> v & 1u) {
            snprintf(buf + strlen(buf), n - strlen(buf), "%s%s", first ? (brief ? "| -" : " | mute ") : " ",
                     gv_voice_label(v));
            first = 0;
        }
}

/* While jamming: what plays, the tempo, the jam's controls, temperature,
 * density and the caps set, audio and MIDI. */
static void status_jam(tui *t, char *buf, size_t n, const char *play, const char *aud, const char *aud_short,
                       const char *midi)
{
    gv_core *c = t->c;
    char jam[128], caps[64] = "";
    for (int v = 0; v < GV_VOICES; v++)
        if (c->set.cap[v] >= 0)
            snprintf(caps + strlen(caps), sizeof caps - strlen(caps), " %s<=%d", gv_voice_label(v), c->set.cap[v]);
    jam_status(c, 0, jam, sizeof jam);
    snprintf(buf, n, "%s | %.0f BPM | %s | temp %.1f | dens %.1f%s%s | %s | %s", play, c->set.bpm, jam,
             c->set.temperature, c->set.density, caps[0] ? " | caps" : "", caps, aud, midi);
    if (text_cols(buf) > COLS - 1) {
        jam_status(c, 1, jam, sizeof jam);
        snprintf(buf, n, "%s| %.0fbpm| %s| T%.1f| D%.1f%s| %s| %s", play, c->set.bpm, jam, c->set.temperature,
                 c->set.density, caps, aud_short, midi);
    }
}

/* The status line's items (tui_status.h) and when each goes short. */
typedef struct status_list {
    tui_status_item it[TUI_STATUS_MAX];
    int rank[TUI_STATUS_MAX];
    int n;
} status_list;

static void status_add(status_list *l, int rank, const char *lng, const char *shrt)
{
    if (l->n >= TUI_STATUS_MAX)
        return;
    snprintf(l->it[l->n].lng, sizeof l->it[l->n].lng, "%.159s", lng);
    snprintf(l->it[l->n].shrt, sizeof l->it[l->n].shrt, "%.63s", shrt);
    l->rank[l->n++] = rank;
}

/* The settings line: long forms where they fit, short ones one at a time
 * where they do not (80 columns show it up to the MIDI state; the model
 * may be cut). */
static void status_text(tui *t, char *buf, size_t n)
{
    gv_core *c = t->c;
    const tui_audio *au = &t->au;
    char play[48];
    status_play(t, play, sizeof play);
    const char *model = c->model_name[0] ? c->model_name : "no model";
    /* the audio thread writes its state before it flips `ready` */
    int up = atomic_load(&au->ready) != 0;
    const char *aud = up ? au->state : "audio ...", *aud_short = up ? au->state_short : "audio ...";
    int swing = (int)lroundf(50 + 25 * c->set.swing);
    char midi[48];
    gv_midi_link_state(&t->midi, midi, sizeof midi);
    if (c->jam.on) {
        status_jam(t, buf, n, play, aud, aud_short, midi);
        return;
    }
    const char *feel = gv_core_feel_name(c->set.feel);
    int lanes = gv_core_lanes(c);
    /* Each item goes short only when the line needs it, lowest rank first:
     * the audio device's name, then the terse settings. */
    status_list l = {.n = 0};
    char x[64], y[64];
    status_add(&l, 7, play, "");
    snprintf(x, sizeof x, "%.0f BPM", c->set.bpm), snprintf(y, sizeof y, "%.0fbpm", c->set.bpm);
    status_add(&l, 5, x, y);
    snprintf(x, sizeof x, "%d lane%s", lanes, lanes > 1 ? "s" : "");
    status_add(&l, 8, x, "");
    snprintf(x, sizeof x, "swing %d%%", swing), snprintf(y, sizeof y, "sw%d%%", swing);
    status_add(&l, 4, x, y);
    snprintf(x, sizeof x, "temp %.1f", c->set.temperature), snprintf(y, sizeof y, "T%.1f", c->set.temperature);
    status_add(&l, 1, x, y);
    snprintf(x, sizeof x, "dens %.1f", c->set.density), snprintf(y, sizeof y, "D%.1f", c->set.density);
    status_add(&l, 2, x, y);
    snprintf(x, sizeof x, "feel %s", feel);
    status_add(&l, 9, x, "");
    snprintf(x, sizeof x, "N %d", c->set.n), snprintf(y, sizeof y, "N%d", c->set.n);
    status_add(&l, 3, x, y);
    if (c->set.click)
        status_add(&l, 6, "click", "clk");
    status_add(&l, 0, aud, aud_short);
    status_add(&l, 10, midi, "");
    status_add(&l, 11, model, "");
    int order[TUI_STATUS_MAX], k = 0;
    for (int r = 0; r <= 11; r++)
        for (int i = 0; i < l.n; i++)
            if (l.rank[i] == r)
                order[k++] = i;
    tui_status_fit(l.it, order, l.n, COLS - 1, buf, n);
}

static void draw_status(tui *t)
{
    int y = LINES - 1;
    char buf[GV_CORE_PATH + 64];
    attr_t st = ui(t, UI_STATUS);
    move(y, 0);
    attrset(st);
    for (int i = 0; i < COLS; i++)
        addch(' ');
    if (t->c->mode == GV_MODE_PROMPT) {
        status_prompt(t, y, st);
        return;
    }
    if (t->c->mode == GV_MODE_CONFIRM) {
        status_confirm(t, y);
        return;
    }
    status_text(t, buf, sizeof buf);
    if (!t->ascii) /* the separators as thin lines */
        for (char *p = buf; *p; p++)
            if (*p == '|')
                *p = '\x01';
    move(y, 0);
    attrset(st);
    int col = 0;
    for (const unsigned char *p = (const unsigned char *)buf; *p && col < COLS - 1; col++) {
        if (*p == 1) {
            addstr("\u2502");
            p++;
            continue;
        }
        int len = 1;
        while (len < 4 && (p[len] & 0xc0) == 0x80)
            len++;
        addnstr((const char *)p, len);
        p += len;
    }
}

static void draw_small(tui *t)
{
    erase();
    /* short lines: the terminal may be as narrow as 20 columns */
    char a[64], b[64];
    snprintf(a, sizeof a, "groove needs at least %dx%d", MIN_W, MIN_H);
    snprintf(b, sizeof b, "this terminal is %dx%d:", COLS, LINES);
    const char *lines[] = {a, b, "make it bigger (q quits)"};
    int y = LINES / 2 - 2 > 0 ? LINES / 2 - 2 : 0;
    for (int i = 0; i < 3; i++) {
        int x = (COLS - text_cols(lines[i])) / 2;
        putn(y + i, x > 0 ? x : 0, COLS, i ? A_NORMAL : A_BOLD, lines[i], 0);
    }
    if (t->c->mode == GV_MODE_CONFIRM && t->c->confirm_kind == GV_CONFIRM_QUIT)
        putn(y + 3, 0, COLS, ui(t, UI_SEL), "quit without keeping? (y/n)", 0);
}

void tui_draw(tui *t, double now)
{
    layout(t);
    if (!t->lay.ok) {
        draw_small(t);
        return;
    }
    erase();
    gv_core *c = t->c;
    draw_title(t);
    draw_input(t, now);
    draw_panel(t);
    if (c->mode == GV_MODE_LIBRARY || (c->mode == GV_MODE_CONFIRM && c->confirm_kind == GV_CONFIRM_DELETE) ||
        (c->mode == GV_MODE_PROMPT && c->prompt_kind == GV_PROMPT_RENAME))
        draw_library(t);
    else if (c->mode == GV_MODE_TAP)
        draw_tap(t, now);
    else if (c->mode == GV_MODE_MIDI)
        draw_midi(t);
    else if (c->mode == GV_MODE_KITS)
        draw_kits(t);
    else if (song_shown(c))
        draw_song(t);
    else if (c->jam.on)
        draw_jam(t, now);
    else
        draw_suggestions(t);
    if (take_line(c))
        draw_take(t);
    draw_status(t);
    if (c->mode == GV_MODE_HELP)
        draw_help(t);
    attrset(A_NORMAL);
}
