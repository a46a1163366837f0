/* midi_port.c - what both port implementations share (see midi_port.h). */
#include "midi_port.h"

#include <time.h>

void gv_midi_close(gv_midi_port *p)
{
    if (p)
        p->ops->close(p);
}

int64_t gv_midi_clock_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int gv_midi_msg_len(uint8_t s)
{
    if (s < 0x80 || s == 0xf0 || s == 0xf7)
        return 0;
    if (s < 0xf0)
        return (s & 0xf0) == 0xc0 || (s & 0xf0) == 0xd0 ? 2 : 3;
    switch (s) {
    case 0xf1: case 0xf3: return 2; /* time code quarter frame, song select */
    case 0xf2: return 3;            /* song position pointer */
    default: return 1;              /* tune request, real-time */
    }
}
