/* fuzz_cache.c - libFuzzer target for the training-window cache (make
 * fuzz): the input is the cache file of a small scratch data folder (an
 * info.csv and two 2-bar grooves, their times fixed so that the cache key
 * is the same in every run and in the seeds), read by gv_data_load as
 * `groove train` does.  Any cache must be used or rebuilt: the load always
 * succeeds, and when the cache was not used the windows are those of the
 * MIDI files. */
#define _GNU_SOURCE /* utimensat */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/fileio.h"
#include "patterns/smf.h"
#include "tests/fuzz_util.h"
#include "trainer/data.h"

static char datadir[512], cache[512];
static const char *const splits[2] = {"train", "validation"};
static gv_data_opts opts;
static gv_windows ref[2];

static void groove_file(const char *name, int variant)
{
    static gv_pattern p;
    gv_pattern_init(&p, GV_WIN_STEPS, 120, "");
    for (int s = 0; s < GV_WIN_STEPS; s++) {
        gv_pattern_set(&p, s, GV_CHAT, s % 2 == 0, s % 4 ? 0.5f : 0.8f, 0.01f * (float)(s % 3));
        gv_pattern_set(&p, s, GV_SNARE, s % 8 == 4, 0.9f, 0);
        gv_pattern_set(&p, s, GV_KICK, (s + variant) % 6 == 0, 0.85f, -0.02f);
    }
    char path[1024];
    gv_err e;
    snprintf(path, sizeof path, "%s/%s", datadir, name);
    if (gv_smf_save(path, &p, &e) != 0)
        fz_die(e.msg, path);
    /* a fixed time: the cache key hashes it */
    const struct timespec t[2] = {{1700000000, 0}, {1700000000, 0}};
    if (utimensat(AT_FDCWD, path, t, 0) != 0)
        fz_die("cannot set the time", path);
}

/* The scratch data folder, and its windows read from the MIDI files. */
static void make_data(void)
{
    fz_path(datadir, sizeof datadir, "data");
    fz_path(cache, sizeof cache, "windows.cache");
    gv_err e;
    if (gv_mkdirs(datadir, &e) != 0)
        fz_die(e.msg, datadir);
    char info[1024];
    snprintf(info, sizeof info, "%s/info.csv", datadir);
    static const char csv[] = "drummer,session,id,style,bpm,beat_type,time_signature,midi_filename,split\n"
                              "drummer1,s1,\"a,1\",rock,120,beat,4-4,a.mid,train\n"
                              "drummer1,s1,b1,funk/groove,120,beat,4-4,b.mid,validation\n"
                              "drummer2,s2,c1,jazz,120,fill,4-4,a.mid,train\n";
    fz_put(info, csv, sizeof csv - 1);
    groove_file("a.mid", 0);
    groove_file("b.mid", 3);
    gv_data_opts_default(&opts);
    if (gv_data_load(datadir, &opts, splits, 2, NULL, ref, NULL, &e) != 0)
        fz_die(e.msg, datadir);
    if (ref[0].n < 1 || ref[1].n < 1)
        fz_die("no windows in the scratch data", datadir);
}

/* The cache gv_data_load writes for the scratch data. */
static void write_seeds(void)
{
    fz_init("fuzz_cache_seeds");
    make_data();
    gv_windows w[2];
    int from = -1;
    gv_err e;
    if (gv_data_load(datadir, &opts, splits, 2, cache, w, &from, &e) != 0 || from != 0)
        fz_die("no cache written", cache);
    gv_windows_free(&w[0]);
    gv_windows_free(&w[1]);
    if (gv_data_load(datadir, &opts, splits, 2, cache, w, &from, &e) != 0 || from != 1)
        fz_die("the cache is not used", cache);
    gv_windows_free(&w[0]);
    gv_windows_free(&w[1]);
    fz_seed_file("gen-two-splits.cache", cache);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    if (fz_seeding()) {
        write_seeds();
        exit(0);
    }
    fz_init("fuzz_cache");
    make_data();
    return 0;
}

static int same(const gv_windows *a, const gv_windows *b)
{
    return a->n == b->n && a->files == b->files && a->skipped == b->skipped && a->dropped == b->dropped &&
           !memcmp(a->src, b->src, (size_t)a->n * GV_SRC_DIM * sizeof(float)) &&
           !memcmp(a->tgt, b->tgt, (size_t)a->n * GV_TGT_DIM * sizeof(float));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gv_windows w[2];
    int from = -1;
    gv_err e;
    e.msg[0] = 0;
    fz_put(cache, data, size);
    if (gv_data_load(datadir, &opts, splits, 2, cache, w, &from, &e) != 0)
        abort(); /* a bad cache is rebuilt, never an error */
    for (int s = 0; s < 2; s++) {
        if (w[s].n < 0 || (w[s].n > 0 && (!w[s].src || !w[s].tgt)))
            abort();
        if (from == 0 && !same(&w[s], &ref[s]))
            abort();
        gv_windows_free(&w[s]);
    }
    unlink(cache);
    return 0;
}
