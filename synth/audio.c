/* audio.c - PortAudio output and the device-less clock (see audio.h). */
#include "audio.h"

#include <alsa/asoundlib.h>
#include <ctype.h>
#include <fcntl.h>
#include <portaudio.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define SILENT_BLOCK 256

struct gv_audio {
    PaStream *stream;
    int pa_up, silent;
    double rate, latency_ms;
    char name[256];
    _Atomic(gv_player *) pl;
    atomic_llong callbacks, underflows, worst_ns, worst_cpu_ns, total_ns, max_frames;
    pthread_t th;
    int th_up;
    atomic_int quit;
    float buf[2 * SILENT_BLOCK];
};

/* ---- keeping ALSA and JACK quiet while PortAudio probes ---- */

static void alsa_quiet(const char *file, int line, const char *fn, int err, const char *fmt, ...)
{
    (void)file, (void)line, (void)fn, (void)err, (void)fmt;
}

static int mute_stderr(void)
{
    fflush(stderr);
    int saved = dup(2), nul = open("/dev/null", O_WRONLY);
    if (saved >= 0 && nul >= 0)
        dup2(nul, 2);
    if (nul >= 0)
        close(nul);
    return saved;
}

static void unmute_stderr(int saved)
{
    if (saved < 0)
        return;
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
}

static int pa_start(gv_err *e)
{
    snd_lib_error_set_handler(alsa_quiet);
    int saved = mute_stderr();
    PaError err = Pa_Initialize();
    unmute_stderr(saved);
    if (err != paNoError)
        return gv_fail(e, "cannot start PortAudio: %s", Pa_GetErrorText(err));
    return 0;
}

int gv_audio_list(void (*fn)(const gv_audio_device *d, void *ctx), void *ctx, gv_err *e)
{
    if (pa_start(e))
        return -1;
    int n = Pa_GetDeviceCount();
    PaDeviceIndex def = Pa_GetDefaultOutputDevice();
    for (int i = 0; i < n; i++) {
        const PaDeviceInfo *d = Pa_GetDeviceInfo(i);
        if (!d || d->maxOutputChannels < 1)
            continue;
        const PaHostApiInfo *h = Pa_GetHostApiInfo(d->hostApi);
        gv_audio_device ad = {i, d->name, h ? h->name : "?", d->maxOutputChannels, d->defaultSampleRate,
                              d->defaultLowOutputLatency * 1000, i == def};
        fn(&ad, ctx);
    }
    Pa_Terminate();
    return 0;
}

static PaDeviceIndex find_device(const char *want, gv_err *e)
{
    int n = Pa_GetDeviceCount();
    if (!want || !*want) {
        PaDeviceIndex d = Pa_GetDefaultOutputDevice();
        if (d == paNoDevice)
            return gv_fail(e, "no audio output device"), paNoDevice;
        return d;
    }
    char *end;
    long idx = strtol(want, &end, 10);
    if (!*end) {
        const PaDeviceInfo *d = idx >= 0 && idx < n ? Pa_GetDeviceInfo((PaDeviceIndex)idx) : NULL;
        if (!d || d->maxOutputChannels < 1)
            return gv_fail(e, "no audio output device %ld ('groove devices' lists them)", idx), paNoDevice;
        return (PaDeviceIndex)idx;
    }
    for (int i = 0; i < n; i++) {
        const PaDeviceInfo *d = Pa_GetDeviceInfo(i);
        if (d && d->maxOutputChannels > 0 && !strcmp(d->name, want))
            return i;
    }
    char lw[256];
    size_t k;
    for (k = 0; want[k] && k + 1 < sizeof lw; k++)
        lw[k] = (char)tolower((unsigned char)want[k]);
    lw[k] = 0;
    for (int i = 0; i < n; i++) {
        const PaDeviceInfo *d = Pa_GetDeviceInfo(i);
        if (!d || d->maxOutputChannels < 1)
            continue;
        const PaHostApiInfo *h = Pa_GetHostApiInfo(d->hostApi);
        char full[512];
        snprintf(full, sizeof full, "%s: %s", h ? h->name : "", d->name);
        for (char *c = full; *c; c++)
            *c = (char)tolower((unsigned char)*c);
        if (strstr(full, lw))
            return i;
    }
    return gv_fail(e, "no audio output device matches '%s' ('groove devices' lists them)", want), paNoDevice;
}

