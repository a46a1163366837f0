/* midi_pm.c - MIDI ports on PortMidi (see midi_port.h).
 *
 * PortMidi is process-global: Pm_Initialize scans the devices once and
 * Pm_Terminate closes every stream.  So the library is brought up by the
 * first user (listing or an open port) and torn down by the last, counted
 * under a mutex: the one piece of global state here, mirroring PortMidi's.
 *
 * Clocks: an output stream gets a time_proc in milliseconds from an epoch on
 * CLOCK_MONOTONIC, rounded to the nearest ms, and every message is stamped
 * (delivery time - latency), so ALSA's queue sends it at the delivery time.
 * An input stream's time_proc counts microseconds (PortMidi only stores it
 * in the events it reads; the 32-bit count wraps every 71 minutes, undone on
 * reading), so arrival times keep the resolution of the polling. */
#include <alsa/asoundlib.h>
#include <ctype.h>
#include <portmidi.h>
#include <porttime.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "midi/midi_port.h"

#define READ_CHUNK 64
#define EPOCH_BACK_US 10000000 /* keeps stamps well away from 0 ("send now") */

#if defined(__SANITIZE_ADDRESS__)
#define GV_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define GV_ASAN 1
#endif
#endif
#ifdef GV_ASAN
/* PortMidi 217's Pm_Initialize leaks the path of its preference file
 * (find_default_device), 143 bytes a call: theirs, not ours to report. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void) { return "leak:find_default_device\n"; }
const char *__lsan_default_options(void); /* and no summary of it on stderr */
const char *__lsan_default_options(void) { return "print_suppressions=0"; }
#endif

static pthread_mutex_t pm_mu = PTHREAD_MUTEX_INITIALIZER;
static int pm_users;

typedef struct pm_port {
    gv_midi_port base;
    PortMidiStream *st;
    int64_t epoch;
    int lat_ms;
    atomic_int lost;
    PmEvent buf[READ_CHUNK];
} pm_port;

static void alsa_silent(const char *file, int line, const char *fn, int err, const char *fmt, ...)
{
    (void)file, (void)line, (void)fn, (void)err, (void)fmt;
}

static const char *no_devices(void)
{
    return access("/dev/snd/seq", F_OK) ? "no MIDI devices (no ALSA sequencer: /dev/snd/seq is missing)"
                                        : "no MIDI devices";
}

/* Brings PortMidi up for one more user. */
static int pm_up(gv_err *e)
{
    pthread_mutex_lock(&pm_mu);
    PmError err = pmNoError;
    if (pm_users == 0) {
        /* ALSA reports a missing sequencer on stderr through its error hook */
        snd_lib_error_set_handler(alsa_silent);
        err = Pm_Initialize();
    }
    if (err == pmNoError)
        pm_users++;
    pthread_mutex_unlock(&pm_mu);
    if (err != pmNoError)
        return gv_fail(e, "cannot start PortMidi: %s", Pm_GetErrorText(err));
    return 0;
}

static int has_dir(const PmDeviceInfo *d, int dir) { return d && (dir == GV_MIDI_IN ? d->input : d->output); }

/* PortMidi's default without its Java preference file (whose lookup in
 * Pm_GetDefault*DeviceID leaks a string a call): the first of the kind. */
static PmDeviceID first_device(int dir)
{
    for (int i = 0; i < Pm_CountDevices(); i++)
        if (has_dir(Pm_GetDeviceInfo(i), dir))
            return i;
    return pmNoDevice;
}

static void pm_down(void)
{
    pthread_mutex_lock(&pm_mu);
    if (pm_users > 0 && --pm_users == 0)
        Pm_Terminate();
    pthread_mutex_unlock(&pm_mu);
}

int gv_midi_list(void (*fn)(const gv_midi_device *d, void *ctx), void *ctx, gv_err *e)
{
    if (pm_up(e))
        return -1;
    int n = Pm_CountDevices();
    PmDeviceID din = first_device(GV_MIDI_IN), dout = first_device(GV_MIDI_OUT);
    for (int i = 0; i < n; i++) {
        const PmDeviceInfo *d = Pm_GetDeviceInfo(i);
        if (!d)
            continue;
        gv_midi_device md = {i, d->name, d->interf, d->input, d->output, d->input ? i == din : i == dout};
        fn(&md, ctx);
    }
    pm_down();
    return n > 0 ? 0 : gv_fail(e, "%s", no_devices());
}

/* Case-insensitive: does hay contain needle? */
static int contains_ci(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; *hay; hay++) {
        size_t k = 0;
        while (k < n && hay[k] && tolower((unsigned char)hay[k]) == tolower((unsigned char)needle[k]))
            k++;
        if (k == n)
            return 1;
    }
    return n == 0;
}

static PmDeviceID find_device(const char *spec, int dir, gv_err *e)
{
    const char *what = dir == GV_MIDI_IN ? "input" : "output";
    int n = Pm_CountDevices();
    PmDeviceID first = first_device(dir);
    if (first == pmNoDevice)
        return n ? gv_fail(e, "no MIDI %s devices", what) : gv_fail(e, "%s", no_devices()), pmNoDevice;
    if (!spec || !*spec)
        return first;
    char *end;
    long idx = strtol(spec, &end, 10);
    if (!*end) {
        if (idx < 0 || idx >= n || !has_dir(Pm_GetDeviceInfo((PmDeviceID)idx), dir))
            return gv_fail(e, "no MIDI %s %ld ('groove devices' lists them)", what, idx), pmNoDevice;
        return (PmDeviceID)idx;
    }
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < n; i++) {
            const PmDeviceInfo *d = Pm_GetDeviceInfo(i);
            if (has_dir(d, dir) && (pass ? contains_ci(d->name, spec) : !strcmp(d->name, spec)))
                return i;
        }
    return gv_fail(e, "no MIDI %s matches '%s' ('groove devices' lists them)", what, spec), pmNoDevice;
}

