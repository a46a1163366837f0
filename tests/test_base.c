/* test_base.c - base/: error codes a caller can test, from real failures. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/error.h"
#include "base/fileio.h"
#include "base/pool.h"
#include "engine/model.h"
#include "patterns/load.h"
#include "patterns/smf.h"
#include "patterns/tab.h"
#include "tests/helpers.h"

static char dir[64];

static void mkdir_tmp(void)
{
    snprintf(dir, sizeof dir, "/tmp/groove-test-base.XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
}

static void rm_tmp(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

TestSuite(errors, .init = mkdir_tmp, .fini = rm_tmp);

static void put(const char *name, const void *data, size_t n, char *path, size_t pn)
{
    snprintf(path, pn, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    cr_assert_eq(fwrite(data, 1, n, f), n);
    fclose(f);
}

Test(errors, fail_sets_other_and_failc_sets_the_code)
{
    gv_err e = {0};
    cr_assert_eq(gv_fail(&e, "bad %d", 7), -1);
    cr_assert_str_eq(e.msg, "bad 7");
    cr_assert_eq(e.code, GV_E_OTHER);
    cr_assert_eq(gv_failc(&e, GV_E_RANGE, "x = %d, expected 0..%d", 9, 3), -1);
    cr_assert_str_eq(e.msg, "x = 9, expected 0..3");
    cr_assert_eq(e.code, GV_E_RANGE);
    cr_assert_eq(gv_failc(NULL, GV_E_IO, "dropped"), -1);
    cr_assert_eq(gv_fail(NULL, "dropped"), -1);
}

Test(errors, every_code_has_its_own_string)
{
    for (int c = GV_OK; c < GV_E_COUNT; c++) {
        const char *s = gv_err_string((gv_code)c);
        cr_assert(s && *s, "code %d has no string", c);
        cr_assert_str_neq(s, "unknown error", "code %d", c);
        for (int d = GV_OK; d < c; d++)
            cr_assert_str_neq(s, gv_err_string((gv_code)d), "codes %d and %d share '%s'", d, c, s);
    }
    cr_assert_str_eq(gv_err_string(GV_E_COUNT), "unknown error");
    cr_assert_str_eq(gv_err_string((gv_code)-1), "unknown error");
    cr_assert_str_eq(gv_err_string(GV_E_NOTFOUND), "not found");
    cr_assert_str_eq(gv_err_string(GV_E_NOMEM), "out of memory");
}

Test(errors, missing_files_are_notfound)
{
    char path[128], sub[160];
    snprintf(path, sizeof path, "%s/none.mid", dir);
    unsigned char *data;
    size_t len;
    gv_err e = {0};
    cr_assert_eq(gv_read_file(path, 1 << 20, &data, &len, &e), -1);
    cr_assert_eq(e.code, GV_E_NOTFOUND, "%s", e.msg);
    cr_assert_str_eq(e.msg, "No such file or directory");
    gv_pattern p;
    e.code = GV_OK;
    cr_assert_eq(gv_smf_load(path, -1, 2, -1, &p, &e), -1);
    cr_assert_eq(e.code, GV_E_NOTFOUND, "%s", e.msg);
    snprintf(path, sizeof path, "%s/none.tab", dir);
    e.code = GV_OK;
    cr_assert_eq(gv_tab_load(path, &p, &e), -1);
    cr_assert_eq(e.code, GV_E_NOTFOUND, "%s", e.msg);
    gv_model m;
    snprintf(path, sizeof path, "%s/none.safetensors", dir);
    e.code = GV_OK;
    cr_assert_eq(gv_model_load(path, &m, &e), -1);
    cr_assert_eq(e.code, GV_E_NOTFOUND, "%s", e.msg);
    /* a path through a file (ENOTDIR) does not exist either */
    put("plain", "x", 1, path, sizeof path);
    snprintf(sub, sizeof sub, "%s/inside.tab", path);
    e.code = GV_OK;
    cr_assert_eq(gv_read_file(sub, 100, &data, &len, &e), -1);
    cr_assert_eq(e.code, GV_E_NOTFOUND, "%s", e.msg);
    /* writing into a directory that is not there */
    snprintf(sub, sizeof sub, "%s/no/such/dir/x.tab", dir);
    e.code = GV_OK;
    cr_assert_eq(gv_write_atomic(sub, "x", 1, &e), -1);
    cr_assert_eq(e.code, GV_E_NOTFOUND, "%s", e.msg);
    cr_assert(strstr(e.msg, "cannot create the file: "), "%s", e.msg);
}

Test(errors, directories_and_oversized_files)
{
    unsigned char *data;
    size_t len;
    gv_err e = {0};
    cr_assert_eq(gv_read_file(dir, 100, &data, &len, &e), -1);
    cr_assert_eq(e.code, GV_E_IO, "%s", e.msg);
    cr_assert_str_eq(e.msg, "is a directory");
    char path[128];
    put("big", "0123456789", 10, path, sizeof path);
    cr_assert_eq(gv_read_file(path, 4, &data, &len, &e), -1);
    cr_assert_eq(e.code, GV_E_RANGE, "%s", e.msg);
    cr_assert_eq(gv_read_file(path, 10, &data, &len, &e), 0);
    free(data);
    cr_assert_eq(gv_check_writable(dir, 0, &e), -1);
    cr_assert_eq(e.code, GV_E_IO, "%s", e.msg);
}

