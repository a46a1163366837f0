/* tui_term.c - the terminal under the TUI (see tui.h): starting and ending
 * the curses screen, the escape delay, and ncurses key codes turned into the
 * session's (session/keys.h).  Everything else in the session knows no
 * terminal. */
#include <curses.h>
#include <stdlib.h>

#include "app/tui.h"

int tui_term_key(int ch)
{
    if (ch >= 0 && ch < 256)
        return ch;
    if (ch >= KEY_F(1) && ch <= KEY_F(12))
        return GV_KEY_F(ch - KEY_F0);
    switch (ch) {
    case KEY_DOWN: return GV_KEY_DOWN;
    case KEY_UP: return GV_KEY_UP;
    case KEY_LEFT: return GV_KEY_LEFT;
    case KEY_RIGHT: return GV_KEY_RIGHT;
    case KEY_HOME: return GV_KEY_HOME;
    case KEY_END: return GV_KEY_END;
    case KEY_BACKSPACE: return GV_KEY_BACKSPACE;
    case KEY_DC: return GV_KEY_DEL;
    case KEY_IC: return GV_KEY_INSERT;
    case KEY_NPAGE: return GV_KEY_PGDN;
    case KEY_PPAGE: return GV_KEY_PGUP;
    case KEY_ENTER: return GV_KEY_ENTER;
    case KEY_BTAB: return GV_KEY_BTAB;
    default: return GV_KEY_OTHER;
    }
}

/* The option's delay, else $ESCDELAY (ncurses' own variable, in ms), else
 * the default. */
static int escdelay(int opt_ms)
{
    if (opt_ms >= 0)
        return opt_ms;
    const char *env = getenv("ESCDELAY");
    char *end;
    long v = env && *env ? strtol(env, &end, 10) : -1;
    return env && *env && !*end && v >= 0 && v <= TUI_ESCDELAY_MAX ? (int)v : TUI_ESCDELAY_DEFAULT;
}

/* Both forms of the cursor keys are arrows, whatever the terminfo entry
 * says: its kcuu1 is often only the application form (ESC O A) while a
 * terminal over SSH or a multiplexer sends ESC [ A, which ncurses would
 * hand over as Esc, '[' (a key here), 'A'. */
static void define_cursor_keys(void)
{
    static const struct {
        char final;
        int key;
    } keys[] = {{'A', KEY_UP}, {'B', KEY_DOWN}, {'C', KEY_RIGHT}, {'D', KEY_LEFT}, {'H', KEY_HOME}, {'F', KEY_END}};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        for (const char *intro = "[O"; *intro; intro++) {
            char seq[4] = {27, *intro, keys[i].final, 0};
            if (key_defined(seq) == 0)
                define_key(seq, keys[i].key);
        }
}

void tui_term_start(tui *t, int escdelay_ms)
{
    initscr();
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE);
    curs_set(0);
    set_escdelay(escdelay(escdelay_ms));
    define_cursor_keys();
    mouseinterval(0);
    mousemask(BUTTON1_PRESSED | BUTTON1_CLICKED, NULL);
    tui_colors_init(t);
}

void tui_term_stop(void)
{
    endwin();
}
