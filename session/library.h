/* library.h - the patterns a musician kept.
 *
 * A directory (gv_library_dir: $XDG_DATA_HOME/groove/library) of entries,
 * each NAME.mid (the pattern, what a DAW reads) plus NAME.json, a sidecar
 * that says where it came from:
 *   {"name", and the provenance record's keys (engine/provenance.h):
 *    "created", "bpm", "kind" ("generate"|"vary"|"interpolate"|...),
 *    "model", "seed", "temperature", "density",
 *    "swing"                           (0..1, as sequencer.h: what the .mid
 *                                       was written with, baked into its odd
 *                                       16ths; 0 or missing: straight),
 *    "groove": [[hit, vel, off] x 32]  (the source groove, when known),
 *    "z": [...]                        (its latent, when known), ...}
 * Both files are written atomically and together (one flush), the .mid
 * renamed first: a crash between the two renames leaves a .mid without a
 * sidecar, an entry that lists and loads with no metadata (like a .mid
 * dropped in by hand).  A sidecar whose .mid is gone (removed by hand, or
 * left by an older groove that wrote the sidecar first) is listed too, so
 * that it can be seen and deleted; it does not load. */
#ifndef GV_LIBRARY_H
#define GV_LIBRARY_H

#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "engine/provenance.h"
#include "patterns/pattern.h"

#define GV_Z_MAX GV_PROV_Z_MAX /* latent floats kept per pattern (chunks x latent_dim) */
#define GV_LIB_NAME 96

/* A kept pattern's metadata is its provenance record (engine/provenance.h):
 * the sidecar is that record as JSON, with "name" added. */
typedef gv_prov gv_lib_meta;

enum { GV_LIB_WHOLE, GV_LIB_NO_SIDECAR, GV_LIB_NO_MID };

typedef struct gv_lib_entry {
    char name[GV_LIB_NAME];
    long long mtime;
    int half; /* GV_LIB_WHOLE, or which of its two files is missing */
} gv_lib_entry;

/* $XDG_DATA_HOME/groove/library (see xdg.h). */
int gv_library_dir(char *out, size_t n, gv_err *e);

/* Saves p under a new unique name made of the current local time and tag
 * ("20250101-120000-3", then "-3b", "-3c" ... if taken); creates dir.
 * The name is written to name (GV_LIB_NAME bytes).  meta may be NULL. */
int gv_library_save(const char *dir, const gv_pattern *p, const gv_lib_meta *meta, const char *tag,
                    char *name, gv_err *e);

/* Entries newest first (*out malloc'd, caller frees; *n may be 0), half
 * entries included.  A missing directory is an empty library. */
int gv_library_list(const char *dir, gv_lib_entry **out, int *n, gv_err *e);

/* Loads entry name: its 2-bar pattern and (meta non-NULL) its sidecar, a
 * zeroed meta when there is none.  The pattern comes back on its grid: the
 * swing the sidecar records is taken out of its odd 16ths again, so that
 * played at that swing it sounds as the .mid does.  0; 1 when the pattern
 * loaded but the sidecar could not be read (meta zeroed, e says why) or its
 * latent was refused (meta without it, e says why); -1 on error (e.g. a
 * sidecar whose .mid is missing). */
int gv_library_load(const char *dir, const char *name, gv_pattern *p, gv_lib_meta *meta, gv_err *e);

/* Renames entry from to `to` (1..GV_LIB_NAME-1 bytes, no '/', no control
 * character, not starting with '.'), keeping the atomic pair: the .mid is
 * linked under the new name, the sidecar written under it (its "name" the
 * new one; a sidecar that does not parse is copied as it is), then the old
 * files removed, so that a crash at any point leaves every file readable
 * under one name or the other and loses nothing.  Never replaces an entry:
 * -1 with e when `to` exists (or from does not).  Songs refer to entries by
 * name: gv_song_dir_rename_pattern (session/song.h) follows a rename. */
int gv_library_rename(const char *dir, const char *from, const char *to, gv_err *e);

/* Removes entry name: both files, or the one a half entry has. */
int gv_library_delete(const char *dir, const char *name, gv_err *e);

/* The sidecar's fields as a cJSON object / back: gv_prov_to_json(m, 0) and
 * gv_prov_from_json (missing fields take their defaults).  Reading returns
 * -1 with e when the latent is refused (gv_prov_latent): m then holds every
 * other field and no latent (zdim 0), so the pattern is encoded instead. */
cJSON *gv_lib_meta_to_json(const gv_lib_meta *m);
int gv_lib_meta_from_json(const cJSON *o, gv_lib_meta *m, gv_err *e);

#endif
