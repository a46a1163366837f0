/* core_song.h - the song view (issue 22): kept patterns put together into
 * a song (session/song.h) inside the TUI, with no terminal.
 *
 * The view (GV_MODE_SONG, keys of the song context) lists c->songv.song's
 * sections; the selected one is c->songv.sel.  Adding takes the library
 * entry chosen in the library (opened to pick one: lib_pick 2) or the input
 * (kept in the library first: songs refer to entries by id), inserted after
 * the selection.  A fill is toggled on the selected section: a one-bar
 * variation at a higher density (GV_FILL_VARY, its seed from fill_seed),
 * which needs the model (songv.model, set by the front end).
 *
 * Auditioning arranges the song at the session's tempo and swing
 * (gv_song_resolve, gv_song_fills, gv_song_arrange into songv.parts) and
 * plays it from the selected section's first step to the end, then round
 * again from there: play_src GV_PLAY_SONG, `play` the first chunk.  The
 * front end asks for the chunks that follow (gv_core_song_chunk) and queues
 * each at the previous one's end; songv.serial moves at each start, so a
 * play_serial change with the same songv.serial (a tempo change) is no
 * restart.
 *
 * Export writes the arrangement as one Standard MIDI File with a marker at
 * each section start (gv_song_export); save and open use library/songs/
 * under the session's library folder (gv_song_save, gv_song_open: a
 * corrupt song file is moved aside, never overwritten).
 *
 * Above state.h and core_io.h (the library picker, the prompts' line
 * editing); the action table and the key routing call it. */
#ifndef GV_CORE_SONG_H
#define GV_CORE_SONG_H

#include "base/error.h"
#include "session/state.h"

/* The view: open (the normal mode's song key), close. */
void gv_core_song_view(gv_core *c);
void gv_core_song_close(gv_core *c);

/* The selection d sections on (wrapping). */
void gv_core_song_select(gv_core *c, int d);

/* Opens the library to choose an entry to add (Enter adds it). */
void gv_core_song_pick(gv_core *c);
/* A key while choosing: movement, p / space play, Enter adds, Esc back. */
void gv_core_song_library_key(gv_core *c, int key, double now);

/* Adds library entry id after the selection (selecting it); the input is
 * kept in the library first by gv_core_song_add_input.  -1 with e. */
int gv_core_song_add(gv_core *c, const char *id, gv_err *e);
int gv_core_song_add_input(gv_core *c, gv_err *e);

/* The selected section moved d places (it stays selected), its repeats
 * changed by d (1..GV_SONG_MAX_REPEAT), its fill toggled, it deleted. */
void gv_core_song_move(gv_core *c, int d);
void gv_core_song_repeat(gv_core *c, int d);
void gv_core_song_fill(gv_core *c);
void gv_core_song_delete(gv_core *c);

/* Arranges the song into songv.parts/starts/total at the session's tempo
 * and swing.  -1 with e (no sections, a section that does not load, a fill
 * without a model). */
int gv_core_song_arrange(gv_core *c, gv_err *e);
/* Auditions the song from the selected section (a message says why not). */
void gv_core_song_play(gv_core *c);
/* The chunk of the arranged song starting at step at: out gets steps at ..
 * at + min(GV_MAX_STEPS, total - at); returns where the next chunk starts
 * (songv.from again after the end). */
long gv_core_song_chunk(const gv_core_song *sv, long at, gv_pattern *out);
/* The section playing at step (of the arrangement), -1 when none. */
int gv_core_song_section_at(const gv_core_song *sv, long step);

/* Writes the arranged song to path (atomically). */
int gv_core_song_export(gv_core *c, const char *path, gv_err *e);
/* Saves the song as library/songs/NAME.json (named name), opens NAME. */
int gv_core_song_save(gv_core *c, const char *name, gv_err *e);
int gv_core_song_open(gv_core *c, const char *name, gv_err *e);

/* The prompts of the view (GV_PROMPT_SONG_*): opened with a default, and
 * what Enter does with the text. */
void gv_core_song_prompt(gv_core *c, int kind);
void gv_core_song_prompt_submit(gv_core *c);

/* The model generated fills use (read only; NULL: none). */
void gv_core_song_set_model(gv_core *c, const gv_model *m);

/* Frees the arrangement (gv_core_free). */
void gv_core_song_free(gv_core *c);

#endif
