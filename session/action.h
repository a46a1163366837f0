/* action.h - what a key can ask the session to do, and the one table that
 * says, for each action, its handler, its name (as the key-map file writes
 * it), its help line (the `?` screen) and its default keys.
 *
 * The table lives in actions.c with the handlers; this header stays apart
 * from it and from the session state so that the key map (keymap.h) can name
 * actions without seeing the session: keymap.c reads names and default keys
 * from the table, the table's handlers change the state (state.h), and
 * nothing below calls back up.
 *
 * gv_core_action runs an action of the normal mode; the core's key routing
 * (core.h) gets there through the key map. */
#ifndef GV_ACTION_H
#define GV_ACTION_H

struct gv_core;

typedef enum gv_action {
    GV_A_NONE,
    GV_A_PLAY, GV_A_GENERATE,
    GV_A_SELECT1, GV_A_SELECT2, GV_A_SELECT3, GV_A_SELECT4,
    GV_A_SELECT5, GV_A_SELECT6, GV_A_SELECT7, GV_A_SELECT8,
    GV_A_SELECT_NEXT, GV_A_SELECT_PREV,
    GV_A_AUDITION, GV_A_AUDITION_INPUT, GV_A_USE,
    GV_A_TAP, GV_A_METRONOME,
    GV_A_LEFT, GV_A_RIGHT, GV_A_UP, GV_A_DOWN, GV_A_EDIT_MODE,
    GV_A_TOGGLE, GV_A_VEL_UP, GV_A_VEL_DOWN, GV_A_NUDGE_EARLY, GV_A_NUDGE_LATE,
    GV_A_CLEAR, GV_A_UNDO, GV_A_REDO,
    GV_A_TEMP_DOWN, GV_A_TEMP_UP, GV_A_DENS_DOWN, GV_A_DENS_UP, GV_A_FEEL,
    GV_A_LANES, GV_A_LOCK, GV_A_CAP_DOWN, GV_A_CAP_UP, GV_A_VDENS_DOWN, GV_A_VDENS_UP, GV_A_HUMANIZE,
    GV_A_FEWER, GV_A_MORE, GV_A_TEMPO_DOWN, GV_A_TEMPO_UP, GV_A_SWING, GV_A_SWING_BACK,
    GV_A_KEEP, GV_A_LIBRARY, GV_A_VARY, GV_A_INTERPOLATE,
    GV_A_EXPORT, GV_A_OPEN, GV_A_MIDI, GV_A_MIDI_CLOCK, GV_A_QUIT, GV_A_HELP, GV_A_CANCEL,
    /* the jam (issue 21): J starts it; the rest are keys of the jam context */
    GV_A_JAM, GV_A_JAM_END, GV_A_FOLLOW_DOWN, GV_A_FOLLOW_UP, GV_A_HOLD, GV_A_EVERY, GV_A_JAM_FEEL,
    GV_A_MUTE, GV_A_JAM_EXPORT, GV_A_JAM_KEEP,
    /* takes and history (issue 22) */
    GV_A_BAR_BACK, GV_A_BAR_ON, GV_A_WINDOW_BACK, GV_A_WINDOW_ON, GV_A_BATCH_BACK, GV_A_BATCH_ON, GV_A_REGENERATE,
    /* the mixer and kits (issue 22) */
    GV_A_VOICE_MUTE, GV_A_VOICE_SOLO, GV_A_VOICE_VOL_DOWN, GV_A_VOICE_VOL_UP, GV_A_EXPORT_HEARD, GV_A_KITS,
    GV_A_MODEL,
    /* the song view (A) and its keys (the song context); the tempo keys */
    GV_A_SONG, GV_A_SONG_UP, GV_A_SONG_DOWN, GV_A_SONG_ADD, GV_A_SONG_ADD_INPUT, GV_A_SONG_EARLIER,
    GV_A_SONG_LATER, GV_A_SONG_REPEAT_DOWN, GV_A_SONG_REPEAT_UP, GV_A_SONG_FILL, GV_A_SONG_DELETE,
    GV_A_SONG_PLAY, GV_A_SONG_EXPORT, GV_A_SONG_SAVE, GV_A_SONG_OPEN, GV_A_SONG_CLOSE,
    GV_A_TAP_TEMPO, GV_A_BPM, GV_A_BARS,
    GV_A_COUNT
} gv_action;

/* Where a key is looked up: the normal mode, the edit mode (falling back to
 * normal), a jam (no fallback: a key bound to nothing there taps), the song
 * view (no fallback). */
enum gv_key_context { GV_CTX_NORMAL, GV_CTX_EDIT, GV_CTX_JAM, GV_CTX_SONG, GV_CTX_COUNT };

/* Runs action a (what a key maps to in the normal or edit mode) at clock
 * time now (seconds; only tapping reads it).  GV_A_NONE does nothing. */
void gv_core_action(struct gv_core *c, gv_action a, double now);

/* A click on input cell (step, row) toggles it (undoable). */
void gv_core_click_cell(struct gv_core *c, int step, int row);

const char *gv_action_name(gv_action a);     /* "tempo-up"; "none" out of range */
gv_action gv_action_parse(const char *name); /* GV_A_NONE if unknown */
const char *gv_action_help(gv_action a);     /* "tempo +1 BPM" */
/* The default keys of a in ctx as gv_keymap_default binds them, space
 * separated key names ("" none). */
const char *gv_action_default_keys(gv_action a, int ctx);

/* Opposite actions share a help line ("[ / ]  temperature - / +"), so that
 * the keys fit one page at 80x24: the first of a pair gives its partner and
 * the line's text (*help); GV_A_NONE for an action with no partner or for
 * the second of a pair (gv_action_paired: it is shown on the first's line). */
gv_action gv_action_pair(gv_action a, const char **help);
int gv_action_paired(gv_action a);

#endif