static long long ns_between(const struct timespec *t0, const struct timespec *t1)
{
    return (long long)(t1->tv_sec - t0->tv_sec) * 1000000000LL + (t1->tv_nsec - t0->tv_nsec);
}

/* A callback's start on the wall clock and on its thread's CPU clock: the
 * wall time includes being preempted by other processes, the CPU time is
 * what our code cost (a syscall, no lock, no allocation). */
typedef struct cb_start {
    struct timespec wall, cpu;
} cb_start;

static void cb_begin(cb_start *t)
{
    clock_gettime(CLOCK_MONOTONIC, &t->wall);
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t->cpu);
}

static void max_store(atomic_llong *x, long long v)
{
    /* one writer (the audio thread): plain load/store suffices */
    if (v > atomic_load_explicit(x, memory_order_relaxed))
        atomic_store_explicit(x, v, memory_order_relaxed);
}

static void account(gv_audio *a, const cb_start *t0, unsigned long frames)
{
    cb_start t1;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t1.cpu);
    clock_gettime(CLOCK_MONOTONIC, &t1.wall);
    long long ns = ns_between(&t0->wall, &t1.wall);
    max_store(&a->worst_ns, ns);
    max_store(&a->worst_cpu_ns, ns_between(&t0->cpu, &t1.cpu));
    max_store(&a->max_frames, (long long)frames);
    atomic_fetch_add_explicit(&a->total_ns, ns, memory_order_relaxed);
    atomic_fetch_add_explicit(&a->callbacks, 1, memory_order_relaxed);
}

/* Real-time: PortAudio's callback never allocates, locks, logs or does I/O
 * (nor does anything it calls: player.c, mixer.c, sequencer.c). */
static int callback(const void *in, void *out, unsigned long frames, const PaStreamCallbackTimeInfo *ti,
                    PaStreamCallbackFlags flags, void *user)
{
    (void)in, (void)ti;
    gv_audio *a = user;
    cb_start t0;
    cb_begin(&t0);
    if (flags & paOutputUnderflow)
        atomic_fetch_add_explicit(&a->underflows, 1, memory_order_relaxed);
    gv_player *pl = atomic_load_explicit(&a->pl, memory_order_acquire);
    if (pl)
        gv_player_render(pl, out, (int)frames);
    else
        memset(out, 0, frames * 2 * sizeof(float));
    account(a, &t0, frames);
    return paContinue;
}

static gv_audio *new_audio(void)
{
    gv_audio *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    atomic_init(&a->pl, NULL);
    atomic_init(&a->callbacks, 0);
    atomic_init(&a->underflows, 0);
    atomic_init(&a->worst_ns, 0);
    atomic_init(&a->worst_cpu_ns, 0);
    atomic_init(&a->total_ns, 0);
    atomic_init(&a->max_frames, 0);
    atomic_init(&a->quit, 0);
    return a;
}

gv_audio *gv_audio_open(const char *device, double latency_ms, double rate, gv_err *e)
{
    gv_audio *a = new_audio();
    if (!a)
        return gv_failc(e, GV_E_NOMEM, "out of memory"), NULL;
    if (pa_start(e)) {
        free(a);
        return NULL;
    }
    a->pa_up = 1;
    PaDeviceIndex dev = find_device(device, e);
    if (dev == paNoDevice) {
        gv_audio_close(a);
        return NULL;
    }
    const PaDeviceInfo *di = Pa_GetDeviceInfo(dev);
    const PaHostApiInfo *h = Pa_GetHostApiInfo(di->hostApi);
    snprintf(a->name, sizeof a->name, "%s: %s", h ? h->name : "?", di->name);
    a->rate = rate > 0 ? rate : di->defaultSampleRate;
    PaStreamParameters op = {dev, 2, paFloat32, latency_ms / 1000.0, NULL};
    int saved = mute_stderr();
    PaError err = Pa_OpenStream(&a->stream, NULL, &op, a->rate, paFramesPerBufferUnspecified, paClipOff,
                                callback, a);
    unmute_stderr(saved);
    if (err != paNoError) {
        a->stream = NULL;
        gv_fail(e, "cannot open audio output '%s': %s", a->name, Pa_GetErrorText(err));
        gv_audio_close(a);
        return NULL;
    }
    const PaStreamInfo *si = Pa_GetStreamInfo(a->stream);
    a->latency_ms = si ? si->outputLatency * 1000 : latency_ms;
    if (si && si->sampleRate > 0)
        a->rate = si->sampleRate;
    return a;
}

