/* fuzz_smf.c - libFuzzer target for the MIDI file reader and writer
 * (make fuzz).  Any input must parse or fail cleanly; what parses must give
 * a non-empty first bar, or an empty window when it has no notes at all (an
 * empty pattern), and write back (unless its tempo cannot be written). */
#include <stdint.h>
#include <stdlib.h>

#include "patterns/smf.h"
#include "tests/fuzz_util.h"

static void seed_pattern(const char *file, const gv_pattern *p)
{
    unsigned char *out;
    size_t len;
    gv_err e;
    if (gv_smf_write(p, &out, &len, &e) != 0)
        fz_die(e.msg, file);
    fz_seed(file, out, len);
    free(out);
}

/* Files as gv_smf_write writes them (export, keep, convert). */
static void write_seeds(void)
{
    static gv_pattern p;
    gv_pattern_init(&p, GV_MODEL_STEPS, 120, "groove");
    for (int s = 0; s < GV_MODEL_STEPS; s++) {
        gv_pattern_set(&p, s, GV_CHAT, s % 2 == 0, s % 4 ? 0.55f : 0.9f, s % 4 ? 0.12f : 0);
        gv_pattern_set(&p, s, GV_SNARE, s % 8 == 4, 1, -0.04f);
        gv_pattern_set(&p, s, GV_KICK, s % 16 == 0 || s % 16 == 10, 0.8f, 0);
    }
    seed_pattern("gen-two-bars.mid", &p);
    gv_pattern_init(&p, GV_MAX_STEPS, 400, "long and fast");
    for (int s = 0; s < GV_MAX_STEPS; s += 3)
        gv_pattern_set(&p, s, s % GV_VOICES, 1, 0.3f + 0.002f * (float)s, s % 2 ? 0.45f : -0.45f);
    seed_pattern("gen-256-steps.mid", &p);
    gv_pattern_init(&p, 16, 20, "");
    gv_pattern_set(&p, 15, GV_CRASH, 1, 0.05f, 0.5f);
    seed_pattern("gen-one-late-crash.mid", &p);
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
    static gv_pattern p;
    gv_score s;
    gv_err e;
    int channel = size ? (int)(data[size - 1] % 18) - 1 : -1; /* -1, 0 (invalid), 1..16 */
    if (gv_smf_parse(data, size, channel, &s, &e) != 0)
        return 0;
    if (s.n < 0 || (s.n > 0 && !s.notes) || s.steps_per_bar < 1 || s.steps_per_bar > GV_MAX_STEPS)
        abort();
    int first = gv_score_first_bar(&s);
    if (s.n == 0 ? first != 0 || gv_score_window(&s, 0, 1, &p, &e) != 0
                 : first < 0 || gv_score_bars(&s) <= first || gv_score_window(&s, first, 1, &p, &e) < 1)
        abort();
    gv_score_window(&s, first, 2, &p, &e); /* may refuse: 2 bars of 16/1 exceed 256 steps */
    unsigned char *out;
    size_t len;
    if (gv_smf_write(&p, &out, &len, &e) == 0)
        free(out);
    gv_score_free(&s);
    return 0;
}
