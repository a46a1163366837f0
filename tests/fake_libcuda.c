/* fake_libcuda.c - a stand-in libcuda.so.1 for the tests of kernels/cuda.h
 * on machines without a GPU: it exports every driver function groove looks
 * up.  FAKE_CUDA selects what it says:
 *   unset      cuInit fails with CUDA_ERROR_NO_DEVICE (100), as the real
 *              driver does on a machine with the driver but no GPU
 *   "count0"   cuInit succeeds, cuDeviceGetCount says 0
 *   "old"      one device, driver version 11.8 (too old for a CUDA 13 build)
 * Every other call fails (CUDA_ERROR_NOT_SUPPORTED, 801). */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

static const char *mode(void)
{
    const char *m = getenv("FAKE_CUDA");
    return m ? m : "";
}

int cuInit(unsigned flags)
{
    (void)flags;
    return *mode() ? 0 : 100;
}
int cuDriverGetVersion(int *v)
{
    *v = !strcmp(mode(), "old") ? 11080 : 13000;
    return 0;
}
int cuDeviceGetCount(int *n)
{
    *n = !strcmp(mode(), "old") ? 1 : 0;
    return 0;
}
int cuGetErrorString(int r, const char **s)
{
    *s = r == 100 ? "no CUDA-capable device is detected" : "operation not supported";
    return 0;
}

#define UNSUPPORTED(name) \
    int name(void)        \
    {                     \
        return 801;       \
    }
UNSUPPORTED(cuDeviceGet)
UNSUPPORTED(cuDeviceGetName)
UNSUPPORTED(cuDeviceTotalMem_v2)
UNSUPPORTED(cuDeviceGetAttribute)
UNSUPPORTED(cuDevicePrimaryCtxRetain)
UNSUPPORTED(cuDevicePrimaryCtxRelease_v2)
UNSUPPORTED(cuCtxSetCurrent)
UNSUPPORTED(cuModuleLoadData)
UNSUPPORTED(cuModuleUnload)
UNSUPPORTED(cuModuleGetFunction)
UNSUPPORTED(cuMemAlloc_v2)
UNSUPPORTED(cuMemFree_v2)
UNSUPPORTED(cuMemsetD8_v2)
UNSUPPORTED(cuMemcpyHtoD_v2)
UNSUPPORTED(cuMemcpyDtoH_v2)
UNSUPPORTED(cuLaunchKernel)
UNSUPPORTED(cuCtxSynchronize)
