/* midi_port.h - the small interface every MIDI stream goes through, with two
 * implementations: PortMidi (midi_pm.c) and an in-memory port for tests
 * (midi_mem.c).
 *
 * Time is int64 MICROSECONDS on the port's clock.  PortMidi ports use
 * CLOCK_MONOTONIC (the clock tui_now() reads, so t / 1e6 compares with it);
 * a memory port runs on that clock too or on a virtual one the test sets.
 *
 * Output: a message written with time t leaves the port at t, provided it is
 * written at least `lead_us` before t (PortMidi's latency: the message is
 * queued in ALSA with its timestamp, so the writer's own jitter does not
 * show; the remaining error is PortMidi's 1 ms timestamp resolution).  Times
 * written to one port must not decrease.  Written later than that, it leaves
 * as soon as possible.
 * Input: read returns the messages that arrived, stamped with their arrival
 * time, without blocking.  Active sensing and sysex are not passed on.
 *
 * write/read/now never allocate or lock in our code; write and read return
 * -1 once the device is gone (the caller reports it and stops using the
 * port).  Open, close and listing are for the control thread. */
#ifndef GV_MIDI_PORT_H
#define GV_MIDI_PORT_H

#include <stdint.h>

#include "base/error.h"

/* One short message (channel or system real-time/common), no sysex. */
typedef struct gv_midi_msg {
    int64_t t;    /* microseconds on the port's clock */
    uint8_t b[3];
    uint8_t len;  /* 1..3 */
} gv_midi_msg;

typedef struct gv_midi_port gv_midi_port;

typedef struct gv_midi_port_ops {
    int (*write)(gv_midi_port *p, const gv_midi_msg *m);    /* 0, -1 device gone */
    int (*read)(gv_midi_port *p, gv_midi_msg *out, int max); /* count, -1 device gone */
    int64_t (*now)(gv_midi_port *p);
    void (*close)(gv_midi_port *p);
} gv_midi_port_ops;

enum { GV_MIDI_IN = 1, GV_MIDI_OUT = 2 };

struct gv_midi_port {
    const gv_midi_port_ops *ops;
    int dir;          /* GV_MIDI_IN and/or GV_MIDI_OUT */
    int64_t lead_us;  /* write this far ahead for exact timing */
    char name[160];
};

static inline int gv_midi_write(gv_midi_port *p, const gv_midi_msg *m) { return p->ops->write(p, m); }
static inline int gv_midi_read(gv_midi_port *p, gv_midi_msg *out, int max) { return p->ops->read(p, out, max); }
static inline int64_t gv_midi_now(gv_midi_port *p) { return p->ops->now(p); }
/* Closes and frees; NULL is fine. */
void gv_midi_close(gv_midi_port *p);

/* CLOCK_MONOTONIC in microseconds. */
int64_t gv_midi_clock_us(void);

/* Bytes in a message that starts with status byte s (1..3), 0 for a data
 * byte or sysex. */
int gv_midi_msg_len(uint8_t s);

/* ---- PortMidi ---- */

typedef struct gv_midi_device {
    int index;           /* what --midi-in / --midi-out INDEX takes */
    const char *name;
    const char *interf;  /* "ALSA" */
    int input, output;
    int is_default;      /* the default of its direction */
} gv_midi_device;

/* Calls fn for every MIDI input and output.  -1 with a clear message when
 * there is none (e.g. no ALSA sequencer) or PortMidi cannot start. */
int gv_midi_list(void (*fn)(const gv_midi_device *d, void *ctx), void *ctx, gv_err *e);

/* Opens an input (dir GV_MIDI_IN) or output (GV_MIDI_OUT).  spec: NULL or ""
 * for the default, an index from gv_midi_list, an exact name, or a
 * case-insensitive part of the name.  latency_ms (outputs, 1..1000): the
 * lead.  Errors: no devices, no such device, the device refused. */
gv_midi_port *gv_midi_pm_open(const char *spec, int dir, double latency_ms, gv_err *e);

/* ---- in-memory port (tests) ---- */

/* A port that records every message written (up to cap; later ones are
 * counted in dropped) and hands out the messages injected, as both input and
 * output.  virtual_clock: now() is what gv_midi_mem_set_time last set (0 at
 * first); else CLOCK_MONOTONIC.  lead_us: the lead it claims. */
gv_midi_port *gv_midi_mem_new(int cap, int virtual_clock, int64_t lead_us, gv_err *e);

/* A recorded message and the port time at which it was written. */
typedef struct gv_midi_rec {
    gv_midi_msg m;
    int64_t written;
} gv_midi_rec;

void gv_midi_mem_set_time(gv_midi_port *p, int64_t t);
/* Input side: queues a message for read (any one thread; 0, or -1 when the
 * 1024-deep queue is full). */
int gv_midi_mem_inject(gv_midi_port *p, const gv_midi_msg *m);
/* Output side: the messages written so far (safe while another thread
 * writes: the count is published after each message). */
int gv_midi_mem_count(gv_midi_port *p);
const gv_midi_rec *gv_midi_mem_get(gv_midi_port *p, int i);
int64_t gv_midi_mem_dropped(gv_midi_port *p);
void gv_midi_mem_clear(gv_midi_port *p);
/* Simulates the device disappearing (on) or coming back. */
void gv_midi_mem_fail(gv_midi_port *p, int on);

#endif
