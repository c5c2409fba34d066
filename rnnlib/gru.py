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
from .rnn import _tanh


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
    dtype = x.dtype
    # The same equations as _step, arranged for speed as in lstm_forward: time-major arrays,
    # in-place operations, and the sigmoid of r and z as 1 / (1 + exp(-a)) with their weight
    # columns negated once here (exact in floating point).
    sign = np.ones(3 * H, dtype=dtype)
    sign[: 2 * H] = -1
    xt = np.ascontiguousarray(x.transpose(1, 0, 2))  # (T, N, D)
    gates = (xt.reshape(T * N, D) @ (Wx * sign)).reshape(T, N, 3 * H)  # input projections
    gates += bx * sign  # step by step this becomes [r, z, n]
    ah = np.empty((T, N, 3 * H), dtype=dtype)  # h_{t-1} Wh + bh; its n-block is hn
    hs = np.empty((T + 1, N, H), dtype=dtype)  # hs[0] = h0, hs[t + 1] = h_t
    hs[0] = h0
    Wh_s, bh_s = Wh * sign, bh * sign
    tmp = np.empty((N, H), dtype=dtype)
    with np.errstate(over="ignore", under="ignore"):  # exp(-a) = inf: the gate is exactly 0
        for t in range(T):
            g, a = gates[t], ah[t]
            np.matmul(hs[t], Wh_s, out=a)
            a += bh_s
            rz = g[:, : 2 * H]
            rz += a[:, : 2 * H]
            np.exp(rz, out=rz)
            rz += 1
            np.reciprocal(rz, out=rz)  # r, z
            r, z, n = g[:, :H], g[:, H : 2 * H], g[:, 2 * H :]
            np.multiply(r, a[:, 2 * H :], out=tmp)
            n += tmp
            _tanh(n, out=n)  # n = tanh(x Wx_n + bx_n + r * hn)
            h_t = hs[t + 1]
            np.subtract(hs[t], n, out=h_t)  # h_t = (1 - z) * n + z * h_{t-1}
            h_t *= z  # = n + z * (h_{t-1} - n)
            h_t += n
    h = hs[1:].transpose(1, 0, 2).copy()
    # cache[2] lists each step's (r, z, n, hn), views of the arrays after it, as the plots of
    # rnnlib.plots.memory read them.
    saved = [(r, z, n, hn) for r, z, n, hn in zip(gates[..., :H], gates[..., H : 2 * H],
                                                   gates[..., 2 * H :], ah[..., 2 * H :])]
    return h, (xt, hs, saved, Wx, Wh, gates, ah)


def gru_backward(dh, cache):
    """Backpropagation through time for `gru_forward`.

    Inputs: dh: (N, T, H) upstream gradients of every hidden state; cache from the forward.
    Returns (dx, dh0, dWx, dWh, dbx, dbh) with shapes
    (N, T, D), (N, H), (D, 3H), (H, 3H), (3H,), (3H,).
    """
    xt, hs, _, Wx, Wh, gates, ah = cache
    T, N, D = xt.shape
    H = hs.shape[2]
    check_shape("dh", dh, (N, T, H), "(N, T, H)")
    dht = np.asarray(dh).transpose(1, 0, 2)  # time-major view
    dtype = hs.dtype
    r, z, n = gates[..., :H], gates[..., H : 2 * H], gates[..., 2 * H :]
    hn = ah[..., 2 * H :]
    # The gradient dh_t reaching h_t spreads, by the chain rule, as
    #   da_z = dh_t * (h_{t-1} - n) * z(1 - z)     dan = dh_t * (1 - z) * (1 - n^2)
    #   da_r = dan * hn * r(1 - r)                 dhn = dan * r
    #   dh_{t-1} = dh_t * z + [da_r, da_z, dhn] Wh^T
    # The factors that multiply dh_t and dan are computed for all steps at once.
    to_daz = (hs[:-1] - n) * z * (1 - z)
    to_dan = (1 - z) * (1 - n * n)
    to_dar = hn * r * (1 - r)
    dax = np.empty((T, N, 3 * H), dtype=dtype)  # gradients of x Wx + bx
    dah = np.empty((T, N, 3 * H), dtype=dtype)  # gradients of h Wh + bh
    dh_next = np.zeros((N, H), dtype=dtype)
    tmp = np.empty((N, H), dtype=dtype)
    WhT = Wh.T
    for t in reversed(range(T)):
        np.add(dht[t], dh_next, out=dh_next)  # the whole gradient reaching h_t
        dar, daz, dan = dax[t, :, :H], dax[t, :, H : 2 * H], dax[t, :, 2 * H :]
        np.multiply(dh_next, to_daz[t], out=daz)
        np.multiply(dh_next, to_dan[t], out=dan)
        np.multiply(dan, to_dar[t], out=dar)
        dah[t, :, : 2 * H] = dax[t, :, : 2 * H]  # r and z see x and h alike
        np.multiply(dan, r[t], out=dah[t, :, 2 * H :])
        np.multiply(dh_next, z[t], out=tmp)
        np.matmul(dah[t], WhT, out=dh_next)  # what flows on to h_{t-1}
        dh_next += tmp
    dax2, dah2 = dax.reshape(T * N, 3 * H), dah.reshape(T * N, 3 * H)
    dx = (dax2 @ Wx.T).reshape(T, N, D).transpose(1, 0, 2).copy()
    dWx = xt.reshape(T * N, D).T @ dax2
    dWh = hs[:-1].reshape(T * N, H).T @ dah2
    return dx, dh_next, dWx, dWh, dax2.sum(axis=0), dah2.sum(axis=0)
