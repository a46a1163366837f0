/* devicecli.h - --device cpu|cuda|auto: where a command runs the model.
 *
 * One row for every command that takes it (GV_OPT_DEVICE, app/opts.h; the
 * default is the command's: auto for train and eval, cpu for generate,
 * sample, interpolate and the TUI, so a seed gives the same bytes on every
 * machine).  gv_device_pick turns the request into the device the command
 * uses, after asking kernels/cuda.h whether there is a usable GPU:
 *   cpu   the CPU, without touching the driver;
 *   auto  the CPU when there is no usable GPU, silently (every command then
 *         works exactly as without CUDA);
 *   cuda  no usable GPU: one line "groove: CMD: --device cuda: WHY", and
 *         gv_device_pick returns -1 (the command exits 1).
 * The model's forward and backward do not run on CUDA yet (only the
 * kernels exist and tests/gpu_check.sh checks them on a GPU), so a usable
 * GPU changes nothing but the messages: auto says once on stderr that it
 * runs on the CPU, and cuda fails saying why. */
#ifndef GV_DEVICECLI_H
#define GV_DEVICECLI_H

#include <stddef.h>

typedef enum { GV_DEVICE_CPU = 0, GV_DEVICE_CUDA, GV_DEVICE_AUTO } gv_device;

/* "cpu" or "cuda". */
const char *gv_device_name(gv_device d);

/* The device cmd (NULL: no name in the line) runs on for request `want`:
 * GV_DEVICE_CPU (today always, see above), or -1 after printing why
 * --device cuda cannot be had. */
int gv_device_pick(const char *cmd, gv_device want);

#endif
