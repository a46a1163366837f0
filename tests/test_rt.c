/* test_rt.c - the real-time paths allocate nothing, lock nothing and do no
 * I/O, counted: this test binary interposes malloc & co, pthread_mutex_lock
 * and write, and counts the calls a thread makes while it is flagged as
 * real-time.  Flagged: every gv_player_render (the audio callback) of a jam
 * whose patterns are swapped in at bar and beat lines, and every pass of the
 * MIDI scheduler (gv_midi_sched_tick, which writes to its port, so only
 * allocations and locks are counted there).
 *
 * Under AddressSanitizer (which owns malloc) the hooks are left out and the
 * test checks what it can: that the same jam renders and plays. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "midi/midi_port.h"
#include "midi/midi_thread.h"
#include "synth/kit.h"
#include "synth/player.h"

#if defined(__SANITIZE_ADDRESS__)
#define GV_RT_HOOKS 0
#else
#define GV_RT_HOOKS 1
#endif

static _Thread_local int in_rt;
static atomic_long rt_allocs, rt_locks, rt_io;

#if GV_RT_HOOKS
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);
extern void __libc_free(void *);

void *malloc(size_t n)
{
    if (in_rt)
        rt_allocs++;
    return __libc_malloc(n);
}
void *calloc(size_t a, size_t b)
{
    if (in_rt)
        rt_allocs++;
    return __libc_calloc(a, b);
}
void *realloc(void *p, size_t n)
{
    if (in_rt)
        rt_allocs++;
    return __libc_realloc(p, n);
}
void free(void *p)
{
    if (in_rt && p)
        rt_allocs++;
    __libc_free(p);
}
void *aligned_alloc(size_t a, size_t n)
{
    if (in_rt)
        rt_allocs++;
    return __libc_memalign(a, n);
}
int posix_memalign(void **out, size_t a, size_t n)
{
    if (in_rt)
        rt_allocs++;
    *out = __libc_memalign(a, n);
    return *out ? 0 : 12; /* ENOMEM */
}

static int (*real_lock)(pthread_mutex_t *);
__attribute__((constructor)) static void find_real(void) { real_lock = dlsym(RTLD_NEXT, "pthread_mutex_lock"); }
int pthread_mutex_lock(pthread_mutex_t *m)
{
    if (in_rt)
        rt_locks++;
    return real_lock(m);
}
ssize_t write(int fd, const void *b, size_t n)
{
    if (in_rt)
        rt_io++;
    return syscall(SYS_write, fd, b, n);
}
#endif

#define RATE 48000

/* A 2-bar pattern: hits every `every` steps on voice v. */
static void pat(gv_pattern *p, int every, int v, float bpm)
{
    gv_pattern_init(p, 32, bpm, "p");
    for (int s = 0; s < 32; s += every)
        gv_pattern_set(p, s, v, 1, 0.8f, s % 8 ? 0.1f : -0.2f); /* early hits on the lines too */
}

/* The hooks see what they should: an allocation, a lock and a write made
 * while flagged are counted, and nothing while not. */
Test(rt, the_hooks_count)
{
    if (!GV_RT_HOOKS) {
        cr_assert(1, "under ASan the hooks are off");
        return;
    }
    pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
    static void *volatile sink; /* the compiler may not drop a malloc kept here */
    long a0 = atomic_load(&rt_allocs), l0 = atomic_load(&rt_locks), w0 = atomic_load(&rt_io);
    sink = malloc(16);
    free(sink);
    in_rt = 1;
    sink = malloc(32);
    pthread_mutex_lock(&mu);
    pthread_mutex_unlock(&mu);
    ssize_t w = write(-1, "", 0);
    in_rt = 0;
    cr_assert_eq(w, -1);
    free(sink);
    cr_assert_eq(atomic_load(&rt_allocs) - a0, 1, "%ld", atomic_load(&rt_allocs) - a0);
    cr_assert_eq(atomic_load(&rt_locks) - l0, 1);
    cr_assert_eq(atomic_load(&rt_io) - w0, 1);
    atomic_store(&rt_allocs, 0), atomic_store(&rt_locks, 0), atomic_store(&rt_io, 0);
}

