/* safetensors.h - the safetensors container: an 8-byte little-endian header
 * length, a JSON header {"__metadata__": {...}, NAME: {"dtype", "shape",
 * "data_offsets": [begin, end]}, ...}, then the raw tensor bytes.  This layer
 * knows nothing of the model: it checks the container is well formed (header
 * size, JSON, dtypes, shapes, offsets in range, non-overlapping and covering
 * the data exactly) and leaves the meaning to engine/model.c. */
#ifndef GV_SAFETENSORS_H
#define GV_SAFETENSORS_H

#include <stddef.h>
#include <stdint.h>

#include "engine/tensor.h"
#include "base/error.h"

#define GV_ST_MAX_HEADER (16u << 20) /* a header this big is surely not ours */
#define GV_ST_MAX_DIMS 8

typedef struct gv_st_tensor {
    char name[64];
    char dtype[8];
    int ndim;
    uint64_t shape[GV_ST_MAX_DIMS];
    size_t begin, end; /* byte offsets into the data section */
} gv_st_tensor;

typedef struct gv_st_file {
    const unsigned char *data; /* the data section (points into the caller's buffer) */
    size_t data_len;
    char *config;              /* __metadata__["config"], malloc'd, or NULL when absent */
    gv_st_tensor *t;           /* malloc'd, in header order */
    int n;
} gv_st_file;

/* Parses a safetensors image of len bytes; f points into buf, which must
 * outlive it.  Free with gv_st_free (also after a failure). */
int gv_st_parse(const void *buf, size_t len, gv_st_file *f, gv_err *e);

void gv_st_free(gv_st_file *f);

/* Writes tensors t[0..n) of params (F32, in table order) with
 * __metadata__ {"config": config} to path atomically. */
int gv_st_write(const char *path, const char *config, const gv_tensor_info *t, int n, const float *params,
                gv_err *e);

#endif