static PmTimestamp out_time(void *info)
{
    pm_port *p = info;
    return (PmTimestamp)((gv_midi_clock_us() - p->epoch + 500) / 1000);
}

static PmTimestamp in_time(void *info)
{
    pm_port *p = info;
    return (PmTimestamp)(uint32_t)(gv_midi_clock_us() - p->epoch);
}

static int pm_write(gv_midi_port *gp, const gv_midi_msg *m)
{
    pm_port *p = (pm_port *)gp;
    if (atomic_load_explicit(&p->lost, memory_order_relaxed))
        return -1;
    PmTimestamp ts = (PmTimestamp)((m->t - p->epoch + 500) / 1000) - p->lat_ms;
    PmError err = Pm_WriteShort(p->st, ts, Pm_Message(m->b[0], m->len > 1 ? m->b[1] : 0, m->len > 2 ? m->b[2] : 0));
    if (err == pmNoError)
        return 0;
    atomic_store(&p->lost, 1);
    return -1;
}

static int pm_read(gv_midi_port *gp, gv_midi_msg *out, int max)
{
    pm_port *p = (pm_port *)gp;
    if (atomic_load_explicit(&p->lost, memory_order_relaxed))
        return -1;
    int got = 0;
    while (got < max) {
        PmError ready = Pm_Poll(p->st);
        if (ready == pmNoData)
            break;
        if (ready < 0 && ready != pmBufferOverflow) {
            atomic_store(&p->lost, 1);
            return -1;
        }
        int want = max - got < READ_CHUNK ? max - got : READ_CHUNK;
        int n = Pm_Read(p->st, p->buf, want);
        if (n == pmBufferOverflow)
            continue; /* PortMidi dropped what did not fit; read on */
        if (n < 0) {
            atomic_store(&p->lost, 1);
            return -1;
        }
        int64_t now = gv_midi_clock_us();
        uint32_t now_units = (uint32_t)(now - p->epoch);
        for (int i = 0; i < n; i++) {
            uint8_t s = (uint8_t)Pm_MessageStatus(p->buf[i].message);
            int len = gv_midi_msg_len(s);
            if (!len)
                continue;
            gv_midi_msg *m = &out[got++];
            m->t = now - (int64_t)(uint32_t)(now_units - (uint32_t)p->buf[i].timestamp);
            m->b[0] = s;
            m->b[1] = (uint8_t)Pm_MessageData1(p->buf[i].message);
            m->b[2] = (uint8_t)Pm_MessageData2(p->buf[i].message);
            m->len = (uint8_t)len;
        }
        if (n < want)
            break;
    }
    return got;
}

static int64_t pm_now(gv_midi_port *gp)
{
    (void)gp;
    return gv_midi_clock_us();
}

static void pm_close(gv_midi_port *gp)
{
    pm_port *p = (pm_port *)gp;
    if (p->st)
        Pm_Close(p->st);
    free(p);
    pm_down();
}

static const gv_midi_port_ops pm_ops = {pm_write, pm_read, pm_now, pm_close};

gv_midi_port *gv_midi_pm_open(const char *spec, int dir, double latency_ms, gv_err *e)
{
    if (dir != GV_MIDI_IN && dir != GV_MIDI_OUT)
        return gv_fail(e, "a MIDI port is an input or an output"), NULL;
    if (dir == GV_MIDI_OUT && !(latency_ms >= 1 && latency_ms <= 1000))
        return gv_fail(e, "MIDI latency %g ms is not in 1..1000", latency_ms), NULL;
    pm_port *p = calloc(1, sizeof *p);
    if (!p)
        return gv_failc(e, GV_E_NOMEM, "out of memory"), NULL;
    if (pm_up(e)) {
        free(p);
        return NULL;
    }
    p->base.ops = &pm_ops;
    p->base.dir = dir;
    p->epoch = gv_midi_clock_us() - EPOCH_BACK_US;
    atomic_init(&p->lost, 0);
    PmDeviceID id = find_device(spec, dir, e);
    const PmDeviceInfo *d = id == pmNoDevice ? NULL : Pm_GetDeviceInfo(id);
    if (!d) {
        if (id != pmNoDevice)
            gv_fail(e, "no MIDI device %d", id);
        pm_close(&p->base);
        return NULL;
    }
    snprintf(p->base.name, sizeof p->base.name, "%s", d->name);
    PmError err;
    if (dir == GV_MIDI_OUT) {
        p->lat_ms = (int)(latency_ms + 0.5);
        p->base.lead_us = (int64_t)p->lat_ms * 1000;
        err = Pm_OpenOutput(&p->st, id, NULL, 1024, out_time, p, p->lat_ms);
    } else {
        err = Pm_OpenInput(&p->st, id, NULL, 1024, in_time, p);
        if (err == pmNoError)
            Pm_SetFilter(p->st, PM_FILT_ACTIVE | PM_FILT_SYSEX);
    }
    if (err != pmNoError) {
        char host[256] = "";
        if (err == pmHostError)
            Pm_GetHostErrorText(host, sizeof host);
        gv_fail(e, "cannot open MIDI %s '%s': %s", dir == GV_MIDI_IN ? "input" : "output", d->name,
                *host ? host : Pm_GetErrorText(err));
        p->st = NULL;
        pm_close(&p->base);
        return NULL;
    }
    return &p->base;
}
