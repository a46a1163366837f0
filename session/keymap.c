/* keymap.c - key names, the default keys and the key-map file (see keymap.h). */
#include "session/keymap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/fileio.h"

static const struct {
    const char *name;
    int code;
} named_keys[] = {
    {"space", ' '},          {"tab", '\t'},           {"btab", GV_KEY_BTAB},    {"S-tab", GV_KEY_BTAB},
    {"enter", '\n'},         {"return", '\n'},        {"esc", 27},           {"backspace", GV_KEY_BACKSPACE},
    {"del", GV_KEY_DEL},         {"insert", GV_KEY_INSERT},      {"up", GV_KEY_UP},        {"down", GV_KEY_DOWN},
    {"left", GV_KEY_LEFT},      {"right", GV_KEY_RIGHT},    {"home", GV_KEY_HOME},    {"end", GV_KEY_END},
    {"pgup", GV_KEY_PGUP},     {"pgdn", GV_KEY_PGDN},     {"hash", '#'},
};

int gv_key_parse(const char *name)
{
    size_t n = strlen(name);
    if (n == 1 && (unsigned char)name[0] > ' ' && (unsigned char)name[0] < 127)
        return (unsigned char)name[0];
    for (size_t i = 0; i < sizeof named_keys / sizeof named_keys[0]; i++)
        if (!strcmp(name, named_keys[i].name))
            return named_keys[i].code;
    if (n == 3 && name[0] == 'C' && name[1] == '-' && name[2] >= 'a' && name[2] <= 'z')
        return name[2] - 'a' + 1;
    if ((n == 2 || n == 3) && name[0] == 'F') {
        char *end;
        long f = strtol(name + 1, &end, 10);
        if (!*end && f >= 1 && f <= 12)
            return GV_KEY_F((int)f);
    }
    return -1;
}

void gv_key_name(int key, char *out, size_t n)
{
    for (size_t i = 0; i < sizeof named_keys / sizeof named_keys[0]; i++)
        if (named_keys[i].code == key && key != '#') {
            snprintf(out, n, "%s", named_keys[i].name);
            return;
        }
    if (key > ' ' && key < 127)
        snprintf(out, n, "%c", key);
    else if (key >= 1 && key <= 26)
        snprintf(out, n, "C-%c", 'a' + key - 1);
    else if (key >= GV_KEY_F(1) && key <= GV_KEY_F(12))
        snprintf(out, n, "F%d", key - GV_KEY_F(0));
    else
        snprintf(out, n, "#%d", key);
}

/* Binds every key named in the space-separated list to a in ctx. */
static void bind_list(gv_keymap *km, int ctx, gv_action a, const char *list)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%s", list);
    for (char *save, *tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
        int k = gv_key_parse(tok);
        if (k >= 0 && k < GV_KEY_CODES)
            km->map[ctx][k] = (unsigned char)a;
    }
}

void gv_keymap_default(gv_keymap *km)
{
    memset(km, 0, sizeof *km);
    for (int c = 0; c < GV_CTX_COUNT; c++)
        for (int a = 1; a < GV_A_COUNT; a++)
            bind_list(km, c, (gv_action)a, gv_action_default_keys((gv_action)a, c));
    /* Terminals send these for Enter and Backspace too. */
    km->map[GV_CTX_NORMAL]['\r'] = GV_A_USE;
    km->map[GV_CTX_NORMAL][GV_KEY_ENTER] = GV_A_USE;
    km->map[GV_CTX_SONG]['\r'] = GV_A_SONG_PLAY;
    km->map[GV_CTX_SONG][GV_KEY_ENTER] = GV_A_SONG_PLAY;
}

static int parse_line(gv_keymap *km, char *line, gv_err *e)
{
    char *save, *tok = strtok_r(line, " \t", &save);
    if (!tok || tok[0] == '#')
        return 0;
    int ctx = GV_CTX_NORMAL;
    if (!strncmp(tok, "edit:", 5)) {
        ctx = GV_CTX_EDIT;
        tok += 5;
    } else if (!strncmp(tok, "jam:", 4)) {
        ctx = GV_CTX_JAM;
        tok += 4;
    } else if (!strncmp(tok, "song:", 5)) {
        ctx = GV_CTX_SONG;
        tok += 5;
    }
    gv_action a = gv_action_parse(tok);
    if (a == GV_A_NONE)
        return gv_fail(e, "unknown action '%s'", tok);
    int keys[16], nk = 0;
    for (char *k = strtok_r(NULL, " \t", &save); k; k = strtok_r(NULL, " \t", &save)) {
        int code = gv_key_parse(k);
        if (code < 0 || code >= GV_KEY_CODES)
            return gv_fail(e, "unknown key '%s'", k);
        if (nk < 16)
            keys[nk++] = code;
    }
    if (nk == 0)
        return gv_fail(e, "no key for '%s'", tok);
    for (int k = 0; k < GV_KEY_CODES; k++)
        if (km->map[ctx][k] == a)
            km->map[ctx][k] = GV_A_NONE;
    for (int i = 0; i < nk; i++)
        km->map[ctx][keys[i]] = (unsigned char)a;
    return 0;
}

int gv_keymap_parse(gv_keymap *km, const char *text, size_t len, gv_err *e)
{
    int rc = 0, lineno = 0;
    size_t i = 0;
    while (i < len) {
        size_t j = i;
        while (j < len && text[j] != '\n')
            j++;
        lineno++;
        char line[256];
        size_t n = j - i < sizeof line - 1 ? j - i : sizeof line - 1;
        memcpy(line, text + i, n);
        line[n] = 0;
        if (n && line[n - 1] == '\r')
            line[n - 1] = 0;
        gv_err le;
        if (parse_line(km, line, &le) != 0 && rc == 0)
            rc = gv_fail(e, "line %d: %s", lineno, le.msg);
        i = j + 1;
    }
    return rc;
}

int gv_keymap_load(gv_keymap *km, const char *path, gv_err *e)
{
    unsigned char *data;
    size_t len;
    if (access(path, F_OK) != 0)
        return 0; /* no key-map file: the defaults */
    if (gv_read_file(path, 1 << 20, &data, &len, e) != 0)
        return -1;
    int rc = gv_keymap_parse(km, (const char *)data, len, e);
    free(data);
    return rc;
}

gv_action gv_keymap_lookup(const gv_keymap *km, int ctx, int key)
{
    if (key < 0 || key >= GV_KEY_CODES || ctx < 0 || ctx >= GV_CTX_COUNT)
        return GV_A_NONE;
    gv_action a = (gv_action)km->map[ctx][key];
    if (a == GV_A_NONE && ctx == GV_CTX_EDIT)
        a = (gv_action)km->map[GV_CTX_NORMAL][key];
    return a;
}

void gv_keymap_keys(const gv_keymap *km, int ctx, gv_action a, char *out, size_t n)
{
    size_t used = 0;
    out[0] = 0;
    for (int k = 0; k < GV_KEY_CODES; k++) {
        if (km->map[ctx][k] != a || (k == '\r' || k == GV_KEY_ENTER))
            continue;
        char name[16];
        gv_key_name(k, name, sizeof name);
        int w = snprintf(out + used, n - used, "%s%s", used ? " " : "", name);
        if (w < 0 || (size_t)w >= n - used)
            break;
        used += (size_t)w;
    }
}
