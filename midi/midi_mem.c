/* midi_mem.c - the in-memory MIDI port (see midi_port.h): a recorder for
 * what the output side writes and an SPSC queue feeding the input side, so
 * tests can drive the MIDI layer, threads included, with no device. */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#include "midi/midi_port.h"
#include "base/spsc.h"

#define INJECT_CAP 1024

typedef struct mem_port {
    gv_midi_port base;
    int virtual_clock;
    _Atomic int64_t vnow;
    atomic_int fail;
    gv_midi_rec *rec;
    int cap;
    atomic_int n;
    atomic_llong dropped;
    gv_spsc inq;
    gv_midi_msg inbuf[INJECT_CAP];
} mem_port;

static int64_t mem_now(gv_midi_port *p)
{
    mem_port *m = (mem_port *)p;
    return m->virtual_clock ? atomic_load(&m->vnow) : gv_midi_clock_us();
}

static int mem_write(gv_midi_port *p, const gv_midi_msg *msg)
{
    mem_port *m = (mem_port *)p;
    if (atomic_load_explicit(&m->fail, memory_order_relaxed))
        return -1;
    int n = atomic_load_explicit(&m->n, memory_order_relaxed);
    if (n >= m->cap) {
        atomic_fetch_add_explicit(&m->dropped, 1, memory_order_relaxed);
        return 0;
    }
    m->rec[n] = (gv_midi_rec){*msg, mem_now(p)};
    atomic_store_explicit(&m->n, n + 1, memory_order_release);
    return 0;
}

static int mem_read(gv_midi_port *p, gv_midi_msg *out, int max)
{
    mem_port *m = (mem_port *)p;
    if (atomic_load_explicit(&m->fail, memory_order_relaxed))
        return -1;
    int n = 0;
    while (n < max && gv_spsc_pop(&m->inq, &out[n]) == 0)
        n++;
    return n;
}

static void mem_close(gv_midi_port *p)
{
    mem_port *m = (mem_port *)p;
    free(m->rec);
    free(m);
}

static const gv_midi_port_ops mem_ops = {mem_write, mem_read, mem_now, mem_close};

gv_midi_port *gv_midi_mem_new(int cap, int virtual_clock, int64_t lead_us, gv_err *e)
{
    mem_port *m = calloc(1, sizeof *m);
    if (!m || cap < 1 || !(m->rec = calloc((size_t)cap, sizeof *m->rec))) {
        free(m);
        return gv_fail(e, cap < 1 ? "memory port needs room for a message" : "out of memory"), NULL;
    }
    m->base.ops = &mem_ops;
    m->base.dir = GV_MIDI_IN | GV_MIDI_OUT;
    m->base.lead_us = lead_us > 0 ? lead_us : 0;
    snprintf(m->base.name, sizeof m->base.name, "memory");
    m->virtual_clock = virtual_clock;
    m->cap = cap;
    atomic_init(&m->vnow, 0);
    atomic_init(&m->fail, 0);
    atomic_init(&m->n, 0);
    atomic_init(&m->dropped, 0);
    gv_spsc_init(&m->inq, m->inbuf, INJECT_CAP, sizeof(gv_midi_msg));
    return &m->base;
}

void gv_midi_mem_set_time(gv_midi_port *p, int64_t t) { atomic_store(&((mem_port *)p)->vnow, t); }

int gv_midi_mem_inject(gv_midi_port *p, const gv_midi_msg *msg)
{
    return gv_spsc_push(&((mem_port *)p)->inq, msg);
}

int gv_midi_mem_count(gv_midi_port *p) { return atomic_load_explicit(&((mem_port *)p)->n, memory_order_acquire); }

const gv_midi_rec *gv_midi_mem_get(gv_midi_port *p, int i)
{
    mem_port *m = (mem_port *)p;
    return i >= 0 && i < gv_midi_mem_count(p) ? &m->rec[i] : NULL;
}

int64_t gv_midi_mem_dropped(gv_midi_port *p) { return atomic_load(&((mem_port *)p)->dropped); }
void gv_midi_mem_clear(gv_midi_port *p) { atomic_store(&((mem_port *)p)->n, 0); }
void gv_midi_mem_fail(gv_midi_port *p, int on) { atomic_store(&((mem_port *)p)->fail, !!on); }
