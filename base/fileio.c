#define _GNU_SOURCE /* syncfs */
#include "fileio.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

/* What a path that is not a regular file is, for the error line. */
static const char *file_kind(mode_t m)
{
    return S_ISFIFO(m) ? "a FIFO" : S_ISCHR(m) ? "a character device" : S_ISBLK(m) ? "a block device"
         : S_ISSOCK(m) ? "a socket" : "not a file";
}

static int not_regular(mode_t m, gv_err *e)
{
    if (S_ISDIR(m))
        return gv_failc(e, GV_E_IO, "is a directory");
    return gv_failc(e, GV_E_IO, "not a regular file (%s)", file_kind(m));
}

int gv_open_regular(const char *path, unsigned long long *size, gv_err *e)
{
    /* stat first: a FIFO or device is refused without being opened at all
     * (opening a FIFO for reading waits for a writer; a device may act on
     * open).  O_NONBLOCK covers a path swapped for a FIFO in between; the
     * fstat of what was really opened decides. */
    struct stat st;
    if (stat(path, &st) != 0)
        return gv_failc(e, gv_errno_code(errno), "%s", strerror(errno));
    if (!S_ISREG(st.st_mode))
        return not_regular(st.st_mode, e);
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return gv_failc(e, gv_errno_code(errno), "%s", strerror(errno));
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        int err = errno;
        close(fd);
        return S_ISREG(st.st_mode) ? gv_failc(e, gv_errno_code(err), "%s", strerror(err)) : not_regular(st.st_mode, e);
    }
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0)
        fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    *size = (unsigned long long)st.st_size;
    return fd;
}

int gv_read_file(const char *path, size_t max, unsigned char **data, size_t *len, gv_err *e)
{
    *data = NULL;
    *len = 0;
    unsigned long long size;
    int fd = gv_open_regular(path, &size, e);
    if (fd < 0)
        return -1;
    if (size > max) {
        close(fd);
        return gv_failc(e, GV_E_RANGE, "file too large (%lld bytes, limit %zu)", (long long)size, max);
    }
    size_t n = (size_t)size;
    unsigned char *buf = malloc(n + 1);
    if (!buf) {
        close(fd);
        return gv_failc(e, GV_E_NOMEM, "out of memory");
    }
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, buf + got, n - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            free(buf);
            close(fd);
            return gv_failc(e, GV_E_IO, "read error: %s", r < 0 ? strerror(errno) : "file shrank");
        }
        got += (size_t)r;
    }
    close(fd);
    buf[n] = 0;
    *data = buf;
    *len = n;
    return 0;
}

static char *temp_name(const char *path)
{
    size_t n = strlen(path) + 32;
    char *tmp = malloc(n);
    if (tmp)
        snprintf(tmp, n, "%s.%ld.tmp", path, (long)getpid());
    return tmp;
}

/* Writes one temp file; returns its open fd (for syncing) or -1.  An error
 * names the target when given (one of a batch), never the temp name: the
 * caller already names the file it asked for. */
static int write_temp(const char *tmp, const char *target, const void *data, size_t len, gv_err *e)
{
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        return target ? gv_failc(e, gv_errno_code(errno), "cannot create %s: %s", target, strerror(errno))
                      : gv_failc(e, gv_errno_code(errno), "cannot create the file: %s", strerror(errno));
    const unsigned char *p = data;
    size_t done = 0;
    while (done < len) {
        ssize_t w = write(fd, p + done, len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            gv_failc(e, GV_E_IO, "write error: %s", w < 0 ? strerror(errno) : "disk full");
            close(fd);
            return -1;
        }
        done += (size_t)w;
    }
    return fd;
}

/* Length of the directory part of path ("" -> 0: the current directory). */
static size_t dir_len(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? (size_t)(slash - path) + 1 : 0;
}

static int same_dir(const char *a, const char *b)
{
    return dir_len(a) == dir_len(b) && strncmp(a, b, dir_len(a)) == 0;
}

/* The directory holding path ("." for a bare name) into dir[n]; -1 when it
 * does not fit. */
static int dir_of(const char *path, char *dir, size_t n)
{
    size_t k = dir_len(path);
    if (k >= n)
        return -1;
    if (k) {
        memcpy(dir, path, k);
        dir[k] = 0;
    } else {
        snprintf(dir, n, ".");
    }
    return 0;
}

