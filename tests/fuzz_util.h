/* fuzz_util.h - what the libFuzzer targets (tests/fuzz_*.c) share; header
 * only, as each target is one .c file (see `make fuzz`).
 *
 *   fz_init(name)    makes the target's private scratch directory (fz_dir),
 *                    under /dev/shm when there is one: several parsers write
 *                    files atomically, and fsync on a RAM disk costs nothing,
 *                    so the fuzzer is not slowed to the disk's pace.  The
 *                    directory (NAME.PID.XXXXXX) is removed at exit, and
 *                    those of dead targets (a crash skips exit handlers)
 *                    when the next one starts.
 *   fz_path(f)       fz_dir/f (a static buffer per call site is enough: each
 *                    target keeps the paths it needs).
 *   fz_put(path, d, n)  writes an input to a file, plainly (no rename).
 *   fz_empty(dir)    removes every entry of dir (not recursive) so that files
 *                    a parser leaves (a moved-aside file, a lock, a temp
 *                    file) do not pile up or change the next run.
 *   fz_seeding()     the seed mode: with GV_FUZZ_SEEDS=DIR the target's
 *                    LLVMFuzzerInitialize writes seed inputs made by the
 *                    project's own writers into DIR (fz_seed) and exits, so
 *                    `make fuzz` starts from inputs the current code accepts
 *                    even after a format changes. */
#ifndef GV_FUZZ_UTIL_H
#define GV_FUZZ_UTIL_H

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static char fz_dir[256];

static inline void fz_die(const char *what, const char *path)
{
    fprintf(stderr, "fuzz: %s: %s\n", path, what);
    abort();
}

static inline void fz_put(const char *path, const void *data, size_t n)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        fz_die("cannot create", path);
    const char *p = data;
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w <= 0)
            fz_die("cannot write", path);
        p += w;
        n -= (size_t)w;
    }
    close(fd);
}

static inline void fz_rm_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        char p[1024];
        snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
        struct stat st;
        if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
            fz_rm_tree(p);
        else
            unlink(p);
    }
    closedir(d);
    rmdir(dir);
}

/* Every entry of dir that is not a directory. */
static inline void fz_empty(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *de;
    while ((de = readdir(d))) {
        char p[1024];
        struct stat st;
        snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
        if (lstat(p, &st) == 0 && !S_ISDIR(st.st_mode))
            unlink(p);
    }
    closedir(d);
}

static inline void fz_cleanup(void)
{
    if (fz_dir[0])
        fz_rm_tree(fz_dir);
}

/* Scratch directories of targets that died (a crash skips atexit): NAME.PID.*
 * whose PID no longer runs. */
static inline void fz_clean_dead(const char *root, const char *name)
{
    DIR *d = opendir(root);
    if (!d)
        return;
    size_t n = strlen(name);
    struct dirent *de;
    while ((de = readdir(d))) {
        char *end;
        if (strncmp(de->d_name, name, n) || de->d_name[n] != '.')
            continue;
        long pid = strtol(de->d_name + n + 1, &end, 10);
        if (end == de->d_name + n + 1 || *end != '.' || pid <= 0 || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue;
        char p[1024];
        snprintf(p, sizeof p, "%s/%s", root, de->d_name);
        fz_rm_tree(p);
    }
    closedir(d);
}

static inline void fz_init(const char *name)
{
    struct stat st;
    const char *root = stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) && access("/dev/shm", W_OK) == 0
                           ? "/dev/shm"
                           : "/tmp";
    fz_clean_dead(root, name);
    snprintf(fz_dir, sizeof fz_dir, "%s/%s.%ld.XXXXXX", root, name, (long)getpid());
    if (!mkdtemp(fz_dir))
        fz_die("cannot make a scratch directory", fz_dir);
    atexit(fz_cleanup);
}

static inline const char *fz_path(char *out, size_t n, const char *file)
{
    snprintf(out, n, "%s/%s", fz_dir, file);
    return out;
}

static inline const char *fz_seeding(void)
{
    const char *d = getenv("GV_FUZZ_SEEDS");
    return d && *d ? d : NULL;
}

/* Writes one seed, GV_FUZZ_SEEDS/name. */
static inline void fz_seed(const char *name, const void *data, size_t n)
{
    char p[1024];
    snprintf(p, sizeof p, "%s/%s", fz_seeding(), name);
    fz_put(p, data, n);
}

/* Copies a file the writers made into the seed directory. */
static inline void fz_seed_file(const char *name, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fz_die("cannot read", path);
    static unsigned char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    fz_seed(name, buf, n);
}

#endif
