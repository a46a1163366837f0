/* cuda.c - the CUDA driver API through dlopen (see cuda.h).  The driver's
 * types are declared here as the ABI has them (cuda.h is not needed to build
 * groove): CUresult is an int, CUdevice an int, CUdeviceptr 64 bits, the
 * handles opaque pointers. */
#include "kernels/cuda.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef int CUresult;
typedef int CUdevice;
typedef void *CUcontext;
typedef void *CUmodule;
typedef void *CUfunction;
typedef void *CUstream;
typedef unsigned long long CUdeviceptr;

enum {
    CU_OK = 0,
    CU_ERROR_INSUFFICIENT_DRIVER = 35,
    CU_ERROR_NO_DEVICE = 100,
    CU_ERROR_NO_BINARY_FOR_GPU = 209,
    CU_ERROR_INVALID_PTX = 218,
    CU_ERROR_UNSUPPORTED_PTX_VERSION = 222,
    CU_ATTR_CC_MAJOR = 75,
    CU_ATTR_CC_MINOR = 76,
};

/* Every driver function groove calls; the names are the exported symbols
 * (the _v2 ones are what cuda.h's macros resolve to). */
typedef struct cu_fns {
    CUresult (*Init)(unsigned);
    CUresult (*DriverGetVersion)(int *);
    CUresult (*DeviceGetCount)(int *);
    CUresult (*DeviceGet)(CUdevice *, int);
    CUresult (*DeviceGetName)(char *, int, CUdevice);
    CUresult (*DeviceTotalMem)(size_t *, CUdevice);
    CUresult (*DeviceGetAttribute)(int *, int, CUdevice);
    CUresult (*PrimaryCtxRetain)(CUcontext *, CUdevice);
    CUresult (*PrimaryCtxRelease)(CUdevice);
    CUresult (*CtxSetCurrent)(CUcontext);
    CUresult (*ModuleLoadData)(CUmodule *, const void *);
    CUresult (*ModuleUnload)(CUmodule);
    CUresult (*ModuleGetFunction)(CUfunction *, CUmodule, const char *);
    CUresult (*MemAlloc)(CUdeviceptr *, size_t);
    CUresult (*MemFree)(CUdeviceptr);
    CUresult (*MemsetD8)(CUdeviceptr, unsigned char, size_t);
    CUresult (*MemcpyHtoD)(CUdeviceptr, const void *, size_t);
    CUresult (*MemcpyDtoH)(void *, CUdeviceptr, size_t);
    CUresult (*LaunchKernel)(CUfunction, unsigned, unsigned, unsigned, unsigned, unsigned, unsigned, unsigned,
                             CUstream, void **, void **);
    CUresult (*CtxSynchronize)(void);
    CUresult (*GetErrorString)(CUresult, const char **);
} cu_fns;

static const struct {
    const char *sym;
    size_t off;
} cu_syms[] = {
    {"cuInit", offsetof(cu_fns, Init)},
    {"cuDriverGetVersion", offsetof(cu_fns, DriverGetVersion)},
    {"cuDeviceGetCount", offsetof(cu_fns, DeviceGetCount)},
    {"cuDeviceGet", offsetof(cu_fns, DeviceGet)},
    {"cuDeviceGetName", offsetof(cu_fns, DeviceGetName)},
    {"cuDeviceTotalMem_v2", offsetof(cu_fns, DeviceTotalMem)},
    {"cuDeviceGetAttribute", offsetof(cu_fns, DeviceGetAttribute)},
    {"cuDevicePrimaryCtxRetain", offsetof(cu_fns, PrimaryCtxRetain)},
    {"cuDevicePrimaryCtxRelease_v2", offsetof(cu_fns, PrimaryCtxRelease)},
    {"cuCtxSetCurrent", offsetof(cu_fns, CtxSetCurrent)},
    {"cuModuleLoadData", offsetof(cu_fns, ModuleLoadData)},
    {"cuModuleUnload", offsetof(cu_fns, ModuleUnload)},
    {"cuModuleGetFunction", offsetof(cu_fns, ModuleGetFunction)},
    {"cuMemAlloc_v2", offsetof(cu_fns, MemAlloc)},
    {"cuMemFree_v2", offsetof(cu_fns, MemFree)},
    {"cuMemsetD8_v2", offsetof(cu_fns, MemsetD8)},
    {"cuMemcpyHtoD_v2", offsetof(cu_fns, MemcpyHtoD)},
    {"cuMemcpyDtoH_v2", offsetof(cu_fns, MemcpyDtoH)},
    {"cuLaunchKernel", offsetof(cu_fns, LaunchKernel)},
    {"cuCtxSynchronize", offsetof(cu_fns, CtxSynchronize)},
    {"cuGetErrorString", offsetof(cu_fns, GetErrorString)},
};

