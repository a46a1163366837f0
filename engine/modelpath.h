/* modelpath.h - which weights file a command uses, and the one function
 * that finds and loads it for every front end (generate and the model
 * commands, eval, the TUI):
 *
 *   char path[4096];
 *   if (gv_model_open(opt, &m, path, sizeof path, &e) != 0)
 *       error line: "groove: PATH: e.msg", or "groove: e.msg" when path is ""
 *
 * Lookup order, first hit wins:
 *   1. the --model option (opt), as given
 *   2. $GROOVE_MODEL, when set and non-empty
 *   3. models/default.safetensors through gv_data_path (base/datadir.h):
 *      $GROOVE_DATA, the installed share directory, then the source tree's
 *      engine/models/default.safetensors
 * 1 and 2 are taken as given even when missing, so that loading reports the
 * file the user named; except that a bare name that is no file in the
 * current directory ("groovae-2bar") names a shipped model,
 * models/NAME.safetensors, looked up as in 3 when it is there. */
#ifndef GV_MODELPATH_H
#define GV_MODELPATH_H

#include <stddef.h>

#include "base/error.h"
#include "engine/model.h"

#define GV_DEFAULT_MODEL "models/default.safetensors"

/* Writes the path into out (n bytes): 0, or -1 with e filled when nothing is
 * found or the path does not fit. */
int gv_model_path(const char *opt, char *out, size_t n, gv_err *e);

/* 1 when the user named a model (opt given, or $GROOVE_MODEL set and not
 * empty): its failing to load is then an error, where the shipped model's
 * absence only turns generation off (the TUI). */
int gv_model_named(const char *opt);

/* Finds the model (gv_model_path) and loads it into m (gv_model_load; free
 * with gv_model_free).  0; -1 with e saying what is wrong, and path (n
 * bytes) the file it concerns, "" when no file was found. */
int gv_model_open(const char *opt, gv_model *m, char *path, size_t n, gv_err *e);

#endif
