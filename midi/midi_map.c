/* midi_map.c - voice <-> note maps and drum-map files (see midi_map.h). */
#include "midi_map.h"

#include <stdlib.h>
#include <string.h>

#include "base/fileio.h"

#define MAP_MAX_FILE (1 << 20)

void gv_midi_map_default(gv_midi_map *m)
{
    for (int v = 0; v < GV_VOICES; v++)
        m->note[v] = (uint8_t)gv_voice_note(v);
    for (int n = 0; n < 128; n++)
        m->voice[n] = (int8_t)gv_note_voice(n);
}

/* The next whitespace-separated word of the line at *s (advanced), copied
 * into w; 0 at the end of the line or at a comment. */
static int word(const char **s, char *w, size_t wn)
{
    const char *p = *s;
    while (*p == ' ' || *p == '\t' || *p == '\r')
        p++;
    if (!*p || *p == '\n' || *p == '#') {
        *s = p;
        return 0;
    }
    size_t k = 0;
    while (*p && *p != ' ' && *p != '\t' && *p != '\r' && *p != '\n' && *p != '#') {
        if (k + 1 < wn)
            w[k++] = *p;
        p++;
    }
    w[k] = 0;
    *s = p;
    return 1;
}

int gv_midi_map_parse(const char *text, gv_midi_map *m, gv_err *e)
{
    gv_midi_map out = *m;
    int line = 1;
    for (const char *s = text; *s; line++) {
        char w[64];
        if (word(&s, w, sizeof w)) {
            int v = gv_voice_parse(w);
            if (v < 0)
                return gv_fail(e, "line %d: unknown voice '%s'", line, w);
            int k = 0;
            while (word(&s, w, sizeof w)) {
                char *end;
                long n = strtol(w, &end, 10);
                if (*end || n < 0 || n > 127)
                    return gv_fail(e, "line %d: '%s' is not a note 0..127", line, w);
                if (k++ == 0)
                    out.note[v] = (uint8_t)n;
                out.voice[n] = (int8_t)v;
            }
            if (!k)
                return gv_fail(e, "line %d: %s has no note", line, gv_voice_name(v));
        }
        s += strcspn(s, "\n");
        if (*s)
            s++;
    }
    *m = out;
    return 0;
}

int gv_midi_map_load(const char *path, gv_midi_map *m, gv_err *e)
{
    unsigned char *data;
    size_t len;
    if (gv_read_file(path, MAP_MAX_FILE, &data, &len, e))
        return -1;
    gv_midi_map_default(m);
    int rc = strlen((char *)data) != len ? gv_fail(e, "not a text file") : gv_midi_map_parse((char *)data, m, e);
    free(data);
    return rc;
}
