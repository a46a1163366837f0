/* kitload.c - kits from disk: a Hydrogen drumkit (drumkit.xml) or a folder
 * of files named by voice, read with libsndfile and resampled. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kit.h"
#include "patterns/fileio.h"

#define MAX_XML (4 << 20)
#define MAX_SECONDS 30
/* Hydrogen's own ranges are volume 0..1.5 and layer gain 0..5; more is a
 * damaged file. */
#define MAX_VOLUME 4.0
#define MAX_GAIN 10.0

/* dir/file into out; -1 when it does not fit. */
static int join(char *out, size_t n, const char *dir, const char *file, gv_err *e)
{
    int w = file[0] == '/' ? snprintf(out, n, "%s", file) : snprintf(out, n, "%s/%s", dir, file);
    return w < 0 || (size_t)w >= n ? gv_fail(e, "path too long: %s/%s", dir, file) : 0;
}

/* Reads path as mono float at k->rate into slot. */
static int load_slot(gv_kit *k, int slot, const char *path, float level, gv_err *e)
{
    SF_INFO info = {0};
    SNDFILE *sf = sf_open(path, SFM_READ, &info);
    if (!sf)
        return gv_fail(e, "%s: %s", path, sf_strerror(NULL));
    if (info.channels < 1 || info.samplerate < 1000 || info.frames < 1 ||
        info.frames > (sf_count_t)MAX_SECONDS * info.samplerate) {
        sf_close(sf);
        return gv_fail(e, "%s: not a usable drum sample (%lld frames, %d channels, %d Hz)", path,
                       (long long)info.frames, info.channels, info.samplerate);
    }
    float *in = malloc((size_t)info.frames * (size_t)info.channels * sizeof(float));
    if (!in) {
        sf_close(sf);
        return gv_fail(e, "out of memory");
    }
    sf_count_t n = sf_readf_float(sf, in, info.frames);
    sf_close(sf);
    if (n < 1) {
        free(in);
        return gv_fail(e, "%s: no audio could be read", path);
    }
    for (sf_count_t i = 0; i < n; i++) { /* mix down in place */
        float s = 0;
        for (int c = 0; c < info.channels; c++)
            s += in[i * info.channels + c];
        in[i] = s / (float)info.channels;
    }
    float *y;
    int64_t ny;
    int r = gv_resample(in, n, info.samplerate, k->rate, &y, &ny, e);
    free(in);
    if (r)
        return -1;
    free(k->smp[slot]);
    free(k->dark[slot]);
    k->dark[slot] = NULL;
    k->smp[slot] = y;
    k->len[slot] = ny;
    k->level[slot] = level;
    k->loaded++;
    return 0;
}

/* ---- Hydrogen drumkit.xml: a tag scanner is enough for its flat layout ---- */

/* Text of the first <tag>...</tag> in [s, end), entity-decoded, or "" . */
static void tag_text(const char *s, const char *end, const char *tag, char *out, size_t n)
{
    char open[64], close[64];
    snprintf(open, sizeof open, "<%s>", tag);
    snprintf(close, sizeof close, "</%s>", tag);
    out[0] = 0;
    const char *a = strstr(s, open);
    if (!a || a >= end)
        return;
    a += strlen(open);
    const char *b = strstr(a, close);
    if (!b || b > end)
        return;
    size_t j = 0;
    static const char *ent[][2] = {{"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&apos;", "'"}};
    while (a < b && j + 1 < n) {
        size_t k;
        for (k = 0; k < 5; k++)
            if (!strncmp(a, ent[k][0], strlen(ent[k][0])))
                break;
        if (k < 5) {
            out[j++] = ent[k][1][0];
            a += strlen(ent[k][0]);
        } else {
            out[j++] = *a++;
        }
    }
    out[j] = 0;
    /* trim */
    while (j && isspace((unsigned char)out[j - 1]))
        out[--j] = 0;
    size_t l = 0;
    while (out[l] && isspace((unsigned char)out[l]))
        l++;
    memmove(out, out + l, j - l + 1);
}

static int has(const char *s, const char *w) { return strstr(s, w) != NULL; }

