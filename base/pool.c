/* pool.c - the worker team of pool.h: a generation counter under one mutex;
 * workers wait for it to move, run, and count themselves done. */
#define _GNU_SOURCE
#include "base/pool.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

struct gv_pool {
    int n;                 /* workers, the caller included */
    pthread_t *th;         /* n - 1 */
    pthread_mutex_t mu;
    pthread_cond_t go, done;
    unsigned long gen;     /* bumped by each run */
    int running;           /* workers of this run not yet done */
    int quit;
    void (*fn)(void *, int, int);
    void *arg;
    atomic_int next;       /* gv_pool_for's counter */
};

typedef struct worker_arg {
    gv_pool *p;
    int k;
} worker_arg;

static void *worker(void *v)
{
    worker_arg wa = *(worker_arg *)v;
    free(v);
    gv_pool *p = wa.p;
    unsigned long seen = 0;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (p->gen == seen && !p->quit)
            pthread_cond_wait(&p->go, &p->mu);
        if (p->quit)
            break;
        seen = p->gen;
        pthread_mutex_unlock(&p->mu);
        p->fn(p->arg, wa.k, p->n);
        pthread_mutex_lock(&p->mu);
        if (--p->running == 0)
            pthread_cond_signal(&p->done);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

gv_pool *gv_pool_new(int n)
{
    gv_pool *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    n = n < 1 ? 1 : n;
    p->th = calloc((size_t)n, sizeof *p->th);
    if (!p->th || pthread_mutex_init(&p->mu, NULL) != 0) {
        free(p->th);
        free(p);
        return NULL;
    }
    pthread_cond_init(&p->go, NULL);
    pthread_cond_init(&p->done, NULL);
    p->n = 1;
    for (int k = 1; k < n; k++) {
        worker_arg *wa = malloc(sizeof *wa);
        if (!wa)
            break;
        *wa = (worker_arg){p, k};
        if (pthread_create(&p->th[k - 1], NULL, worker, wa) != 0) {
            free(wa);
            break;
        }
        p->n++;
    }
    return p;
}

void gv_pool_free(gv_pool *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    p->quit = 1;
    pthread_cond_broadcast(&p->go);
    pthread_mutex_unlock(&p->mu);
    for (int k = 1; k < p->n; k++)
        pthread_join(p->th[k - 1], NULL);
    pthread_cond_destroy(&p->go);
    pthread_cond_destroy(&p->done);
    pthread_mutex_destroy(&p->mu);
    free(p->th);
    free(p);
}

int gv_pool_size(const gv_pool *p) { return p ? p->n : 1; }

void gv_pool_run(gv_pool *p, void (*fn)(void *arg, int k, int n), void *arg)
{
    if (!p || p->n == 1) {
        fn(arg, 0, 1);
        return;
    }
    pthread_mutex_lock(&p->mu);
    p->fn = fn;
    p->arg = arg;
    p->running = p->n - 1;
    p->gen++;
    pthread_cond_broadcast(&p->go);
    pthread_mutex_unlock(&p->mu);
    fn(arg, 0, p->n);
    pthread_mutex_lock(&p->mu);
    while (p->running > 0)
        pthread_cond_wait(&p->done, &p->mu);
    pthread_mutex_unlock(&p->mu);
}

typedef struct for_arg {
    gv_pool *p;
    int count;
    void (*fn)(void *, int, int);
    void *arg;
} for_arg;

static void for_worker(void *v, int k, int n)
{
    (void)n;
    for_arg *f = v;
    atomic_int *next = f->p ? &f->p->next : NULL;
    for (int i = 0;; i++) {
        int item = next ? atomic_fetch_add(next, 1) : i;
        if (item >= f->count)
            break;
        f->fn(f->arg, item, k);
    }
}

void gv_pool_for(gv_pool *p, int count, void (*fn)(void *arg, int item, int k), void *arg)
{
    for_arg f = {p, count, fn, arg};
    if (p)
        atomic_store(&p->next, 0);
    gv_pool_run(p, for_worker, &f);
}

int gv_cores(void)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0) {
        int n = CPU_COUNT(&set);
        if (n > 0)
            return n;
    }
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}
