"""bench_torch.py MODEL INPUTS REPS - the PyTorch side of tests/bench_generate.c.

Times what groove's generate computes, on the reference module (mgt_vae.py)
with the same weights file and the same inputs: encode one groove, then
z = mu + exp(logvar/2) * eps and decode 1 or 8 latents with the output
activations.  One thread, torch.inference_mode(), median of REPS runs after a
warm-up.  INPUTS is raw little-endian float32: the model's input src[32*F] (F its
src_features: the groove, or engine/cond.h's features for 1 lane), then
eps[8*latent_dim] (the noise groove drew for its suggestions).

Prints one line:  generate1_us=<median> generate8_us=<median> hit_sum8=<sum of
the 8-batch hit probabilities> (for the caller to check both sides agree).

Run with /usr/bin/python3 (Debian python3-torch)."""
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mgt_vae import STEPS, load_model  # noqa: E402


def main():
    model_path, inputs, reps = sys.argv[1], sys.argv[2], int(sys.argv[3])
    torch.set_num_threads(1)
    m = load_model(model_path).eval()
    L = m.cfg["latent_dim"]
    raw = np.fromfile(inputs, dtype="<f4")
    F = m.cfg["src_features"]
    src = torch.from_numpy(raw[: STEPS * F].reshape(1, STEPS, F).copy())
    eps = torch.from_numpy(raw[STEPS * F: STEPS * F + 8 * L].reshape(8, L).copy())

    def generate(n):
        mu, logvar = m.encode(src)
        z = mu + torch.exp(0.5 * logvar) * eps[:n]
        return m.activate(m.decode_logits(z, src.expand(n, STEPS, F)))

    def median_us(n):
        for _ in range(max(10, reps // 10)):
            generate(n)
        times = []
        for _ in range(reps):
            t0 = time.perf_counter()
            generate(n)
            times.append(time.perf_counter() - t0)
        return float(np.median(times)) * 1e6

    with torch.inference_mode():
        t1, t8 = median_us(1), median_us(8)
        hit_sum8 = float(generate(8)[0].double().sum())
    print(f"generate1_us={t1:.3f} generate8_us={t8:.3f} hit_sum8={hit_sum8:.6f}")


if __name__ == "__main__":
    main()