struct gv_cuda_driver {
    void *lib;
    cu_fns f;
};

#define GV_CUDA_KCACHE 48
struct gv_cuda {
    gv_cuda_driver *d;
    gv_cuda_device info;
    CUdevice dev;
    CUcontext ctx;
    CUmodule mod;
    struct {
        const char *name;
        CUfunction fn;
    } kcache[GV_CUDA_KCACHE];
    char err[256];
};

#ifdef GV_CUDA
/* kernels/cuda/fatbin.S (made by the Makefile) .incbin's the nvcc output. */
extern const unsigned char gv_cuda_fatbin_start[], gv_cuda_fatbin_end[];
const unsigned char *gv_cuda_fatbin(size_t *n)
{
    *n = (size_t)(gv_cuda_fatbin_end - gv_cuda_fatbin_start);
    return *n ? gv_cuda_fatbin_start : NULL; /* nvcc failed: an empty file */
}
int gv_cuda_built_version(void)
{
    return GV_CUDA;
}
#else
const unsigned char *gv_cuda_fatbin(size_t *n)
{
    *n = 0;
    return NULL;
}
int gv_cuda_built_version(void)
{
    return 0;
}
#endif

const char *gv_cuda_status_string(gv_cuda_status s)
{
    static const char *const names[] = {"ok",           "built without CUDA", "no libcuda.so.1",
                                        "wrong libcuda", "no CUDA device",     "driver too old",
                                        "CUDA error"};
    return (unsigned)s < sizeof names / sizeof *names ? names[s] : "unknown";
}

static const char *cu_errstr(const gv_cuda_driver *d, CUresult r)
{
    const char *s = NULL;
    if (d->f.GetErrorString(r, &s) != CU_OK || !s)
        return "unknown CUDA error";
    return s;
}

gv_cuda_driver *gv_cuda_driver_open(gv_cuda_status *st, char *why, size_t n)
{
    const char *path = getenv("GROOVE_LIBCUDA");
    if (!path || !*path)
        path = "libcuda.so.1";
    void *lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        const char *e = dlerror();
        snprintf(why, n, "no libcuda.so.1 (%s)", e ? e : path);
        *st = GV_CUDA_NO_LIB;
        return NULL;
    }
    gv_cuda_driver *d = calloc(1, sizeof *d);
    if (!d) {
        dlclose(lib);
        snprintf(why, n, "out of memory");
        *st = GV_CUDA_FAILED;
        return NULL;
    }
    d->lib = lib;
    for (size_t i = 0; i < sizeof cu_syms / sizeof *cu_syms; i++) {
        void *p = dlsym(lib, cu_syms[i].sym);
        if (!p) {
            snprintf(why, n, "libcuda.so.1 lacks %s (opened %s)", cu_syms[i].sym, path);
            *st = GV_CUDA_BAD_LIB;
            gv_cuda_driver_close(d);
            return NULL;
        }
        /* POSIX: a data pointer from dlsym holds a function's address. */
        memcpy((char *)&d->f + cu_syms[i].off, &p, sizeof p);
    }
    *st = GV_CUDA_OK;
    return d;
}

void gv_cuda_driver_close(gv_cuda_driver *d)
{
    if (!d)
        return;
    dlclose(d->lib);
    free(d);
}

gv_cuda_status gv_cuda_driver_init(gv_cuda_driver *d, int *ndev, int *version, char *why, size_t n)
{
    *ndev = 0;
    *version = 0;
    CUresult r = d->f.Init(0);
    if (r == CU_ERROR_NO_DEVICE) {
        snprintf(why, n, "no CUDA device");
        return GV_CUDA_NO_DEVICE;
    }
    if (r == CU_ERROR_INSUFFICIENT_DRIVER) {
        snprintf(why, n, "driver too old: cuInit: %s", cu_errstr(d, r));
        return GV_CUDA_OLD_DRIVER;
    }
    if (r != CU_OK) {
        snprintf(why, n, "cuInit: %s", cu_errstr(d, r));
        return GV_CUDA_FAILED;
    }
    if ((r = d->f.DriverGetVersion(version)) != CU_OK || (r = d->f.DeviceGetCount(ndev)) != CU_OK) {
        snprintf(why, n, "CUDA driver: %s", cu_errstr(d, r));
        return GV_CUDA_FAILED;
    }
    if (*ndev <= 0) {
        snprintf(why, n, "no CUDA device");
        return GV_CUDA_NO_DEVICE;
    }
    return GV_CUDA_OK;
}

