/* jack_tap.c - a second JACK client for e2e_jack.sh: it records what another
 * client plays, so the test can check that audio really flowed through the
 * server, with no assertion on timing.
 *
 *   jack_tap PREFIX OUT.wav [MAX_SECONDS]
 *
 * It registers two input ports, then connects every output port whose full
 * name starts with PREFIX (e.g. "PortAudio") as soon as it appears: a port
 * registration callback wakes the main loop, which connects (jack_connect is
 * not allowed inside a callback).  The process callback only copies into a
 * buffer allocated up front, so a loaded machine can lose audio to xruns but
 * never corrupt what was kept.  On SIGTERM or SIGINT (or when the buffer is
 * full) it writes OUT.wav (float, 2 channels) and prints one line:
 *
 *   tap: frames=N connected=C peak=P rms=R onsets=K
 *
 * onsets counts jumps of the 5 ms RMS envelope of the signal's first
 * difference to over twice its level in the 20 ms before, at least 40 ms
 * apart: drum hits, not the ringing of one. */
#include <jack/jack.h>
#include <signal.h>
#include <sndfile.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <math.h>

static jack_port_t *in[2];
static float *buf;
static size_t cap_frames;
static atomic_size_t frames;
static atomic_int new_port = 1, stop;

static int process(jack_nframes_t n, void *arg)
{
    (void)arg;
    size_t at = atomic_load_explicit(&frames, memory_order_relaxed);
    size_t take = n;
    if (at + take > cap_frames)
        take = cap_frames - at;
    const float *l = jack_port_get_buffer(in[0], n), *r = jack_port_get_buffer(in[1], n);
    for (size_t i = 0; i < take; i++) {
        buf[2 * (at + i)] = l[i];
        buf[2 * (at + i) + 1] = r[i];
    }
    atomic_store_explicit(&frames, at + take, memory_order_release);
    return 0;
}

static void registered(jack_port_id_t id, int reg, void *arg)
{
    (void)id, (void)arg;
    if (reg)
        atomic_store(&new_port, 1);
}

static void on_signal(int sig) { (void)sig, atomic_store(&stop, 1); }

/* Connects each matching output port, channel by channel; returns how many
 * connections exist now. */
static int connect_all(jack_client_t *c, const char *prefix)
{
    const char **ports = jack_get_ports(c, NULL, JACK_DEFAULT_AUDIO_TYPE, JackPortIsOutput);
    int k = 0;
    for (int i = 0; ports && ports[i]; i++) {
        if (strncmp(ports[i], prefix, strlen(prefix)) != 0)
            continue;
        const char *dst = jack_port_name(in[k % 2]);
        if (!jack_port_connected_to(in[k % 2], ports[i]))
            jack_connect(c, ports[i], dst);
        k++;
    }
    jack_free(ports);
    return jack_port_connected(in[0]) + jack_port_connected(in[1]);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: jack_tap PREFIX OUT.wav [MAX_SECONDS]\n");
        return 2;
    }
    double max_s = argc > 3 ? atof(argv[3]) : 120;
    jack_status_t st;
    jack_client_t *c = jack_client_open("groove-tap", JackNoStartServer, &st);
    if (!c) {
        fprintf(stderr, "jack_tap: cannot open a JACK client (status 0x%x)\n", (unsigned)st);
        return 1;
    }
    double rate = jack_get_sample_rate(c);
    cap_frames = (size_t)(max_s * rate);
    if (!(buf = calloc(cap_frames * 2, sizeof *buf))) {
        fprintf(stderr, "jack_tap: out of memory\n");
        return 1;
    }
    in[0] = jack_port_register(c, "in_l", JACK_DEFAULT_AUDIO_TYPE, JackPortIsInput, 0);
    in[1] = jack_port_register(c, "in_r", JACK_DEFAULT_AUDIO_TYPE, JackPortIsInput, 0);
    if (!in[0] || !in[1] || jack_set_process_callback(c, process, NULL) ||
        jack_set_port_registration_callback(c, registered, NULL) || jack_activate(c)) {
        fprintf(stderr, "jack_tap: cannot set up the client\n");
        return 1;
    }
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    printf("tap: ready\n");
    fflush(stdout);
    int connected = 0; /* the most connections seen at once */
    for (unsigned loop = 0; !atomic_load(&stop) && atomic_load(&frames) < cap_frames; loop++) {
        /* on each new port, and every 50 ms in case a connect was too early */
        if (atomic_exchange(&new_port, 0) || loop % 10 == 0) {
            int k = connect_all(c, argv[1]);
            connected = k > connected ? k : connected;
        }
        struct timespec ts = {0, 5000000};
        nanosleep(&ts, NULL);
    }
    jack_deactivate(c);
    jack_client_close(c);

    size_t n = atomic_load(&frames);
    SF_INFO info = {.samplerate = (int)rate, .channels = 2, .format = SF_FORMAT_WAV | SF_FORMAT_FLOAT};
    SNDFILE *f = sf_open(argv[2], SFM_WRITE, &info);
    if (!f || sf_writef_float(f, buf, (sf_count_t)n) != (sf_count_t)n) {
        fprintf(stderr, "jack_tap: %s: %s\n", argv[2], sf_strerror(f));
        return 1;
    }
    sf_close(f);

    /* peak and RMS; onsets of the 5 ms envelope of the first difference
     * (a high-pass: drum attacks stand out over the ringing of earlier hits) */
    double peak = 0, sum = 0, env[5] = {0}, prev = 0;
    size_t win = (size_t)(rate * 0.005), gap = (size_t)(rate * 0.040), last = 0;
    int onsets = 0;
    for (size_t w = 0; w + win <= n; w += win) {
        double e = 0;
        for (size_t i = w; i < w + win; i++) {
            double x = 0.5 * (buf[2 * i] + buf[2 * i + 1]);
            for (int ch = 0; ch < 2; ch++) {
                sum += (double)buf[2 * i + ch] * buf[2 * i + ch];
                peak = fabs(buf[2 * i + ch]) > peak ? fabs(buf[2 * i + ch]) : peak;
            }
            e += (x - prev) * (x - prev);
            prev = x;
        }
        e = sqrt(e / (double)win);
        double before = fmax(fmax(env[0], env[1]), fmax(env[2], env[3]));
        if (e > 0.01 && e > 2 * before && (onsets == 0 || w - last >= gap)) {
            onsets++;
            last = w;
        }
        memmove(env + 1, env, 3 * sizeof *env);
        env[0] = e;
    }
    printf("tap: frames=%zu connected=%d peak=%.3f rms=%.4f onsets=%d\n", n, connected, peak,
           n ? sqrt(sum / (2.0 * (double)n)) : 0.0, onsets);
    free(buf);
    return 0;
}
