"""groovae.py - the recurrent VAE family of engine/rnn.h in PyTorch (nn.LSTM,
bidirectional encoder, flat or conductor decoder), loading the same
safetensors, for tests/test_rnn.c.

usage: /usr/bin/python3 groovae.py MODEL BATCH OUT
  MODEL  safetensors written by groove (config: hier, steps, input, enc,
         latent, dec, dec_layers, cond, free_bits, beta)
  BATCH  int32 B, n; float32 x[B,T,In], y[B,T,27], eps[B,Z],
         zdec[n,Z], ydec[n,T,27] (what C's free-running decode wrote)
  OUT    float64 hits, vel, off, kl, total (per example); float32 logits[B,T,27],
         mu[B,Z], logvar[B,Z], the gradient of total for every tensor in
         state_dict order, then probs[n,T,27] of decoding zdec with ydec fed
         back (teacher forcing on C's own steps)."""
import math
import os
import sys

import numpy as np
import torch
import torch.nn.functional as Fn
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mgt_vae import load_safetensors  # noqa: E402

F = 27
BAR = 16


class GrooVAE(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        E, Z, D, L = cfg["enc"], cfg["latent"], cfg["dec"], cfg["dec_layers"]
        self.hier = bool(cfg["hier"])
        self.enc = nn.LSTM(cfg["input"], E, bidirectional=True, batch_first=True)
        self.mu = nn.Linear(2 * E, Z)
        self.logvar = nn.Linear(2 * E, Z)
        if self.hier:
            C = cfg["cond"]
            self.cond_init = nn.Linear(Z, 2 * C)
            self.conductor = nn.LSTM(1, C, batch_first=True)
            self.bar_init = nn.Linear(C, 2 * L * D)
            ez = C
        else:
            self.dec_init = nn.Linear(Z, 2 * L * D)
            ez = Z
        self.dec = nn.LSTM(F + ez, D, num_layers=L, batch_first=True)
        self.out = nn.Linear(D, F)

    def encode(self, x):
        _, (hn, _) = self.enc(x)
        h = torch.cat([hn[0], hn[1]], dim=1)
        return self.mu(h), self.logvar(h)

    def _state(self, init, B):
        L, D = self.cfg["dec_layers"], self.cfg["dec"]
        s = torch.tanh(init).view(B, L, 2, D)
        return s[:, :, 0].transpose(0, 1).contiguous(), s[:, :, 1].transpose(0, 1).contiguous()

    def decode_logits(self, z, y):
        """Teacher forcing: step t reads y[t-1] (zeros at t = 0)."""
        B, T = y.shape[0], y.shape[1]
        prev = torch.cat([torch.zeros(B, 1, F, dtype=y.dtype), y[:, :-1]], dim=1)
        if not self.hier:
            inp = torch.cat([prev, z[:, None].expand(B, T, z.shape[1])], dim=2)
            h, _ = self.dec(inp, self._state(self.dec_init(z), B))
            return self.out(h)
        C = self.cfg["cond"]
        ci = torch.tanh(self.cond_init(z))
        S = T // BAR
        emb, _ = self.conductor(torch.zeros(B, S, 1, dtype=z.dtype),
                                (ci[:, :C][None].contiguous(), ci[:, C:][None].contiguous()))
        outs = []
        for k in range(S):
            e = emb[:, k]
            inp = torch.cat([prev[:, k * BAR:(k + 1) * BAR], e[:, None].expand(B, BAR, C)], dim=2)
            h, _ = self.dec(inp, self._state(self.bar_init(e), B))
            outs.append(self.out(h))
        return torch.cat(outs, dim=1)

    def sample(self, z, thr=0.5):
        """Free-running decode: each step's thresholded output is the next
        step's input (as engine/rnn.c gv_rnn_decode); the written steps."""
        B, T = z.shape[0], self.cfg["steps"]
        L, D = self.cfg["dec_layers"], self.cfg["dec"]
        y = torch.zeros(B, 1, F, dtype=z.dtype)
        outs = []
        if self.hier:
            C = self.cfg["cond"]
            ci = torch.tanh(self.cond_init(z))
            emb, _ = self.conductor(torch.zeros(B, T // BAR, 1, dtype=z.dtype),
                                    (ci[:, :C][None].contiguous(), ci[:, C:][None].contiguous()))
        for t in range(T):
            if t % BAR == 0 and (self.hier or t == 0):
                e = emb[:, t // BAR] if self.hier else z
                state = self._state((self.bar_init if self.hier else self.dec_init)(e), B)
            h, state = self.dec(torch.cat([y, e[:, None]], dim=2), state)
            lg = self.out(h)
            hit = (torch.sigmoid(lg[..., :9]) >= thr).to(z.dtype)
            y = torch.cat([hit, torch.sigmoid(lg[..., 9:18]) * hit, 0.5 * torch.tanh(lg[..., 18:]) * hit], dim=2)
            outs.append(y)
        return torch.cat(outs, dim=1)

    def forward(self, x, y, eps):
        mu, lv = self.encode(x)
        z = mu + torch.exp(0.5 * lv) * eps
        return self.decode_logits(z, y), mu, lv


def losses(cfg, logits, mu, lv, y):
    B = logits.shape[0]
    h, v, o = logits[..., :9], logits[..., 9:18], logits[..., 18:]
    th, tv, to = y[..., :9], y[..., 9:18], y[..., 18:]
    lh = Fn.binary_cross_entropy_with_logits(h, th, reduction="sum") / B
    lvel = ((torch.sigmoid(v) - tv) ** 2).sum() / B
    loff = ((0.5 * torch.tanh(o) - to) ** 2).sum() / B
    kl_ex = (-0.5 * (1 + lv - mu * mu - torch.exp(lv))).sum(1)
    free = cfg["free_bits"] * math.log(2.0)
    klt = cfg["beta"] * torch.clamp(kl_ex - free, min=0).mean()
    return lh, lvel, loff, kl_ex.mean(), lh + lvel + loff + klt


def load(path):
    cfg, tensors = load_safetensors(path)
    m = GrooVAE(cfg).double()
    sd = m.state_dict()
    assert list(sd.keys()) == list(tensors.keys()), f"names differ: {list(sd.keys())} vs {list(tensors.keys())}"
    m.load_state_dict({k: torch.from_numpy(v.astype(np.float64)) for k, v in tensors.items()})
    return cfg, m


def main():
    torch.set_num_threads(1)
    cfg, m = load(sys.argv[1])
    raw = open(sys.argv[2], "rb").read()
    B, n = (int(v) for v in np.frombuffer(raw[:8], dtype="<i4"))
    T, In, Z = cfg["steps"], cfg["input"], cfg["latent"]
    f = np.frombuffer(raw[8:], dtype="<f4").astype(np.float64)
    sizes = [B * T * In, B * T * F, B * Z, n * Z, n * T * F]
    parts, at = [], 0
    for s in sizes:
        parts.append(f[at:at + s])
        at += s
    x = torch.tensor(parts[0].reshape(B, T, In))
    y = torch.tensor(parts[1].reshape(B, T, F))
    eps = torch.tensor(parts[2].reshape(B, Z))
    zdec = torch.tensor(parts[3].reshape(n, Z))
    ydec = torch.tensor(parts[4].reshape(n, T, F))
    logits, mu, lv = m(x, y, eps)
    lh, lvel, loff, kl, total = losses(cfg, logits, mu, lv, y)
    total.backward()
    with torch.no_grad():
        lg = m.decode_logits(zdec, ydec)
        probs = torch.cat([torch.sigmoid(lg[..., :9]), torch.sigmoid(lg[..., 9:18]),
                           0.5 * torch.tanh(lg[..., 18:])], dim=2)
    with open(sys.argv[3], "wb") as fo:
        fo.write(np.array([lh.item(), lvel.item(), loff.item(), kl.item(), total.item()], dtype="<f8").tobytes())
        for t in (logits, mu, lv):
            fo.write(t.detach().numpy().astype("<f4").tobytes())
        for _, p in m.named_parameters():
            g = p.grad if p.grad is not None else torch.zeros_like(p)
            fo.write(g.numpy().astype("<f4").tobytes())
        fo.write(probs.numpy().astype("<f4").tobytes())


if __name__ == "__main__":
    main()
