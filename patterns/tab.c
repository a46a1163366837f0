#include "tab.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/fileio.h"

#define TAB_MAX_BYTES (1u << 20)

static int is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

/* Copies at most 24 bytes of s for an error message, non-printables as '?'. */
static const char *shown(const char *s, size_t n, char *buf, size_t bufsz)
{
    size_t k = 0;
    for (; k < n && k < 24 && k + 4 < bufsz; k++)
        buf[k] = isprint((unsigned char)s[k]) ? s[k] : '?';
    if (k < n && k + 4 < bufsz) {
        memcpy(buf + k, "...", 3);
        k += 3;
    }
    buf[k] = 0;
    return buf;
}

static int glyph_value(char c, int offsets, float *v)
{
    if (c == '-') {
        *v = 0;
        return 1;
    }
    if (!offsets) {
        *v = c == 'o' ? GV_TAB_GHOST : c == 'x' ? GV_TAB_HIT : c == 'X' ? GV_TAB_ACCENT : -1.f;
        return *v > 0;
    }
    if (c >= '1' && c <= '9')
        *v = (float)(c - '0') / GV_TAB_OFFSET_UNIT;
    else if (c >= 'a' && c <= 'i')
        *v = -(float)(c - 'a' + 1) / GV_TAB_OFFSET_UNIT;
    else
        return 0;
    return 1;
}

/* What one file line told us while parsing: per voice, the line number of its
 * grid and of its offset line, and the offsets held until all grids are in. */
typedef struct tab_state {
    gv_pattern *p;
    int steps_line;               /* line that fixed the step count, 0 = none yet */
    int grid_line[GV_VOICES];
    int off_line[GV_VOICES];
    int name_line, tempo_line;
    float off[GV_MAX_STEPS][GV_VOICES];
} tab_state;

static int parse_header(tab_state *st, int ln, const char *s, size_t n, gv_err *e)
{
    const char *colon = memchr(s, ':', n);
    if (!colon)
        return 0; /* a comment */
    const char *k = s + 1;
    while (k < colon && is_blank(*k))
        k++;
    size_t kn = (size_t)(colon - k);
    while (kn && is_blank(k[kn - 1]))
        kn--;
    const char *v = colon + 1;
    size_t vn = n - (size_t)(v - s);
    while (vn && is_blank(*v))
        v++, vn--;
    char buf[32];
    if (kn == 4 && !strncasecmp(k, "name", 4)) {
        if (st->name_line)
            return gv_failc(e, GV_E_FORMAT, "line %d: name given twice (first on line %d)", ln, st->name_line);
        st->name_line = ln;
        size_t m = vn < sizeof st->p->name - 1 ? vn : sizeof st->p->name - 1;
        memcpy(st->p->name, v, m);
        st->p->name[m] = 0;
    } else if (kn == 5 && !strncasecmp(k, "tempo", 5)) {
        if (st->tempo_line)
            return gv_failc(e, GV_E_FORMAT, "line %d: tempo given twice (first on line %d)", ln, st->tempo_line);
        st->tempo_line = ln;
        char num[32];
        size_t m = vn < sizeof num - 1 ? vn : sizeof num - 1;
        memcpy(num, v, m);
        num[m] = 0;
        char *end;
        double bpm = strtod(num, &end);
        if (m == 0 || vn >= sizeof num || *end || !(bpm > 0 && isfinite(bpm)))
            return gv_failc(e, GV_E_FORMAT, "line %d: tempo '%s' is not a positive number of BPM", ln, shown(v, vn, buf, sizeof buf));
        /* outside 20..400 (an older groove wrote 6e+07 for a MIDI file's
         * 1 us tempo): clamped, and the front end warns */
        gv_pattern_set_tempo(st->p, bpm);
    }
    return 0;
}

