#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/fileio.h"
#include "patterns/pattern.h"
#include "kernels/rng.h"

Test(pattern, groove_takes_loudest_hit)
{
    static gv_pattern p;
    gv_pattern_init(&p, 32, 120, "t");
    gv_pattern_set(&p, 0, GV_KICK, 1, 0.5f, 0.1f);
    gv_pattern_set(&p, 0, GV_CHAT, 1, 0.9f, -0.2f);
    gv_pattern_set(&p, 5, GV_SNARE, 1, 0.3f, 0.0f);
    float hvo[32 * 3];
    gv_pattern_groove(&p, hvo);
    cr_assert_float_eq(hvo[0], 1.f, 0);
    cr_assert_float_eq(hvo[1], 0.9f, 1e-6);
    cr_assert_float_eq(hvo[2], -0.2f, 1e-6);
    cr_assert_float_eq(hvo[3], 0.f, 0);
    cr_assert_float_eq(hvo[5 * 3 + 1], 0.3f, 1e-6);
    cr_assert_eq(gv_pattern_count(&p), 3);
}

Test(pattern, merge_keeps_loudest_and_clamps)
{
    static gv_pattern p;
    gv_pattern_init(&p, 16, 100, NULL);
    gv_pattern_merge(&p, 3, GV_SNARE, 0.4f, 0.2f);
    gv_pattern_merge(&p, 3, GV_SNARE, 0.8f, -0.1f);
    gv_pattern_merge(&p, 3, GV_SNARE, 0.6f, 0.3f);
    cr_assert_float_eq(p.vel[3][GV_SNARE], 0.8f, 1e-6);
    cr_assert_float_eq(p.off[3][GV_SNARE], -0.1f, 1e-6);
    gv_pattern_set(&p, 4, GV_KICK, 1, 2.f, 0.9f);
    cr_assert_float_eq(p.vel[4][GV_KICK], 1.f, 0);
    cr_assert_float_eq(p.off[4][GV_KICK], 0.5f, 0);
}

Test(drummap, agrees_with_roland_classes)
{
    /* Magenta ROLAND_DRUM_PITCH_CLASSES, voice by voice. */
    static const int roland[9][5] = {{36}, {38, 37, 40}, {42, 22, 44}, {46, 26}, {43, 58},
                                     {47, 45}, {50, 48}, {49, 52, 55, 57}, {51, 53, 59}};
    for (int v = 0; v < 9; v++)
        for (int i = 0; i < 5 && roland[v][i]; i++)
            cr_assert_eq(gv_note_voice(roland[v][i]), v, "note %d", roland[v][i]);
    /* Every GM percussion note 27..87 has a voice. */
    for (int n = 27; n <= 87; n++)
        cr_assert(gv_note_voice(n) >= 0, "note %d unmapped", n);
    cr_assert_eq(gv_note_voice(35), GV_KICK);
    cr_assert_eq(gv_note_voice(39), GV_SNARE); /* hand clap, reduced */
    cr_assert_eq(gv_note_voice(82), GV_RIDE);
    cr_assert_eq(gv_note_voice(10), -1);
    for (int v = 0; v < 9; v++)
        cr_assert_eq(gv_note_voice(gv_voice_note(v)), v);
}

Test(rng, seeded_and_reproducible)
{
    gv_rng a, b;
    gv_rng_seed(&a, 42);
    gv_rng_seed(&b, 42);
    double sum = 0, sq = 0;
    for (int i = 0; i < 20000; i++) {
        float x = gv_rng_normal(&a);
        cr_assert_eq(x, gv_rng_normal(&b));
        sum += x;
        sq += x * x;
    }
    cr_assert(fabs(sum / 20000) < 0.03);
    cr_assert(fabs(sq / 20000 - 1) < 0.05);
}