/* fsync of the directory holding path, so that the rename itself is durable. */
static void sync_dir_of(const char *path)
{
    char dir[4096];
    if (dir_of(path, dir, sizeof dir) != 0)
        return;
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

/* Is name "TARGET.EXT.PID.tmp" (temp_name's form) with PID a process that no
 * longer exists?  Such a file is what kill -9 mid-write leaves.  A live
 * process's temp (kill(pid, 0) succeeds, or fails with EPERM: another
 * user's) is being written; a name without the target's extension is
 * probably the user's own ("notes.2024.tmp") and is left alone too. */
static int stale_temp(const char *name)
{
    size_t n = strlen(name);
    if (n < 9 || strcmp(name + n - 4, ".tmp") != 0)
        return 0;
    const char *end = name + n - 4, *pid = end;
    while (pid > name && pid[-1] >= '0' && pid[-1] <= '9')
        pid--;
    if (pid == end || end - pid > 10 || *pid == '0' || pid - name < 4 || pid[-1] != '.')
        return 0;
    const char *ext = pid - 1; /* the target's extension: 1 to 16 letters or digits */
    int elen = 0;
    while (ext > name && isalnum((unsigned char)ext[-1]) && elen <= 16) {
        ext--;
        elen++;
    }
    if (elen < 1 || elen > 16 || ext - name < 2 || ext[-1] != '.')
        return 0;
    long long p = strtoll(pid, NULL, 10);
    if (p <= 0 || p > INT_MAX)
        return 0;
    return kill((pid_t)p, 0) != 0 && errno == ESRCH;
}

/* Removes the stale temp files (stale_temp) in the directory holding path:
 * every writer calls this, so a kill -9 costs disk space only until the
 * directory is next written.  Best effort: errors are ignored. */
static void clean_stale_temps(const char *path)
{
    char dir[4096];
    if (dir_of(path, dir, sizeof dir) != 0)
        return;
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *de;
    while ((de = readdir(d))) {
        struct stat st;
        if (stale_temp(de->d_name) && fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
            S_ISREG(st.st_mode))
            unlinkat(dirfd(d), de->d_name, 0);
    }
    closedir(d);
}

int gv_write_atomic_many(const gv_file_out *f, int n, gv_err *e)
{
    if (n <= 0)
        return 0;
    for (int i = 0; i < n; i++)
        if (i == 0 || !same_dir(f[i].path, f[i - 1].path))
            clean_stale_temps(f[i].path);
    char **tmp = calloc((size_t)n, sizeof *tmp);
    if (!tmp)
        return gv_failc(e, GV_E_NOMEM, "out of memory");
    int rc = 0, written = 0;
    for (; written < n && rc == 0; written++) {
        if (!(tmp[written] = temp_name(f[written].path))) {
            rc = gv_failc(e, GV_E_NOMEM, "out of memory");
            break;
        }
        int fd = write_temp(tmp[written], n > 1 ? f[written].path : NULL, f[written].data, f[written].len, e);
        if (fd < 0) {
            rc = -1;
            unlink(tmp[written]);
            break;
        }
        /* The last file's fd flushes the batch: its own data alone (fsync)
         * for one file, the whole filesystem in one commit (syncfs) for many,
         * which costs one flush instead of n. */
        if (written == n - 1 && (n == 1 ? fsync(fd) : syncfs(fd)) != 0)
            rc = gv_failc(e, GV_E_IO, "sync: %s", strerror(errno));
        if (close(fd) != 0 && rc == 0)
            rc = gv_failc(e, GV_E_IO, "close: %s", strerror(errno));
    }
    for (int i = 0; i < n && rc == 0; i++)
        if (rename(tmp[i], f[i].path) != 0)
            rc = gv_failc(e, gv_errno_code(errno), "rename to %s: %s", f[i].path, strerror(errno));
    for (int i = 0; i < n; i++) {
        if (tmp[i] && rc != 0)
            unlink(tmp[i]);
        if (rc == 0 && (i == 0 || !same_dir(f[i].path, f[i - 1].path)))
            sync_dir_of(f[i].path);
        free(tmp[i]);
    }
    free(tmp);
    return rc;
}

int gv_write_atomic(const char *path, const void *data, size_t len, gv_err *e)
{
    gv_file_out f = {path, data, len};
    return gv_write_atomic_many(&f, 1, e);
}

/* "12.3 MB", "45 kB" */
static void human_bytes(unsigned long long n, char *out, size_t sz)
{
    if (n >= 10ull << 20)
        snprintf(out, sz, "%.1f MB", (double)n / (1 << 20));
    else
        snprintf(out, sz, "%.0f kB", (double)n / 1024);
}

int gv_check_writable(const char *path, unsigned long long need, gv_err *e)
{
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return gv_failc(e, GV_E_IO, "is a directory");
    clean_stale_temps(path); /* their space counts as free */
    char *tmp = temp_name(path);
    if (!tmp)
        return gv_failc(e, GV_E_NOMEM, "out of memory");
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) {
        gv_failc(e, gv_errno_code(errno), "cannot write here: %s", strerror(errno));
        free(tmp);
        return -1;
    }
    /* a block of data: a full disk still lets an empty file be created */
    static const char block[4096];
    ssize_t w;
    while ((w = write(fd, block, sizeof block)) < 0 && errno == EINTR)
        ;
    int err = w < 0 ? errno : w < (ssize_t)sizeof block ? ENOSPC : 0;
    struct statvfs vfs;
    int have_vfs = fstatvfs(fd, &vfs) == 0;
    if (close(fd) != 0 && !err)
        err = errno;
    unlink(tmp);
    free(tmp);
    if (err)
        return gv_failc(e, gv_errno_code(err), "cannot write here: %s", strerror(err));
    unsigned long long avail = have_vfs ? (unsigned long long)vfs.f_bavail * vfs.f_frsize : ~0ull;
    if (need && avail < need) {
        char a[32], b[32];
        human_bytes(avail, a, sizeof a);
        human_bytes(need, b, sizeof b);
        return gv_failc(e, GV_E_IO, "not enough space: %s free, %s needed", a, b);
    }
    return 0;
}