static int parse_voice_line(tab_state *st, int ln, const char *s, size_t n, gv_err *e)
{
    char buf[32], label[32];
    size_t ll = 0;
    while (ll < n && !is_blank(s[ll]) && s[ll] != '|')
        ll++;
    if (ll == 0)
        return gv_failc(e, GV_E_FORMAT, "line %d: a grid with no voice label (expected e.g. 'KD |x---...')", ln);
    int offsets = s[ll - 1] == '~';
    size_t nl = ll - (size_t)offsets;
    int voice = -1;
    if (nl > 0 && nl < sizeof label) {
        memcpy(label, s, nl);
        label[nl] = 0;
        voice = gv_voice_parse(label);
    }
    if (voice < 0)
        return gv_failc(e, GV_E_FORMAT, "line %d: unknown voice '%s'", ln, shown(s, nl, buf, sizeof buf));
    int *seen = offsets ? st->off_line : st->grid_line;
    if (seen[voice])
        return gv_failc(e, GV_E_FORMAT, "line %d: %s%s given twice (first on line %d)", ln, gv_voice_label(voice),
                       offsets ? " offsets" : "", seen[voice]);
    seen[voice] = ln;

    size_t i = ll;
    while (i < n && is_blank(s[i]))
        i++;
    int steps = 0;
    for (; i < n; i++) {
        char c = s[i];
        if (c == '|') {
            if (steps % GV_STEPS_PER_BAR)
                return gv_failc(e, GV_E_FORMAT, "line %d: bar line after %d steps, expected one every %d steps",
                               ln, steps, GV_STEPS_PER_BAR);
            continue;
        }
        float v;
        if (!glyph_value(c, offsets, &v))
            return gv_failc(e, GV_E_FORMAT, "line %d: unexpected character '%s' in column %zu (%s)", ln,
                           shown(&c, 1, buf, sizeof buf), i + 1,
                           offsets ? "offsets are - 1..9 a..i" : "steps are - o x X");
        if (steps == GV_MAX_STEPS)
            return gv_failc(e, GV_E_FORMAT, "line %d: more than %d steps", ln, GV_MAX_STEPS);
        if (offsets)
            st->off[steps][voice] = v;
        else if (v > 0)
            gv_pattern_set(st->p, steps, voice, 1, v, 0);
        steps++;
    }
    if (steps == 0)
        return gv_failc(e, GV_E_FORMAT, "line %d: no steps after '%s'", ln, shown(s, ll, buf, sizeof buf));
    if (!st->steps_line) {
        if (steps % GV_STEPS_PER_BAR)
            return gv_failc(e, GV_E_FORMAT, "line %d: %d steps, expected a multiple of %d", ln, steps,
                           GV_STEPS_PER_BAR);
        st->steps_line = ln;
        st->p->steps = steps;
    } else if (steps != st->p->steps) {
        return gv_failc(e, GV_E_FORMAT, "line %d: %d steps, expected %d as on line %d", ln, steps, st->p->steps,
                       st->steps_line);
    }
    return 0;
}

int gv_tab_read(const char *text, size_t len, gv_pattern *p, gv_err *e)
{
    tab_state *st = calloc(1, sizeof *st);
    if (!st)
        return gv_failc(e, GV_E_NOMEM, "out of memory");
    gv_pattern_init(p, 0, 120.f, NULL);
    st->p = p;
    int rc = 0, ln = 0;
    for (size_t pos = 0; pos < len && rc == 0;) {
        const char *s = text + pos;
        const char *nlp = memchr(s, '\n', len - pos);
        size_t n = nlp ? (size_t)(nlp - s) : len - pos;
        pos += n + 1;
        ln++;
        while (n && is_blank(*s))
            s++, n--;
        while (n && is_blank(s[n - 1]))
            n--;
        if (n == 0)
            continue;
        rc = *s == '#' ? parse_header(st, ln, s, n, e) : parse_voice_line(st, ln, s, n, e);
    }
    if (rc == 0 && !st->steps_line)
        rc = gv_failc(e, GV_E_FORMAT, "no voice lines (expected e.g. 'KD |x---x---x---x---|')");
    for (int v = 0; v < GV_VOICES && rc == 0; v++) {
        if (!st->off_line[v])
            continue;
        for (int t = 0; t < p->steps && rc == 0; t++) {
            if (st->off[t][v] == 0)
                continue;
            if (!p->hit[t][v])
                rc = gv_failc(e, GV_E_FORMAT, "line %d: offset at step %d where %s has no hit", st->off_line[v],
                             t + 1, gv_voice_label(v));
            else
                p->off[t][v] = st->off[t][v];
        }
    }
    free(st);
    return rc;
}

