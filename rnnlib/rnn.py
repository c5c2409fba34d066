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
    x, prev_h, Wx, Wh, (b,) = check_recurrent_inputs(x, prev_h, Wx, Wh, {"b": b}, gates=1, sequence=False)
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

    Returns (h, cache) with h: (N, T, H), the hidden state after every step.
    """
    x, h0, Wx, Wh, (b,) = check_recurrent_inputs(x, h0, Wx, Wh, {"b": b}, gates=1, sequence=True)
    N, T, D = x.shape
    H = Wh.shape[0]
    # The input projections do not depend on the recurrence: one matrix product for all
    # steps, laid out time-major so that each step reads a contiguous (N, H) block.
    xt = np.ascontiguousarray(x.transpose(1, 0, 2))
    a = (xt.reshape(T * N, D) @ Wx).reshape(T, N, H)
    a += b
    hs = np.empty((T + 1, N, H), dtype=x.dtype)  # hs[0] = h0, hs[t + 1] = h_t
    hs[0] = h0
    for t in range(T):
        np.matmul(hs[t], Wh, out=hs[t + 1])
        hs[t + 1] += a[t]
        np.tanh(hs[t + 1], out=hs[t + 1])
    h = hs[1:].transpose(1, 0, 2).copy()
    return h, (xt, hs, Wx, Wh)


def rnn_backward(dh, cache):
    """Backpropagation through time for `rnn_forward`.

    Inputs:
    - dh: (N, T, H) gradient of the loss with respect to every hidden state (the upstream
      gradient only, not the part that flows back through the recurrence)
    - cache: from the forward pass

    Returns (dx, dh0, dWx, dWh, db) with shapes (N, T, D), (N, H), (D, H), (H, H), (H,).
    """
    xt, hs, Wx, Wh = cache
    T, N, D = xt.shape
    H = Wh.shape[0]
    check_shape("dh", dh, (N, T, H), "(N, T, H)")
    dht = dh.transpose(1, 0, 2)
    da = np.empty((T, N, H), dtype=hs.dtype)  # gradient w.r.t. the pre-activation at each step
    dh_next = np.zeros((N, H), dtype=hs.dtype)  # what flows back from step t + 1
    WhT = np.ascontiguousarray(Wh.T)
    for t in reversed(range(T)):
        np.add(dht[t], dh_next, out=da[t])
        da[t] *= 1 - hs[t + 1] ** 2
        np.matmul(da[t], WhT, out=dh_next)
    # With the per-step gradients known, the weight gradients are sums over all steps,
    # which again are single matrix products.
    da2 = da.reshape(T * N, H)
    dx = (da2 @ Wx.T).reshape(T, N, D).transpose(1, 0, 2).copy()
    dWx = xt.reshape(T * N, D).T @ da2
    dWh = hs[:-1].reshape(T * N, H).T @ da2
    db = da2.sum(axis=0)
    return dx, dh_next, dWx, dWh, db