Test(rt, the_audio_callback_jamming_allocates_locks_and_writes_nothing)
{
    gv_kit kit;
    cr_assert_eq(gv_kit_builtin(&kit, RATE, NULL), 0);
    gv_player *pl = gv_player_new(RATE, &kit, NULL);
    cr_assert_not_null(pl);
    gv_pattern *a = malloc(sizeof *a), *b = malloc(sizeof *b);
    pat(a, 4, GV_KICK, 150);
    gv_player_set_tempo(pl, 150);
    gv_player_queue(pl, a, GV_QUEUE_NOW);
    gv_player_start(pl);
    float buf[2 * 256];
    double peak = 0;
    int swaps = 0;
    for (int block = 0; block < 4000; block++) {
        if (block % 300 == 150) { /* the control thread swaps a new pattern in, as a jam does */
            pat(b, 1 + swaps % 3, swaps % 2 ? GV_SNARE : GV_CHAT, 150);
            cr_assert_eq(gv_player_queue(pl, b, swaps % 2 ? GV_QUEUE_BEAT : GV_QUEUE_BAR), 0);
            swaps++;
        }
        in_rt = 1;
        gv_player_render(pl, buf, 256);
        in_rt = 0;
        for (int i = 0; i < 512; i++)
            peak = buf[i] > peak ? buf[i] : peak;
    }
    cr_assert_gt(swaps, 10);
    cr_assert_gt(peak, 0.01, "the jam was heard");
    cr_assert_gt(gv_player_notes(pl), 100);
    if (GV_RT_HOOKS) {
        cr_assert_eq(atomic_load(&rt_allocs), 0, "%ld allocations in the audio callback", atomic_load(&rt_allocs));
        cr_assert_eq(atomic_load(&rt_locks), 0, "%ld locks in the audio callback", atomic_load(&rt_locks));
        cr_assert_eq(atomic_load(&rt_io), 0, "%ld writes in the audio callback", atomic_load(&rt_io));
    }
    gv_player_free(pl);
    gv_kit_free(&kit);
    free(a);
    free(b);
}

Test(rt, the_midi_scheduler_allocates_and_locks_nothing)
{
    gv_err e = {0};
    gv_midi_port *p = gv_midi_mem_new(1 << 16, 1, 5000, &e);
    cr_assert(p, "%s", e.msg);
    int64_t t = 1000000;
    gv_midi_mem_set_time(p, t);
    gv_midi_sched_cfg cfg;
    gv_midi_sched_cfg_default(&cfg);
    cfg.manual = 1;
    cfg.clock = GV_MIDI_CLOCK_OUT;
    cfg.bpm = 150;
    gv_midi_sched *s = gv_midi_sched_new(p, NULL, &cfg, &e);
    cr_assert(s, "%s", e.msg);
    gv_pattern *a = malloc(sizeof *a);
    pat(a, 4, GV_KICK, 150);
    cr_assert_eq(gv_midi_sched_queue(s, a, GV_QUEUE_NOW), 0);
    cr_assert_eq(gv_midi_sched_start(s), 0);
    long before = atomic_load(&rt_allocs), locks = atomic_load(&rt_locks);
    for (int k = 0; k < 4000; k++) {
        if (k % 500 == 250) {
            pat(a, 2 + k % 3, GV_SNARE, 150);
            cr_assert_eq(gv_midi_sched_queue(s, a, k % 1000 ? GV_QUEUE_BEAT : GV_QUEUE_BAR), 0);
        }
        t += 1000;
        gv_midi_mem_set_time(p, t);
        in_rt = 1;
        gv_midi_sched_tick(s);
        in_rt = 0;
    }
    gv_midi_status st;
    gv_midi_sched_status(s, &st);
    cr_assert_gt(st.sent, 100, "the scheduler played");
    if (GV_RT_HOOKS) {
        cr_assert_eq(atomic_load(&rt_allocs) - before, 0, "allocations in the MIDI loop");
        cr_assert_eq(atomic_load(&rt_locks) - locks, 0, "locks in the MIDI loop");
    }
    gv_midi_sched_free(s);
    gv_midi_close(p);
    free(a);
}
