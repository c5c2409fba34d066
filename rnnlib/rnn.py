"""The vanilla RNN cell: h_t = tanh(x_t Wx + h_{t-1} Wh + b).

Batch-first, as in CS231n: a batch of N sequences of length T with D features is an array of
shape (N, T, D); the hidden state has H features. Every forward returns (out, cache) and every
backward takes (dout, cache) and returns the gradients in the order the forward took its inputs.
"""
import numpy as np

from ._validate import check_recurrent_inputs, check_shape


def rnn_step_forward(x, prev_h, Wx, Wh, b):
    """One time step of the vanilla RNN.

    Inputs:
    - x: (N, D) inputs at this step
    - prev_h: (N, H) hidden state from the previous step
    - Wx: (D, H) input-to-hidden weights
    - Wh: (H, H) hidden-to-hidden weights
    - b: (H,) bias

    Returns (next_h, cache) with next_h: (N, H).
    """
    x, prev_h, Wx, Wh, (b,) = check_recurrent_inputs(
        x, prev_h, Wx, Wh, {"b": b}, gates=1, sequence=False
    )
    next_h = np.tanh(x @ Wx + prev_h @ Wh + b)
    return next_h, (x, prev_h, Wx, Wh, next_h)


def rnn_step_backward(dnext_h, cache):
    """Backward pass of `rnn_step_forward`.

    Inputs:
    - dnext_h: (N, H) gradient of the loss with respect to next_h
    - cache: from the forward pass

    Returns (dx, dprev_h, dWx, dWh, db) with shapes (N, D), (N, H), (D, H), (H, H), (H,).
    """
    x, prev_h, Wx, Wh, next_h = cache
    da = dnext_h * (1 - next_h**2)  # tanh'(a) = 1 - tanh(a)^2, reusing the forward's output
    return da @ Wx.T, da @ Wh.T, x.T @ da, prev_h.T @ da, da.sum(axis=0)


def rnn_forward(x, h0, Wx, Wh, b):
    """Run the vanilla RNN over whole sequences.

    Inputs:
    - x: (N, T, D) input sequences
    - h0: (N, H) initial hidden state
    - Wx: (D, H), Wh: (H, H), b: (H,) the weights, the same at every time step

    Returns (h, cache) with h: (N, T, H), the hidden state after every step. The cache keeps a
    reference to h itself: do not change h in place before calling `rnn_backward`.
    """
    x, h0, Wx, Wh, (b,) = check_recurrent_inputs(x, h0, Wx, Wh, {"b": b}, gates=1, sequence=True)
    N, T, D = x.shape
    H = Wh.shape[0]
    # The input projections x_t Wx + b do not depend on the recurrence: one matrix product
    # computes them for all steps at once, straight into h, which then holds each step's
    # pre-activation until the loop overwrites it with tanh of it.
    h = np.empty((N, T, H), dtype=x.dtype)
    np.matmul(x.reshape(N * T, D), Wx, out=h.reshape(N * T, H))
    h += b
    recurrent = np.empty((N, H), dtype=x.dtype)  # h_{t-1} Wh, one buffer for every step
    prev_h = h0
    for t in range(T):
        h_t = h[:, t]  # a view: writing to it writes into h
        np.matmul(prev_h, Wh, out=recurrent)
        h_t += recurrent
        _tanh(h_t, out=h_t)
        prev_h = h_t
    return h, (x, h0, Wx, Wh, h)


def _tanh(a, out):
    """Write tanh(a) into out (which may be a itself); returns out.

    For float64 it computes tanh(a) = 2 / (1 + exp(-2a)) - 1, because numpy's float64 exp is
    about twice as fast as its tanh (the result differs from np.tanh by about 1e-16, and an
    overflow of exp to inf gives the correct -1). For float32, np.tanh is the faster one.
    """
    if a.dtype != np.float64:
        return np.tanh(a, out=out)
    with np.errstate(over="ignore", under="ignore"):
        np.multiply(a, -2, out=out)
        np.exp(out, out=out)
        out += 1
        np.divide(2, out, out=out)
        out -= 1
    return out


def rnn_backward(dh, cache):
    """Backpropagation through time for `rnn_forward`.

    Inputs:
    - dh: (N, T, H) gradient of the loss with respect to every hidden state (the upstream
      gradient only, not the part that flows back through the recurrence)
    - cache: from the forward pass

    Returns (dx, dh0, dWx, dWh, db) with shapes (N, T, D), (N, H), (D, H), (H, H), (H,).
    """
    x, h0, Wx, Wh, h = cache
    N, T, D = x.shape
    H = Wh.shape[0]
    check_shape("dh", dh, (N, T, H), "(N, T, H)")
    dh = np.asarray(dh)
    # da[:, t] becomes the gradient with respect to step t's pre-activation. It starts as
    # tanh'(a_t) = 1 - h_t**2, computed for all steps at once; the loop multiplies in the
    # gradient reaching h_t: from the loss (dh) and from step t + 1 (dh_next).
    da = np.multiply(h, h)
    np.subtract(1, da, out=da)
    dh_next = np.zeros((N, H), dtype=h.dtype)
    WhT = Wh.T
    for t in reversed(range(T)):
        np.add(dh[:, t], dh_next, out=dh_next)  # the whole gradient reaching h_t
        da_t = da[:, t]
        da_t *= dh_next
        np.matmul(da_t, WhT, out=dh_next)  # what flows on to h_{t-1}
    # With every step's gradient known, the weight gradients are sums over all steps, which
    # again are single matrix products over the N * T rows.
    da2 = da.reshape(N * T, H)
    dx = (da2 @ Wx.T).reshape(N, T, D)
    dWx = x.reshape(N * T, D).T @ da2
    dWh = _sum_prev_h_outer(h0, h, da)
    db = da2.sum(axis=0)
    return dx, dh_next, dWx, dWh, db


def _sum_prev_h_outer(h0, h, da):
    """sum over n, t of outer(h_{t-1}[n], da_t[n]), with h_{-1} = h0: the recurrent weights'
    gradient, (H, G) for h (N, T, H) and da (N, T, G).

    Flattened to N * T rows, row n*T + t - 1 of h sits just above row n*T + t of da, so one
    product of h without its last row and da without its first pairs every state with the
    next step's gradient. It also pairs the last state of each sequence with the first step of
    the next sequence, which is taken back out, and misses h0, which is added. No copy needed.
    """
    N, T, H = h.shape
    h2, da2 = h.reshape(N * T, H), da.reshape(N * T, -1)
    dWh = h2[:-1].T @ da2[1:]
    if N > 1:
        dWh -= h[:-1, -1].T @ da[1:, 0]
    dWh += h0.T @ da[:, 0]
    return dWh
