"""bench_train_torch.py - the PyTorch peer of tests/bench_train.c: training
steps (forward in train mode with dropout, the losses of trainer/loss.h,
backward, gradient clipping, AdamW) of the model in MODEL on one thread.

usage: /usr/bin/python3 bench_train_torch.py MODEL BATCH STEPS
prints: examples/s (best of 3 timings of STEPS steps)"""
import os
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mgt_vae  # noqa: E402
from train_check import losses  # noqa: E402


def main():
    path, B, steps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    torch.set_num_threads(1)
    torch.manual_seed(1)
    m = mgt_vae.load_model(path, dropout=0.1)
    m.train()
    L = m.cfg["latent_dim"]
    opt = torch.optim.AdamW(m.parameters(), lr=1e-4, weight_decay=0.01)
    hits = (torch.rand(B, 32, 9) < 0.15).float()
    tgt = torch.cat([hits, hits * torch.rand(B, 32, 9), hits * (torch.rand(B, 32, 9) - 0.5)], 2)
    src = torch.stack([hits.amax(2), hits.amax(2) * 0.8, torch.zeros(B, 32)], 2)
    F = m.cfg["src_features"]
    if F != 3:  # a conditioned model told the groove as 1 lane (engine/cond.h)
        full = torch.zeros(B, 32, F)
        full[..., :3] = src
        if F > mgt_vae.COND_DEC0 + 62:  # the decoder's copy of the groove and its flag
            full[..., 65:68] = src
            full[..., 68] = 1
        src = full

    def step():
        eps = torch.randn(B, L)
        logits, mu, logvar = m(src, eps)
        lh, lv, lo, _, kl_term = losses(logits, mu, logvar, tgt, "bce", "mse", "mse", 0.5, 0.2, 0.0, False)
        opt.zero_grad(set_to_none=False)
        (lh + lv + lo + kl_term).backward()
        torch.nn.utils.clip_grad_norm_(m.parameters(), 1.0)
        opt.step()

    step()
    best = 1e30
    for _ in range(3):
        t0 = time.perf_counter()
        for _ in range(steps):
            step()
        best = min(best, time.perf_counter() - t0)
    print("%.3f" % (B * steps / best))


if __name__ == "__main__":
    main()
