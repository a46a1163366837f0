/* song.h - a song: kept patterns played one after another, section by
 * section, with fills; read and written as a small JSON file, arranged into
 * parts, exported as one Standard MIDI File and rendered through the player.
 *
 * A song file (library/songs/NAME.json, or any path):
 *
 *   {"version": 1, "name": "verse-chorus", "bpm": 96, "swing": 0,
 *    "sections": [
 *      {"name": "intro", "pattern": "20250101-120000-gen", "repeat": 2},
 *      {"name": "verse", "file": "grooves/verse.mid", "repeat": 4,
 *       "fill": {"method": "vary", "density": 1.6, "seed": 7}},
 *      {"name": "out", "pattern": "20250101-120500-vary",
 *       "fill": {"pattern": "20250101-121000-gen"}}]}
 *
 * - A section is a library pattern by its id (session/library.h; renaming
 *   an entry keeps the id the song holds only if the song is updated: see
 *   gv_song_rename_pattern) or a pattern file ("file", relative to the song
 *   file's folder; .mid windows from its first bar with notes, "start_bar"
 *   (from 1) and "bars" (0: the whole file, at most 256 steps) as --start-bar
 *   and --bars say), played "repeat" times (1..256, default 1).
 * - A fill replaces the last bar of a section's last repeat: one bar of a
 *   variation of the section generated at a higher density ("method": "vary"
 *   around the section's latent, or "drumify" of its groove; "density": the
 *   fill's density, 0 or missing: 1.5 x the section's own (its sidecar's, 1
 *   without one); "temperature": default the section's, 1 without one;
 *   "seed": default 0), or the last bar of a library pattern ("pattern").
 * - "bpm" 0 or missing: the first section's tempo.  "swing" 0..1 (see
 *   patterns/sequencer.h): baked into the export, played by the render.
 * - "version" is GV_SONG_VERSION; a newer one is refused.  Unknown keys
 *   are ignored.
 *
 * Arranging: every repeat of a section is one part (the section pattern's
 * length, 1..16 bars; library patterns are 2 bars), fills spliced in, all at
 * the song's tempo; section i starts at starts[i] (steps).  Export: those
 * parts with a marker (FF 06, the section's label) at each section start,
 * format 1 (patterns/smf.h gv_smf_write_marked).
 *
 *   gv_song s;
 *   if (gv_song_load(path, &s, &e)) ...                 // one-line error in e
 *   gv_pattern *pats = calloc(s.n, sizeof *pats), *fills = ...;
 *   gv_song_resolve(&s, libdir, path, pats, metas, &e);  // load the sections
 *   gv_song_fills(&s, pats, metas, libdir, model, fills, &e);
 *   gv_song_arrange(&s, pats, fills, &parts, &nparts, starts, &e);
 *   gv_song_export(&s, parts, nparts, starts, &data, &len, &e);
 *   gv_song_free(&s);
 *
 * Kept songs (library/songs/): gv_song_save writes NAME.json atomically; a
 * file there that is not a song is never overwritten (moved aside to
 * NAME.json.bad-STAMP first); gv_song_open moves a corrupt one aside and
 * says so in one line. */
#ifndef GV_SONG_H
#define GV_SONG_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "base/error.h"
#include "engine/model.h"
#include "patterns/pattern.h"
#include "patterns/smf.h"
#include "session/library.h"
#include "synth/kit.h"

#define GV_SONG_VERSION 1
#define GV_SONG_MAX_SECTIONS 256
#define GV_SONG_MAX_REPEAT 256
#define GV_SONG_NAME 64
#define GV_SONG_FILE 1024
#define GV_SONG_MAX_BYTES (1u << 20) /* a song file larger than this is refused */

enum { GV_FILL_NONE, GV_FILL_VARY, GV_FILL_DRUMIFY, GV_FILL_LIBRARY };

typedef struct gv_song_fill {
    int method;                /* GV_FILL_* */
    float density;             /* vary/drumify; 0: 1.5 x the section's */
    float temperature;         /* vary/drumify; < 0: the section's */
    uint64_t seed;
    char pattern[GV_LIB_NAME]; /* GV_FILL_LIBRARY: the entry */
} gv_song_fill;

typedef struct gv_song_section {
    char name[GV_SONG_NAME];   /* "" : labelled by gv_song_label */
    char pattern[GV_LIB_NAME]; /* library id, or "" when file is set */
    char file[GV_SONG_FILE];   /* pattern file, or "" */
    int start_bar;             /* file: from 1; 0 the first bar with notes */
    int bars;                  /* file: 0 the whole file (<= 256 steps) */
    int repeat;                /* 1..GV_SONG_MAX_REPEAT */
    gv_song_fill fill;
} gv_song_section;

typedef struct gv_song {
    int version;
    char name[GV_SONG_NAME];
    float bpm;   /* 0: the first section's */
    float swing; /* 0..1 */
    int n, cap;
    gv_song_section *sec; /* malloc'd (gv_song_free) */
} gv_song;