/* A driver older than the nvcc that made the fatbin cannot load its PTX,
 * and one of an older major version not its SASS either. */
static gv_cuda_status check_version(int version, char *why, size_t n)
{
    int need = gv_cuda_built_version();
    if (version / 1000 < need / 1000) {
        snprintf(why, n, "driver too old for the embedded code (needs CUDA %d.%d, driver has %d.%d)", need / 1000,
                 need % 1000 / 10, version / 1000, version % 1000 / 10);
        return GV_CUDA_OLD_DRIVER;
    }
    return GV_CUDA_OK;
}

static int device_info(gv_cuda_driver *d, int i, gv_cuda_device *out, char *why, size_t n)
{
    CUdevice dev;
    CUresult r;
    memset(out, 0, sizeof *out);
    out->index = i;
    if ((r = d->f.DeviceGet(&dev, i)) != CU_OK ||
        (r = d->f.DeviceGetName(out->name, (int)sizeof out->name - 1, dev)) != CU_OK ||
        (r = d->f.DeviceTotalMem(&out->mem, dev)) != CU_OK ||
        (r = d->f.DeviceGetAttribute(&out->cc_major, CU_ATTR_CC_MAJOR, dev)) != CU_OK ||
        (r = d->f.DeviceGetAttribute(&out->cc_minor, CU_ATTR_CC_MINOR, dev)) != CU_OK) {
        snprintf(why, n, "CUDA device %d: %s", i, cu_errstr(d, r));
        return -1;
    }
    return 0;
}

/* Driver opened, initialised, at least one device, new enough: *ndev. */
static gv_cuda_driver *driver_ready(int *ndev, gv_cuda_status *st, char *why, size_t n)
{
    size_t fb;
    *ndev = 0;
    if (!gv_cuda_fatbin(&fb)) {
        snprintf(why, n, "built without CUDA");
        *st = GV_CUDA_NOT_BUILT;
        return NULL;
    }
    gv_cuda_driver *d = gv_cuda_driver_open(st, why, n);
    if (!d)
        return NULL;
    int version;
    if ((*st = gv_cuda_driver_init(d, ndev, &version, why, n)) == GV_CUDA_OK)
        *st = check_version(version, why, n);
    if (*st != GV_CUDA_OK) {
        gv_cuda_driver_close(d);
        return NULL;
    }
    return d;
}

gv_cuda_status gv_cuda_list(gv_cuda_device *dev, int max, int *count, char *why, size_t n)
{
    gv_cuda_status st;
    gv_cuda_driver *d = driver_ready(count, &st, why, n);
    if (!d)
        return st;
    for (int i = 0; i < *count && i < max; i++)
        if (device_info(d, i, &dev[i], why, n)) {
            gv_cuda_driver_close(d);
            return GV_CUDA_FAILED;
        }
    gv_cuda_driver_close(d);
    return GV_CUDA_OK;
}

/* --- a device in use ------------------------------------------------------ */

static int cu_fail(gv_cuda *c, const char *what, CUresult r)
{
    snprintf(c->err, sizeof c->err, "%s: %s", what, cu_errstr(c->d, r));
    return -1;
}

static gv_cuda_status load_module(gv_cuda *c, char *why, size_t n)
{
    size_t fb;
    const unsigned char *img = gv_cuda_fatbin(&fb);
    CUresult r = c->d->f.ModuleLoadData(&c->mod, img);
    if (r == CU_OK)
        return GV_CUDA_OK;
    c->mod = NULL;
    int need = gv_cuda_built_version();
    if (r == CU_ERROR_UNSUPPORTED_PTX_VERSION || r == CU_ERROR_NO_BINARY_FOR_GPU || r == CU_ERROR_INVALID_PTX) {
        snprintf(why, n, "driver too old for the embedded code (needs CUDA %d.%d): %s", need / 1000,
                 need % 1000 / 10, cu_errstr(c->d, r));
        return GV_CUDA_OLD_DRIVER;
    }
    snprintf(why, n, "cuModuleLoadData: %s", cu_errstr(c->d, r));
    return GV_CUDA_FAILED;
}

