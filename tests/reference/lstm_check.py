"""lstm_check.py - kernels/lstm.h against PyTorch (nn.LSTMCell step by step
for every state, nn.LSTM for the outputs, autograd for the gradients).

usage: /usr/bin/python3 lstm_check.py IN OUT
  IN   int32 T, B, I, H, reverse; float32 x[T,B,I], h0[B,H], c0[B,H],
       w_ih[4H,I], w_hh[4H,H], b_ih[4H], b_hh[4H], dh[T,B,H], dcT[B,H]
  OUT  float32 h[T,B,H], c[T,B,H], then the gradients of
       L = sum(h * dh) + sum(c_last * dcT): dx, dh0, dc0, dw_ih, dw_hh, db_ih, db_hh
       (c_last: the state after the last step processed)."""
import sys

import numpy as np
import torch


def main():
    torch.set_num_threads(1)
    raw = open(sys.argv[1], "rb").read()
    T, B, I, H, rev = (int(v) for v in np.frombuffer(raw[:20], dtype="<i4"))
    f = np.frombuffer(raw[20:], dtype="<f4").astype(np.float64)
    shapes = [(T, B, I), (B, H), (B, H), (4 * H, I), (4 * H, H), (4 * H,), (4 * H,), (T, B, H), (B, H)]
    parts, at = [], 0
    for s in shapes:
        n = int(np.prod(s))
        parts.append(torch.tensor(f[at:at + n].reshape(s), dtype=torch.float64, requires_grad=True))
        at += n
    x, h0, c0, w_ih, w_hh, b_ih, b_hh, dh, dcT = parts
    cell = torch.nn.LSTMCell(I, H).double()
    with torch.no_grad():
        cell.weight_ih.copy_(w_ih)
        cell.weight_hh.copy_(w_hh)
        cell.bias_ih.copy_(b_ih)
        cell.bias_hh.copy_(b_hh)
    # Run the cell with our leaf tensors as its weights (functional form).
    hs, cs = [None] * T, [None] * T
    h, c = h0, c0
    order = range(T - 1, -1, -1) if rev else range(T)
    for t in order:
        h, c = torch._VF.lstm_cell(x[t], (h, c), w_ih, w_hh, b_ih, b_hh)
        hs[t], cs[t] = h, c
    hout, cout = torch.stack(hs), torch.stack(cs)
    # nn.LSTM on the same weights gives the same outputs (an independent path).
    lstm = torch.nn.LSTM(I, H).double()
    with torch.no_grad():
        lstm.weight_ih_l0.copy_(w_ih)
        lstm.weight_hh_l0.copy_(w_hh)
        lstm.bias_ih_l0.copy_(b_ih)
        lstm.bias_hh_l0.copy_(b_hh)
        xin = torch.flip(x, [0]) if rev else x
        y, _ = lstm(xin, (h0[None], c0[None]))
        y = torch.flip(y, [0]) if rev else y
        err = (y - hout).abs().max().item()
        if err > 1e-9:
            print(f"lstm_check: nn.LSTM and LSTMCell disagree by {err}", file=sys.stderr)
            sys.exit(1)
    loss = (hout * dh).sum() + (c * dcT).sum()
    loss.backward()
    with open(sys.argv[2], "wb") as fo:
        for t in (hout, cout):
            fo.write(t.detach().numpy().astype("<f4").tobytes())
        for t in (x, h0, c0, w_ih, w_hh, b_ih, b_hh):
            fo.write(t.grad.numpy().astype("<f4").tobytes())


if __name__ == "__main__":
    main()
