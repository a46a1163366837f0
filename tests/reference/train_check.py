"""train_check.py - the training losses of trainer/loss.h and the gradient of
their sum with respect to every parameter, by PyTorch autograd on the same
weights, batch and latent noise as groove (tests/test_trainer.c compares).

usage: /usr/bin/python3 train_check.py MODEL BATCH OUT HIT VEL OFF PENALTY BETA FREE_BITS VO_EMPTY
  MODEL  safetensors written by groove
  BATCH  int32 B, L; float32 src[B,32,3], tgt[B,32,27], eps[B,L]
  OUT    float64 hit, vel, off, kl, kl_term, total; then float32 gradients of
         total in state_dict order (= groove's parameter buffer order)
  HIT bce|dice, VEL mse|bce, OFF mse|bce; no dropout (p = 0)."""
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mgt_vae  # noqa: E402


def losses(logits, mu, logvar, tgt, hit, vel, off, penalty, beta, free_bits, sigmoid_off, vo_empty=0.0):
    B = logits.shape[0]
    h, v, o = logits.view(B, 32, 3, 9).unbind(2)
    th, tv, to = tgt.view(B, 32, 3, 9).unbind(2)
    w = torch.where(th > 0.5, torch.ones_like(th), torch.full_like(th, penalty))
    wvo = torch.where(th > 0.5, torch.ones_like(th), torch.full_like(th, vo_empty))
    if hit == "bce":
        lh = (F.binary_cross_entropy_with_logits(h, th, reduction="none") * w).mean()
    else:
        p = torch.sigmoid(h)
        num = 2 * (p * th).sum((1, 2)) + 1
        den = p.sum((1, 2)) + th.sum((1, 2)) + 1
        lh = (1 - num / den).mean()
    if vel == "bce":
        lv = (F.binary_cross_entropy_with_logits(v, tv, reduction="none") * wvo).sum() / wvo.sum()
    else:
        lv = (((torch.sigmoid(v) - tv) ** 2) * wvo).sum() / wvo.sum()
    k = 1.0 if sigmoid_off else 2.0
    if off == "bce":
        lo = (F.binary_cross_entropy_with_logits(k * o, to + 0.5, reduction="none") * wvo).sum() / wvo.sum()
    else:
        a = torch.sigmoid(o) - 0.5 if sigmoid_off else torch.tanh(o) * 0.5
        lo = (((a - to) ** 2) * wvo).sum() / wvo.sum()
    kl_ex = (-0.5 * (1 + logvar - mu * mu - torch.exp(logvar))).sum(1)
    kl_term = beta * torch.clamp(kl_ex - free_bits, min=0).mean()
    return lh, lv, lo, kl_ex.mean(), kl_term


def main():
    model_path, batch_path, out_path, hit, vel, off = sys.argv[1:7]
    penalty, beta, free_bits, vo_empty = (float(x) for x in sys.argv[7:11])
    torch.set_num_threads(1)
    torch.set_default_dtype(torch.float32)
    m = mgt_vae.load_model(model_path, dropout=0.0)
    m.train()
    raw = open(batch_path, "rb").read()
    B, L = np.frombuffer(raw[:8], dtype="<i4")
    f = np.frombuffer(raw[8:], dtype="<f4")
    src = torch.tensor(f[: B * 96].reshape(B, 32, 3))
    tgt = torch.tensor(f[B * 96: B * 96 + B * 864].reshape(B, 32, 27))
    eps = torch.tensor(f[B * 96 + B * 864:].reshape(B, L))
    logits, mu, logvar = m(src, eps)
    parts = losses(logits, mu, logvar, tgt, hit, vel, off, penalty, beta, free_bits,
                   m.cfg["o_activation"] == "sigmoid", vo_empty)
    lh, lv, lo, kl, kl_term = parts
    total = lh + lv + lo + kl_term
    total.backward()
    with open(out_path, "wb") as fo:
        fo.write(np.array([lh.item(), lv.item(), lo.item(), kl.item(), kl_term.item(), total.item()],
                          dtype="<f8").tobytes())
        for name, p in m.named_parameters():
            g = p.grad if p.grad is not None else torch.zeros_like(p)
            fo.write(g.detach().numpy().astype("<f4").tobytes())


if __name__ == "__main__":
    main()
