/* smf_window.c - from a gv_score to a gv_pattern: bars, windows, loading a file.
 * The quantisation rule (nearest step, halves up) lives in qstep() alone so
 * that bars, first bar and windows agree on where every note falls. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/fileio.h"
#include "smf.h"

static long long qstep(double step) { return (long long)floor(step + 0.5); }

int gv_score_first_bar(const gv_score *s)
{
    if (!s || s->n <= 0 || s->steps_per_bar <= 0)
        return 0;
    return (int)(qstep(s->notes[0].step) / s->steps_per_bar);
}

int gv_score_bars(const gv_score *s)
{
    if (!s || s->n <= 0 || s->steps_per_bar <= 0)
        return 0;
    return (int)(qstep(s->notes[s->n - 1].step) / s->steps_per_bar + 1);
}

/* Bars up to the end of the file (End of Track), at least one: the length
 * of a file with no notes. */
static int length_bars(const gv_score *s)
{
    double bars = ceil(s->total_steps / s->steps_per_bar - 1e-9);
    return bars < 1 ? 1 : bars > GV_MAX_STEPS ? GV_MAX_STEPS : (int)bars;
}

/* Steps of a window of `bars` bars: whole 16-step units covering them. */
static long long window_steps(const gv_score *s, int bars)
{
    return ((long long)bars * s->steps_per_bar + GV_STEPS_PER_BAR - 1) / GV_STEPS_PER_BAR * GV_STEPS_PER_BAR;
}

static int check_score(const gv_score *s, gv_err *e)
{
    if (!s || s->steps_per_bar <= 0 || s->steps_per_bar > GV_MAX_STEPS || (s->n > 0 && !s->notes))
        return gv_failc(e, GV_E_FORMAT, "empty score");
    return 0;
}

/* The notes with quantised step in [start, start+steps) into out. */
static int window_at(const gv_score *s, long long start, long long steps, gv_pattern *out)
{
    gv_pattern_init(out, (int)steps, 120, s->name);
    gv_pattern_set_tempo(out, s->bpm > 0 ? s->bpm : 120); /* 1 us per quarter is 6e7 BPM */
    /* first note with qstep >= start, i.e. step >= start - 0.5 */
    int lo = 0, hi = s->n;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (qstep(s->notes[mid].step) < start)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (int i = lo; i < s->n; i++) {
        const gv_note *nt = &s->notes[i];
        long long q = qstep(nt->step);
        if (q >= start + steps)
            break;
        if (nt->voice >= 0 && nt->voice < GV_VOICES)
            gv_pattern_merge(out, (int)(q - start), nt->voice, nt->vel, (float)(nt->step - (double)q));
    }
    return gv_pattern_count(out);
}

int gv_score_window(const gv_score *s, int start_bar, int bars, gv_pattern *out, gv_err *e)
{
    if (check_score(s, e))
        return -1;
    if (start_bar < 0)
        return gv_failc(e, GV_E_RANGE, "start bar %d: must be 0 or more", start_bar);
    if (bars < 1 || window_steps(s, bars) > GV_MAX_STEPS)
        return gv_failc(e, GV_E_RANGE, "%d bars of %d/%d: a window holds 1 to %d steps", bars, s->ts_num, s->ts_den, GV_MAX_STEPS);
    return window_at(s, (long long)start_bar * s->steps_per_bar, window_steps(s, bars), out);
}

int gv_score_window_steps(const gv_score *s, int start_step, int steps, gv_pattern *out, gv_err *e)
{
    if (check_score(s, e))
        return -1;
    if (start_step < 0)
        return gv_failc(e, GV_E_RANGE, "start step %d: must be 0 or more", start_step);
    if (steps < GV_STEPS_PER_BAR || steps > GV_MAX_STEPS || steps % GV_STEPS_PER_BAR)
        return gv_failc(e, GV_E_RANGE, "%d steps: a window holds a multiple of %d steps up to %d", steps, GV_STEPS_PER_BAR,
                       GV_MAX_STEPS);
    return window_at(s, start_step, steps, out);
}

/* Reads and parses path (at most GV_SMF_MAX_FILE bytes). */
static int read_score(const char *path, int channel, gv_score *s, gv_err *e)
{
    unsigned char *data;
    size_t len;
    if (gv_read_file(path, GV_SMF_MAX_FILE, &data, &len, e))
        return -1;
    int rc = gv_smf_parse(data, len, channel, s, e);
    free(data);
    return rc;
}

