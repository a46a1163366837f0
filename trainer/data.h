/* data.h - training windows from a folder of MIDI drum performances.
 *
 * Every .mid/.midi under DIR is read (sorted by path, so the order is the same
 * on every machine).  Where DIR holds a GMD-style info.csv, its columns
 * `split`, `beat_type`, `time_signature` and `midi_filename` select the files;
 * without one, every file is used and a file's split is fixed by a hash of its
 * relative path (1 in 10 "validation", the rest "train").
 *
 * A file gives 2-bar windows (32 steps; opts.steps 64 gives 4-bar windows for
 * the recurrent 4-bar models; files whose bars are not 16 steps are
 * skipped) with a hop of 1 bar; the first split asked for (the trainer's
 * training split) may hop less (train_hop steps, a divisor of 16), adding
 * windows that start between bar lines: with 8, the half-bar shifts keep the
 * backbeat on beats 2 and 4 and double the data.  The other splits always hop
 * a bar, so evaluation stays on bar-aligned windows.  Windows with fewer than min_hits hits are dropped and counted.  Each window is stored as
 *   src[32][3]  its monotonic groove (hit, vel, off per step: gv_pattern_groove)
 *   tgt[32][27] its 9-voice pattern, [t][k*9+v] with k 0 hit, 1 vel, 2 off,
 * the layout of the model's output logits.
 *
 * The prepared windows of all requested splits are cached in one binary file,
 * keyed by a hash of the file list, sizes, mtimes and the settings; a stale or
 * unreadable cache is rebuilt. */
#ifndef GV_TRAINER_DATA_H
#define GV_TRAINER_DATA_H

#include <stdint.h>

#include "engine/cond.h"
#include "base/error.h"

#define GV_WIN_STEPS 32
#define GV_SRC_DIM (GV_WIN_STEPS * 3)
#define GV_TGT_DIM (GV_WIN_STEPS * 27)

typedef struct gv_windows {
    int n;        /* windows */
    int steps;    /* T, each window's steps: 32 (gv_data_opts.steps) */
    float *src;   /* [n][T][3] */
    float *tgt;   /* [n][T][27] */
    int files;    /* files that gave windows */
    int skipped;  /* selected files that could not be read or are not 16 steps a bar */
    int dropped;  /* windows dropped for too few hits */
} gv_windows;

typedef struct gv_data_opts {
    char beat_type[16]; /* info.csv beat_type to keep ("beat"); "" keeps all */
    char time_sig[16];  /* info.csv time_signature to keep ("4-4"); "" keeps all */
    int min_hits;       /* windows with fewer hits are dropped */
    int max_files;      /* 0: every file; else the first N of each split (tests) */
    int train_hop;      /* steps between window starts in splits[0] (16: a bar) */
    int steps;          /* window length: 32 (2 bars; the transformer's), 64 (4 bars), ... a multiple of 32 */
    int threads;        /* workers reading the files when the cache is built (1); the same windows for any
                         * count, and not part of the cache's key */
} gv_data_opts;

/* beat_type "beat", time_sig "4-4", min_hits 8, max_files 0, train_hop 16, steps 32. */
void gv_data_opts_default(gv_data_opts *o);

/* Loads the windows of each of splits[0..nsplits) into out[0..nsplits).
 * cache: path of the cache file (NULL: no cache); *from_cache tells whether it
 * was used (may be NULL).  On failure every out[i] is left empty. */
int gv_data_load(const char *dir, const gv_data_opts *o, const char *const *splits, int nsplits,
                 const char *cache, gv_windows *out, int *from_cache, gv_err *e);
void gv_windows_free(gv_windows *w);

/* Window i's model input for a model of F src_features: its groove (F = 3,
 * as stored), or its conditioned features under c (F = GV_COND_FEATURES,
 * engine/cond.h, from its pattern).  32 * F floats to src. */
void gv_window_src(const gv_windows *w, int i, const gv_cond *c, int F, float *src);

/* Splits w into head (the first n - n/10 windows less the 3 just before the
 * cut, which may share bars with the tail) and tail (the last tenth, from
 * files after the head's: the files are read in path order): views
 * into w's arrays, nothing copied or freed.  The trainer learns on head and
 * calibrates on tail, so that validation figures stay honest. */
void gv_windows_split_tenth(const gv_windows *w, gv_windows *head, gv_windows *tail);

#endif