/* An empty song called name (version GV_SONG_VERSION). */
void gv_song_init(gv_song *s, const char *name);
void gv_song_free(gv_song *s);

/* Appends sec (a copy); -1 when the song is full or out of memory. */
int gv_song_add(gv_song *s, const gv_song_section *sec, gv_err *e);
/* Removes section i; moves section from to position to (others shift). */
void gv_song_remove(gv_song *s, int i);
void gv_song_move(gv_song *s, int from, int to);
/* Points every reference to library entry from (sections and fills) at to;
 * returns how many changed (a library rename keeps the songs playing). */
int gv_song_rename_pattern(gv_song *s, const char *from, const char *to);
/* 1 when section i or its fill names library entry id. */
int gv_song_uses(const gv_song *s, const char *id);

/* The song as a JSON object (NULL: out of memory) and back (s initialised
 * here; -1 with e naming the field at fault; s is then empty). */
cJSON *gv_song_to_json(const gv_song *s);
int gv_song_from_json(const cJSON *o, gv_song *s, gv_err *e);

/* Reads a song file (-1 with e: unreadable, not JSON, bad fields). */
int gv_song_load(const char *path, gv_song *s, gv_err *e);
/* Writes it atomically (formatted JSON). */
int gv_song_write(const char *path, const gv_song *s, gv_err *e);

/* library/songs (the library's folder, see library.h). */
int gv_song_dir(char *out, size_t n, gv_err *e);
/* 1 when name can be a song's file name: 1..63 of [A-Za-z0-9._-], not
 * starting with '.'. */
int gv_song_name_ok(const char *name);
/* Saves s as dir/NAME.json (NAME = s->name), creating dir.  An existing
 * file there that does not read as a song is moved aside first (moved, n
 * bytes, gets its new path; "" when nothing was moved). */
int gv_song_save(const char *dir, const gv_song *s, char *moved, size_t n, gv_err *e);
/* Opens dir/NAME.json: 0; -1 with e when it cannot be read (missing);
 * -2 when it is not a song: moved aside (moved gets where) and e says
 * "NAME.json: why (moved to PATH)". */
int gv_song_open(const char *dir, const char *name, gv_song *s, char *moved, size_t n, gv_err *e);

/* Library entry from renamed to `to` (gv_library_rename): every song in dir
 * that uses it is rewritten to use `to` (atomically; files that are not
 * songs are left alone).  *changed (may be NULL): songs rewritten. */
int gv_song_dir_rename_pattern(const char *dir, const char *from, const char *to, int *changed, gv_err *e);
/* The songs in dir that use library entry id: their count, their names
 * ("verse, chorus") in out (n bytes, cut to fit) for the question a delete
 * asks first; -1 with e. */
int gv_song_dir_users(const char *dir, const char *id, char *out, size_t n, gv_err *e);

/* "NAME" or, unnamed, "N pattern-or-file-stem" (N from 1) into out. */
void gv_song_label(const gv_song *s, int i, char *out, size_t n);

/* Loads each section's pattern into pats[s->n] (library ones from libdir,
 * files relative to the folder of song_path), with its sidecar into metas
 * (may be NULL; zeroed for files).  -1 with e naming the section. */
int gv_song_resolve(const gv_song *s, const char *libdir, const char *song_path, gv_pattern *pats,
                    gv_lib_meta *metas, gv_err *e);
/* 1 when some fill is generated (needs a model). */
int gv_song_needs_model(const gv_song *s);
/* Each section's fill into fills[s->n] (steps 0: none): library ones from
 * libdir, generated ones from pats[i] and metas[i] (NULL: none) with m (may
 * be NULL when gv_song_needs_model is 0).  Deterministic: the seed says. */
int gv_song_fills(const gv_song *s, const gv_pattern *pats, const gv_lib_meta *metas, const char *libdir,
                  const gv_model *m, gv_pattern *fills, gv_err *e);
/* The arrangement: *parts (malloc'd, caller frees) of *nparts, each repeat
 * of each section at the song's tempo, fills on the last bar of a section's
 * last repeat; starts[s->n] each section's first step. */
int gv_song_arrange(const gv_song *s, const gv_pattern *pats, const gv_pattern *fills, gv_pattern **parts,
                    int *nparts, long *starts, gv_err *e);
/* The parts as one format-1 file: the song's swing baked in, a marker with
 * gv_song_label at each section start, named after the song. */
int gv_song_export(const gv_song *s, const gv_pattern *parts, int nparts, const long *starts, unsigned char **data,
                   size_t *len, gv_err *e);
/* The parts through the player (synth/render.h gv_render_switches), one
 * after another at parts[0]'s tempo and the song's swing, then the ring-out:
 * *out (malloc'd, caller frees) of *frames stereo frames at the kit's rate;
 * step 0 is frame 0. */
int gv_song_render(const gv_song *s, const gv_pattern *parts, int nparts, const gv_kit *kit, int metronome,
                   float **out, int64_t *frames, gv_err *e);

#endif
