"""The course's first model: a recurrent cell with one number of state and two weights.

    h_t = tanh(w * h_{t-1} + u * x_t)        (or without the tanh: the linear cell)

and its twin, the exponentially weighted moving average

    s_t = (1 - alpha) * s_{t-1} + alpha * x_t,

which the linear cell reproduces exactly with w = 1 - alpha and u = alpha. Both start from a
state of 0 before the first input unless told otherwise. Series are 1-D arrays of shape (T,).
"""
import numpy as np

from ._validate import as_float_array, check_shape


def _series(x):
    x = as_float_array("x", x)
    check_shape("x", x, (None,), "(T,)")
    return x


def univariate_rnn_forward(x, w, u, *, h0=0.0, linear=False):
    """Run the univariate cell over a series.

    Inputs: x: (T,) the series; w, u: floats (recurrent and input weight); h0: the state before
    the first step; linear: drop the tanh.
    Returns (h, cache) with h: (T,), the state after every step.
    """
    x = _series(x)
    h = np.empty_like(x)
    prev = h0
    for t in range(x.shape[0]):
        a = w * prev + u * x[t]
        prev = a if linear else np.tanh(a)
        h[t] = prev
    return h, (x, float(w), float(u), float(h0), linear, h)


def univariate_rnn_backward(dh, cache):
    """Backpropagation through time for `univariate_rnn_forward`.

    Inputs: dh: (T,) gradient of the loss with respect to every h_t.
    Returns (dx, dw, du, dh0): dx (T,) and three floats.
    """
    x, w, u, h0, linear, h = cache
    check_shape("dh", dh, x.shape, "(T,)")
    dx = np.empty_like(x)
    dw = du = 0.0
    carry = 0.0  # gradient arriving at h_t from the steps after t
    for t in reversed(range(x.shape[0])):
        da = dh[t] + carry
        if not linear:
            da *= 1 - h[t] ** 2
        prev = h[t - 1] if t > 0 else h0
        dw += da * prev
        du += da * x[t]
        dx[t] = da * u
        carry = da * w
    return dx, float(dw), float(du), float(carry)


def univariate_rnn(x, w, u, *, h0=0.0, linear=False):
    """The states h (T,) of the univariate cell over the series x (T,); see the forward pass."""
    return univariate_rnn_forward(x, w, u, h0=h0, linear=linear)[0]


def ewma(x, alpha, *, s0=0.0):
    """Exponentially weighted moving average s_t = (1 - alpha) s_{t-1} + alpha x_t.

    Inputs: x: (T,); alpha in (0, 1]: the weight of the newest value; s0: the value before the
    first step (0, so that it matches the linear cell started from h0 = 0).
    Returns s: (T,).
    """
    x = _series(x)
    if not 0 < alpha <= 1:
        raise ValueError(f"alpha must be in (0, 1]; got {alpha}")
    s = np.empty_like(x)
    prev = s0
    for t in range(x.shape[0]):
        prev = (1 - alpha) * prev + alpha * x[t]
        s[t] = prev
    return s


def impulse_response(w, u, steps):
    """Response of the linear cell to a unit impulse at step 0: u * w**k for k = 0..steps-1."""
    return u * float(w) ** np.arange(steps)


def half_life(w):
    """Steps after which the linear cell's memory of an input has halved: log(1/2) / log|w|.

    Infinite for |w| >= 1 (the memory never fades) and 0 for w = 0.
    """
    w = abs(float(w))
    if w >= 1:
        return np.inf
    if w == 0:
        return 0.0
    return float(np.log(0.5) / np.log(w))


def fixed_points(w, b=0.0):
    """The states h with h = tanh(w * h + b), i.e. where a constant input b = u * x holds still.

    For b = 0 there is one fixed point (h = 0) when w <= 1 and three when w > 1: the outer two
    are stable, so the cell can latch onto one sign and remember it. Returns a sorted array.
    """
    # Roots of g(h) = tanh(w h + b) - h lie in [-1, 1]; bracket sign changes on a fine grid and
    # refine each by bisection.
    grid = np.linspace(-1.0, 1.0, 4001)
    g = np.tanh(w * grid + b) - grid
    roots = list(grid[g == 0])
    for k in np.nonzero(np.sign(g[:-1]) * np.sign(g[1:]) < 0)[0]:
        lo, hi = grid[k], grid[k + 1]
        for _ in range(60):
            mid = 0.5 * (lo + hi)
            if np.sign(np.tanh(w * mid + b) - mid) == np.sign(np.tanh(w * lo + b) - lo):
                lo = mid
            else:
                hi = mid
        roots.append(0.5 * (lo + hi))
    return np.array(sorted(roots))


def univariate_stack(x, ws, us, *, linear=False):
    """A deep univariate RNN: layer k reads the states of layer k - 1 as its input series.

    Inputs: x: (T,); ws, us: sequences of L weights. Returns hs: (L, T), one row per layer.
    With linear cells each layer is a moving average of the one below: a cascade of smoothers.
    """
    if len(ws) != len(us):
        raise ValueError(f"ws and us must have the same length; got {len(ws)} and {len(us)}")
    layers = []
    inp = _series(x)
    for w, u in zip(ws, us):
        inp = univariate_rnn(inp, w, u, linear=linear)
        layers.append(inp)
    return np.array(layers).reshape(len(ws), -1)
