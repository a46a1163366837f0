/* bench_import.c - MIDI import throughput over the GMD copy: each file is
 * read from disk, parsed and windowed (2 bars from the first bar with notes),
 * as `groove show` does.  Passes over the whole set repeat for at least a
 * second; prints files/s and MB/s. */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/fileio.h"
#include "patterns/smf.h"
#include "tests/helpers.h"

static char **paths;
static int npaths, cappaths;

static int collect(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    if (type != FTW_F || strcmp(gv_path_ext(path), "mid"))
        return 0;
    if (npaths == cappaths) {
        cappaths = cappaths ? 2 * cappaths : 1024;
        char **q = realloc(paths, (size_t)cappaths * sizeof *paths);
        if (!q)
            return -1;
        paths = q;
    }
    paths[npaths] = strdup(path);
    return paths[npaths++] ? 0 : -1;
}

int main(void)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/patterns/gmd", gv_test_root());
    if (nftw(dir, collect, 16, FTW_PHYS) != 0 || npaths == 0) {
        fprintf(stderr, "bench_import: no .mid files under %s\n", dir);
        return 1;
    }
    static gv_pattern p;
    long long files = 0, bytes = 0;
    double t0 = gv_test_now(), t = t0;
    int passes = 0;
    while (passes < 3 || t - t0 < 1.0) {
        for (int i = 0; i < npaths; i++) {
            unsigned char *data;
            size_t len;
            gv_score s;
            gv_err e;
            if (gv_read_file(paths[i], GV_SMF_MAX_FILE, &data, &len, &e) || gv_smf_parse(data, len, -1, &s, &e)) {
                fprintf(stderr, "bench_import: %s: %s\n", paths[i], e.msg);
                return 1;
            }
            free(data);
            if (gv_score_window(&s, gv_score_first_bar(&s), 2, &p, &e) < 0) {
                fprintf(stderr, "bench_import: %s: %s\n", paths[i], e.msg);
                return 1;
            }
            gv_score_free(&s);
            files++;
            bytes += (long long)len;
        }
        passes++;
        t = gv_test_now();
    }
    double sec = t - t0;
    printf("BENCH name=midi_import_files value=%.1f unit=files/s\n", files / sec);
    printf("BENCH name=midi_import_mb value=%.2f unit=MB/s\n", bytes / 1e6 / sec);
    for (int i = 0; i < npaths; i++)
        free(paths[i]);
    free(paths);
    return 0;
}
