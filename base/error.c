#include "error.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

static int vfail(gv_err *e, gv_code code, const char *fmt, va_list ap)
{
    if (e) {
        vsnprintf(e->msg, sizeof e->msg, fmt, ap);
        e->code = code;
    }
    return -1;
}

int gv_fail(gv_err *e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfail(e, GV_E_OTHER, fmt, ap);
    va_end(ap);
    return -1;
}

int gv_failc(gv_err *e, gv_code code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfail(e, code, fmt, ap);
    va_end(ap);
    return -1;
}

const char *gv_err_string(gv_code code)
{
    static const char *const names[GV_E_COUNT] = {
        [GV_OK] = "no error",
        [GV_E_OTHER] = "error",
        [GV_E_IO] = "input/output error",
        [GV_E_NOTFOUND] = "not found",
        [GV_E_FORMAT] = "bad format",
        [GV_E_RANGE] = "out of range",
        [GV_E_NOMEM] = "out of memory",
        [GV_E_MODEL] = "model mismatch",
        [GV_E_USAGE] = "bad usage",
    };
    return (unsigned)code < GV_E_COUNT ? names[code] : "unknown error";
}

gv_code gv_errno_code(int errnum)
{
    return errnum == ENOENT || errnum == ENOTDIR ? GV_E_NOTFOUND : errnum == ENOMEM ? GV_E_NOMEM : GV_E_IO;
}
