/* fuzz_keymap.c - libFuzzer target for the key-map file parser (make fuzz):
 * any text must apply or be refused with a message naming the line; every
 * key left bound must have a name that reads back as the same key (the help
 * screen shows those names and a key-map file may use them). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "session/keymap.h"
#include "tests/fuzz_util.h"

/* The defaults written out as a key-map file, the way a user would start
 * one: every action of both contexts with the names the help shows. */
static void write_seeds(void)
{
    gv_keymap km;
    gv_keymap_default(&km);
    static char text[32768];
    size_t n = (size_t)snprintf(text, sizeof text, "# groove key map: the defaults\n");
    for (int ctx = 0; ctx < GV_CTX_COUNT; ctx++)
        for (int a = 1; a < GV_A_COUNT; a++) {
            char keys[256];
            gv_keymap_keys(&km, ctx, (gv_action)a, keys, sizeof keys);
            if (keys[0])
                n += (size_t)snprintf(text + n, sizeof text - n, "%s%-18s %s\n", ctx == GV_CTX_EDIT ? "edit:" : ctx == GV_CTX_JAM ? "jam:" : ctx == GV_CTX_SONG ? "song:" : "",
                                      gv_action_name((gv_action)a), keys);
        }
    fz_seed("gen-defaults.keys", text, n);
    /* every key name the parser knows, bound across the actions */
    static const char *names[] = {"space", "tab",  "btab", "S-tab", "enter", "return", "esc", "backspace",
                                  "del",   "insert", "up", "down",  "left",  "right",  "home", "end",
                                  "pgup",  "pgdn", "hash", "C-a",   "C-z",   "F1",     "F12", "~"};
    n = 0;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        n += (size_t)snprintf(text + n, sizeof text - n, "%s%s\t%s\r\n", i % 2 ? "edit:" : "",
                              gv_action_name((gv_action)(1 + (int)i % (GV_A_COUNT - 1))), names[i]);
    fz_seed("gen-key-names.keys", text, n);
}

/* The defaults, made once: each run starts from a copy, and checks only the
 * keys the input rebound (the library's string compares are hooked by the
 * fuzzer and cost time). */
static gv_keymap defaults;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    if (fz_seeding()) {
        write_seeds();
        exit(0);
    }
    gv_keymap_default(&defaults);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gv_keymap km;
    gv_err e;
    e.msg[0] = 0;
    km = defaults;
    if (gv_keymap_parse(&km, (const char *)data, size, &e) != 0 && strncmp(e.msg, "line ", 5) != 0)
        abort(); /* an error must name its line */
    for (int ctx = 0; ctx < GV_CTX_COUNT; ctx++) {
        int changed[GV_A_COUNT] = {0};
        for (int k = 0; k < GV_KEY_CODES; k++) {
            gv_action a = gv_keymap_lookup(&km, ctx, k);
            if ((int)a < 0 || a >= GV_A_COUNT)
                abort();
            if (km.map[ctx][k] >= GV_A_COUNT)
                abort();
            if (km.map[ctx][k] != defaults.map[ctx][k]) /* the actions whose keys changed */
                changed[km.map[ctx][k]] = changed[defaults.map[ctx][k]] = 1;
            if (km.map[ctx][k] == GV_A_NONE || km.map[ctx][k] == defaults.map[ctx][k] || k == '\r' ||
                k == GV_KEY_ENTER)
                continue; /* Enter's aliases are bound by the defaults, never named */
            char name[32];
            gv_key_name(k, name, sizeof name);
            if (gv_key_parse(name) != k)
                abort();
        }
        for (int a = 1; a < GV_A_COUNT; a++) {
            if (!changed[a])
                continue;
            char keys[64];
            gv_keymap_keys(&km, ctx, (gv_action)a, keys, sizeof keys);
            if (!memchr(keys, 0, sizeof keys))
                abort();
        }
    }
    return 0;
}
