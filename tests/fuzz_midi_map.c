/* fuzz_midi_map.c - libFuzzer target for --midi-map drum-map files (make
 * fuzz), through gv_midi_map_load as the front ends call it: any file must
 * load or be refused with a message; a map that loads sends a note 0..127
 * for every voice and records each note as a voice or as nothing. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "midi/midi_map.h"
#include "tests/fuzz_util.h"

static char path[512];

/* The default map written out as a drum-map file, every note it records
 * listed after the note it sends, plus the example of midi_map.h. */
static void write_seeds(void)
{
    gv_midi_map m;
    gv_midi_map_default(&m);
    static char text[8192];
    size_t n = (size_t)snprintf(text, sizeof text, "# groove drum map (the defaults)\n");
    for (int v = 0; v < GV_VOICES; v++) {
        n += (size_t)snprintf(text + n, sizeof text - n, "%-8s %d", gv_voice_name(v), m.note[v]);
        for (int k = 0; k < 128; k++)
            if (m.voice[k] == v && k != m.note[v])
                n += (size_t)snprintf(text + n, sizeof text - n, " %d", k);
        n += (size_t)snprintf(text + n, sizeof text - n, "\n");
    }
    fz_seed("gen-defaults.map", text, n);
    n = 0;
    for (int v = 0; v < GV_VOICES; v++) /* labels, CRLF, trailing comments */
        n += (size_t)snprintf(text + n, sizeof text - n, "%s\t%d %d # voice %d\r\n", gv_voice_label(v),
                              127 - v, v, v);
    fz_seed("gen-labels-crlf.map", text, n);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    if (fz_seeding()) {
        write_seeds();
        exit(0);
    }
    fz_init("fuzz_midi_map");
    fz_path(path, sizeof path, "drums.map");
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gv_midi_map m;
    gv_err e;
    e.msg[0] = 0;
    fz_put(path, data, size);
    int rc = gv_midi_map_load(path, &m, &e);
    unlink(path);
    if (rc != 0) {
        if (!e.msg[0])
            abort();
        return 0;
    }
    for (int v = 0; v < GV_VOICES; v++)
        if (m.note[v] > 127)
            abort();
    for (int k = 0; k < 128; k++)
        if (m.voice[k] < -1 || m.voice[k] >= GV_VOICES)
            abort();
    return 0;
}