Test(errors, broken_files_are_format)
{
    /* a MIDI header cut short, then one whose only track runs past the end */
    static const unsigned char cut[] = {'M', 'T', 'h', 'd', 0, 0, 0, 6, 0};
    static const unsigned char trunc[] = {'M', 'T', 'h', 'd', 0, 0, 0, 6, 0, 0, 0, 1, 1, 0xe0,
                                          'M', 'T', 'r', 'k', 0, 0, 0, 40, 0, 0x99, 36};
    gv_score s;
    gv_err e = {0};
    cr_assert_eq(gv_smf_parse(cut, sizeof cut, -1, &s, &e), -1);
    cr_assert_eq(e.code, GV_E_FORMAT, "%s", e.msg);
    e.code = GV_OK;
    cr_assert_eq(gv_smf_parse(trunc, sizeof trunc, -1, &s, &e), -1);
    cr_assert_eq(e.code, GV_E_FORMAT, "%s", e.msg);
    char path[128];
    gv_pattern p;
    put("cut.mid", trunc, sizeof trunc, path, sizeof path);
    e.code = GV_OK;
    cr_assert_eq(gv_smf_load(path, -1, 2, -1, &p, &e), -1);
    cr_assert_eq(e.code, GV_E_FORMAT, "%s", e.msg);
    static const char tab[] = "KD |x---x---x---x---|\nXX |x---------------|\n";
    e.code = GV_OK;
    cr_assert_eq(gv_tab_read(tab, strlen(tab), &p, &e), -1);
    cr_assert_eq(e.code, GV_E_FORMAT, "%s", e.msg);
    cr_assert(strstr(e.msg, "unknown voice"), "%s", e.msg);
    gv_config c;
    e.code = GV_OK;
    cr_assert_eq(gv_config_from_json("{\"arch\":", 8, &c, &e), -1);
    cr_assert_eq(e.code, GV_E_FORMAT, "%s", e.msg);
}

/* The fixtures of tests/data/model: the container's faults are FORMAT,
 * weights that do not fit their config MODEL. */
Test(errors, broken_models)
{
    static const struct { const char *file; gv_code code; } cases[] = {
        {"truncated", GV_E_FORMAT},       {"bad_json", GV_E_FORMAT},       {"header_past_eof", GV_E_FORMAT},
        {"huge_header", GV_E_FORMAT},     {"overlap", GV_E_FORMAT},        {"no_config", GV_E_FORMAT},
        {"nan_weight", GV_E_FORMAT},      {"missing_tensor", GV_E_MODEL},  {"config_mismatch", GV_E_MODEL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/tests/data/model/%s.safetensors", gv_test_root(), cases[i].file);
        gv_model m;
        gv_err e = {0};
        cr_assert_eq(gv_model_load(path, &m, &e), -1, "%s loaded", cases[i].file);
        cr_assert_eq(e.code, cases[i].code, "%s: code %d (%s): %s", cases[i].file, e.code,
                     gv_err_string(e.code), e.msg);
    }
}

Test(errors, config_values_out_of_range)
{
    gv_config c;
    gv_config_default(&c);
    c.d_model_enc = 0;
    gv_err e = {0};
    cr_assert_eq(gv_config_validate(&c, &e), -1);
    cr_assert_eq(e.code, GV_E_RANGE, "%s", e.msg);
    cr_assert_str_eq(e.msg, "config: d_model_enc = 0, expected 1..2048");
}

/* ---- base/pool.h ---- */

typedef struct pool_seen {
    int hits[100];
    int workers[8];
} pool_seen;

static void pool_item(void *arg, int item, int k)
{
    pool_seen *s = arg;
    __atomic_add_fetch(&s->hits[item], 1, __ATOMIC_RELAXED);
    __atomic_add_fetch(&s->workers[k], 1, __ATOMIC_RELAXED);
}

static void pool_each(void *arg, int k, int n)
{
    pool_seen *s = arg;
    cr_assert(k >= 0 && k < n);
    __atomic_add_fetch(&s->workers[k], 1, __ATOMIC_RELAXED);
}

/* Every item once, every worker index in range, run after run on the same
 * team; a NULL pool is one worker, the caller. */
Test(pool, every_item_once_on_every_team)
{
    for (int n = 0; n <= 4; n++) {
        gv_pool *p = n ? gv_pool_new(n) : NULL;
        int size = gv_pool_size(p);
        cr_assert_eq(size, n ? n : 1);
        for (int run = 0; run < 3; run++) {
            pool_seen s;
            memset(&s, 0, sizeof s);
            gv_pool_for(p, 100, pool_item, &s);
            int total = 0;
            for (int i = 0; i < 100; i++)
                cr_assert_eq(s.hits[i], 1, "item %d: %d times", i, s.hits[i]);
            for (int k = 0; k < 8; k++) {
                cr_assert(k < size || s.workers[k] == 0);
                total += s.workers[k];
            }
            cr_assert_eq(total, 100);
            memset(&s, 0, sizeof s);
            gv_pool_run(p, pool_each, &s);
            for (int k = 0; k < size; k++)
                cr_assert_eq(s.workers[k], 1);
        }
        gv_pool_for(p, 0, pool_item, NULL); /* no items: nothing called */
        gv_pool_free(p);
    }
    cr_assert_geq(gv_cores(), 1);
}
