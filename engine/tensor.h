/* tensor.h - one named tensor of a flat float buffer: its PyTorch state_dict
 * name, its shape (1 or 2 dimensions) and where it sits in the buffer.
 *
 * Plain data shared by the container (engine/safetensors.h writes a table of
 * these) and the model (engine/layout.h builds the table for a config), so
 * that the container needs nothing of the model.  No functions. */
#ifndef GV_TENSOR_H
#define GV_TENSOR_H

#include <stddef.h>

typedef struct gv_tensor_info {
    char name[64];
    int ndim;
    int shape[2];
    size_t offset; /* in floats, into the parameter buffer */
    size_t numel;
} gv_tensor_info;

#endif
