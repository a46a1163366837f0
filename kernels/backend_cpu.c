/* backend_cpu.c - the CPU backend: kernels.h behind the gv_backend table. */
#include "kernels/backend.h"

#include "kernels/kernels.h"

static const gv_backend cpu = {
    .name = "cpu",
    .linear_forward = gv_linear_forward,
    .linear_backward = gv_linear_backward,
    .layernorm_forward = gv_layernorm_forward,
    .layernorm_backward = gv_layernorm_backward,
    .attention_forward = gv_attention_forward,
    .attention_backward = gv_attention_backward,
    .relu_forward = gv_relu_forward,
    .relu_backward = gv_relu_backward,
    .add_forward = gv_add_forward,
    .posenc_add = gv_posenc_add,
    .dropout_forward = gv_dropout_forward,
    .dropout_backward = gv_dropout_backward,
    .dropout_add_forward = gv_dropout_add_forward,
};

const gv_backend *gv_backend_cpu(void) { return &cpu; }
