/* song_arrange.c - a song's sections loaded, its fills made, the whole laid
 * out as parts, exported and rendered (see song.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/fileio.h"
#include "engine/ops.h"
#include "patterns/load.h"
#include "patterns/sequencer.h"
#include "session/song.h"
#include "synth/render.h"

/* A section file's path: as written when absolute, else beside the song. */
static int section_path(const char *song_path, const char *file, char *out, size_t n, gv_err *e)
{
    const char *slash = song_path ? strrchr(song_path, '/') : NULL;
    int w = file[0] == '/' || !slash ? snprintf(out, n, "%s", file)
                                     : snprintf(out, n, "%.*s/%s", (int)(slash - song_path), song_path, file);
    return w < 0 || (size_t)w >= n ? gv_fail(e, "path too long") : 0;
}

static int load_section(const gv_song_section *c, const char *libdir, const char *song_path, gv_pattern *p,
                        gv_lib_meta *meta, gv_err *e)
{
    memset(meta, 0, sizeof *meta);
    if (c->pattern[0])
        return gv_library_load(libdir, c->pattern, p, meta, e) < 0 ? -1 : 0;
    char path[4096], resolved[4096];
    if (section_path(song_path, c->file, path, sizeof path, e))
        return -1;
    gv_load_opts o = {c->start_bar ? c->start_bar - 1 : -1, c->bars, -1};
    gv_err why = {0};
    if (gv_pattern_load(path, &o, p, resolved, sizeof resolved, &why) != 0)
        return gv_failc(e, why.code, "%s: %s", resolved, why.msg);
    return 0;
}

int gv_song_resolve(const gv_song *s, const char *libdir, const char *song_path, gv_pattern *pats,
                    gv_lib_meta *metas, gv_err *e)
{
    gv_lib_meta *meta = malloc(sizeof *meta);
    if (!meta)
        return gv_failc(e, GV_E_NOMEM, "out of memory");
    for (int i = 0; i < s->n; i++) {
        gv_err why = {0};
        if (load_section(&s->sec[i], libdir, song_path, &pats[i], meta, &why) != 0) {
            char label[GV_SONG_FILE + 16];
            gv_song_label(s, i, label, sizeof label);
            free(meta);
            return gv_failc(e, why.code, "section %d (%s): %s", i + 1, label, why.msg);
        }
        if (metas)
            metas[i] = *meta;
    }
    free(meta);
    return 0;
}

int gv_song_needs_model(const gv_song *s)
{
    for (int i = 0; i < s->n; i++)
        if (s->sec[i].fill.method == GV_FILL_VARY || s->sec[i].fill.method == GV_FILL_DRUMIFY)
            return 1;
    return 0;
}

/* The section's settings (its sidecar, when it has one) with the fill's
 * density, temperature and seed. */
static void fill_opts(const gv_song_fill *f, const gv_lib_meta *meta, gv_gen_opts *o)
{
    gv_gen_opts_default(o);
    float dens = meta && meta->density > 0 ? meta->density : 1.f;
    if (meta && meta->kind[0]) {
        o->temperature = meta->temperature;
        o->sampling = meta->sampling;
        if (meta->from_groove)
            o->feel = meta->feel;
    }
    o->density = f->density > 0 ? f->density : 1.5f * dens;
    if (f->temperature >= 0)
        o->temperature = f->temperature;
    o->seed = f->seed;
}

/* A generated fill: a variation (or drumify) of pat at the fill's settings. */
static int gen_fill(const gv_model *m, const gv_song_fill *f, const gv_pattern *pat, const gv_lib_meta *meta,
                    gv_pattern *out, gv_err *e)
{
    if (!m)
        return gv_failc(e, GV_E_USAGE, "a generated fill needs a model");
    gv_gen_opts o;
    fill_opts(f, meta, &o);
    int C = gv_gen_chunks(&m->cfg, pat->steps), L = m->cfg.latent_dim;
    float *z = malloc((size_t)C * L * sizeof *z);
    gv_gen_ws *ws = gv_gen_ws_new(&m->cfg, C);
    int rc = -1;
    if (!z || !ws) {
        gv_failc(e, GV_E_NOMEM, "out of memory");
    } else if (f->method == GV_FILL_DRUMIFY) {
        rc = gv_op_drumify(m, pat, 1, &o, out, z, ws, e);
    } else {
        int kept = meta && meta->zdim == C * L;
        gv_op_src src = {pat, kept ? meta->z : NULL, kept ? meta->zdim : 0};
        rc = gv_op_vary(m, &src, 1, pat->steps, pat->bpm, &o, out, z, ws, e);
    }
    gv_gen_ws_free(ws);
    free(z);
    return rc;
}