char gv_tab_vel_glyph(float v) { return v < 0.525f ? 'o' : v < 0.85f ? 'x' : 'X'; }

static char off_glyph(float off)
{
    long n = lroundf(off * GV_TAB_OFFSET_UNIT);
    n = n > 9 ? 9 : n < -9 ? -9 : n;
    return n == 0 ? '-' : n > 0 ? (char)('0' + n) : (char)('a' - 1 - n);
}

static size_t put_row(char *o, const char *label, int offsets, const gv_pattern *p, int steps, int v)
{
    char lbl[8];
    snprintf(lbl, sizeof lbl, "%s%s", label, offsets ? "~" : "");
    size_t k = (size_t)sprintf(o, "%-4s|", lbl);
    for (int t = 0; t < steps; t++) {
        o[k++] = !p->hit[t][v] ? '-' : offsets ? off_glyph(p->off[t][v]) : gv_tab_vel_glyph(p->vel[t][v]);
        if ((t + 1) % GV_STEPS_PER_BAR == 0)
            o[k++] = '|';
    }
    o[k++] = '\n';
    return k;
}

int gv_tab_write(const gv_pattern *p, char **out, size_t *len)
{
    int steps = p->steps < 0 ? 0 : p->steps > GV_MAX_STEPS ? GV_MAX_STEPS : p->steps;
    size_t row = 8 + (size_t)steps + (size_t)steps / GV_STEPS_PER_BAR + 2;
    size_t cap = 256 + sizeof p->name + 2 * GV_VOICES * row;
    char *o = malloc(cap);
    if (!o)
        return -1;
    size_t k = 0;
    if (p->name[0]) {
        k += (size_t)sprintf(o, "# name: ");
        for (const char *c = p->name; *c; c++)
            o[k++] = *c == '\n' || *c == '\r' ? ' ' : *c;
        o[k++] = '\n';
    }
    k += (size_t)sprintf(o + k, "# tempo: %g\n", (double)p->bpm);
    for (int v = 0; v < GV_VOICES; v++)
        k += put_row(o + k, gv_voice_label(v), 0, p, steps, v);
    for (int v = 0; v < GV_VOICES; v++) {
        int any = 0;
        for (int t = 0; t < steps; t++)
            any |= p->hit[t][v] && off_glyph(p->off[t][v]) != '-';
        if (any)
            k += put_row(o + k, gv_voice_label(v), 1, p, steps, v);
    }
    o[k] = 0;
    *out = o;
    *len = k;
    return 0;
}

int gv_tab_load(const char *path, gv_pattern *p, gv_err *e)
{
    unsigned char *data;
    size_t n;
    if (gv_read_file(path, TAB_MAX_BYTES, &data, &n, e) != 0)
        return -1;
    int rc = gv_tab_read((const char *)data, n, p, e);
    free(data);
    if (rc == 0 && !p->name[0])
        gv_path_stem(path, p->name, sizeof p->name);
    return rc;
}

int gv_tab_save(const char *path, const gv_pattern *p, gv_err *e)
{
    char *text;
    size_t n;
    if (gv_tab_write(p, &text, &n) != 0)
        return gv_failc(e, GV_E_NOMEM, "out of memory");
    int rc = gv_write_atomic(path, text, n, e);
    free(text);
    return rc;
}
