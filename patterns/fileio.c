#define _POSIX_C_SOURCE 200809L
#include "fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int gv_read_file(const char *path, size_t max, unsigned char **data, size_t *len, gv_err *e)
{
    *data = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return gv_fail(e, "%s", strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return gv_fail(e, "not a regular file");
    }
    if ((unsigned long long)st.st_size > max) {
        close(fd);
        return gv_fail(e, "file too large (%lld bytes, limit %zu)", (long long)st.st_size, max);
    }
    size_t n = (size_t)st.st_size;
    unsigned char *buf = malloc(n + 1);
    if (!buf) {
        close(fd);
        return gv_fail(e, "out of memory");
    }
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, buf + got, n - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            free(buf);
            close(fd);
            return gv_fail(e, "read error: %s", r < 0 ? strerror(errno) : "file shrank");
        }
        got += (size_t)r;
    }
    close(fd);
    buf[n] = 0;
    *data = buf;
    *len = n;
    return 0;
}

int gv_write_atomic(const char *path, const void *data, size_t len, gv_err *e)
{
    size_t pl = strlen(path);
    char *tmp = malloc(pl + 32);
    if (!tmp)
        return gv_fail(e, "out of memory");
    snprintf(tmp, pl + 32, "%s.%ld.tmp", path, (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) {
        gv_fail(e, "cannot create %s: %s", tmp, strerror(errno));
        free(tmp);
        return -1;
    }
    const unsigned char *p = data;
    size_t done = 0;
    while (done < len) {
        ssize_t w = write(fd, p + done, len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            gv_fail(e, "write error: %s", strerror(errno));
            goto fail;
        }
        done += (size_t)w;
    }
    if (fsync(fd) != 0) {
        gv_fail(e, "fsync: %s", strerror(errno));
        goto fail;
    }
    if (close(fd) != 0) {
        fd = -1;
        gv_fail(e, "close: %s", strerror(errno));
        goto fail;
    }
    fd = -1;
    if (rename(tmp, path) != 0) {
        gv_fail(e, "rename: %s", strerror(errno));
        goto fail;
    }
    free(tmp);
    return 0;
fail:
    if (fd >= 0)
        close(fd);
    unlink(tmp);
    free(tmp);
    return -1;
}

int gv_mkdirs(const char *dir, gv_err *e)
{
    char buf[4096];
    size_t n = strlen(dir);
    if (n == 0 || n >= sizeof buf)
        return gv_fail(e, "bad directory name");
    memcpy(buf, dir, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (buf[i] == '/' || buf[i] == 0) {
            char c = buf[i];
            buf[i] = 0;
            if (mkdir(buf, 0755) != 0 && errno != EEXIST)
                return gv_fail(e, "cannot create directory %s: %s", buf, strerror(errno));
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
