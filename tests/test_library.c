/* test_library.c - the library's rename (session/library.h): both files of
 * an entry move together, the sidecar's name follows, nothing is replaced,
 * half entries rename too, bad names are refused. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/fileio.h"
#include "patterns/load.h"
#include "session/library.h"

static char tmpdir[256];

static void make_tmp(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/gv_lib_XXXXXX");
    cr_assert_not_null(mkdtemp(tmpdir));
}

static void rm_tmp(void)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    cr_assert_eq(system(cmd), 0);
}

TestSuite(library, .init = make_tmp, .fini = rm_tmp);

static int exists(const char *name, const char *ext)
{
    char p[600];
    snprintf(p, sizeof p, "%s/%s.%s", tmpdir, name, ext);
    return access(p, F_OK) == 0;
}

static gv_pattern rock(void)
{
    gv_pattern p;
    gv_err e = {0};
    cr_assert_eq(gv_pattern_load("rock-basic", NULL, &p, NULL, 0, &e), 0, "%s", e.msg);
    return p;
}

Test(library, rename_moves_both_files_and_the_sidecar_name)
{
    gv_pattern p = rock(), back;
    gv_lib_meta m, mb;
    memset(&m, 0, sizeof m);
    snprintf(m.kind, sizeof m.kind, "generate");
    m.seed = 42, m.density = 1.25f, m.temperature = 0.5f;
    char name[GV_LIB_NAME];
    gv_err e = {0};
    cr_assert_eq(gv_library_save(tmpdir, &p, &m, "gen", name, &e), 0, "%s", e.msg);
    cr_assert_eq(gv_library_rename(tmpdir, name, "verse groove", &e), 0, "%s", e.msg);
    cr_assert_not(exists(name, "mid"));
    cr_assert_not(exists(name, "json"));
    cr_assert(exists("verse groove", "mid") && exists("verse groove", "json"));
    cr_assert_eq(gv_library_load(tmpdir, "verse groove", &back, &mb, &e), 0, "%s", e.msg);
    cr_assert_eq(memcmp(back.hit, p.hit, sizeof p.hit), 0);
    cr_assert_eq(mb.seed, 42);
    cr_assert_float_eq(mb.density, 1.25f, 0);
    /* the sidecar's "name" is the new one */
    char path[600];
    unsigned char *d;
    size_t n;
    snprintf(path, sizeof path, "%s/verse groove.json", tmpdir);
    cr_assert_eq(gv_read_file(path, 1 << 20, &d, &n, &e), 0);
    cr_assert(strstr((char *)d, "\"name\":\t\"verse groove\"") || strstr((char *)d, "\"name\": \"verse groove\"") ||
                  strstr((char *)d, "\"name\":\"verse groove\""),
              "%s", d);
    free(d);
    gv_lib_entry *list;
    int k;
    cr_assert_eq(gv_library_list(tmpdir, &list, &k, &e), 0);
    cr_assert_eq(k, 1);
    cr_assert_str_eq(list[0].name, "verse groove");
    cr_assert_eq(list[0].half, GV_LIB_WHOLE);
    free(list);
}

Test(library, rename_never_replaces_and_refuses_bad_names)
{
    gv_pattern p = rock();
    char a[GV_LIB_NAME], b[GV_LIB_NAME];
    gv_err e = {0};
    cr_assert_eq(gv_library_save(tmpdir, &p, NULL, "a", a, &e), 0);
    cr_assert_eq(gv_library_save(tmpdir, &p, NULL, "b", b, &e), 0);
    cr_assert_eq(gv_library_rename(tmpdir, a, b, &e), -1);
    cr_assert(strstr(e.msg, "exists"), "%s", e.msg);
    cr_assert(exists(a, "mid") && exists(b, "mid"));
    static const char *const bad[] = {"", ".hidden", "a/b", "x\ny"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        cr_assert_eq(gv_library_rename(tmpdir, a, bad[i], &e), -1, "'%s' accepted", bad[i]);
        cr_assert(!strchr(e.msg, '\n'));
    }
    cr_assert_eq(gv_library_rename(tmpdir, "missing", "new", &e), -1);
    cr_assert(exists(a, "mid"));
    /* a half entry (no sidecar) renames too */
    cr_assert_eq(gv_library_rename(tmpdir, a, "kept", &e), 0, "%s", e.msg);
    cr_assert(exists("kept", "mid") && !exists("kept", "json") && !exists(a, "mid"));
    /* renaming to its own name is nothing to do */
    cr_assert_eq(gv_library_rename(tmpdir, "kept", "kept", &e), 0, "%s", e.msg);
    cr_assert(exists("kept", "mid"));
}
