"""The GRU cell in PyTorch's formulation, gates stacked in the order [r, z, n].

    r = sigmoid(x Wx_r + bx_r + h Wh_r + bh_r)          reset gate
    z = sigmoid(x Wx_z + bx_z + h Wh_z + bh_z)          update gate
    n = tanh(x Wx_n + bx_n + r * (h Wh_n + bh_n))       candidate state
    h' = (1 - z) * n + z * h

With z near 1 the state is copied forward unchanged, which is what lets gradients survive
long lags. Shapes follow rnnlib.rnn: batch-first, x (N, T, D), h (N, T, H).
"""
import numpy as np

from ._validate import check_recurrent_inputs, check_shape
from .lstm import sigmoid


def _step(ax, prev_h, Wh, bh, H):
    """One GRU step from the input projection ax = x Wx + bx (N, 3H).

    Returns next_h and the values the backward pass needs: (r, z, n, hn) with hn = h Wh_n + bh_n.
    """
    ah = prev_h @ Wh + bh
    rz = sigmoid(ax[:, : 2 * H] + ah[:, : 2 * H])
    r, z = rz[:, :H], rz[:, H:]
    hn = ah[:, 2 * H :]
    n = np.tanh(ax[:, 2 * H :] + r * hn)
    next_h = (1 - z) * n + z * prev_h
    return next_h, (r, z, n, hn)


def _step_backward(dnext_h, prev_h, r, z, n, hn):
    """Gradients of one step: returns (dax (N, 3H), dah (N, 3H), the direct part of dprev_h)."""
    dn = dnext_h * (1 - z)
    dz = dnext_h * (prev_h - n)
    dan = dn * (1 - n**2)
    dr = dan * hn
    drz = np.concatenate([dr * r * (1 - r), dz * z * (1 - z)], axis=1)
    dax = np.concatenate([drz, dan], axis=1)
    dah = np.concatenate([drz, dan * r], axis=1)
    return dax, dah, dnext_h * z


def gru_step_forward(x, prev_h, Wx, Wh, bx, bh):
    """One GRU step.

    Inputs:
    - x: (N, D), prev_h: (N, H)
    - Wx: (D, 3H), Wh: (H, 3H), bx: (3H,), bh: (3H,)

    Returns (next_h, cache) with next_h: (N, H).
    """
    x, prev_h, Wx, Wh, (bx, bh) = check_recurrent_inputs(
        x, prev_h, Wx, Wh, {"bx": bx, "bh": bh}, gates=3, sequence=False
    )
    next_h, saved = _step(x @ Wx + bx, prev_h, Wh, bh, prev_h.shape[1])
    return next_h, (x, prev_h, Wx, Wh, saved)


def gru_step_backward(dnext_h, cache):
    """Backward pass of `gru_step_forward`.

    Returns (dx, dprev_h, dWx, dWh, dbx, dbh) with shapes
    (N, D), (N, H), (D, 3H), (H, 3H), (3H,), (3H,).
    """
    x, prev_h, Wx, Wh, saved = cache
    dax, dah, dprev_h = _step_backward(dnext_h, prev_h, *saved)
    dprev_h = dprev_h + dah @ Wh.T
    return dax @ Wx.T, dprev_h, x.T @ dax, prev_h.T @ dah, dax.sum(axis=0), dah.sum(axis=0)


def gru_forward(x, h0, Wx, Wh, bx, bh):
    """Run a GRU over whole sequences.

    Inputs:
    - x: (N, T, D), h0: (N, H)
    - Wx: (D, 3H), Wh: (H, 3H), bx: (3H,), bh: (3H,)

    Returns (h, cache) with h: (N, T, H).
    """
    x, h0, Wx, Wh, (bx, bh) = check_recurrent_inputs(
        x, h0, Wx, Wh, {"bx": bx, "bh": bh}, gates=3, sequence=True
    )
    N, T, D = x.shape
    H = h0.shape[1]
    xt = np.ascontiguousarray(x.transpose(1, 0, 2))
    ax = (xt.reshape(T * N, D) @ Wx).reshape(T, N, 3 * H)  # all input projections at once
    ax += bx
    hs = np.empty((T + 1, N, H), dtype=x.dtype)
    hs[0] = h0
    saved = []
    for t in range(T):
        hs[t + 1], s = _step(ax[t], hs[t], Wh, bh, H)
        saved.append(s)
    h = hs[1:].transpose(1, 0, 2).copy()
    return h, (xt, hs, saved, Wx, Wh)


def gru_backward(dh, cache):
    """Backpropagation through time for `gru_forward`.

    Inputs: dh: (N, T, H) upstream gradients of every hidden state; cache from the forward.
    Returns (dx, dh0, dWx, dWh, dbx, dbh) with shapes
    (N, T, D), (N, H), (D, 3H), (H, 3H), (3H,), (3H,).
    """
    xt, hs, saved, Wx, Wh = cache
    T, N, D = xt.shape
    H = hs.shape[2]
    check_shape("dh", dh, (N, T, H), "(N, T, H)")
    dht = dh.transpose(1, 0, 2)
    dax = np.empty((T, N, 3 * H), dtype=hs.dtype)
    dah = np.empty((T, N, 3 * H), dtype=hs.dtype)
    dh_next = np.zeros((N, H), dtype=hs.dtype)
    WhT = np.ascontiguousarray(Wh.T)
    for t in reversed(range(T)):
        dax[t], dah[t], direct = _step_backward(dht[t] + dh_next, hs[t], *saved[t])
        dh_next = direct + dah[t] @ WhT
    dax2, dah2 = dax.reshape(T * N, 3 * H), dah.reshape(T * N, 3 * H)
    dx = (dax2 @ Wx.T).reshape(T, N, D).transpose(1, 0, 2).copy()
    dWx = xt.reshape(T * N, D).T @ dax2
    dWh = hs[:-1].reshape(T * N, H).T @ dah2
    return dx, dh_next, dWx, dWh, dax2.sum(axis=0), dah2.sum(axis=0)
