"""model_check.py - PyTorch side of tests/test_model.c.

  model_check.py forward DIR          weights DIR/model.safetensors
  model_check.py make DIR SEED        torch builds a random model (config from
                                      DIR/config.json), writes DIR/model.safetensors,
                                      then does what "forward" does

Inputs (raw little-endian float32): DIR/src.f32 (B,32,F) (F: the config's src_features), eps.f32 (B,L),
g_logits.f32 (B,32,27), g_mu.f32, g_logvar.f32 (B,L).  Outputs: mu.f32,
logvar.f32, logits.f32, probs.f32 (hit, vel, off: 3 x (B,32,9)) and grads.f32:
the gradient of sum(logits*g_logits) + sum(mu*g_mu) + sum(logvar*g_logvar)
w.r.t. every parameter, concatenated in state_dict order (groove's layout).
Dropout is 0 and the model in train mode, so the plain (not fast-path) maths runs."""
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mgt_vae  # noqa: E402


def rd(d, name, shape):
    return torch.from_numpy(np.fromfile(os.path.join(d, name), dtype="<f4").reshape(shape).copy())


def wr(d, name, t):
    t.detach().numpy().astype("<f4").tofile(os.path.join(d, name))


def main():
    torch.set_num_threads(1)
    mode, d = sys.argv[1], sys.argv[2]
    path = os.path.join(d, "model.safetensors")
    if mode == "make":
        import json
        torch.manual_seed(int(sys.argv[3]))
        with open(os.path.join(d, "config.json")) as f:
            m = mgt_vae.MGTVAE(json.load(f))
        with torch.no_grad():  # move LayerNorms and zero biases off their defaults
            for p in m.parameters():
                p.add_(0.05 * torch.randn_like(p))
        mgt_vae.save_model(m, path)
    m = mgt_vae.load_model(path)
    m.train()
    L = m.cfg["latent_dim"]
    src = rd(d, "src.f32", (-1, mgt_vae.STEPS, m.cfg["src_features"]))
    B = src.shape[0]
    eps = rd(d, "eps.f32", (B, L))
    logits, mu, logvar = m(src, eps)
    loss = (logits * rd(d, "g_logits.f32", (B, mgt_vae.STEPS, mgt_vae.OUT))).sum() \
        + (mu * rd(d, "g_mu.f32", (B, L))).sum() + (logvar * rd(d, "g_logvar.f32", (B, L))).sum()
    loss.backward()
    wr(d, "mu.f32", mu)
    wr(d, "logvar.f32", logvar)
    wr(d, "logits.f32", logits)
    wr(d, "probs.f32", torch.cat([t.flatten() for t in m.activate(logits)]))
    wr(d, "grads.f32", torch.cat([(p.grad if p.grad is not None else torch.zeros_like(p)).flatten()
                                  for p in m.parameters()]))


if __name__ == "__main__":
    main()
