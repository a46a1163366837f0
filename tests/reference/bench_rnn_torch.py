"""bench_rnn_torch.py MODEL REPS - the PyTorch side of tests/bench_rnn.c.

On the reference module (groovae.py) with the same weights, one thread,
float32: generate8 = encode one groove, z = mu + exp(logvar/2) * eps for 8
suggestions, decode them free-running (each step's output fed back);
train_step = forward with teacher forcing, the loss, backward and an Adam
step on a batch of 64.  Median of REPS after a warm-up.

Prints one line: generate8_us=<median> train_step_ms=<median>."""
import os
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import groovae  # noqa: E402
from mgt_vae import load_safetensors  # noqa: E402


def median(f, reps):
    f()
    ts = []
    for _ in range(reps):
        t0 = time.perf_counter()
        f()
        ts.append(time.perf_counter() - t0)
    ts.sort()
    return ts[len(ts) // 2]


def main():
    torch.set_num_threads(1)
    cfg, tensors = load_safetensors(sys.argv[1])
    reps = int(sys.argv[2])
    m = groovae.GrooVAE(cfg)
    m.load_state_dict({k: torch.from_numpy(v) for k, v in tensors.items()})
    T, In, Z = cfg["steps"], cfg["input"], cfg["latent"]
    g = torch.Generator().manual_seed(0)
    x1 = torch.rand(1, T, In, generator=g)
    eps = torch.randn(8, Z, generator=g)

    def generate8():
        with torch.inference_mode():
            mu, lv = m.encode(x1)
            m.sample(mu + torch.exp(0.5 * lv) * eps)

    B = 64
    x = torch.rand(B, T, In, generator=g)
    y = (torch.rand(B, T, 27, generator=g) < 0.3).float()
    e = torch.randn(B, Z, generator=g)
    opt = torch.optim.Adam(m.parameters(), lr=1e-3)

    def step():
        opt.zero_grad()
        logits, mu, lv = m(x, y, e)
        total = groovae.losses(cfg, logits, mu, lv, y)[4]
        total.backward()
        opt.step()

    print(f"generate8_us={median(generate8, reps) * 1e6:.1f} train_step_ms={median(step, max(3, reps // 10)) * 1e3:.2f}")


if __name__ == "__main__":
    main()
