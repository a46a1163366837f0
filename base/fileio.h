/* fileio.h - whole-file reads and crash-safe writes.
 *
 * Every file groove writes goes through gv_write_atomic: data is written to a
 * temporary file in the same directory, fsync'd, then rename()d over the
 * target, so a crash mid-save leaves either the old file or the new one.
 * The temp file is TARGET.PID.tmp; one that a killed process left behind
 * (its PID no longer exists) is removed by the next write into, or
 * gv_check_writable of, the same directory. */
#ifndef GV_FILEIO_H
#define GV_FILEIO_H

#include <stddef.h>

#include "error.h"

/* Reads all of path into a malloc'd buffer (*data, caller frees; NUL-terminated
 * one byte past *len for convenience).  Refuses files larger than max bytes. */
int gv_read_file(const char *path, size_t max, unsigned char **data, size_t *len, gv_err *e);

/* Opens path read-only, checking it is a regular file: its fd (caller
 * closes) with *size its length; -1 with e on failure ("is a directory",
 * "not a regular file (a FIFO)", or the system's reason).  A FIFO or device
 * is refused without blocking: every reader of a file a user names goes
 * through here (gv_read_file does), so none can hang on one. */
int gv_open_regular(const char *path, unsigned long long *size, gv_err *e);

/* Atomically replaces path with len bytes of data (temp file + fsync + rename). */
int gv_write_atomic(const char *path, const void *data, size_t len, gv_err *e);

/* One file of a batch for gv_write_atomic_many. */
typedef struct gv_file_out {
    const char *path;
    const void *data;
    size_t len;
} gv_file_out;

/* Atomically writes n files with ONE flush to disk: all temp files are
 * written, the filesystem is synced once (syncfs), then each is renamed over
 * its target and the directories are fsync'd.  A crash leaves every target
 * either old or new and complete.  On error no target has been replaced
 * unless the error happened while renaming (then e names the file). */
int gv_write_atomic_many(const gv_file_out *f, int n, gv_err *e);

/* Checks, before a long job, that gv_write_atomic will be able to write path:
 * path is not a directory, a file beside it can be created and take a block
 * of data (it is removed again), and its filesystem has at least need bytes
 * free (0: any).  0, or -1 with e saying why (the caller names path). */
int gv_check_writable(const char *path, unsigned long long need, gv_err *e);

/* Creates dir and its parents (mkdir -p); existing directories are fine. */
int gv_mkdirs(const char *dir, gv_err *e);

/* Moves the file at path aside, to PATH.bad-STAMP (-K when taken), never
 * over an existing file: a file that cannot be read as what it should be is
 * kept for the user, not overwritten.  moved (n bytes) gets the new path. */
int gv_move_aside(const char *path, char *moved, size_t n, gv_err *e);

/* The extension of path without the dot ("" if none), e.g. "mid". */
const char *gv_path_ext(const char *path);

/* Copies the last path component of path without its extension into out. */
void gv_path_stem(const char *path, char *out, size_t outsz);

/* The file beside a model: out without a ".safetensors" ending, plus suffix
 * ("run.safetensors", ".csv" -> "run.csv"), into buf (n bytes). */
void gv_path_beside(const char *out, const char *suffix, char *buf, size_t n);

#endif
