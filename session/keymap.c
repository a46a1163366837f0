/* keymap.c - action names, default keys and the key-map file (see keymap.h). */
#include "session/keymap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/fileio.h"

typedef struct action_info {
    const char *name, *help;
    const char *keys[GV_CTX_COUNT]; /* default keys, space separated */
} action_info;

static const action_info actions[GV_A_COUNT] = {
    [GV_A_NONE] = {"none", "", {"", ""}},
    [GV_A_PLAY] = {"play", "play / stop", {"space", ""}},
    [GV_A_GENERATE] = {"generate", "generate from the groove", {"g", ""}},
    [GV_A_SELECT1] = {"select-1", "select suggestion 1", {"1", ""}},
    [GV_A_SELECT2] = {"select-2", "select suggestion 2", {"2", ""}},
    [GV_A_SELECT3] = {"select-3", "select suggestion 3", {"3", ""}},
    [GV_A_SELECT4] = {"select-4", "select suggestion 4", {"4", ""}},
    [GV_A_SELECT5] = {"select-5", "select suggestion 5", {"5", ""}},
    [GV_A_SELECT6] = {"select-6", "select suggestion 6", {"6", ""}},
    [GV_A_SELECT7] = {"select-7", "select suggestion 7", {"7", ""}},
    [GV_A_SELECT8] = {"select-8", "select suggestion 8", {"8", ""}},
    [GV_A_SELECT_NEXT] = {"select-next", "next suggestion", {"tab", ""}},
    [GV_A_SELECT_PREV] = {"select-prev", "previous suggestion", {"btab", ""}},
    [GV_A_AUDITION] = {"audition", "play selected (next bar)", {"p", ""}},
    [GV_A_AUDITION_INPUT] = {"audition-input", "play the input (next bar)", {"P", ""}},
    [GV_A_USE] = {"use", "selected becomes the input", {"enter", ""}},
    [GV_A_TAP] = {"tap", "tap a groove (count-in)", {"t", ""}},
    [GV_A_METRONOME] = {"metronome", "metronome on / off", {"m", ""}},
    [GV_A_LEFT] = {"cursor-left", "cursor left", {"left", "h"}},
    [GV_A_RIGHT] = {"cursor-right", "cursor right", {"right", "l"}},
    [GV_A_UP] = {"cursor-up", "cursor up", {"up", "k"}},
    [GV_A_DOWN] = {"cursor-down", "cursor down", {"down", "j"}},
    [GV_A_EDIT_MODE] = {"edit-mode", "edit mode: hjkl move", {"E", ""}},
    [GV_A_TOGGLE] = {"toggle", "toggle hit (or click it)", {"x", ""}},
    [GV_A_VEL_UP] = {"velocity-up", "velocity +", {"+ =", ""}},
    [GV_A_VEL_DOWN] = {"velocity-down", "velocity -", {"-", ""}},
    [GV_A_NUDGE_EARLY] = {"nudge-early", "nudge hit earlier", {"<", ""}},
    [GV_A_NUDGE_LATE] = {"nudge-late", "nudge hit later", {">", ""}},
    [GV_A_CLEAR] = {"clear", "clear the input", {"C", ""}},
    [GV_A_UNDO] = {"undo", "undo", {"u", ""}},
    [GV_A_REDO] = {"redo", "redo", {"C-r", ""}},
    [GV_A_TEMP_DOWN] = {"temperature-down", "temperature -", {"[", ""}},
    [GV_A_TEMP_UP] = {"temperature-up", "temperature +", {"]", ""}},
    [GV_A_DENS_DOWN] = {"density-down", "density - (fewer hits)", {"{", ""}},
    [GV_A_DENS_UP] = {"density-up", "density + (more hits)", {"}", ""}},
    [GV_A_FEEL] = {"feel", "feel: auto / groove / timing / model", {"f", ""}},
    [GV_A_LANES] = {"lanes", "input lanes: 1 / 2 / 3", {"a", ""}},
    [GV_A_LOCK] = {"lock", "lock / unlock cursor voice", {"L", ""}},
    [GV_A_CAP_DOWN] = {"cap-down", "cursor voice: cap -", {";", ""}},
    [GV_A_CAP_UP] = {"cap-up", "cursor voice: cap + / none", {"'", ""}},
    [GV_A_VDENS_DOWN] = {"voice-density-down", "cursor voice: density -", {"(", ""}},
    [GV_A_VDENS_UP] = {"voice-density-up", "cursor voice: density +", {")", ""}},
    [GV_A_HUMANIZE] = {"humanize", "humanize the input", {"H", ""}},
    [GV_A_FEWER] = {"fewer", "fewer suggestions", {"n", ""}},
    [GV_A_MORE] = {"more", "more suggestions", {"N", ""}},
    [GV_A_TEMPO_DOWN] = {"tempo-down", "tempo -1 BPM", {",", ""}},
    [GV_A_TEMPO_UP] = {"tempo-up", "tempo +1 BPM", {".", ""}},
    [GV_A_SWING] = {"swing", "swing + (wraps to straight)", {"s", ""}},
    [GV_A_SWING_BACK] = {"swing-back", "swing -", {"S", ""}},
    [GV_A_KEEP] = {"keep", "keep selected in library", {"k", ""}},
    [GV_A_LIBRARY] = {"library", "open the library", {"l", ""}},
    [GV_A_VARY] = {"vary", "variations of selected", {"v", ""}},
    [GV_A_INTERPOLATE] = {"interpolate", "interpolate two kept ones", {"i", ""}},
    [GV_A_EXPORT] = {"export", "export selected as MIDI", {"e", ""}},
    [GV_A_OPEN] = {"open", "open a file or preset", {"o", ""}},
    [GV_A_MIDI] = {"midi", "MIDI ports: output / input", {"M", ""}},
    [GV_A_MIDI_CLOCK] = {"midi-clock", "MIDI clock: off / out / in", {"c", ""}},
    [GV_A_QUIT] = {"quit", "quit", {"q", ""}},
    [GV_A_HELP] = {"help", "this help", {"? F1", ""}},
    [GV_A_CANCEL] = {"cancel", "cancel tap / edit mode", {"esc", ""}},
};

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

const char *gv_action_name(gv_action a)
{
    return a > GV_A_NONE && a < GV_A_COUNT ? actions[a].name : "none";
}

const char *gv_action_default_keys(gv_action a, int ctx)
{
    return a > GV_A_NONE && a < GV_A_COUNT && ctx >= 0 && ctx < GV_CTX_COUNT ? actions[a].keys[ctx] : "";
}

const char *gv_action_help(gv_action a)
{
    return a > GV_A_NONE && a < GV_A_COUNT ? actions[a].help : "";
}

gv_action gv_action_parse(const char *name)
{
    for (int a = 1; a < GV_A_COUNT; a++)
        if (!strcmp(name, actions[a].name))
            return (gv_action)a;
    return GV_A_NONE;
}

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
            bind_list(km, c, (gv_action)a, actions[a].keys[c]);
    /* Terminals send these for Enter and Backspace too. */
    km->map[GV_CTX_NORMAL]['\r'] = GV_A_USE;
    km->map[GV_CTX_NORMAL][GV_KEY_ENTER] = GV_A_USE;
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
    if (a == GV_A_NONE && ctx != GV_CTX_NORMAL)
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