/* Voice for a Hydrogen instrument name, or -1. */
static int voice_by_name(const char *name)
{
    char s[128];
    size_t i;
    for (i = 0; name[i] && i + 1 < sizeof s; i++)
        s[i] = (char)tolower((unsigned char)name[i]);
    s[i] = 0;
    if (has(s, "kick") || has(s, "bass drum") || has(s, "bassdrum") || !strncmp(s, "bd", 2))
        return GV_KICK;
    if (has(s, "snare") || !strncmp(s, "sd", 2))
        return GV_SNARE;
    if (has(s, "hat") || has(s, "hh") || has(s, "hi-hat")) {
        if (has(s, "open"))
            return GV_OHAT;
        if (has(s, "pedal") || has(s, "foot"))
            return -1;
        return GV_CHAT;
    }
    if (has(s, "tom")) {
        if (has(s, "floor") || has(s, "low") || has(s, "lo "))
            return GV_LTOM;
        if (has(s, "mid"))
            return GV_MTOM;
        if (has(s, "hi") || has(s, "high"))
            return GV_HTOM;
        return GV_MTOM;
    }
    if (has(s, "crash"))
        return GV_CRASH;
    if (has(s, "ride"))
        return GV_RIDE;
    return -1;
}

typedef struct h2_inst {
    float level;
    char file[512];
} h2_inst;

/* The layer to use: the one whose velocity range holds 0.8 (a firm hit),
 * else the last one; "" if the instrument has no sample. */
static void pick_layer(const char *a, const char *b, char *file, size_t n, float *gain)
{
    file[0] = 0;
    *gain = 1;
    const char *l = strstr(a, "<layer>");
    if (!l || l > b) { /* old format: one <filename> in the instrument */
        tag_text(a, b, "filename", file, n);
        return;
    }
    for (; l && l < b; l = strstr(l + 7, "<layer>")) {
        const char *le = strstr(l, "</layer>");
        if (!le || le > b)
            break;
        char fn[512], mn[32], mx[32], g[32];
        tag_text(l, le, "filename", fn, sizeof fn);
        tag_text(l, le, "min", mn, sizeof mn);
        tag_text(l, le, "max", mx, sizeof mx);
        tag_text(l, le, "gain", g, sizeof g);
        if (!fn[0])
            continue;
        snprintf(file, n, "%s", fn);
        *gain = g[0] ? strtof(g, NULL) : 1;
        double lo = mn[0] ? atof(mn) : 0, hi = mx[0] ? atof(mx) : 1;
        if (lo <= 0.8 && 0.8 <= hi)
            return;
    }
}

static int load_hydrogen(gv_kit *k, const char *dir, const char *xml, gv_err *e)
{
    h2_inst by[GV_VOICES];
    memset(by, 0, sizeof by);
    char kitname[128];
    const char *list = strstr(xml, "<instrumentList>");
    tag_text(xml, list ? list : xml + strlen(xml), "name", kitname, sizeof kitname);
    /* two passes: instruments named like a voice first, then GM notes fill the gaps */
    for (int pass = 0; pass < 2; pass++) {
        for (const char *a = strstr(xml, "<instrument>"); a; a = strstr(a + 12, "<instrument>")) {
            const char *b = strstr(a, "</instrument>");
            if (!b)
                return gv_fail(e, "drumkit.xml: unterminated <instrument>");
            char name[128], note[32], vol[32], file[512];
            float gain;
            tag_text(a, b, "name", name, sizeof name);
            tag_text(a, b, "midiOutNote", note, sizeof note);
            tag_text(a, b, "volume", vol, sizeof vol);
            int v = pass == 0 ? voice_by_name(name) : note[0] ? gv_note_voice(atoi(note)) : -1;
            if (v < 0 || by[v].file[0] || (pass == 1 && voice_by_name(name) >= 0))
                continue;
            pick_layer(a, b, file, sizeof file, &gain);
            if (!file[0])
                continue;
            float volume = vol[0] ? strtof(vol, NULL) : 1.f;
            /* an inf or NaN level fills the output with inf/NaN at the first hit */
            if (!(volume >= 0 && volume <= MAX_VOLUME) || !(gain >= 0 && gain <= MAX_GAIN))
                return gv_fail(e, "drumkit.xml: %s: volume %g and gain %g, expected 0..%g and 0..%g", name,
                               (double)volume, (double)gain, MAX_VOLUME, MAX_GAIN);
            by[v].level = volume * gain;
            snprintf(by[v].file, sizeof by[v].file, "%s", file);
        }
    }
    int any = 0;
    for (int v = 0; v < GV_VOICES; v++) {
        if (!by[v].file[0])
            continue;
        char path[4096];
        if (join(path, sizeof path, dir, by[v].file, e))
            return -1;
        /* Hydrogen kits are mixed near full scale: 0.5 leaves headroom */
        if (load_slot(k, v, path, 0.5f * by[v].level, e))
            return -1;
        any = 1;
    }
    if (!any)
        return gv_fail(e, "drumkit.xml: no instrument matches a groove voice (kick, snare, hats, toms, crash, ride)");
    snprintf(k->name, sizeof k->name, "%s", kitname[0] ? kitname : dir);
    return 0;
}

