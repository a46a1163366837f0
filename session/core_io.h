/* core_io.h - the session's file work: opening a file as the input,
 * exporting and keeping suggestions, the library browser, the path prompts
 * and their completion.  Above state.h; it calls the jobs (core_job.h) for
 * the library's vary and interpolate, nothing else of the session. */
#ifndef GV_CORE_IO_H
#define GV_CORE_IO_H

#include "base/error.h"
#include "session/state.h"

/* Loads as the input, through gv_pattern_load with c->window (by default 2
 * bars from the first bar with notes): a .mid/.midi file, a .tab, a preset
 * name, or "gmd/..." / "presets/..." from the data directory; "~/" is $HOME. */
int gv_core_open(gv_core *c, const char *path, gv_err *e);
/* Writes suggestion k to path (.mid or .tab by extension). */
int gv_core_export(gv_core *c, int k, const char *path, gv_err *e);
/* Keeps suggestion k in the library (an empty one too: the keep and export
 * keys ask first, GV_CONFIRM_EMPTY_*). */
int gv_core_keep(gv_core *c, int k, gv_err *e);
/* Rereads the library list (and the selected entry). */
void gv_core_library_refresh(gv_core *c);

/* Completes the path in buf (size n) in place: the longest common prefix of
 * the matching files (.mid/.midi/.tab), directories and presets; hint gets
 * the candidates when there are several.  Returns the number of matches. */
int gv_complete_path(char *buf, size_t n, char *hint, size_t hn);

/* The library browser (GV_MODE_LIBRARY): opening it, its keys, deleting the
 * selected entry (after the confirmation). */
void gv_core_library_open(gv_core *c);
void gv_core_library_key(gv_core *c, int key, double now);
void gv_core_library_delete(gv_core *c);
/* Renames library entry rename_from to `to` (gv_library_rename: the files'
 * atomic pair), the songs in library/songs and the one in the song view
 * following it, and selects it; says what happened. */
void gv_core_library_rename(gv_core *c, const char *to);

/* The prompts (GV_MODE_PROMPT): the export prompt with a fresh file name,
 * the open prompt, and their keys. */
void gv_core_export_prompt(gv_core *c);
void gv_core_open_prompt(gv_core *c);
void gv_core_prompt_key(gv_core *c, int key);

#endif
