/* spsc.h - a lock-free single-producer single-consumer queue of fixed-size
 * elements, for handing data to the audio callback without locks.
 *
 * One thread pushes, one thread pops; both are wait-free.  The storage is the
 * caller's (cap elements of `size` bytes, cap a power of two); push and pop
 * copy an element in or out. */
#ifndef GV_SPSC_H
#define GV_SPSC_H

#include <stdalign.h>
#include <stdatomic.h>
#include <stddef.h>
#include <string.h>

typedef struct gv_spsc {
    alignas(64) atomic_size_t head; /* next slot to write; producer-owned */
    alignas(64) atomic_size_t tail; /* next slot to read; consumer-owned */
    alignas(64) size_t cap;
    size_t size;
    unsigned char *buf;
} gv_spsc;

/* -1 unless cap is a power of two >= 2. */
static inline int gv_spsc_init(gv_spsc *q, void *buf, size_t cap, size_t size)
{
    if (cap < 2 || (cap & (cap - 1)) || !buf || !size)
        return -1;
    atomic_init(&q->head, 0);
    atomic_init(&q->tail, 0);
    q->cap = cap;
    q->size = size;
    q->buf = (unsigned char *)buf;
    return 0;
}

/* Producer: 0, or -1 when full. */
static inline int gv_spsc_push(gv_spsc *q, const void *elem)
{
    size_t h = atomic_load_explicit(&q->head, memory_order_relaxed);
    size_t t = atomic_load_explicit(&q->tail, memory_order_acquire);
    if (h - t >= q->cap)
        return -1;
    memcpy(q->buf + (h & (q->cap - 1)) * q->size, elem, q->size);
    atomic_store_explicit(&q->head, h + 1, memory_order_release);
    return 0;
}

/* Consumer: 0, or -1 when empty. */
static inline int gv_spsc_pop(gv_spsc *q, void *elem)
{
    size_t t = atomic_load_explicit(&q->tail, memory_order_relaxed);
    size_t h = atomic_load_explicit(&q->head, memory_order_acquire);
    if (h == t)
        return -1;
    memcpy(elem, q->buf + (t & (q->cap - 1)) * q->size, q->size);
    atomic_store_explicit(&q->tail, t + 1, memory_order_release);
    return 0;
}

/* Either side: elements waiting (a snapshot). */
static inline size_t gv_spsc_count(gv_spsc *q)
{
    return atomic_load_explicit(&q->head, memory_order_acquire) -
           atomic_load_explicit(&q->tail, memory_order_acquire);
}

#endif
