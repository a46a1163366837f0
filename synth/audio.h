/* audio.h - real-time output: PortAudio drives gv_player_render.
 *
 * The callback only renders, counts output underflows (PortAudio's status
 * flags) and times itself, all through atomics.  ALSA and JACK print
 * diagnostics on stderr while devices are probed; they are silenced.
 *
 * With no usable device, gv_audio_open fails with one clear message and the
 * caller may fall back to gv_audio_open_silent: a thread renders and discards
 * at real-time pace, so the play-head and clocks keep running. */
#ifndef GV_AUDIO_H
#define GV_AUDIO_H

#include <stdint.h>

#include "base/error.h"
#include "synth/player.h"

typedef struct gv_audio gv_audio;

typedef struct gv_audio_device {
    int index;              /* PortAudio device index */
    const char *name;
    const char *host;       /* host API ("ALSA", "JACK Audio Connection Kit", ...) */
    int channels;           /* output channels */
    double rate;            /* default sample rate */
    double latency_ms;      /* default low output latency */
    int is_default;
} gv_audio_device;

typedef struct gv_audio_stats {
    int64_t callbacks;
    int64_t underflows;     /* callbacks flagged paOutputUnderflow */
    double worst_us;        /* longest callback, wall clock (preemption included) */
    double worst_cpu_us;    /* most CPU time one callback took (its own cost) */
    double mean_us;
    int64_t max_frames;     /* largest buffer asked for */
    double rate;
    double latency_ms;      /* output latency reported by the stream */
} gv_audio_stats;

/* Calls fn for every output device.  -1 if PortAudio cannot start. */
int gv_audio_list(void (*fn)(const gv_audio_device *d, void *ctx), void *ctx, gv_err *e);

/* Opens an output stream (not started).  device: NULL for the default, an
 * index, an exact name, or a case-insensitive substring of "HOST: NAME"
 * (e.g. "jack").  latency_ms: suggested output latency.  rate 0: the device's
 * default.  The stream's rate is gv_audio_rate(). */
gv_audio *gv_audio_open(const char *device, double latency_ms, double rate, gv_err *e);

/* A device-less clock at rate: renders blocks of 256 frames in real time. */
gv_audio *gv_audio_open_silent(double rate, gv_err *e);

double gv_audio_rate(const gv_audio *a);
int gv_audio_is_silent(const gv_audio *a);
const char *gv_audio_name(const gv_audio *a);

/* Starts calling gv_player_render(pl) (the player's rate must match). */
int gv_audio_start(gv_audio *a, gv_player *pl, gv_err *e);

void gv_audio_get_stats(gv_audio *a, gv_audio_stats *s);

/* Stops and closes; NULL is fine. */
void gv_audio_close(gv_audio *a);

#endif