Test(fileio, atomic_write_replaces)
{
    char path[] = "/tmp/gv_fileio_XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    close(fd);
    gv_err e;
    cr_assert_eq(gv_write_atomic(path, "hello", 5, &e), 0);
    unsigned char *d;
    size_t n;
    cr_assert_eq(gv_read_file(path, 100, &d, &n, &e), 0);
    cr_assert_eq(n, 5);
    cr_assert(!memcmp(d, "hello", 5));
    free(d);
    cr_assert_eq(gv_read_file(path, 3, &d, &n, &e), -1);
    cr_assert(strstr(e.msg, "too large"));
    unlink(path);
    cr_assert_eq(gv_read_file(path, 100, &d, &n, &e), -1);
    cr_assert_str_eq(gv_path_ext("a/b.c/x.mid"), "mid");
    cr_assert_str_eq(gv_path_ext("a/b.c/x"), "");
    char stem[32];
    gv_path_stem("dir/groove-01.mid", stem, sizeof stem);
    cr_assert_str_eq(stem, "groove-01");
}

Test(fileio, atomic_batch_writes_all_and_leaves_no_temp)
{
    char dir[] = "/tmp/gv_batch_XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char paths[3][64];
    gv_file_out f[3];
    const char *text[3] = {"one", "two!", "three"};
    for (int i = 0; i < 3; i++) {
        snprintf(paths[i], sizeof paths[i], "%s/f%d", dir, i);
        f[i] = (gv_file_out){paths[i], text[i], strlen(text[i])};
    }
    gv_err e;
    cr_assert_eq(gv_write_atomic_many(f, 3, &e), 0);
    for (int i = 0; i < 3; i++) {
        unsigned char *d;
        size_t n;
        cr_assert_eq(gv_read_file(paths[i], 100, &d, &n, &e), 0);
        cr_assert_eq(n, strlen(text[i]));
        cr_assert(!memcmp(d, text[i], n));
        free(d);
    }
    /* A batch whose last target cannot be created replaces nothing. */
    char bad[96];
    snprintf(bad, sizeof bad, "%s/no/such/dir/f", dir);
    gv_file_out g[2] = {{paths[0], "new", 3}, {bad, "x", 1}};
    cr_assert_eq(gv_write_atomic_many(g, 2, &e), -1);
    unsigned char *d;
    size_t n;
    cr_assert_eq(gv_read_file(paths[0], 100, &d, &n, &e), 0);
    cr_assert(n == 3 && !memcmp(d, "one", 3), "first target replaced by a failed batch");
    free(d);
    char cmd[160];
    snprintf(cmd, sizeof cmd, "test -z \"$(ls %s | grep tmp)\"", dir);
    cr_assert_eq(system(cmd), 0, "temp files left behind");
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_assert_eq(system(cmd), 0);
}

/* A FIFO (or any non-regular file) is refused at once: opening it for reading
 * must not wait for a writer.  Before the fix this test hung until its timeout. */
Test(fileio, refuses_fifo_and_directory_without_blocking, .timeout = 60)
{
    char dir[] = "/tmp/gv_fifo_XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char fifo[64], sub[64];
    snprintf(fifo, sizeof fifo, "%s/f.mid", dir);
    snprintf(sub, sizeof sub, "%s/d.mid", dir);
    cr_assert_eq(mkfifo(fifo, 0644), 0);
    cr_assert_eq(mkdir(sub, 0755), 0);
    gv_err e = {0};
    unsigned long long size;
    cr_assert_eq(gv_open_regular(fifo, &size, &e), -1);
    cr_assert(strstr(e.msg, "not a regular file") && strstr(e.msg, "FIFO"), "%s", e.msg);
    unsigned char *d;
    size_t n;
    cr_assert_eq(gv_read_file(fifo, 100, &d, &n, &e), -1);
    cr_assert(strstr(e.msg, "not a regular file"), "%s", e.msg);
    cr_assert_eq(gv_read_file(sub, 100, &d, &n, &e), -1);
    cr_assert_str_eq(e.msg, "is a directory");
    cr_assert_eq(gv_read_file("/dev/null", 100, &d, &n, &e), -1);
    cr_assert(strstr(e.msg, "not a regular file"), "%s", e.msg);
    unlink(fifo);
    rmdir(sub);
    rmdir(dir);
}

