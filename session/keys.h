/* keys.h - the keys the session understands, with no terminal behind them.
 *
 * A key is an int: a character (0..255: what the terminal sends for a
 * printable key, Ctrl-a..Ctrl-z as 1..26, Esc as 27, Enter as '\n' or '\r')
 * or one of the GV_KEY_* codes below for keys that send no character.  The
 * front end translates its own codes into these (the TUI: tui_term_key);
 * tests and other front ends call gv_core_key with them directly.  A key the
 * front end cannot name is GV_KEY_OTHER: no action is bound to it, but it
 * still counts as "a key" (it closes the help, for instance).
 *
 * The special codes keep the order of the terminal's (ncurses') codes, so
 * that key lists sorted by code read as they always have ("? F1"). */
#ifndef GV_KEYS_H
#define GV_KEYS_H

enum gv_key {
    GV_KEY_DOWN = 256,
    GV_KEY_UP,
    GV_KEY_LEFT,
    GV_KEY_RIGHT,
    GV_KEY_HOME,
    GV_KEY_BACKSPACE,
    GV_KEY_F0, /* F1..F12 follow: GV_KEY_F(n) */
    GV_KEY_DEL = GV_KEY_F0 + 13,
    GV_KEY_INSERT,
    GV_KEY_PGDN,
    GV_KEY_PGUP,
    GV_KEY_ENTER, /* the keypad's Enter; the main one sends '\n' or '\r' */
    GV_KEY_BTAB,  /* Shift-Tab */
    GV_KEY_END,
    GV_KEY_OTHER, /* any key without a name here */
    GV_KEY_CODES  /* codes are 0..GV_KEY_CODES-1 */
};

#define GV_KEY_F(n) (GV_KEY_F0 + (n)) /* n 1..12 */
#define GV_KEY_ESC 27

#endif