/* The device-less stand-in for the callback: the same real-time rule. */
static void *silent_clock(void *user)
{
    gv_audio *a = user;
    struct timespec next;
    clock_gettime(CLOCK_MONOTONIC, &next);
    long long period = (long long)(1e9 * SILENT_BLOCK / a->rate);
    while (!atomic_load(&a->quit)) {
        cb_start t0;
        cb_begin(&t0);
        gv_player *pl = atomic_load_explicit(&a->pl, memory_order_acquire);
        if (pl)
            gv_player_render(pl, a->buf, SILENT_BLOCK);
        account(a, &t0, SILENT_BLOCK);
        next.tv_nsec += period;
        while (next.tv_nsec >= 1000000000L) {
            next.tv_nsec -= 1000000000L;
            next.tv_sec++;
        }
        clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
    }
    return NULL;
}

gv_audio *gv_audio_open_silent(double rate, gv_err *e)
{
    if (!(rate >= 8000 && rate <= 192000))
        return gv_fail(e, "sample rate %g out of range 8000..192000", rate), NULL;
    gv_audio *a = new_audio();
    if (!a)
        return gv_failc(e, GV_E_NOMEM, "out of memory"), NULL;
    a->silent = 1;
    a->rate = rate;
    a->latency_ms = 1000.0 * SILENT_BLOCK / rate;
    snprintf(a->name, sizeof a->name, "silent (no audio device)");
    return a;
}

double gv_audio_rate(const gv_audio *a) { return a->rate; }
int gv_audio_is_silent(const gv_audio *a) { return a->silent; }
const char *gv_audio_name(const gv_audio *a) { return a->name; }

int gv_audio_start(gv_audio *a, gv_player *pl, gv_err *e)
{
    if (gv_player_rate(pl) != a->rate)
        return gv_fail(e, "player rate %g differs from the stream rate %g", gv_player_rate(pl), a->rate);
    atomic_store_explicit(&a->pl, pl, memory_order_release);
    if (a->silent) {
        if (a->th_up)
            return 0;
        if (pthread_create(&a->th, NULL, silent_clock, a))
            return gv_fail(e, "cannot start the clock thread");
        a->th_up = 1;
        return 0;
    }
    if (Pa_IsStreamActive(a->stream) == 1)
        return 0;
    int saved = mute_stderr();
    PaError err = Pa_StartStream(a->stream);
    unmute_stderr(saved);
    if (err != paNoError)
        return gv_fail(e, "cannot start audio output '%s': %s", a->name, Pa_GetErrorText(err));
    return 0;
}

void gv_audio_get_stats(gv_audio *a, gv_audio_stats *s)
{
    memset(s, 0, sizeof *s);
    s->callbacks = atomic_load(&a->callbacks);
    s->underflows = atomic_load(&a->underflows);
    s->worst_us = (double)atomic_load(&a->worst_ns) / 1000.0;
    s->worst_cpu_us = (double)atomic_load(&a->worst_cpu_ns) / 1000.0;
    s->mean_us = s->callbacks ? (double)atomic_load(&a->total_ns) / 1000.0 / (double)s->callbacks : 0;
    s->max_frames = atomic_load(&a->max_frames);
    s->rate = a->rate;
    s->latency_ms = a->latency_ms;
}

void gv_audio_close(gv_audio *a)
{
    if (!a)
        return;
    if (a->th_up) {
        atomic_store(&a->quit, 1);
        pthread_join(a->th, NULL);
    }
    if (a->stream) {
        int saved = mute_stderr();
        Pa_StopStream(a->stream);
        Pa_CloseStream(a->stream);
        unmute_stderr(saved);
    }
    if (a->pa_up) {
        int saved = mute_stderr();
        Pa_Terminate();
        unmute_stderr(saved);
    }
    free(a);
}
