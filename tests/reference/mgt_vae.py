"""mgt_vae.py - the groove VAE ("mgt-vae") in PyTorch: an independent
reference for engine/ (issue #3).  Loads and writes the same safetensors
files as groove with numpy alone (Debian ships no safetensors package).

Run with /usr/bin/python3 (Debian python3-torch)."""
import json
import math
import struct
from collections import OrderedDict

import numpy as np
import torch
from torch import nn

STEPS, VOICES, SRC = 32, 9, 3
OUT = 3 * VOICES
# A conditioned model (engine/cond.h) reads COND features a step; its
# decoder reads the columns from COND_DEC0 on through dec_cond (no bias).
COND, COND_DEC0 = 69, 3


def default_config():
    return dict(arch="mgt-vae", steps=STEPS, voices=VOICES, src_features=SRC,
                d_model_enc=128, nhead_enc=4, dim_feedforward_enc=256, num_encoder_layers=2,
                d_model_dec=128, nhead_dec=4, dim_feedforward_dec=256, num_decoder_layers=2,
                latent_dim=64, o_activation="tanh", layer_norm_eps=1e-5, thresholds=[0.5] * VOICES)


def positional_encoding(T, d):
    pe = np.zeros((T, d), dtype=np.float64)
    t = np.arange(T, dtype=np.float64)[:, None]
    f = np.power(10000.0, -np.arange(0, d, 2, dtype=np.float64) / d)
    pe[:, 0::2] = np.sin(t * f)
    pe[:, 1::2] = np.cos(t * f[: d // 2])
    return torch.tensor(pe, dtype=torch.float32)


def _stack(d, nhead, ff, layers, eps, dropout):
    layer = nn.TransformerEncoderLayer(d, nhead, ff, dropout=dropout, activation="relu",
                                       batch_first=True, norm_first=False, layer_norm_eps=eps)
    return nn.TransformerEncoder(layer, layers, norm=nn.LayerNorm(d, eps=eps),
                                 enable_nested_tensor=False)


class MGTVAE(nn.Module):
    """src (N,32,F) -> mu, logvar (N,L); z (N,L) [, src] -> logits (N,32,27).
    F = 3 (the groove) or COND (engine/cond.h: the decoder reads it too).
    Dropout only inside the transformer layers (dropout1, dropout, dropout2)."""

    def __init__(self, cfg, dropout=0.0):
        super().__init__()
        self.cfg = dict(cfg)
        de, dd, L = cfg["d_model_enc"], cfg["d_model_dec"], cfg["latent_dim"]
        eps = cfg["layer_norm_eps"]
        F = cfg["src_features"]
        self.enc_in = nn.Linear(F, de)
        self.encoder = _stack(de, cfg["nhead_enc"], cfg["dim_feedforward_enc"],
                              cfg["num_encoder_layers"], eps, dropout)
        self.fc_mu = nn.Linear(STEPS * de, L)
        self.fc_logvar = nn.Linear(STEPS * de, L)
        self.dec_in = nn.Linear(L, STEPS * dd)
        self.dec_cond = nn.Linear(F - COND_DEC0, dd, bias=False) if F == COND else None
        self.decoder = _stack(dd, cfg["nhead_dec"], cfg["dim_feedforward_dec"],
                              cfg["num_decoder_layers"], eps, dropout)
        self.dec_out = nn.Linear(dd, OUT)
        K = cfg.get("prior_components", 0)
        if K:  # the fitted mixture prior: stored with the weights, never trained
            self.prior = nn.Module()
            self.prior.logits = nn.Parameter(torch.zeros(K))
            self.prior.mean = nn.Parameter(torch.zeros(K, L))
            self.prior.logvar = nn.Parameter(torch.zeros(K, L))
        self.register_buffer("pe", positional_encoding(STEPS, de), persistent=False)

    def encode(self, src):
        x = torch.relu(self.enc_in(src)) + self.pe
        x = self.encoder(x).flatten(1)
        return self.fc_mu(x), self.fc_logvar(x)

    def decode_logits(self, z, src=None):
        y = self.dec_in(z).view(z.shape[0], STEPS, self.cfg["d_model_dec"])
        if self.dec_cond is not None and src is not None:
            y = y + self.dec_cond(src[:, :, COND_DEC0:])
        return self.dec_out(self.decoder(y))

    def activate(self, logits):
        h, v, o = logits.view(-1, STEPS, 3, VOICES).unbind(2)
        o = torch.tanh(o) * 0.5 if self.cfg["o_activation"] == "tanh" else torch.sigmoid(o) - 0.5
        return torch.sigmoid(h), torch.sigmoid(v), o

    def forward(self, src, eps):
        mu, logvar = self.encode(src)
        z = mu + torch.exp(0.5 * logvar) * eps
        return self.decode_logits(z, src), mu, logvar


def load_safetensors(path):
    """-> (config dict, OrderedDict name -> float32 numpy array), header order."""
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n])
    meta = header.pop("__metadata__", {})
    data = raw[8 + n:]
    tensors = OrderedDict()
    for name, info in header.items():
        assert info["dtype"] == "F32", name
        b, e = info["data_offsets"]
        tensors[name] = np.frombuffer(data[b:e], dtype="<f4").reshape(info["shape"]).copy()
    return json.loads(meta["config"]), tensors


def save_safetensors(path, tensors, cfg):
    """tensors: name -> array, written in the given order as F32."""
    header, off, blobs = OrderedDict(), 0, []
    header["__metadata__"] = {"config": json.dumps(cfg)}
    for name, a in tensors.items():
        b = np.ascontiguousarray(a, dtype="<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(a.shape), "data_offsets": [off, off + len(b)]}
        off += len(b)
        blobs.append(b)
    h = json.dumps(header).encode()
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


def load_model(path, dropout=0.0):
    cfg, tensors = load_safetensors(path)
    m = MGTVAE(cfg, dropout)
    sd = m.state_dict()
    assert list(sd.keys()) == list(tensors.keys()), "tensor names or order differ"
    m.load_state_dict({k: torch.from_numpy(v) for k, v in tensors.items()})
    return m


def save_model(m, path):
    save_safetensors(path, OrderedDict((k, v.detach().numpy()) for k, v in m.state_dict().items()), m.cfg)
