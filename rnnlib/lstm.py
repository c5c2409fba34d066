"""The LSTM cell, with gates stacked in the order [i, f, o, g].

    a = x Wx + h_prev Wh + b                     (N, 4H)
    i, f, o = sigmoid(a_i), sigmoid(a_f), sigmoid(a_o)
    g = tanh(a_g)
    c = f * c_prev + i * g                       the cell state: an additive path through time
    h = o * tanh(c)

The initial cell state is zero. Shapes follow rnnlib.rnn: batch-first, x (N, T, D), h (N, T, H).
"""
import numpy as np

from ._validate import check_recurrent_inputs, check_shape


def sigmoid(x):
    """Logistic function, computed without overflow for large |x|; keeps the dtype of x."""
    # 0.5 * (1 + tanh(x / 2)) equals 1 / (1 + exp(-x)) and never overflows.
    return 0.5 * (1 + np.tanh(0.5 * x))


def _gates(a, H):
    """Turn the (N, 4H) pre-activations into the four gate activations i, f, o, g."""
    ifo = sigmoid(a[:, : 3 * H])
    return ifo[:, :H], ifo[:, H : 2 * H], ifo[:, 2 * H :], np.tanh(a[:, 3 * H :])


def lstm_step_forward(x, prev_h, prev_c, Wx, Wh, b):
    """One LSTM step.

    Inputs:
    - x: (N, D), prev_h: (N, H), prev_c: (N, H)
    - Wx: (D, 4H), Wh: (H, 4H), b: (4H,)

    Returns (next_h, next_c, cache) with next_h, next_c: (N, H).
    """
    x, prev_h, Wx, Wh, (b,) = check_recurrent_inputs(
        x, prev_h, Wx, Wh, {"b": b}, gates=4, sequence=False
    )
    prev_c = np.asarray(prev_c, dtype=x.dtype)
    check_shape("prev_c", prev_c, prev_h.shape, "(N, H)")
    H = prev_h.shape[1]
    i, f, o, g = _gates(x @ Wx + prev_h @ Wh + b, H)
    next_c = f * prev_c + i * g
    tanh_c = np.tanh(next_c)
    next_h = o * tanh_c
    return next_h, next_c, (x, prev_h, prev_c, Wx, Wh, i, f, o, g, tanh_c)


def _step_backward(dnext_h, dnext_c, prev_c, i, f, o, g, tanh_c):
    """Gradients of one step up to the pre-activations: returns (da (N, 4H), dprev_c (N, H))."""
    do = dnext_h * tanh_c
    dc = dnext_c + dnext_h * o * (1 - tanh_c**2)
    di, df, dg = dc * g, dc * prev_c, dc * i
    da = np.concatenate(
        [di * i * (1 - i), df * f * (1 - f), do * o * (1 - o), dg * (1 - g**2)], axis=1
    )
    return da, dc * f


def lstm_step_backward(dnext_h, dnext_c, cache):
    """Backward pass of `lstm_step_forward`.

    Inputs: dnext_h, dnext_c: (N, H); cache from the forward pass.
    Returns (dx, dprev_h, dprev_c, dWx, dWh, db) with shapes
    (N, D), (N, H), (N, H), (D, 4H), (H, 4H), (4H,).
    """
    x, prev_h, prev_c, Wx, Wh, i, f, o, g, tanh_c = cache
    da, dprev_c = _step_backward(dnext_h, dnext_c, prev_c, i, f, o, g, tanh_c)
    return da @ Wx.T, da @ Wh.T, dprev_c, x.T @ da, prev_h.T @ da, da.sum(axis=0)


def lstm_forward(x, h0, Wx, Wh, b):
    """Run an LSTM over whole sequences; the initial cell state is zero.

    Inputs:
    - x: (N, T, D), h0: (N, H)
    - Wx: (D, 4H), Wh: (H, 4H), b: (4H,)

    Returns (h, cache) with h: (N, T, H).
    """
    x, h0, Wx, Wh, (b,) = check_recurrent_inputs(x, h0, Wx, Wh, {"b": b}, gates=4, sequence=True)
    N, T, D = x.shape
    H = h0.shape[1]
    xt = np.ascontiguousarray(x.transpose(1, 0, 2))
    ax = (xt.reshape(T * N, D) @ Wx).reshape(T, N, 4 * H)  # all input projections at once
    ax += b
    hs = np.empty((T + 1, N, H), dtype=x.dtype)
    cs = np.zeros((T + 1, N, H), dtype=x.dtype)
    gates = np.empty((T, N, 4 * H), dtype=x.dtype)  # activations [i, f, o, g] per step
    tanh_cs = np.empty((T, N, H), dtype=x.dtype)
    hs[0] = h0
    for t in range(T):
        a = ax[t] + hs[t] @ Wh
        gates[t, :, : 3 * H] = sigmoid(a[:, : 3 * H])
        gates[t, :, 3 * H :] = np.tanh(a[:, 3 * H :])
        i, f, o, g = (gates[t, :, k * H : (k + 1) * H] for k in range(4))
        cs[t + 1] = f * cs[t] + i * g
        tanh_cs[t] = np.tanh(cs[t + 1])
        hs[t + 1] = o * tanh_cs[t]
    h = hs[1:].transpose(1, 0, 2).copy()
    return h, (xt, hs, cs, gates, tanh_cs, Wx, Wh)


def lstm_backward(dh, cache):
    """Backpropagation through time for `lstm_forward`.

    Inputs: dh: (N, T, H) upstream gradients of every hidden state; cache from the forward.
    Returns (dx, dh0, dWx, dWh, db) with shapes (N, T, D), (N, H), (D, 4H), (H, 4H), (4H,).
    """
    xt, hs, cs, gates, tanh_cs, Wx, Wh = cache
    T, N, D = xt.shape
    H = hs.shape[2]
    check_shape("dh", dh, (N, T, H), "(N, T, H)")
    dht = dh.transpose(1, 0, 2)
    da = np.empty((T, N, 4 * H), dtype=hs.dtype)
    dh_next = np.zeros((N, H), dtype=hs.dtype)
    dc_next = np.zeros((N, H), dtype=hs.dtype)
    WhT = np.ascontiguousarray(Wh.T)
    for t in reversed(range(T)):
        i, f, o, g = (gates[t, :, k * H : (k + 1) * H] for k in range(4))
        da[t], dc_next = _step_backward(dht[t] + dh_next, dc_next, cs[t], i, f, o, g, tanh_cs[t])
        dh_next = da[t] @ WhT
    da2 = da.reshape(T * N, 4 * H)
    dx = (da2 @ Wx.T).reshape(T, N, D).transpose(1, 0, 2).copy()
    dWx = xt.reshape(T * N, D).T @ da2
    dWh = hs[:-1].reshape(T * N, H).T @ da2
    return dx, dh_next, dWx, dWh, da2.sum(axis=0)