int gv_song_fills(const gv_song *s, const gv_pattern *pats, const gv_lib_meta *metas, const char *libdir,
                  const gv_model *m, gv_pattern *fills, gv_err *e)
{
    for (int i = 0; i < s->n; i++) {
        const gv_song_fill *f = &s->sec[i].fill;
        gv_err why = {0};
        int rc = 0;
        memset(&fills[i], 0, sizeof fills[i]);
        if (f->method == GV_FILL_LIBRARY)
            rc = gv_library_load(libdir, f->pattern, &fills[i], NULL, &why) < 0 ? -1 : 0;
        else if (f->method != GV_FILL_NONE)
            rc = gen_fill(m, f, &pats[i], metas ? &metas[i] : NULL, &fills[i], &why);
        if (rc) {
            memset(&fills[i], 0, sizeof fills[i]);
            return gv_failc(e, why.code, "section %d's fill: %s", i + 1, why.msg);
        }
    }
    return 0;
}

/* The last bar of fill over the last bar of part. */
static void splice_fill(gv_pattern *part, const gv_pattern *fill)
{
    int bar = GV_STEPS_PER_BAR, dst = part->steps - bar, src = fill->steps - bar;
    memcpy(&part->hit[dst], &fill->hit[src], (size_t)bar * sizeof part->hit[0]);
    memcpy(&part->vel[dst], &fill->vel[src], (size_t)bar * sizeof part->vel[0]);
    memcpy(&part->off[dst], &fill->off[src], (size_t)bar * sizeof part->off[0]);
}

int gv_song_arrange(const gv_song *s, const gv_pattern *pats, const gv_pattern *fills, gv_pattern **parts,
                    int *nparts, long *starts, gv_err *e)
{
    *parts = NULL;
    *nparts = 0;
    int n = 0;
    for (int i = 0; i < s->n; i++)
        n += s->sec[i].repeat;
    if (n < 1)
        return gv_failc(e, GV_E_RANGE, "the song has no sections");
    gv_pattern *out = malloc((size_t)n * sizeof *out);
    if (!out)
        return gv_failc(e, GV_E_NOMEM, "out of memory");
    float bpm = s->bpm > 0 ? s->bpm : pats[0].bpm;
    long at = 0;
    int k = 0;
    for (int i = 0; i < s->n; i++) {
        starts[i] = at;
        for (int r = 0; r < s->sec[i].repeat; r++, k++) {
            out[k] = pats[i];
            out[k].bpm = bpm;
            out[k].bpm_file = 0;
            if (r == s->sec[i].repeat - 1 && fills && fills[i].steps >= GV_STEPS_PER_BAR)
                splice_fill(&out[k], &fills[i]);
            at += out[k].steps;
        }
    }
    *parts = out;
    *nparts = n;
    return 0;
}

int gv_song_export(const gv_song *s, const gv_pattern *parts, int nparts, const long *starts, unsigned char **data,
                   size_t *len, gv_err *e)
{
    gv_pattern *baked = malloc((size_t)nparts * sizeof *baked);
    gv_smf_mark *marks = malloc((size_t)(s->n ? s->n : 1) * sizeof *marks);
    char(*labels)[GV_SMF_MARK_MAX + 1] = malloc((size_t)(s->n ? s->n : 1) * sizeof *labels);
    int rc = -1;
    if (!baked || !marks || !labels) {
        gv_failc(e, GV_E_NOMEM, "out of memory");
        goto done;
    }
    for (int i = 0; i < nparts; i++) {
        baked[i] = parts[i];
        if (s->swing > 0)
            gv_seq_swing_bake(&baked[i], s->swing);
    }
    for (int i = 0; i < s->n; i++) {
        gv_song_label(s, i, labels[i], sizeof labels[i]);
        marks[i] = (gv_smf_mark){starts[i], labels[i]};
    }
    rc = gv_smf_write_marked(baked, nparts, NULL, 0, marks, s->n, s->name[0] ? s->name : "song", data, len, e);
done:
    free(baked), free(marks), free(labels);
    return rc;
}

int gv_song_render(const gv_song *s, const gv_pattern *parts, int nparts, const gv_kit *kit, int metronome,
                   float **out, int64_t *frames, gv_err *e)
{
    gv_pattern *pats = malloc((size_t)nparts * sizeof *pats);
    int64_t *at = malloc((size_t)nparts * sizeof *at);
    int rc = -1;
    if (!pats || !at) {
        gv_failc(e, GV_E_NOMEM, "out of memory");
        goto done;
    }
    /* the player plays cell (step mod length): turn each part so that its
     * step 0 falls where it starts */
    int64_t step = 0;
    for (int i = 0; i < nparts; i++) {
        const gv_pattern *p = &parts[i];
        int L = p->steps, shift = (int)(step % L);
        pats[i] = *p;
        for (int t = 0; t < L; t++) {
            int d = (t + shift) % L;
            memcpy(pats[i].hit[d], p->hit[t], sizeof p->hit[t]);
            memcpy(pats[i].vel[d], p->vel[t], sizeof p->vel[t]);
            memcpy(pats[i].off[d], p->off[t], sizeof p->off[t]);
        }
        at[i] = step;
        step += L;
    }
    gv_render_opts o;
    gv_render_opts_default(&o);
    o.bpm = parts[0].bpm;
    o.swing = s->swing;
    o.metronome = metronome;
    rc = gv_render_switches(pats, at, nparts, 0, step, kit, &o, out, frames, e);
done:
    free(pats), free(at);
    return rc;
}
