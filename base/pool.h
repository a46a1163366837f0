/* pool.h - a fixed team of worker threads for data-parallel loops, and the
 * count of cores this process may run on.
 *
 * gv_pool_run(p, fn, arg) calls fn(arg, k, n) once for each k in 0..n-1
 * (n = gv_pool_size(p)), the calling thread itself being worker 0, and
 * returns when every call has returned.  The threads are made once by
 * gv_pool_new and wait on a condition variable between runs, so one run costs
 * a wake-up, not a thread creation.  A pool is driven by one thread at a time.
 *
 * Reproducibility is the caller's: results that must not depend on n are to
 * be partitioned by something fixed (shards, items, fixed-size chunks), each
 * part written by whichever worker takes it, and combined in a fixed order.
 * gv_pool_for hands out items 0..count-1 in order from a shared counter. */
#ifndef GV_POOL_H
#define GV_POOL_H

#include <stddef.h>

typedef struct gv_pool gv_pool;

/* A pool of n workers (the caller counts as one: n - 1 threads are made);
 * n < 1 counts as 1.  NULL when out of memory or threads; a pool that got
 * fewer threads than asked runs with those it got (gv_pool_size says). */
gv_pool *gv_pool_new(int n);
void gv_pool_free(gv_pool *p);
int gv_pool_size(const gv_pool *p);
/* fn(arg, k, n) for every worker k; a NULL pool runs fn(arg, 0, 1). */
void gv_pool_run(gv_pool *p, void (*fn)(void *arg, int k, int n), void *arg);
/* fn(arg, item, k) for item 0..count-1, each once, on whichever worker k
 * takes it next (k < gv_pool_size), items taken in increasing order. */
void gv_pool_for(gv_pool *p, int count, void (*fn)(void *arg, int item, int k), void *arg);

/* The cores this process may run on (its CPU affinity; 1 when unknown). */
int gv_cores(void);

#endif
