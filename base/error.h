/* error.h - how every library function in groove reports failure.
 *
 * Libraries never print.  A function that can fail takes a gv_err* as its last
 * argument, fills msg with "what is wrong" (no file name, no "groove:" prefix)
 * and a code a caller can test, and returns -1.  The caller adds context; the
 * front end prints
 *   groove: FILE: what is wrong
 * A NULL gv_err* is allowed: the message is then dropped.
 *
 *   gv_err e;
 *   if (gv_read_file(path, max, &buf, &len, &e) != 0) {
 *       if (e.code == GV_E_NOTFOUND) ...      // e.g. fall back to a default
 *       else fprintf(stderr, "groove: %s: %s\n", path, e.msg);
 *   }
 *
 * The code is only meaningful after a call returned failure.  gv_fail sets
 * GV_E_OTHER; gv_failc names the kind where a caller may want to tell it. */
#ifndef GV_ERROR_H
#define GV_ERROR_H

typedef enum gv_code {
    GV_OK = 0,
    GV_E_OTHER,    /* none of the kinds below */
    GV_E_IO,       /* the system refused a read, write, open or rename (not a file, no space, ...) */
    GV_E_NOTFOUND, /* a file, directory, preset or port that does not exist */
    GV_E_FORMAT,   /* bytes that are not what they claim to be (a MIDI, .tab, safetensors, JSON, ...) */
    GV_E_RANGE,    /* a value or size outside its allowed range */
    GV_E_NOMEM,    /* out of memory */
    GV_E_MODEL,    /* weights that do not fit their config, or a model that does not fit the request */
    GV_E_USAGE,    /* the caller asked for something that cannot be (a bad argument) */
    GV_E_COUNT
} gv_code;

typedef struct gv_err {
    char msg[256];
    gv_code code;
} gv_err;

/* printf-style: fills e->msg (if e), sets e->code = GV_E_OTHER and returns
 * -1, so callers can write
 *   return gv_fail(e, "bad header length %u", n); */
int gv_fail(gv_err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The same with the code given: return gv_failc(e, GV_E_FORMAT, "..."). */
int gv_failc(gv_err *e, gv_code code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* A short fixed name of code ("file not found", ...); "unknown error" for a
 * value outside the enum. */
const char *gv_err_string(gv_code code);

/* The code for a system call's errno: GV_E_NOTFOUND for ENOENT and ENOTDIR,
 * GV_E_NOMEM for ENOMEM, GV_E_IO for the rest. */
gv_code gv_errno_code(int errnum);

#endif
