#define _GNU_SOURCE /* memmem */
/* test_cuda.c - the CUDA loader (kernels/cuda.h) on a machine without a GPU:
 * every reason there is no device, through the real dlopen path, with
 * GROOVE_LIBCUDA pointing at a missing file, at a library that is not the
 * driver (libm), and at a stand-in driver with no device
 * (build/tests/libfakecuda.so, tests/fake_libcuda.c); and, in a build with
 * CUDA, that the embedded fatbin holds the PTX and both SASS images.
 * The kernels themselves are checked on a GPU by tests/gpu_check.sh. */
#include <criterion/criterion.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernels/cuda.h"

static void use_fake(const char *mode)
{
    const char *b = getenv("GROOVE_BUILD");
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/tests/libfakecuda.so", b && *b ? b : "build");
    char *abs = realpath(path, NULL);
    cr_assert_not_null(abs, "%s: not built (make tests)", path);
    setenv("GROOVE_LIBCUDA", abs, 1);
    free(abs);
    if (mode)
        setenv("FAKE_CUDA", mode, 1);
    else
        unsetenv("FAKE_CUDA");
}

Test(cuda, missing_library_says_no_libcuda)
{
    setenv("GROOVE_LIBCUDA", "/nonexistent/libcuda.so.1", 1);
    gv_cuda_status st;
    char why[256];
    cr_assert_null(gv_cuda_driver_open(&st, why, sizeof why));
    cr_assert_eq(st, GV_CUDA_NO_LIB);
    cr_assert(!strncmp(why, "no libcuda.so.1 (", 17), "%s", why);
    cr_assert(strstr(why, "/nonexistent/libcuda.so.1"), "dlerror's words: %s", why);
}

Test(cuda, wrong_library_names_the_missing_function)
{
    setenv("GROOVE_LIBCUDA", "libm.so.6", 1);
    gv_cuda_status st;
    char why[256];
    cr_assert_null(gv_cuda_driver_open(&st, why, sizeof why));
    cr_assert_eq(st, GV_CUDA_BAD_LIB);
    cr_assert(!strncmp(why, "libcuda.so.1 lacks cuInit", 25), "%s", why);
}

Test(cuda, driver_without_device_says_no_cuda_device)
{
    use_fake(NULL); /* cuInit: CUDA_ERROR_NO_DEVICE */
    gv_cuda_status st;
    char why[256];
    gv_cuda_driver *d = gv_cuda_driver_open(&st, why, sizeof why);
    cr_assert_not_null(d, "%s", why);
    int n, ver;
    cr_assert_eq(gv_cuda_driver_init(d, &n, &ver, why, sizeof why), GV_CUDA_NO_DEVICE);
    cr_assert_str_eq(why, "no CUDA device");
    gv_cuda_driver_close(d);

    use_fake("count0"); /* cuInit fine, no device counted */
    d = gv_cuda_driver_open(&st, why, sizeof why);
    cr_assert_not_null(d, "%s", why);
    cr_assert_eq(gv_cuda_driver_init(d, &n, &ver, why, sizeof why), GV_CUDA_NO_DEVICE);
    cr_assert_str_eq(why, "no CUDA device");
    cr_assert_eq(n, 0);
    gv_cuda_driver_close(d);
}

/* What groove devices and --device cuda see: the build's own reason first. */
Test(cuda, list_gives_the_reason)
{
    gv_cuda_device dev[2];
    int n = -1;
    char why[256];
    size_t fb;
    int built = gv_cuda_fatbin(&fb) != NULL;
    use_fake(NULL);
    gv_cuda_status st = gv_cuda_list(dev, 2, &n, why, sizeof why);
    cr_assert_eq(n, 0);
    if (!built) {
        cr_assert_eq(st, GV_CUDA_NOT_BUILT);
        cr_assert_str_eq(why, "built without CUDA");
        return;
    }
    cr_assert_eq(st, GV_CUDA_NO_DEVICE, "%s", why);
    cr_assert_str_eq(why, "no CUDA device");
    use_fake("old"); /* a device, driver 11.8 */
    st = gv_cuda_list(dev, 2, &n, why, sizeof why);
    if (gv_cuda_built_version() >= 12000) {
        cr_assert_eq(st, GV_CUDA_OLD_DRIVER, "%s", why);
        cr_assert(!strncmp(why, "driver too old for the embedded code (needs CUDA ", 49), "%s", why);
    }
    gv_cuda_status st2;
    cr_assert_null(gv_cuda_open(0, &st2, why, sizeof why));
    cr_assert_neq(st2, GV_CUDA_OK);
}

static int has(const unsigned char *p, size_t n, const char *s)
{
    return memmem(p, n, s, strlen(s)) != NULL;
}

Test(cuda, embedded_fatbin_holds_ptx_and_sass)
{
    size_t n;
    const unsigned char *fb = gv_cuda_fatbin(&n);
    if (!gv_cuda_built_version())
        cr_skip_test("built without CUDA (no nvcc, or make CUDA=0)");
    if (!fb)
        cr_skip_test("nvcc failed at build time (build/cuda/nvcc.log): built without CUDA");
    cr_assert(has(fb, n, ".target sm_75"), "no compute_75 PTX in the fatbin");
    cr_assert(has(fb, n, ".entry gv_k_add"), "no gv_k_add in the PTX");
    cr_assert(has(fb, n, "-arch sm_80"), "no sm_80 SASS in the fatbin");
    cr_assert(has(fb, n, "-arch sm_90"), "no sm_90 SASS in the fatbin");
}

Test(cuda, status_strings)
{
    cr_assert_str_eq(gv_cuda_status_string(GV_CUDA_NOT_BUILT), "built without CUDA");
    cr_assert_str_eq(gv_cuda_status_string(GV_CUDA_NO_DEVICE), "no CUDA device");
    cr_assert_str_eq(gv_cuda_status_string((gv_cuda_status)99), "unknown");
}
