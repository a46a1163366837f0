/* kitload.c - kits from disk: a Hydrogen drumkit (drumkit.xml, parsed with
 * expat) or a folder of files named by voice, read with libsndfile and
 * resampled.  Every sample must resolve inside the kit folder and be a
 * regular file. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <expat.h>
#include <limits.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kit.h"
#include "base/fileio.h"

#define MAX_XML (4 << 20)
#define MAX_SECONDS 30
/* Hydrogen's own ranges are volume 0..1.5 and layer gain 0..5; more is a
 * damaged file. */
#define MAX_VOLUME 4.0
#define MAX_GAIN 10.0

/* dir/file into out; -1 when it does not fit. */
static int join(char *out, size_t n, const char *dir, const char *file, gv_err *e)
{
    int w = snprintf(out, n, "%s/%s", dir, file);
    return w < 0 || (size_t)w >= n ? gv_fail(e, "path too long: %s/%s", dir, file) : 0;
}

/* The real path of sample `file` (as the kit names it, relative to dir) into
 * out (n bytes), which must lie inside kit, the kit folder's real path: a kit
 * is someone else's files, and its drumkit.xml must not make groove read
 * /etc/passwd or anything else outside it, through an absolute path, "../"
 * or a symlink. */
static int inside_kit(const char *kit, const char *dir, const char *file, char *out, size_t n, gv_err *e)
{
    if (file[0] == '/')
        return gv_fail(e, "sample '%s': an absolute path (a sample must be inside the kit folder)", file);
    char joined[4096];
    if (join(joined, sizeof joined, dir, file, e))
        return -1;
    char *real = realpath(joined, NULL);
    if (!real)
        return gv_fail(e, "sample '%s': %s", file, strerror(errno));
    size_t k = strlen(kit);
    int inside = !strncmp(real, kit, k) && (real[k] == '/' || (k > 0 && kit[k - 1] == '/'));
    int fits = strlen(real) < n;
    if (inside && fits)
        memcpy(out, real, strlen(real) + 1);
    free(real);
    if (!inside)
        return gv_fail(e, "sample '%s' is outside the kit folder", file);
    return fits ? 0 : gv_fail(e, "sample '%s': path too long", file);
}

/* Reads sample `file` of the kit (real path `path`, a regular file: a FIFO
 * would block the reader) as mono float at k->rate into slot. */
