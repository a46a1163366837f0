/* tui_status.c - the status line's fitting (see tui_status.h). */
#include "app/tui_status.h"

#include <stdio.h>
#include <string.h>

int tui_text_cols(const char *s)
{
    int n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        n += (*p & 0xc0) != 0x80;
    return n;
}

static void join(const tui_status_item *items, const int *is_short, int n, const char *sep, char *buf, size_t size)
{
    size_t len = 0;
    buf[0] = 0;
    for (int i = 0; i < n && len < size; i++) {
        const char *s = is_short[i] && items[i].shrt[0] ? items[i].shrt : items[i].lng;
        int w = snprintf(buf + len, size - len, "%s%s", i ? sep : "", s);
        if (w < 0)
            break;
        len += (size_t)w;
    }
}

int tui_status_fit(const tui_status_item *items, const int *order, int n, int width, char *buf, size_t size)
{
    int is_short[TUI_STATUS_MAX] = {0};
    if (n > TUI_STATUS_MAX)
        n = TUI_STATUS_MAX;
    for (int k = 0; k <= n; k++) {
        if (k > 0 && order[k - 1] >= 0 && order[k - 1] < n)
            is_short[order[k - 1]] = 1;
        join(items, is_short, n, " | ", buf, size);
        if (tui_text_cols(buf) <= width)
            return k;
    }
    join(items, is_short, n, "| ", buf, size);
    return n;
}