static int exists(const char *dir, const char *name)
{
    char p[256];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    return access(p, F_OK) == 0;
}

static void touch(const char *dir, const char *name)
{
    char p[256];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    cr_assert_not_null(f, "%s", p);
    fputs("stale", f);
    fclose(f);
}

/* kill -9 mid-write leaves NAME.PID.tmp: the next write into that directory
 * removes those of dead processes, never a live process's, nor a file that
 * only looks like one (no extension before the PID, not a regular file). */
Test(fileio, stale_temps_of_dead_processes_are_removed)
{
    char dir[] = "/tmp/gv_stale_XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    pid_t dead = fork();
    cr_assert(dead >= 0);
    if (dead == 0)
        _exit(0);
    cr_assert_eq(waitpid(dead, NULL, 0), dead);
    /* the live process waits on a pipe: it ends with this test, even a failed one */
    int hold[2];
    cr_assert_eq(pipe(hold), 0);
    pid_t live = fork();
    cr_assert(live >= 0);
    if (live == 0) {
        char ch;
        close(hold[1]);
        while (read(hold[0], &ch, 1) < 0)
            ;
        _exit(0);
    }
    close(hold[0]);
    char a[64], b[64], c[64], d[64], f[64], g[64];
    snprintf(a, sizeof a, "m.ckpt.%d.tmp", (int)dead);
    snprintf(b, sizeof b, "exp.mid.%d.tmp", (int)dead);
    snprintf(c, sizeof c, "m.safetensors.%d.tmp", (int)live);
    snprintf(d, sizeof d, "notes.%d.tmp", (int)dead);
    snprintf(f, sizeof f, "dir.mid.%d.tmp", (int)dead);
    snprintf(g, sizeof g, "x.mid.%dz.tmp", (int)dead);
    touch(dir, a);
    touch(dir, b);
    touch(dir, c);
    touch(dir, d);
    touch(dir, g);
    char sub[256];
    snprintf(sub, sizeof sub, "%s/%s", dir, f);
    cr_assert_eq(mkdir(sub, 0755), 0);
    char target[256];
    snprintf(target, sizeof target, "%s/new.mid", dir);
    gv_err e;
    cr_assert_eq(gv_write_atomic(target, "x", 1, &e), 0, "%s", e.msg);
    cr_assert(!exists(dir, a), "a dead process's checkpoint temp is left");
    cr_assert(!exists(dir, b), "a dead process's export temp is left");
    cr_assert(exists(dir, c), "a live process's temp was removed");
    cr_assert(exists(dir, d), "a file with no extension before the PID was removed");
    cr_assert(exists(dir, f), "a directory was removed");
    cr_assert(exists(dir, g), "a name that is not NAME.PID.tmp was removed");
    cr_assert(exists(dir, "new.mid"));
    close(hold[1]);
    waitpid(live, NULL, 0);
    /* the batch writer cleans each directory it writes into */
    touch(dir, a);
    char other[] = "/tmp/gv_stale2_XXXXXX";
    cr_assert_not_null(mkdtemp(other));
    touch(other, b);
    char p1[256], p2[256];
    snprintf(p1, sizeof p1, "%s/one.mid", dir);
    snprintf(p2, sizeof p2, "%s/two.mid", other);
    gv_file_out out[2] = {{p1, "1", 1}, {p2, "2", 1}};
    cr_assert_eq(gv_write_atomic_many(out, 2, &e), 0, "%s", e.msg);
    cr_assert(!exists(dir, a) && !exists(other, b), "the batch left dead processes' temps");
    cr_assert(!exists(dir, c), "the temp of a process that has died since is left");
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf %s %s", dir, other);
    cr_assert_eq(system(cmd), 0);
}
