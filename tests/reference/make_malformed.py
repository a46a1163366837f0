"""make_malformed.py - writes tests/data/model/*.safetensors: one small valid
groove model and copies broken in one way each (the loader must refuse them
with the message tests/test_model.c expects), and seeds for
tests/fuzz/fuzz_model/.  Deterministic; numpy only.

  /usr/bin/python3 tests/reference/make_malformed.py   (from the repo root)"""
import json
import os
import struct
from collections import OrderedDict

import numpy as np

CFG = dict(arch="mgt-vae", steps=32, voices=9, src_features=3,
           d_model_enc=4, nhead_enc=2, dim_feedforward_enc=8, num_encoder_layers=1,
           d_model_dec=4, nhead_dec=1, dim_feedforward_dec=8, num_decoder_layers=1,
           latent_dim=2, o_activation="tanh", layer_norm_eps=1e-5, thresholds=[0.5] * 9)


def layer(prefix, C, F):
    return [(prefix + "self_attn.in_proj_weight", (3 * C, C)), (prefix + "self_attn.in_proj_bias", (3 * C,)),
            (prefix + "self_attn.out_proj.weight", (C, C)), (prefix + "self_attn.out_proj.bias", (C,)),
            (prefix + "linear1.weight", (F, C)), (prefix + "linear1.bias", (F,)),
            (prefix + "linear2.weight", (C, F)), (prefix + "linear2.bias", (C,)),
            (prefix + "norm1.weight", (C,)), (prefix + "norm1.bias", (C,)),
            (prefix + "norm2.weight", (C,)), (prefix + "norm2.bias", (C,))]


def table(c):
    de, dd, L = c["d_model_enc"], c["d_model_dec"], c["latent_dim"]
    t = [("enc_in.weight", (de, 3)), ("enc_in.bias", (de,))]
    for i in range(c["num_encoder_layers"]):
        t += layer("encoder.layers.%d." % i, de, c["dim_feedforward_enc"])
    t += [("encoder.norm.weight", (de,)), ("encoder.norm.bias", (de,)),
          ("fc_mu.weight", (L, 32 * de)), ("fc_mu.bias", (L,)),
          ("fc_logvar.weight", (L, 32 * de)), ("fc_logvar.bias", (L,)),
          ("dec_in.weight", (32 * dd, L)), ("dec_in.bias", (32 * dd,))]
    for i in range(c["num_decoder_layers"]):
        t += layer("decoder.layers.%d." % i, dd, c["dim_feedforward_dec"])
    t += [("decoder.norm.weight", (dd,)), ("decoder.norm.bias", (dd,)),
          ("dec_out.weight", (27, dd)), ("dec_out.bias", (27,))]
    return t


def build(header, data):
    h = json.dumps(header).encode()
    h += b" " * (-len(h) % 8)
    return struct.pack("<Q", len(h)) + h + data


def valid():
    rng = np.random.RandomState(7)
    header, off, blobs = OrderedDict(), 0, []
    header["__metadata__"] = {"config": json.dumps(CFG)}
    for name, shape in table(CFG):
        a = (0.3 * rng.standard_normal(shape)).astype("<f4")
        b = a.tobytes()
        header[name] = {"dtype": "F32", "shape": list(shape), "data_offsets": [off, off + len(b)]}
        off += len(b)
        blobs.append(b)
    return header, b"".join(blobs)


def main():
    out = "tests/data/model"
    seeds = "tests/fuzz/fuzz_model"
    os.makedirs(out, exist_ok=True)
    os.makedirs(seeds, exist_ok=True)
    files = {}
    h, d = valid()
    files["valid"] = build(h, d)
    full = files["valid"]
    files["truncated"] = full[: len(full) - 100]
    files["header_past_eof"] = full[:200]
    files["huge_header"] = struct.pack("<Q", 1 << 40) + full[8:]
    bad = bytearray(full)
    bad[9] = ord("#")  # just inside the opening brace
    files["bad_json"] = bytes(bad)

    def variant(fn, data=d):
        hh = json.loads(json.dumps(h), object_pairs_hook=OrderedDict)
        fn(hh)
        return build(hh, data)

    last = "dec_out.bias"
    files["missing_tensor"] = variant(lambda x: x.pop(last), d[: x_begin(h, last)])
    files["wrong_shape"] = variant(lambda x: x["fc_mu.weight"].update(shape=[128, 2]))
    files["wrong_dtype"] = variant(lambda x: x["enc_in.bias"].update(dtype="F16", shape=[8]))
    files["overlap"] = variant(lambda x: x["enc_in.bias"].update(data_offsets=[40, 56]))

    def mismatch(x):
        c = dict(CFG, d_model_enc=8)
        x["__metadata__"]["config"] = json.dumps(c)
    files["config_mismatch"] = variant(mismatch)
    files["no_config"] = variant(lambda x: x.update(__metadata__={"format": "pt"}))
    files["unexpected_tensor"] = variant(lambda x: x.update(extra={"dtype": "F32", "shape": [0],
                                                                   "data_offsets": [len(d), len(d)]}))
    nan = bytearray(d)
    at = x_begin(h, "encoder.layers.0.linear1.weight")
    nan[at:at + 4] = struct.pack("<f", float("nan"))
    files["nan_weight"] = build(h, bytes(nan))
    for name, blob in files.items():
        with open(os.path.join(out, name + ".safetensors"), "wb") as f:
            f.write(blob)
    for name in ("valid", "truncated", "wrong_shape", "overlap", "config_mismatch"):
        with open(os.path.join(seeds, name + ".safetensors"), "wb") as f:
            f.write(files[name])


def x_begin(h, name):
    return h[name]["data_offsets"][0]


if __name__ == "__main__":
    main()
