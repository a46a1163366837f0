/* cuda.h - NVIDIA GPUs through the CUDA driver API, loaded at run time.
 *
 * groove never links libcuda, libcudart or cuBLAS.  libcuda.so.1 (or the
 * library $GROOVE_LIBCUDA names, so tests can make it missing or wrong) is
 * opened with dlopen and the driver functions groove calls are looked up by
 * name, so the same binary runs where there is no GPU or no driver.  The
 * kernels (kernels/cuda/kernels.cu) are compiled by nvcc at build time into
 * one fatbin (PTX for compute_75, SASS for sm_80 and sm_90) linked into the
 * program; a build without nvcc (or make CUDA=0) has none, and every call
 * here then says "built without CUDA".
 *
 * Why a device is unusable is a gv_cuda_status with a one-line reason:
 *   GV_CUDA_NOT_BUILT   built without CUDA
 *   GV_CUDA_NO_LIB      no libcuda.so.1 (dlerror's words)
 *   GV_CUDA_BAD_LIB     libcuda.so.1 lacks cuXxx (a library that is not the driver)
 *   GV_CUDA_NO_DEVICE   no CUDA device
 *   GV_CUDA_OLD_DRIVER  driver too old for the embedded code (needs CUDA X.Y)
 *   GV_CUDA_FAILED      any other driver error (its cuGetErrorString)
 *
 * Nothing here keeps global state: a gv_cuda_driver holds the library and
 * its functions, a gv_cuda holds a driver, a context and the loaded module;
 * the caller owns and closes both.  No state is shared between threads: one
 * gv_cuda is used by one thread at a time.
 *
 * VALIDATION: the dlopen path and every "no device" reason are tested without
 * a GPU (tests/test_cuda.c, tests/e2e_cuda.sh, with a fake libcuda); the
 * paths that need a real device (context, module, launches) have only been
 * compiled, never run, until tests/gpu_check.sh has run on a GPU. */
#ifndef GV_KERNELS_CUDA_H
#define GV_KERNELS_CUDA_H

#include <stddef.h>
#include <stdint.h>

typedef enum gv_cuda_status {
    GV_CUDA_OK = 0,
    GV_CUDA_NOT_BUILT,
    GV_CUDA_NO_LIB,
    GV_CUDA_BAD_LIB,
    GV_CUDA_NO_DEVICE,
    GV_CUDA_OLD_DRIVER,
    GV_CUDA_FAILED,
} gv_cuda_status;

/* A short fixed name of s ("no CUDA device"; "unknown" outside the enum). */
const char *gv_cuda_status_string(gv_cuda_status s);

/* The embedded fatbin and its size (NULL, 0 in a build without CUDA), and
 * the CUDA version (1000*major + 10*minor) of the nvcc that made it: the
 * oldest driver that can load its PTX. */
const unsigned char *gv_cuda_fatbin(size_t *n);
int gv_cuda_built_version(void);

typedef struct gv_cuda_driver gv_cuda_driver;

/* Opens the driver library and looks up every function groove uses; does
 * not need the fatbin (so the loader is tested in any build).  NULL with
 * *st and why[n] filled: GV_CUDA_NO_LIB, GV_CUDA_BAD_LIB. */
gv_cuda_driver *gv_cuda_driver_open(gv_cuda_status *st, char *why, size_t n);
void gv_cuda_driver_close(gv_cuda_driver *d);
/* cuInit, then the device count and the driver version: GV_CUDA_OK, or
 * GV_CUDA_NO_DEVICE / GV_CUDA_FAILED with why filled. */
gv_cuda_status gv_cuda_driver_init(gv_cuda_driver *d, int *ndev, int *version, char *why, size_t n);

typedef struct gv_cuda_device {
    int index;
    char name[128];
    size_t mem; /* bytes */
    int cc_major, cc_minor;
} gv_cuda_device;

/* The GPUs (at most max into dev, *count = how many there are), or why
 * there are none: every status above.  Opens and closes the driver. */
gv_cuda_status gv_cuda_list(gv_cuda_device *dev, int max, int *count, char *why, size_t n);

/* --- running kernels (needs a device; unvalidated until gpu_check.sh) --- */
typedef struct gv_cuda gv_cuda;
typedef uint64_t gv_dptr; /* a device address (CUdeviceptr) */

/* Opens device `index`: driver, primary context, the embedded module.  NULL
 * with *st and why filled (every status above can come). */
gv_cuda *gv_cuda_open(int index, gv_cuda_status *st, char *why, size_t n);
void gv_cuda_close(gv_cuda *c);
const gv_cuda_device *gv_cuda_info(const gv_cuda *c);

/* Each returns 0, or -1 with the driver's words in c's last error. */
int gv_cuda_alloc(gv_cuda *c, gv_dptr *p, size_t bytes); /* zeroed */
void gv_cuda_free(gv_cuda *c, gv_dptr p);
int gv_cuda_upload(gv_cuda *c, gv_dptr dst, const void *src, size_t bytes);
int gv_cuda_download(gv_cuda *c, void *dst, gv_dptr src, size_t bytes);
int gv_cuda_sync(gv_cuda *c);
/* Launches kernel `name` (extern "C" in kernels.cu) on a grid of blocks;
 * args as cuLaunchKernel takes them (an array of pointers to each value). */
int gv_cuda_launch(gv_cuda *c, const char *name, unsigned gx, unsigned gy, unsigned bx, unsigned by,
                   unsigned shmem, void **args);
const char *gv_cuda_error(const gv_cuda *c);

#endif
