/* fuzz_tab.c - libFuzzer target for the drum-tab reader (make fuzz): any
 * text must parse or be refused with a message; what parses must be a valid
 * pattern, and writing it and reading that back must give the same grid. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "patterns/tab.h"
#include "tests/fuzz_util.h"

static gv_pattern pat, back;

static void seed_pattern(const char *file, const gv_pattern *p)
{
    char *text;
    size_t len;
    if (gv_tab_write(p, &text, &len) != 0)
        abort();
    fz_seed(file, text, len);
    free(text);
}

/* Tabs as gv_tab_write writes them: plain, with offsets, the longest. */
static void write_seeds(void)
{
    gv_pattern_init(&pat, 32, 96, "Rock basic");
    for (int s = 0; s < 32; s++) {
        gv_pattern_set(&pat, s, GV_CHAT, s % 2 == 0, s % 8 == 0 ? 1.0f : 0.7f, 0);
        if (s % 16 == 4 || s % 16 == 12)
            gv_pattern_set(&pat, s, GV_SNARE, 1, 1.0f, 0);
        if (s % 16 == 0 || s % 16 == 10)
            gv_pattern_set(&pat, s, GV_KICK, 1, 0.7f, 0);
    }
    gv_pattern_set(&pat, 23, GV_SNARE, 1, 0.35f, 0);
    seed_pattern("gen-rock.tab", &pat);
    /* late kick, early ghost, triplet feel on the hats */
    gv_pattern_set(&pat, 10, GV_KICK, 1, 0.7f, 0.15f);
    gv_pattern_set(&pat, 23, GV_SNARE, 1, 0.35f, -0.1f);
    for (int s = 2; s < 32; s += 4)
        gv_pattern_set(&pat, s, GV_CHAT, 1, 0.7f, 0.35f);
    gv_pattern_set(&pat, 0, GV_CRASH, 1, 1.0f, -0.45f);
    seed_pattern("gen-offsets.tab", &pat);
    gv_pattern_init(&pat, GV_MAX_STEPS, 400, "");
    for (int s = 0; s < GV_MAX_STEPS; s++)
        gv_pattern_set(&pat, s, s % GV_VOICES, 1, (float)(s % 3 + 1) / 3, 0);
    seed_pattern("gen-256-steps.tab", &pat);
    gv_pattern_init(&pat, 16, 20, "one bar, slowest");
    gv_pattern_set(&pat, 0, GV_RIDE, 1, 0.35f, 0.05f);
    seed_pattern("gen-one-bar.tab", &pat);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    if (fz_seeding()) {
        write_seeds();
        exit(0);
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gv_err e;
    e.msg[0] = 0;
    if (gv_tab_read((const char *)data, size, &pat, &e) != 0) {
        if (!e.msg[0])
            abort(); /* refused without saying why */
        return 0;
    }
    if (pat.steps < GV_MIN_STEPS || pat.steps > GV_MAX_STEPS || pat.steps % GV_STEPS_PER_BAR ||
        !(pat.bpm >= 20 && pat.bpm <= 400) || !memchr(pat.name, 0, sizeof pat.name))
        abort();
    char *text;
    size_t len;
    if (gv_tab_write(&pat, &text, &len) != 0)
        abort();
    if (strlen(text) != len || gv_tab_read(text, len, &back, &e) != 0)
        abort(); /* what we write we must read */
    free(text);
    if (back.steps != pat.steps || fabsf(back.bpm - pat.bpm) > 0.01f * pat.bpm)
        abort();
    for (int s = 0; s < pat.steps; s++)
        for (int v = 0; v < GV_VOICES; v++)
            if (back.hit[s][v] != pat.hit[s][v] || back.vel[s][v] != pat.vel[s][v] ||
                back.off[s][v] != pat.off[s][v])
                abort();
    return 0;
}
