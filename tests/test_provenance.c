/* test_provenance.c - the one provenance record (engine/provenance.h) and the
 * engine's whole operations (engine/ops.h): sidecars and sessions written by
 * an older groove keep loading (tests/fixtures/, made by make_fixtures.c),
 * records read back and write again byte for byte, and the operations chunk,
 * seed and interpolate as the front ends did when each chained the steps. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "session/core.h"
#include "session/library.h"
#include "session/session.h"

#define FIX "tests/fixtures"

/* ---- files of an older groove (commit 87a8679) ---- */

Test(fixtures, sidecars_load)
{
    static const struct {
        const char *name, *kind;
        int groove;
        float swing;
    } want[] = {{"sidecar-generate", "generate", 1, 0},
                {"sidecar-vary", "vary", 1, 0.32f},
                {"sidecar-sample", "sample", 0, 0.32f}};
    for (size_t k = 0; k < sizeof want / sizeof want[0]; k++) {
        gv_pattern p;
        gv_lib_meta *m = malloc(sizeof *m);
        gv_err e = {{0}};
        cr_assert_eq(gv_library_load(FIX, want[k].name, &p, m, &e), 0, "%s: %s", want[k].name, e.msg);
        cr_assert_str_eq(m->kind, want[k].kind);
        cr_assert_str_eq(m->model, "default");
        cr_assert_eq(strlen(m->created), 19, "created %s", m->created);
        cr_assert(m->seed > 0);
        cr_assert_float_eq(m->temperature, !strcmp(want[k].kind, "vary") ? 0.5f : 1.f, 1e-6);
        cr_assert_float_eq(m->density, 1.f, 1e-6);
        cr_assert_float_eq(m->bpm, 100.f, 1e-6);
        cr_assert_float_eq(m->swing, want[k].swing, 1e-6);
        cr_assert_eq(m->has_groove, want[k].groove);
        if (want[k].groove) /* the input's kick on step 0: velocity 0.9 */
            cr_assert(m->groove[0] == 1 && fabsf(m->groove[1] - 0.9f) < 1e-6);
        cr_assert_eq(m->zdim, 64);
        cr_assert(gv_pattern_count(&p) > 0);
        free(m);
    }
}

Test(fixtures, session_loads)
{
    gv_core *c = gv_core_new("/nonexistent-groove-lib");
    gv_core_set_model(c, "default", 64);
    gv_err e = {{0}};
    cr_assert_eq(gv_session_load(c, FIX "/session.json", &e), 0, "%s", e.msg);
    cr_assert_eq(c->nsugg, 4);
    cr_assert_float_eq(c->set.swing, 0.32f, 1e-6);
    cr_assert_str_eq(c->sugg[0].meta.kind, "generate");
    for (int i = 1; i < 4; i++) {
        cr_assert_str_eq(c->sugg[i].meta.kind, "vary");
        cr_assert_str_eq(c->sugg[i].meta.model, "default");
        cr_assert_eq(c->sugg[i].meta.zdim, 64);
        cr_assert(c->sugg[i].meta.has_groove);
    }
    cr_assert(c->sugg[1].kept && c->sugg[1].kept_name[0]);
    cr_assert_eq(c->sugg[2].meta.seed, 596392245931053ull);
    gv_core_free(c);
}
