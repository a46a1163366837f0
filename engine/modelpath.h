/* modelpath.h - which weights file a command uses.
 *
 * Lookup order, first hit wins:
 *   1. the --model option (opt), as given
 *   2. $GROOVE_MODEL, when set and non-empty
 *   3. models/default.safetensors through gv_data_path (base/datadir.h):
 *      $GROOVE_DATA, the installed share directory, then the source tree's
 *      engine/models/default.safetensors
 * 1 and 2 are taken as given even when missing, so that loading reports the
 * file the user named. */
#ifndef GV_MODELPATH_H
#define GV_MODELPATH_H

#include <stddef.h>

#include "base/error.h"

#define GV_DEFAULT_MODEL "models/default.safetensors"

/* Writes the path into out (n bytes): 0, or -1 with e filled when nothing is
 * found or the path does not fit. */
int gv_model_path(const char *opt, char *out, size_t n, gv_err *e);

#endif