/* ---- a folder of files named by voice ---- */

static int load_named(gv_kit *k, const char *dir, gv_err *e)
{
    DIR *d = opendir(dir);
    if (!d)
        return gv_fail(e, "cannot open: %s", strerror(errno));
    struct dirent *de;
    char found[GV_VOICES][512];
    memset(found, 0, sizeof found);
    while ((de = readdir(d))) {
        const char *dot = strrchr(de->d_name, '.');
        if (!dot || dot == de->d_name || (size_t)(dot - de->d_name) >= 64)
            continue;
        char stem[64];
        memcpy(stem, de->d_name, (size_t)(dot - de->d_name));
        stem[dot - de->d_name] = 0;
        int v = gv_voice_parse(stem);
        if (v >= 0 && !found[v][0])
            snprintf(found[v], sizeof found[v], "%s", de->d_name);
    }
    closedir(d);
    int any = 0;
    for (int v = 0; v < GV_VOICES; v++) {
        if (!found[v][0])
            continue;
        char path[4096];
        if (join(path, sizeof path, dir, found[v], e))
            return -1;
        if (load_slot(k, v, path, 0.5f, e))
            return -1;
        any = 1;
    }
    if (!any)
        return gv_fail(e, "no drumkit.xml and no sample named after a voice (kick.wav, snare.flac, closed-hat.wav, ...)");
    snprintf(k->name, sizeof k->name, "%s", dir);
    return 0;
}

int gv_kit_load(gv_kit *k, const char *dir, double rate, gv_err *e)
{
    struct stat st;
    memset(k, 0, sizeof *k);
    if (stat(dir, &st) != 0)
        return gv_fail(e, "cannot open: %s", strerror(errno));
    if (!S_ISDIR(st.st_mode))
        return gv_fail(e, "not a directory (a kit is a folder with drumkit.xml or kick.wav, snare.wav, ...)");
    char xmlpath[4096];
    if (join(xmlpath, sizeof xmlpath, dir, "drumkit.xml", e) || gv_kit_builtin(k, rate, e))
        return -1;
    unsigned char *xml = NULL;
    size_t len;
    int r;
    if (access(xmlpath, F_OK) == 0) {
        if (gv_read_file(xmlpath, MAX_XML, &xml, &len, e))
            r = -1;
        else
            r = load_hydrogen(k, dir, (const char *)xml, e);
        free(xml);
    } else {
        r = load_named(k, dir, e);
    }
    if (r == 0)
        r = gv_kit_finish(k, e);
    if (r)
        gv_kit_free(k);
    return r;
}

int gv_kit_open(gv_kit *k, const char *dir, double rate, gv_err *warn, gv_err *e)
{
    if (dir && gv_kit_load(k, dir, rate, warn) == 0)
        return 0;
    if (gv_kit_builtin(k, rate, e))
        return -1;
    return dir ? 1 : 0;
}
