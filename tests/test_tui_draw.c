/* test_tui_draw.c - the TUI's drawing helpers that need no terminal
 * (issue 22's small defects): the status line keeps the long forms it has
 * room for. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "app/tui_status.h"

static int add(tui_status_item *it, int n, const char *lng, const char *shrt)
{
    snprintf(it[n].lng, sizeof it[n].lng, "%s", lng);
    snprintf(it[n].shrt, sizeof it[n].shrt, "%s", shrt);
    return n + 1;
}

/* The TUI's items with a long audio device name: at 120 columns only that
 * name goes short (the old line went all short: "sw50%| T1.0| D1.0"). */
Test(status, keeps_the_long_forms_it_has_room_for)
{
    tui_status_item it[TUI_STATUS_MAX];
    int n = 0;
    n = add(it, n, "stopped", "");
    n = add(it, n, "100 BPM", "100bpm");
    n = add(it, n, "1 lane", "");
    n = add(it, n, "swing 54%", "sw54%");
    n = add(it, n, "temp 1.0", "T1.0");
    n = add(it, n, "dens 1.0", "D1.0");
    n = add(it, n, "feel auto", "");
    n = add(it, n, "N 4", "N4");
    n = add(it, n, "audio ALSA: HDA Intel PCH: ALC3246 Analog (hw:0,0)", "audio");
    n = add(it, n, "midi off", "");
    n = add(it, n, "groove-vae-2bar", "");
    const int order[] = {8, 4, 5, 7, 3, 1, 0, 2, 6, 9, 10};
    char buf[512];
    int k = tui_status_fit(it, order, n, 119, buf, sizeof buf);
    cr_assert_eq(k, 1, "only the device name goes short: %s", buf);
    cr_assert_str_eq(buf, "stopped | 100 BPM | 1 lane | swing 54% | temp 1.0 | dens 1.0 | feel auto | N 4 | audio | "
                          "midi off | groove-vae-2bar");
    cr_assert_leq(tui_text_cols(buf), 119);
    /* 110 columns: temp and dens go short next, the rest stays long */
    k = tui_status_fit(it, order, n, 109, buf, sizeof buf);
    cr_assert_eq(k, 3, "%s", buf);
    cr_assert_str_eq(buf, "stopped | 100 BPM | 1 lane | swing 54% | T1.0 | D1.0 | feel auto | N 4 | audio | "
                          "midi off | groove-vae-2bar");
    /* 200 columns: everything long */
    cr_assert_eq(tui_status_fit(it, order, n, 199, buf, sizeof buf), 0);
    cr_assert(strstr(buf, "HDA Intel"), "%s", buf);
    /* 60 columns: all short, narrow separators (the caller cuts the rest) */
    cr_assert_eq(tui_status_fit(it, order, n, 59, buf, sizeof buf), n);
    cr_assert(!strncmp(buf, "stopped| 100bpm| 1 lane| sw54%| T1.0| D1.0", 42), "%s", buf);
}

Test(status, counts_code_points)
{
    cr_assert_eq(tui_text_cols("a\u2502b"), 3);
    cr_assert_eq(tui_text_cols(""), 0);
}
