/* error.h - how every library function in groove reports failure.
 *
 * Libraries never print.  A function that can fail takes a gv_err* as its last
 * argument, fills msg with "what is wrong" (no file name, no "groove:" prefix)
 * and returns -1.  The caller adds context; the front end prints
 *   groove: FILE: what is wrong
 * A NULL gv_err* is allowed: the message is then dropped. */
#ifndef GV_ERROR_H
#define GV_ERROR_H

typedef struct gv_err {
    char msg[256];
} gv_err;

/* printf-style: fills e->msg (if e) and returns -1, so callers can write
 *   return gv_fail(e, "bad header length %u", n); */
int gv_fail(gv_err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
