/* devicecli.c - --device (see devicecli.h). */
#include "app/devicecli.h"

#include <stdio.h>
#include <string.h>

#include "kernels/cuda.h"

const char *gv_device_name(gv_device d)
{
    return d == GV_DEVICE_CUDA ? "cuda" : "cpu";
}

int gv_device_pick(const char *cmd, gv_device want)
{
    if (want == GV_DEVICE_CPU)
        return GV_DEVICE_CPU;
    gv_cuda_device dev[1];
    int n = 0;
    char why[256];
    int usable = gv_cuda_list(dev, 1, &n, why, sizeof why) == GV_CUDA_OK;
    if (want == GV_DEVICE_AUTO) {
        if (usable)
            fprintf(stderr, "groove: %s%s%s found, but the model does not run on CUDA yet: on the CPU\n",
                    cmd ? cmd : "", cmd ? ": " : "", dev[0].name);
        return GV_DEVICE_CPU;
    }
    if (usable)
        snprintf(why, sizeof why, "the model does not run on CUDA yet (%s found; its kernels are checked by "
                                  "tests/gpu_check.sh)", dev[0].name);
    fprintf(stderr, "groove: %s%s--device cuda: %s\n", cmd ? cmd : "", cmd ? ": " : "", why);
    return -1;
}
