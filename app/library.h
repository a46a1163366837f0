/* library.h - the patterns a musician kept.
 *
 * A directory (gv_library_dir: $XDG_DATA_HOME/groove/library) of entries,
 * each NAME.mid (the pattern, what a DAW reads) plus NAME.json, a sidecar
 * that says where it came from:
 *   {"name", "created", "bpm", "kind" ("generate"|"vary"|"interpolate"|...),
 *    "model", "seed", "temperature", "density",
 *    "swing"                           (0..1, as sequencer.h: what the .mid
 *                                       was written with, baked into its odd
 *                                       16ths; 0 or missing: straight),
 *    "groove": [[hit, vel, off] x 32]  (the source groove, when known),
 *    "z": [...]                        (its latent, when known)}
 * The .mid holds what was heard, swing included (gv_library_save's caller
 * bakes it in with gv_seq_swing_bake and records it in meta->swing).
 * Both files are written atomically, the sidecar first: an entry exists once
 * its .mid does, so a crash never leaves a half entry in the list.  An entry
 * without a sidecar (a .mid dropped in by hand) lists and loads with no
 * metadata. */
#ifndef GV_LIBRARY_H
#define GV_LIBRARY_H

#include <stddef.h>
#include <stdint.h>

#include "patterns/error.h"
#include "patterns/pattern.h"

#define GV_Z_MAX 1024  /* latent floats kept per pattern (chunks x latent_dim) */
#define GV_LIB_NAME 96

typedef struct gv_lib_meta {
    char kind[16];
    char model[256];
    char created[32];
    uint64_t seed;
    float temperature, density, bpm;
    float swing; /* the swing the pattern was last written with (sidecar above) */
    int has_groove;
    float groove[GV_MODEL_STEPS * 3];
    int zdim; /* 0: no latent */
    float z[GV_Z_MAX];
} gv_lib_meta;

typedef struct gv_lib_entry {
    char name[GV_LIB_NAME];
    long long mtime;
} gv_lib_entry;

/* $XDG_DATA_HOME/groove/library (see xdg.h). */
int gv_library_dir(char *out, size_t n, gv_err *e);

/* Saves p under a new unique name made of the current local time and tag
 * ("20250101-120000-3", then "-3b", "-3c" ... if taken); creates dir.
 * The name is written to name (GV_LIB_NAME bytes).  meta may be NULL. */
int gv_library_save(const char *dir, const gv_pattern *p, const gv_lib_meta *meta, const char *tag,
                    char *name, gv_err *e);

/* Entries newest first (*out malloc'd, caller frees; *n may be 0).  A missing
 * directory is an empty library. */
int gv_library_list(const char *dir, gv_lib_entry **out, int *n, gv_err *e);

/* Loads entry name: its 2-bar pattern and (meta non-NULL) its sidecar, a
 * zeroed meta when there is none.  The pattern comes back on its grid: the
 * swing the sidecar records is taken out of its odd 16ths again, so that
 * played at that swing it sounds as the .mid does.  0; 1 when the pattern loaded but the
 * sidecar could not be read (meta zeroed, e says why); -1 on error. */
int gv_library_load(const char *dir, const char *name, gv_pattern *p, gv_lib_meta *meta, gv_err *e);

int gv_library_delete(const char *dir, const char *name, gv_err *e);

/* The sidecar's fields as a cJSON object / back (missing fields stay zero);
 * the session file stores suggestions the same way. */
struct cJSON;
struct cJSON *gv_lib_meta_to_json(const gv_lib_meta *m);
void gv_lib_meta_from_json(const struct cJSON *o, gv_lib_meta *m);

#endif
