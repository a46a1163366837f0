/* tui_status.h - fitting the TUI's status line to the terminal's width,
 * with no curses behind it (so tests can call it).
 *
 * The line is a list of items, each with a long form ("swing 54%") and a
 * short one ("sw54%").  It keeps as many long forms as the width allows:
 * items go short one at a time, in the order given (the least telling
 * first), and only when every item is short do the separators narrow from
 * " | " to "| ".  The last item may still be cut by the caller. */
#ifndef GV_TUI_STATUS_H
#define GV_TUI_STATUS_H

#include <stddef.h>

#define TUI_STATUS_MAX 16

typedef struct tui_status_item {
    char lng[160], shrt[64]; /* shrt "" : the same as lng */
} tui_status_item;

/* Terminal columns of UTF-8 text (one per code point). */
int tui_text_cols(const char *s);

/* Joins items[0..n) into buf (size bytes) to fit `width` columns; order[k]
 * is the item that goes short k-th (n entries, a permutation).  Returns the
 * number of items in their short form. */
int tui_status_fit(const tui_status_item *items, const int *order, int n, int width, char *buf, size_t size);

#endif
