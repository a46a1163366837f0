/* library.c - kept patterns as .mid + .json sidecar (see library.h). */
#include "session/library.h"

#include <cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/json.h"
#include "base/xdg.h"
#include "base/fileio.h"
#include "patterns/smf.h"
#include "patterns/sequencer.h"

int gv_library_dir(char *out, size_t n, gv_err *e)
{
    return gv_xdg_path(GV_XDG_DATA, "library", out, n, e);
}

static int entry_path(const char *dir, const char *name, const char *ext, char *out, size_t n, gv_err *e)
{
    int w = snprintf(out, n, "%s/%s.%s", dir, name, ext);
    if (w < 0 || (size_t)w >= n)
        return gv_fail(e, "path too long");
    return 0;
}

cJSON *gv_lib_meta_to_json(const gv_lib_meta *m) { return gv_prov_to_json(m, 0); }

int gv_lib_meta_from_json(const cJSON *o, gv_lib_meta *m, gv_err *e) { return gv_prov_from_json(o, m, e); }

static char *sidecar_text(const char *name, const gv_lib_meta *m)
{
    cJSON *o = gv_lib_meta_to_json(m);
    if (o)
        cJSON_AddStringToObject(o, "name", name);
    char *text = o ? cJSON_Print(o) : NULL;
    cJSON_Delete(o);
    return text;
}

int gv_library_save(const char *dir, const gv_pattern *p, const gv_lib_meta *meta, const char *tag,
                    char *name, gv_err *e)
{
    if (gv_mkdirs(dir, e) != 0)
        return -1;
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    char stamp[32];
    strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
    char mid[4096], json[4096];
    for (int k = 0;; k++) {
        if (k >= 26)
            return gv_fail(e, "no free name for %s-%s", stamp, tag);
        char suffix[2] = {k ? (char)('a' + k) : 0, 0};
        snprintf(name, GV_LIB_NAME, "%s%s%s%s", stamp, tag && tag[0] ? "-" : "", tag ? tag : "", suffix);
        if (entry_path(dir, name, "mid", mid, sizeof mid, e) || entry_path(dir, name, "json", json, sizeof json, e))
            return -1;
        if (access(mid, F_OK) != 0 && access(json, F_OK) != 0)
            break;
    }
    unsigned char *data;
    size_t len;
    if (gv_smf_write(p, &data, &len, e) != 0)
        return -1;
    char *text = meta ? sidecar_text(name, meta) : NULL;
    if (meta && !text) {
        free(data);
        return gv_fail(e, "out of memory");
    }
    /* the .mid first: cut between the renames, the entry is whole but for
     * its metadata */
    gv_file_out f[2] = {{mid, data, len}, {json, text, text ? strlen(text) : 0}};
    int rc = gv_write_atomic_many(f, meta ? 2 : 1, e);
    if (rc != 0)
        unlink(mid); /* a new name: nothing of the user's is there */
    free(data);
    cJSON_free(text);
    return rc;
}

static int newest_first(const void *a, const void *b)
{
    const gv_lib_entry *x = a, *y = b;
    if (x->mtime != y->mtime)
        return x->mtime < y->mtime ? 1 : -1;
    return strcmp(y->name, x->name);
}

/* Is dir/NAME.ext a regular file?  (st filled when given) */
static int is_file(const char *dir, const char *name, size_t nlen, const char *ext, struct stat *st)
{
    char path[4096];
    struct stat s;
    if (snprintf(path, sizeof path, "%s/%.*s.%s", dir, (int)nlen, name, ext) >= (int)sizeof path)
        return 0;
    if (!st)
        st = &s;
    return stat(path, st) == 0 && S_ISREG(st->st_mode);
}