gv_cuda *gv_cuda_open(int index, gv_cuda_status *st, char *why, size_t n)
{
    int ndev;
    gv_cuda_driver *d = driver_ready(&ndev, st, why, n);
    if (!d)
        return NULL;
    gv_cuda *c = calloc(1, sizeof *c);
    if (!c) {
        gv_cuda_driver_close(d);
        snprintf(why, n, "out of memory");
        *st = GV_CUDA_FAILED;
        return NULL;
    }
    c->d = d;
    c->dev = -1;
    *st = GV_CUDA_FAILED;
    if (index < 0 || index >= ndev) {
        snprintf(why, n, "no CUDA device %d (there are %d)", index, ndev);
        *st = GV_CUDA_NO_DEVICE;
        goto fail;
    }
    if (device_info(d, index, &c->info, why, n))
        goto fail;
    CUresult r;
    if ((r = d->f.DeviceGet(&c->dev, index)) != CU_OK || (r = d->f.PrimaryCtxRetain(&c->ctx, c->dev)) != CU_OK) {
        c->ctx = NULL;
        snprintf(why, n, "CUDA context: %s", cu_errstr(d, r));
        goto fail;
    }
    if ((r = d->f.CtxSetCurrent(c->ctx)) != CU_OK) {
        snprintf(why, n, "CUDA context: %s", cu_errstr(d, r));
        goto fail;
    }
    if ((*st = load_module(c, why, n)) != GV_CUDA_OK)
        goto fail;
    return c;
fail:
    gv_cuda_close(c);
    return NULL;
}

void gv_cuda_close(gv_cuda *c)
{
    if (!c)
        return;
    if (c->mod)
        c->d->f.ModuleUnload(c->mod);
    if (c->ctx)
        c->d->f.PrimaryCtxRelease(c->dev);
    gv_cuda_driver_close(c->d);
    free(c);
}

const gv_cuda_device *gv_cuda_info(const gv_cuda *c)
{
    return &c->info;
}

const char *gv_cuda_error(const gv_cuda *c)
{
    return c->err;
}

int gv_cuda_alloc(gv_cuda *c, gv_dptr *p, size_t bytes)
{
    CUdeviceptr d = 0;
    CUresult r = c->d->f.MemAlloc(&d, bytes ? bytes : 1);
    if (r != CU_OK)
        return cu_fail(c, "cuMemAlloc", r);
    if ((r = c->d->f.MemsetD8(d, 0, bytes ? bytes : 1)) != CU_OK) {
        c->d->f.MemFree(d);
        return cu_fail(c, "cuMemsetD8", r);
    }
    *p = d;
    return 0;
}

void gv_cuda_free(gv_cuda *c, gv_dptr p)
{
    if (p)
        c->d->f.MemFree(p);
}

int gv_cuda_upload(gv_cuda *c, gv_dptr dst, const void *src, size_t bytes)
{
    CUresult r = c->d->f.MemcpyHtoD(dst, src, bytes);
    return r == CU_OK ? 0 : cu_fail(c, "cuMemcpyHtoD", r);
}

int gv_cuda_download(gv_cuda *c, void *dst, gv_dptr src, size_t bytes)
{
    CUresult r = c->d->f.MemcpyDtoH(dst, src, bytes);
    return r == CU_OK ? 0 : cu_fail(c, "cuMemcpyDtoH", r);
}

int gv_cuda_sync(gv_cuda *c)
{
    CUresult r = c->d->f.CtxSynchronize();
    return r == CU_OK ? 0 : cu_fail(c, "cuCtxSynchronize", r);
}

/* Kernels by name, looked up once each (callers pass string literals, so
 * the pointer identifies the name; strcmp covers the rest). */
static CUfunction kernel(gv_cuda *c, const char *name)
{
    int i;
    for (i = 0; i < GV_CUDA_KCACHE && c->kcache[i].name; i++)
        if (c->kcache[i].name == name || !strcmp(c->kcache[i].name, name))
            return c->kcache[i].fn;
    CUfunction fn = NULL;
    CUresult r = c->d->f.ModuleGetFunction(&fn, c->mod, name);
    if (r != CU_OK) {
        snprintf(c->err, sizeof c->err, "kernel %s: %s", name, cu_errstr(c->d, r));
        return NULL;
    }
    if (i < GV_CUDA_KCACHE) {
        c->kcache[i].name = name;
        c->kcache[i].fn = fn;
    }
    return fn;
}

int gv_cuda_launch(gv_cuda *c, const char *name, unsigned gx, unsigned gy, unsigned bx, unsigned by,
                   unsigned shmem, void **args)
{
    CUfunction fn = kernel(c, name);
    if (!fn)
        return -1;
    CUresult r = c->d->f.LaunchKernel(fn, gx, gy, 1, bx, by, 1, shmem, NULL, args, NULL);
    return r == CU_OK ? 0 : cu_fail(c, name, r);
}