/* gv_smf_load's window of a parsed score (*start_bar resolved from -1). */
static int score_load(const gv_score *s, int *start_bar, int bars, gv_pattern *out, gv_err *e)
{
    if (*start_bar < 0)
        *start_bar = gv_score_first_bar(s);
    if (bars == 0) {
        int empty = s->n == 0, last = empty ? length_bars(s) : gv_score_bars(s);
        int most = GV_MAX_STEPS / s->steps_per_bar;
        if (*start_bar >= last) {
            if (empty)
                return gv_failc(e, GV_E_RANGE, "start bar %d is past the end (the file has %d empty bar%s)",
                                *start_bar, last, last == 1 ? "" : "s");
            return gv_failc(e, GV_E_RANGE, "start bar %d is past the last bar with notes (%d)", *start_bar,
                            last - 1);
        }
        bars = last - *start_bar < most ? last - *start_bar : most;
    }
    return gv_score_window(s, *start_bar, bars, out, e);
}

int gv_smf_load(const char *path, int start_bar, int bars, int channel, gv_pattern *out, gv_err *e)
{
    if (start_bar < -1)
        return gv_failc(e, GV_E_RANGE, "start bar %d: must be 0 or more", start_bar);
    if (bars < 0)
        return gv_failc(e, GV_E_RANGE, "bars %d: must be 1 or more (0: all)", bars);
    gv_score s;
    if (read_score(path, channel, &s, e))
        return -1;
    int rc = score_load(&s, &start_bar, bars, out, e);
    gv_score_free(&s);
    if (rc >= 0)
        gv_path_stem(path, out->name, sizeof out->name);
    return rc;
}

/* Pieces of the take after the first: from step `from` through the end of
 * its last bar with notes, GV_MAX_STEPS at a time, into (*out)[1..). */
static int more_pieces(const gv_score *s, long from, gv_pattern **out, int *n, gv_err *e)
{
    long end = (long)gv_score_bars(s) * s->steps_per_bar;
    int cap = 1 + (int)((end - from + GV_MAX_STEPS - 1) / GV_MAX_STEPS);
    gv_pattern *g = realloc(*out, (size_t)(cap > 1 ? cap : 1) * sizeof *g);
    if (!g)
        return gv_failc(e, GV_E_NOMEM, "out of memory");
    *out = g;
    for (; from < end; from += GV_MAX_STEPS) {
        long left = end - from, steps = left >= GV_MAX_STEPS ? GV_MAX_STEPS : (left + 15) / 16 * 16;
        if (gv_score_window_steps(s, (int)from, (int)steps, &g[*n], e) < 0)
            return -1;
        memcpy(g[*n].name, g[0].name, sizeof g[0].name);
        (*n)++;
    }
    return 0;
}

int gv_smf_load_take(const char *path, int start_bar, int channel, gv_pattern **out, int *n, gv_err *e)
{
    *out = NULL;
    *n = 0;
    if (start_bar < -1)
        return gv_failc(e, GV_E_RANGE, "start bar %d: must be 0 or more", start_bar);
    gv_score s;
    if (read_score(path, channel, &s, e))
        return -1;
    gv_pattern *first = malloc(sizeof *first);
    int rc = first ? score_load(&s, &start_bar, 0, first, e) : gv_failc(e, GV_E_NOMEM, "out of memory");
    if (rc >= 0) {
        gv_path_stem(path, first->name, sizeof first->name);
        *out = first, *n = 1, first = NULL;
        if (s.n > 0 && s.steps_per_bar > 0)
            rc = more_pieces(&s, (long)start_bar * s.steps_per_bar + (*out)[0].steps, out, n, e);
    }
    gv_score_free(&s);
    free(first);
    if (rc < 0) {
        free(*out);
        *out = NULL, *n = 0;
        return -1;
    }
    return 0;
}

/* A DAW's default track name names nothing ("Midi Drums" in every GMD file,
 * "MIDI Region", "Track 3", "Untitled", ...). */
static int generic_name(const char *name)
{
    static const char *const generic[] = {"midi drums", "midi region", "midi", "drums", "drum", "drum kit",
                                          "untitled", "track", "sequence", "midi track", "drum track"};
    char low[64];
    size_t n = 0;
    for (; name[n] && n < sizeof low - 1; n++)
        low[n] = (char)(name[n] >= 'A' && name[n] <= 'Z' ? name[n] + 32 : name[n]);
    while (n && (low[n - 1] == ' ' || (low[n - 1] >= '0' && low[n - 1] <= '9')))
        n--; /* "Track 3", "MIDI 01" */
    low[n] = 0;
    for (size_t i = 0; i < sizeof generic / sizeof *generic; i++)
        if (!strcmp(low, generic[i]))
            return 1;
    return n == 0;
}

int gv_smf_track_name(const char *path, char *out, size_t n, gv_err *e)
{
    gv_score s;
    if (n)
        out[0] = 0;
    if (read_score(path, -1, &s, e))
        return -1;
    int named = !generic_name(s.name);
    if (named && n)
        snprintf(out, n, "%s", s.name);
    gv_score_free(&s);
    return named;
}