int gv_library_list(const char *dir, gv_lib_entry **out, int *n, gv_err *e)
{
    *out = NULL;
    *n = 0;
    DIR *d = opendir(dir);
    if (!d)
        return errno == ENOENT ? 0 : gv_fail(e, "%s", strerror(errno));
    int cap = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        /* an entry is NAME.mid, with or without NAME.json; or NAME.json alone */
        size_t len = strlen(de->d_name);
        int is_mid = len > 4 && !strcmp(de->d_name + len - 4, ".mid");
        int is_json = len > 5 && !strcmp(de->d_name + len - 5, ".json");
        size_t nlen = len - (is_mid ? 4 : 5);
        if ((!is_mid && !is_json) || nlen >= GV_LIB_NAME || de->d_name[0] == '.')
            continue;
        struct stat st;
        if (!is_file(dir, de->d_name, nlen, is_mid ? "mid" : "json", &st))
            continue;
        int half = GV_LIB_WHOLE;
        if (is_mid && !is_file(dir, de->d_name, nlen, "json", NULL))
            half = GV_LIB_NO_SIDECAR;
        if (is_json) {
            if (is_file(dir, de->d_name, nlen, "mid", NULL))
                continue; /* listed with its .mid */
            half = GV_LIB_NO_MID;
        }
        if (*n == cap) {
            cap = cap ? 2 * cap : 32;
            gv_lib_entry *g = realloc(*out, (size_t)cap * sizeof **out);
            if (!g) {
                closedir(d);
                free(*out);
                *out = NULL;
                *n = 0;
                return gv_fail(e, "out of memory");
            }
            *out = g;
        }
        gv_lib_entry *en = &(*out)[(*n)++];
        memcpy(en->name, de->d_name, nlen);
        en->name[nlen] = 0;
        en->mtime = (long long)st.st_mtime;
        en->half = half;
    }
    closedir(d);
    if (*n > 1)
        qsort(*out, (size_t)*n, sizeof **out, newest_first);
    return 0;
}

/* 0 (meta zeroed when there is no sidecar), or 1: a sidecar that cannot be
 * read only loses its metadata (meta zeroed, e says why). */
static int read_sidecar(const char *json, const char *name, gv_lib_meta *meta, gv_err *e)
{
    memset(meta, 0, sizeof *meta);
    unsigned char *data;
    size_t len;
    if (access(json, F_OK) != 0)
        return 0;
    /* the pattern is the entry; a bad sidecar only loses its metadata */
    if (gv_read_file(json, 16 << 20, &data, &len, e) != 0) {
        char why[sizeof e->msg];
        snprintf(why, sizeof why, "%s", e->msg);
        gv_fail(e, "%s.json: %s", name, why);
        return 1;
    }
    cJSON *o = cJSON_ParseWithLength((const char *)data, len);
    free(data);
    if (!cJSON_IsObject(o)) {
        cJSON_Delete(o);
        gv_fail(e, "%s.json: not a JSON object", name);
        return 1;
    }
    gv_err why;
    int bad = gv_lib_meta_from_json(o, meta, &why) != 0;
    cJSON_Delete(o);
    if (bad) { /* the rest of the metadata stays; the pattern is encoded instead */
        gv_fail(e, "%s.json: %s", name, why.msg);
        return 1;
    }
    return 0;
}

int gv_library_load(const char *dir, const char *name, gv_pattern *p, gv_lib_meta *meta, gv_err *e)
{
    char mid[4096], json[4096];
    if (entry_path(dir, name, "mid", mid, sizeof mid, e) || entry_path(dir, name, "json", json, sizeof json, e))
        return -1;
    if (access(mid, F_OK) != 0 && errno == ENOENT && access(json, F_OK) == 0)
        return gv_fail(e, "only its sidecar is left (%s.mid is missing): d deletes it", name);
    if (gv_smf_load(mid, 0, GV_MODEL_STEPS / GV_STEPS_PER_BAR, -1, p, e) < 0)
        return -1;
    gv_lib_meta own, *m = meta ? meta : &own; /* the sidecar's swing is needed even when meta is not */
    int rc = read_sidecar(json, name, m, e);
    if (m->swing > 0)
        gv_seq_swing_unbake(p, m->swing);
    return rc;
}

int gv_library_delete(const char *dir, const char *name, gv_err *e)
{
    char mid[4096], json[4096];
    if (entry_path(dir, name, "mid", mid, sizeof mid, e) || entry_path(dir, name, "json", json, sizeof json, e))
        return -1;
    int had_mid = unlink(mid) == 0;
    if (!had_mid && errno != ENOENT)
        return gv_fail(e, "%s", strerror(errno));
    if (unlink(json) != 0 && (errno != ENOENT || !had_mid))
        return gv_fail(e, "%s.json: %s", name, strerror(errno));
    return 0;
}

