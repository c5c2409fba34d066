"""The LSTM cell, with gates stacked in the order [i, f, o, g].

    a = x Wx + h_prev Wh + b                     (N, 4H)
    i, f, o = sigmoid(a_i), sigmoid(a_f), sigmoid(a_o)
    g = tanh(a_g)
    c = f * c_prev + i * g                       the cell state: an additive path through time
    h = o * tanh(c)

The initial cell state is zero. Shapes follow rnnlib.rnn: batch-first, x (N, T, D), h (N, T, H).
"""
import numpy as np

from ._validate import as_float_array, check_recurrent_inputs, check_same_dtype, check_shape
from .rnn import _tanh


def sigmoid(x):
    """Logistic function 1 / (1 + exp(-x)), elementwise; keeps the dtype of x.

    Accurate to a few units in the last place over the whole range; for large negative x,
    exp(-x) overflows to inf and the result is exactly 0, which is the correctly rounded
    answer in float32 and float64, so the overflow warning is silenced.
    """
    with np.errstate(over="ignore", under="ignore"):
        return 1 / (1 + np.exp(-np.asarray(x)))


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
    prev_c = as_float_array("prev_c", prev_c)
    check_same_dtype(x=x, prev_c=prev_c)
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
    dtype = x.dtype
    # The same equations as lstm_step_forward, arranged for speed (numpy pays per call, so the
    # loop makes few calls, on contiguous arrays, with no temporaries):
    # - Arrays are time-major inside: step t reads and writes the contiguous block [t].
    # - All four gates go through one sigmoid: i, f, o = sigmoid(a) and g = tanh(a_g) =
    #   2 sigmoid(2 a_g) - 1. The sigmoid is 1 / (1 + exp(-a)), so the weight columns are
    #   scaled once by -1 (i, f, o) and -2 (g), exactly in floating point, and each step
    #   needs only exp, +1 and reciprocal over the whole (N, 4H) block.
    scale = np.full(4 * H, -1, dtype=dtype)
    scale[3 * H :] = -2
    Wx_s, Wh_s, b_s = Wx * scale, Wh * scale, b * scale
    xt = np.ascontiguousarray(x.transpose(1, 0, 2))  # (T, N, D)
    gates = (xt.reshape(T * N, D) @ Wx_s).reshape(T, N, 4 * H)  # all input projections at once
    gates += b_s
    hs = np.empty((T + 1, N, H), dtype=dtype)  # hs[0] = h0, hs[t + 1] = h_t
    cs = np.empty((T + 1, N, H), dtype=dtype)  # cs[0] = 0, cs[t + 1] = c_t
    tanh_cs = np.empty((T, N, H), dtype=dtype)
    hs[0] = h0
    cs[0] = 0
    recurrent = np.empty((N, 4 * H), dtype=dtype)  # h_{t-1} Wh_s, one buffer for every step
    ig = np.empty((N, H), dtype=dtype)
    with np.errstate(over="ignore", under="ignore"):  # exp(-a) = inf: the gate is exactly 0
        for t in range(T):
            a = gates[t]  # a view: writing to it writes into gates
            np.matmul(hs[t], Wh_s, out=recurrent)
            a += recurrent
            np.exp(a, out=a)
            a += 1
            np.reciprocal(a, out=a)  # now sigmoid of every block
            i, f, o, g = a[:, :H], a[:, H : 2 * H], a[:, 2 * H : 3 * H], a[:, 3 * H :]
            g *= 2
            g -= 1  # tanh(a_g)
            np.multiply(f, cs[t], out=cs[t + 1])  # c_t = f * c_{t-1} + i * g
            np.multiply(i, g, out=ig)
            cs[t + 1] += ig
            _tanh(cs[t + 1], out=tanh_cs[t])
            np.multiply(o, tanh_cs[t], out=hs[t + 1])  # h_t = o * tanh(c_t)
    h = hs[1:].transpose(1, 0, 2).copy()
    # cache[3], the gate activations [i, f, o, g] (T, N, 4H), is read by rnnlib.plots.memory.
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
    dht = np.asarray(dh).transpose(1, 0, 2)  # time-major view
    dtype = hs.dtype
    # By the chain rule, with dh_t the gradient reaching h_t and dc the one reaching c_t,
    #   dc   = dc_{t+1} * f_{t+1} + dh_t * o * (1 - tanh(c_t)^2)
    #        = dc_{t+1} * f_{t+1} + dh_t * (o - h_t * tanh(c_t))       (as h_t = o tanh(c_t))
    #   da_i = dc * g * i(1 - i)              da_f = dc * c_{t-1} * f(1 - f)
    #   da_o = dh_t * tanh(c_t) * o(1 - o)    da_g = dc * i * (1 - g)(1 + g)
    # Each step works on its own (N, 4H) block, which stays in the processor's cache.
    da = np.empty((T, N, 4 * H), dtype=dtype)  # gradients of the pre-activations, all steps
    dh_next = np.zeros((N, H), dtype=dtype)  # gradient reaching h_t from step t + 1
    dc = np.zeros((N, H), dtype=dtype)  # gradient reaching c_t, from c_{t+1}, then in all
    tmp = np.empty((N, H), dtype=dtype)
    WhT = Wh.T
    for t in reversed(range(T)):
        s, da_t = gates[t], da[t]
        i, f, o, g = s[:, :H], s[:, H : 2 * H], s[:, 2 * H : 3 * H], s[:, 3 * H :]
        d = da_t.reshape(N, 4, H)  # a view: d[:, k] is gate k's block of da_t
        np.subtract(1, s, out=da_t)
        d[:, :3] *= s.reshape(N, 4, H)[:, :3]  # i(1 - i), f(1 - f), o(1 - o)
        np.add(g, 1, out=tmp)
        d[:, 3] *= tmp  # (1 - g)(1 + g)
        d[:, 0] *= g
        d[:, 1] *= cs[t]
        d[:, 2] *= tanh_cs[t]
        d[:, 3] *= i
        np.add(dht[t], dh_next, out=dh_next)  # the whole gradient reaching h_t
        np.multiply(hs[t + 1], tanh_cs[t], out=tmp)
        np.subtract(o, tmp, out=tmp)
        tmp *= dh_next
        dc += tmp  # the whole gradient reaching c_t
        d[:, :2] *= dc[:, None, :]  # da_i, da_f
        d[:, 2] *= dh_next  # da_o
        d[:, 3] *= dc  # da_g
        dc *= f  # what flows on to c_{t-1}
        np.matmul(da_t, WhT, out=dh_next)  # what flows on to h_{t-1}
    # With every step's gradient known, the weight gradients are sums over all steps, which
    # are single matrix products over the T * N rows.
    da2 = da.reshape(T * N, 4 * H)
    dx = (da2 @ Wx.T).reshape(T, N, D).transpose(1, 0, 2).copy()
    dWx = xt.reshape(T * N, D).T @ da2
    dWh = hs[:-1].reshape(T * N, H).T @ da2
    return dx, dh_next, dWx, dWh, da2.sum(axis=0)