static int load_slot(gv_kit *k, int slot, const char *path, const char *file, float level, gv_err *e)
{
    unsigned long long size;
    gv_err why;
    int fd = gv_open_regular(path, &size, &why);
    if (fd < 0)
        return gv_failc(e, why.code, "sample '%s': %s", file, why.msg);
    SF_INFO info = {0};
    SNDFILE *sf = sf_open_fd(fd, SFM_READ, &info, 0); /* 0: fd is ours to close, on every path */
    if (!sf) {
        close(fd);
        return gv_fail(e, "sample '%s': %s", file, sf_strerror(NULL));
    }
    if (info.channels < 1 || info.samplerate < 1000 || info.frames < 1 ||
        info.frames > (sf_count_t)MAX_SECONDS * info.samplerate) {
        sf_close(sf);
        close(fd);
        return gv_fail(e, "sample '%s': not a usable drum sample (%lld frames, %d channels, %d Hz)", file,
                       (long long)info.frames, info.channels, info.samplerate);
    }
    float *in = malloc((size_t)info.frames * (size_t)info.channels * sizeof(float));
    if (!in) {
        sf_close(sf);
        close(fd);
        return gv_failc(e, GV_E_NOMEM, "out of memory");
    }
    sf_count_t n = sf_readf_float(sf, in, info.frames);
    sf_close(sf);
    close(fd);
    if (n < 1) {
        free(in);
        return gv_fail(e, "sample '%s': no audio could be read", file);
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

/* The kit folder's real path into kit (n bytes). */
static int kit_realpath(const char *dir, char *kit, size_t n, gv_err *e)
{
    char *real = realpath(dir, NULL);
    if (!real)
        return gv_fail(e, "cannot open: %s", strerror(errno));
    int fits = strlen(real) < n;
    if (fits)
        memcpy(kit, real, strlen(real) + 1);
    free(real);
    return fits ? 0 : gv_fail(e, "path too long");
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

/* ---- Hydrogen drumkit.xml, read with expat ----
 *
 * The parts groove uses:
 *   <drumkit_info><name>KIT</name><instrumentList>
 *     <instrument><name/><volume/><midiOutNote/>
 *       <filename/>                                      (old kits: one sample)
 *       [<instrumentComponent>] <layer><filename/><min/><max/><gain/></layer> ...
 * Text is taken from elements by their parent, so comments, CDATA, entities,
 * attributes and the order of elements do not matter. */

#define H2_MAX_INSTRUMENTS 1024

typedef struct h2_inst {
    char name[128], note[32], vol[32];
    char file[512]; /* the chosen sample ("" none) */
    float gain;
    int picked; /* a layer holding velocity 0.8 was found: later layers are ignored */
    int layers; /* layers with a file seen */
    char old_file[512];
} h2_inst;

typedef struct h2_layer {
    char file[512], min[32], max[32], gain[32];
} h2_layer;

typedef struct h2_parse {
    XML_Parser xp;
    int depth;                /* of the element being read (1: the root) */
    int inst_depth;           /* depth of the open <instrument>, 0 outside */
    int layer_depth;          /* depth of the open <layer>, 0 outside */
    char text[1024];
    size_t tn;
    char kitname[128];
    h2_inst cur;
    h2_layer layer;
    h2_inst *inst;
    int n, cap;
    int failed;
    gv_err *e;
} h2_parse;

static void h2_stop(h2_parse *h, const char *msg)
{
    if (!h->failed)
        gv_fail(h->e, "drumkit.xml: %s", msg);
    h->failed = 1;
    XML_StopParser(h->xp, XML_FALSE);
}

/* The text gathered so far, trimmed, into out (n bytes). */
static void h2_text(const h2_parse *h, char *out, size_t n)
{
    size_t a = 0, b = h->tn;
    while (a < b && isspace((unsigned char)h->text[a]))
        a++;
    while (b > a && isspace((unsigned char)h->text[b - 1]))
        b--;
    size_t len = b - a < n - 1 ? b - a : n - 1;
    memcpy(out, h->text + a, len);
    out[len] = 0;
}

static void XMLCALL h2_start(void *ud, const XML_Char *name, const XML_Char **attr)
{
    (void)attr;
    h2_parse *h = ud;
    h->depth++;
    h->tn = 0;
    if (!strcmp(name, "instrument") && !h->inst_depth) {
        h->inst_depth = h->depth;
        memset(&h->cur, 0, sizeof h->cur);
        h->cur.gain = 1;
    } else if (!strcmp(name, "layer") && h->inst_depth && !h->layer_depth) {
        h->layer_depth = h->depth;
        memset(&h->layer, 0, sizeof h->layer);
    }
}

static void XMLCALL h2_chars(void *ud, const XML_Char *s, int len)
{
    h2_parse *h = ud;
    size_t room = sizeof h->text - 1 - h->tn, n = (size_t)len < room ? (size_t)len : room;
    memcpy(h->text + h->tn, s, n);
    h->tn += n;
}

/* Ends a layer: the layer to use is the one whose velocity range holds 0.8
 * (a firm hit), else the last one with a sample. */
static void h2_end_layer(h2_parse *h)
{
    h2_inst *c = &h->cur;
    const h2_layer *l = &h->layer;
    if (!l->file[0] || c->picked)
        return;
    snprintf(c->file, sizeof c->file, "%s", l->file);
    c->gain = l->gain[0] ? strtof(l->gain, NULL) : 1;
    c->layers++;
    double lo = l->min[0] ? atof(l->min) : 0, hi = l->max[0] ? atof(l->max) : 1;
    if (lo <= 0.8 && 0.8 <= hi)
        c->picked = 1;
}

static void XMLCALL h2_end(void *ud, const XML_Char *name)
{
    h2_parse *h = ud;
    if (h->layer_depth && h->depth == h->layer_depth + 1) {
        h2_layer *l = &h->layer;
        if (!strcmp(name, "filename"))
            h2_text(h, l->file, sizeof l->file);
        else if (!strcmp(name, "min"))
            h2_text(h, l->min, sizeof l->min);
        else if (!strcmp(name, "max"))
            h2_text(h, l->max, sizeof l->max);
        else if (!strcmp(name, "gain"))
            h2_text(h, l->gain, sizeof l->gain);
    } else if (h->layer_depth && h->depth == h->layer_depth) {
        h2_end_layer(h);
        h->layer_depth = 0;
    } else if (h->inst_depth && h->depth == h->inst_depth + 1) {
        h2_inst *c = &h->cur;
        if (!strcmp(name, "name"))
            h2_text(h, c->name, sizeof c->name);
        else if (!strcmp(name, "midiOutNote"))
            h2_text(h, c->note, sizeof c->note);
        else if (!strcmp(name, "volume"))
            h2_text(h, c->vol, sizeof c->vol);
        else if (!strcmp(name, "filename"))
            h2_text(h, c->old_file, sizeof c->old_file);
    } else if (h->inst_depth && h->depth == h->inst_depth) {
        h2_inst *c = &h->cur;
        if (!c->layers && c->old_file[0]) /* old format: one <filename> in the instrument */
            snprintf(c->file, sizeof c->file, "%s", c->old_file);
        h->inst_depth = 0;
        if (c->file[0]) {
            if (h->n == H2_MAX_INSTRUMENTS) {
                h2_stop(h, "more than 1024 instruments");
            } else {
                if (h->n == h->cap) {
                    int cap = h->cap ? 2 * h->cap : 16;
                    h2_inst *p = realloc(h->inst, (size_t)cap * sizeof *p);
                    if (!p) {
                        h2_stop(h, "out of memory");
                        h->depth--;
                        return;
                    }
                    h->inst = p;
                    h->cap = cap;
                }
                h->inst[h->n++] = *c;
            }
        }
    } else if (h->depth == 2 && !strcmp(name, "name") && !h->kitname[0]) {
        h2_text(h, h->kitname, sizeof h->kitname);
    }
    h->tn = 0;
    h->depth--;
}

static int load_hydrogen(gv_kit *k, const char *dir, const char *kit, const char *xml, size_t len, gv_err *e)
{
    h2_parse h;
    memset(&h, 0, sizeof h);
    h.e = e;
    if (!(h.xp = XML_ParserCreate(NULL)))
        return gv_failc(e, GV_E_NOMEM, "out of memory");
    XML_SetUserData(h.xp, &h);
    XML_SetElementHandler(h.xp, h2_start, h2_end);
    XML_SetCharacterDataHandler(h.xp, h2_chars);
    int rc = 0;
    if (len > INT_MAX) {
        rc = gv_fail(e, "drumkit.xml: too large");
    } else if (XML_Parse(h.xp, xml, (int)len, XML_TRUE) != XML_STATUS_OK) {
        if (!h.failed)
            gv_fail(e, "drumkit.xml: line %lu: %s", (unsigned long)XML_GetCurrentLineNumber(h.xp),
                    XML_ErrorString(XML_GetErrorCode(h.xp)));
        rc = -1;
    }
    XML_ParserFree(h.xp);
    /* two passes: instruments named like a voice first, then GM notes fill the gaps */
    const h2_inst *by[GV_VOICES] = {0};
    for (int pass = 0; rc == 0 && pass < 2; pass++)
        for (int i = 0; i < h.n; i++) {
            const h2_inst *c = &h.inst[i];
            int named = voice_by_name(c->name);
            int v = pass == 0 ? named : c->note[0] && named < 0 ? gv_note_voice(atoi(c->note)) : -1;
            if (v >= 0 && !by[v])
                by[v] = c;
        }
    int any = 0;
    for (int v = 0; rc == 0 && v < GV_VOICES; v++) {
        if (!by[v])
            continue;
        char path[4096];
        float volume = by[v]->vol[0] ? strtof(by[v]->vol, NULL) : 1.f, gain = by[v]->gain;
        /* an inf or NaN level fills the output with inf/NaN at the first hit */
        if (!(volume >= 0 && volume <= MAX_VOLUME) || !(gain >= 0 && gain <= MAX_GAIN)) {
            rc = gv_fail(e, "drumkit.xml: %s: volume %g and gain %g, expected 0..%g and 0..%g", by[v]->name,
                         (double)volume, (double)gain, MAX_VOLUME, MAX_GAIN);
            break;
        }
        float level = volume * gain;
        /* Hydrogen kits are mixed near full scale: 0.5 leaves headroom */
        if (inside_kit(kit, dir, by[v]->file, path, sizeof path, e) ||
            load_slot(k, v, path, by[v]->file, 0.5f * level, e))
            rc = -1;
        any = 1;
    }
    if (rc == 0 && !any)
        rc = gv_fail(e, "drumkit.xml: no instrument matches a groove voice (kick, snare, hats, toms, crash, ride)");
    if (rc == 0)
        snprintf(k->name, sizeof k->name, "%s", h.kitname[0] ? h.kitname : dir);
    free(h.inst);
    return rc;
}

/* ---- a folder of files named by voice ---- */

static int load_named(gv_kit *k, const char *dir, const char *kit, gv_err *e)
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
        if (inside_kit(kit, dir, found[v], path, sizeof path, e) || load_slot(k, v, path, found[v], 0.5f, e))
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
    char xmlpath[4096], kit[4096];
    if (join(xmlpath, sizeof xmlpath, dir, "drumkit.xml", e) || kit_realpath(dir, kit, sizeof kit, e) ||
        gv_kit_builtin(k, rate, e))
        return -1;
    unsigned char *xml = NULL;
    size_t len;
    int r;
    if (access(xmlpath, F_OK) == 0) {
        if (gv_read_file(xmlpath, MAX_XML, &xml, &len, e))
            r = -1;
        else
            r = load_hydrogen(k, dir, kit, (const char *)xml, len, e);
        free(xml);
    } else {
        r = load_named(k, dir, kit, e);
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