/* A name an entry can take: 1..GV_LIB_NAME-1 bytes, no '/', no control
 * character, not starting with '.'. */
static int name_ok(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n >= GV_LIB_NAME || name[0] == '.')
        return 0;
    for (size_t i = 0; i < n; i++)
        if (name[i] == '/' || (unsigned char)name[i] < 0x20 || name[i] == 0x7f)
            return 0;
    return 1;
}

/* The sidecar at from as it should read under name: "name" replaced; a
 * sidecar that does not parse is kept as it is.  *text malloc'd. */
static int renamed_sidecar(const char *from, const char *name, char **text, size_t *len, gv_err *e)
{
    unsigned char *d;
    if (gv_read_file(from, 16 << 20, &d, len, e))
        return -1;
    cJSON *o = cJSON_ParseWithLength((const char *)d, *len);
    if (!cJSON_IsObject(o)) {
        cJSON_Delete(o);
        *text = (char *)d;
        return 0;
    }
    free(d);
    cJSON_DeleteItemFromObjectCaseSensitive(o, "name");
    char *t = cJSON_AddStringToObject(o, "name", name) ? cJSON_Print(o) : NULL;
    cJSON_Delete(o);
    if (!t)
        return gv_failc(e, GV_E_NOMEM, "out of memory");
    *len = strlen(t);
    *text = strdup(t);
    cJSON_free(t);
    return *text ? 0 : gv_failc(e, GV_E_NOMEM, "out of memory");
}

/* The .mid under its new name without ever replacing a file: a hard link
 * (EEXIST when taken), or, where links are not supported, a rename after a
 * check. */
static int link_mid(const char *from, const char *to, gv_err *e)
{
    if (link(from, to) == 0)
        return 0;
    if (errno == EEXIST)
        return gv_fail(e, "an entry of that name exists");
    if (access(to, F_OK) == 0)
        return gv_fail(e, "an entry of that name exists");
    return rename(from, to) == 0 ? 0 : gv_failc(e, gv_errno_code(errno), "%s", strerror(errno));
}

int gv_library_rename(const char *dir, const char *from, const char *to, gv_err *e)
{
    char om[4096], oj[4096], nm[4096], nj[4096];
    if (!name_ok(to))
        return gv_failc(e, GV_E_USAGE, "not a name for an entry: 1..%d bytes, no '/', no control character, no leading '.'", GV_LIB_NAME - 1);
    if (entry_path(dir, from, "mid", om, sizeof om, e) || entry_path(dir, from, "json", oj, sizeof oj, e) ||
        entry_path(dir, to, "mid", nm, sizeof nm, e) || entry_path(dir, to, "json", nj, sizeof nj, e))
        return -1;
    int has_mid = access(om, F_OK) == 0, has_json = access(oj, F_OK) == 0;
    if (!has_mid && !has_json)
        return gv_failc(e, GV_E_NOTFOUND, "%s: no such entry", from);
    if (!strcmp(from, to))
        return 0;
    if (access(nm, F_OK) == 0 || access(nj, F_OK) == 0)
        return gv_fail(e, "%s: an entry of that name exists", to);
    char *text = NULL;
    size_t len = 0;
    if (has_json && renamed_sidecar(oj, to, &text, &len, e))
        return -1;
    /* new .mid, new sidecar, then the old files: every step leaves each
     * file readable under one name or the other */
    int rc = has_mid ? link_mid(om, nm, e) : 0;
    if (rc == 0 && has_json && gv_write_atomic(nj, text, len, e) != 0) {
        if (has_mid && access(om, F_OK) == 0)
            unlink(nm); /* the old entry is still whole */
        rc = -1;
    }
    free(text);
    if (rc == 0 && has_json)
        unlink(oj);
    if (rc == 0 && has_mid && access(om, F_OK) == 0)
        unlink(om);
    return rc;
}