int gv_mkdirs(const char *dir, gv_err *e)
{
    char buf[4096];
    size_t n = strlen(dir);
    if (n == 0 || n >= sizeof buf)
        return gv_failc(e, GV_E_USAGE, "bad directory name");
    memcpy(buf, dir, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (buf[i] == '/' || buf[i] == 0) {
            char c = buf[i];
            buf[i] = 0;
            if (mkdir(buf, 0755) != 0 && errno != EEXIST)
                return gv_failc(e, gv_errno_code(errno), "cannot create directory %s: %s", buf, strerror(errno));
            buf[i] = c;
        }
    }
    return 0;
}

const char *gv_path_ext(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(path, '.');
    if (!dot || (slash && dot < slash) || dot == path || (slash && dot == slash + 1))
        return "";
    return dot + 1;
}

void gv_path_stem(const char *path, char *out, size_t outsz)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    const char *ext = gv_path_ext(base);
    size_t n = *ext ? (size_t)(ext - 1 - base) : strlen(base);
    if (n >= outsz)
        n = outsz - 1;
    memcpy(out, base, n);
    out[n] = 0;
}

void gv_path_beside(const char *out, const char *suffix, char *buf, size_t n)
{
    size_t l = strlen(out), x = strlen(".safetensors");
    if (l > x && !strcmp(out + l - x, ".safetensors"))
        l -= x;
    snprintf(buf, n, "%.*s%s", (int)l, out, suffix);
}

int gv_move_aside(const char *path, char *moved, size_t n, gv_err *e)
{
    time_t now = time(NULL);
    struct tm tm;
    char stamp[32];
    localtime_r(&now, &tm);
    strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
    for (int k = 1; k <= 100; k++) {
        int w = k == 1 ? snprintf(moved, n, "%s.bad-%s", path, stamp)
                       : snprintf(moved, n, "%s.bad-%s-%d", path, stamp, k);
        if (w < 0 || (size_t)w >= n)
            return gv_fail(e, "path too long");
        /* link + unlink: never over an existing file, whatever races */
        if (link(path, moved) == 0) {
            if (unlink(path) == 0)
                return 0;
            int err = errno;
            unlink(moved);
            return gv_fail(e, "cannot move it aside: %s", strerror(err));
        }
        if (errno == EEXIST)
            continue;
        /* no hard links here (some filesystems), or not a regular file */
        if (access(moved, F_OK) == 0)
            continue;
        if (rename(path, moved) == 0)
            return 0;
        return gv_fail(e, "cannot move it aside: %s", strerror(errno));
    }
    return gv_fail(e, "cannot move it aside: too many %s.bad-%s files", path, stamp);
}
