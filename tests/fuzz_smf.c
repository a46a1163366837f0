/* fuzz_smf.c - libFuzzer target for the MIDI file reader and writer
 * (make fuzz).  Any input must parse or fail cleanly; what parses must give
 * a non-empty first bar, or an empty window when it has no notes at all (an
 * empty pattern), and write back (unless its tempo cannot be written). */
#include <stdint.h>
#include <stdlib.h>

#include "patterns/smf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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
