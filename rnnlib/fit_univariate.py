"""Fitting the univariate cell h_t = tanh(w h_{t-1} + u x_t) by gradient descent, and the
loss landscape over its two weights (lecture 6; lecture 7 reuses the cliffs).

The task (`smoothing_task`): read a noisy sine and output the clean one, scored by the mean
squared error over the whole sequence. Its landscape over (w, u) has a smooth bowl around the
best smoother and, where w is large, flat plateaus (the state latches onto +1 or -1 and stays)
bordered by cliffs: thin bands where a small change of the weights decides whether the state
flips, and the gradient is hundreds of times larger than elsewhere.

- `sequence_loss(x, y, w, u)`: the loss at one point and its gradient, by BPTT with rnnlib.
- `loss_landscape(x, y, ws, us)`: loss and gradient on a whole grid at once (vectorised, fast).
- `gradient_descent(x, y, w0, u0, lr=..., steps=..., clip=...)`: the path of plain gradient
  descent, optionally with gradient clipping (by global norm or by value).
- `cliff_landscape()`: the task, grid and landscape that lecture 6 draws, in one call;
  `CLIFF_START`, `CLIFF_LR`: a start and a learning rate whose plain descent falls off a cliff.
"""
import numpy as np

from ._validate import as_float_array, check_shape
from .data import noisy_sine
from .layers import mse_loss
from .optim import clip_by_global_norm, clip_by_value
from .univariate import univariate_rnn_backward, univariate_rnn_forward

__all__ = [
    "smoothing_task",
    "sequence_loss",
    "loss_landscape",
    "gradient_descent",
    "cliff_landscape",
    "CLIFF_START",
    "CLIFF_LR",
]

#: A start (w0, u0) on the edge of a plateau: plain gradient descent from here with CLIFF_LR
#: reaches a cliff within a few dozen steps and one huge step throws it far off the map.
CLIFF_START = (3.5, 0.6)
#: The learning rate that goes with CLIFF_START (it is a good rate everywhere else).
CLIFF_LR = 0.5


def smoothing_task(T=150, *, period=30.0, noise=0.4, seed=0):
    """A noisy sine to read and the clean sine to output.

    Returns (x, y), both (T,) float64: x = sin(2 pi t / period) + noise * N(0, 1) (from
    `rnnlib.data.noisy_sine`) and y = sin(2 pi t / period), for t = 0..T-1.
    """
    x = noisy_sine(T, period=period, noise=noise, seed=seed)
    y = np.sin(2 * np.pi * np.arange(T) / period)
    return x, y


def _pair(x, y):
    x = as_float_array("x", x)
    check_shape("x", x, (None,), "(T,)")
    y = as_float_array("y", y)
    check_shape("y", y, x.shape, "(T,) like x")
    return x, y


def sequence_loss(x, y, w, u, *, h0=0.0):
    """Mean squared error of the cell's states against a target, and its gradient.

    Inputs: x, y: (T,) input series and target; w, u: floats; h0: the state before step 1.
    Returns (loss, dw, du), three floats: L = mean_t (h_t - y_t)^2 and dL/dw, dL/du, by
    `univariate_rnn_forward` and `univariate_rnn_backward`.
    """
    x, y = _pair(x, y)
    h, cache = univariate_rnn_forward(x, w, u, h0=h0)
    loss, dh = mse_loss(h, y)
    _, dw, du, _ = univariate_rnn_backward(dh, cache)
    return loss, dw, du


def loss_landscape(x, y, ws, us, *, h0=0.0):
    """The loss of `sequence_loss` and its gradient at every point of a (w, u) grid.

    The whole grid runs as one array, step by step through time, so a grid of 100 x 100
    points over 150 steps takes a few hundredths of a second.
    Inputs: x, y: (T,); ws: (A,) values of w; us: (B,) values of u.
    Returns (loss, dw, du), each (B, A): row i holds u = us[i], column j holds w = ws[j]
    (the layout of np.meshgrid(ws, us), ready for contourf(ws, us, loss)).
    """
    x, y = _pair(x, y)
    ws, us = as_float_array("ws", ws), as_float_array("us", us)
    check_shape("ws", ws, (None,), "(A,)")
    check_shape("us", us, (None,), "(B,)")
    W, U = np.meshgrid(ws, us)
    T = x.shape[0]
    hs = np.empty((T + 1, *W.shape))
    hs[0] = h0
    for t in range(T):
        hs[t + 1] = np.tanh(W * hs[t] + U * x[t])
    err = hs[1:] - y[:, None, None]
    loss = np.mean(err**2, axis=0)
    # Backpropagation through time, the same recursion as univariate_rnn_backward, for every
    # grid point at once: carry is the gradient reaching h_t from the steps after t.
    dw, du, carry = np.zeros_like(W), np.zeros_like(W), np.zeros_like(W)
    for t in reversed(range(T)):
        da = (2 / T * err[t] + carry) * (1 - hs[t + 1] ** 2)
        dw += da * hs[t]
        du += da * x[t]
        carry = da * W
    return loss, dw, du


def gradient_descent(x, y, w0, u0, *, lr=0.5, steps=200, clip=None, clip_mode="norm"):
    """Plain gradient descent on (w, u) for `sequence_loss`, recording the path.

    Inputs: x, y: (T,); w0, u0: the start; lr: the learning rate; steps: how many updates;
    clip: None for none, else the limit of the gradient's global norm (clip_mode="norm",
    `rnnlib.optim.clip_by_global_norm`) or of each component (clip_mode="value",
    `rnnlib.optim.clip_by_value`).
    Returns a dict:
    - "path": (steps + 1, 2) the points (w, u) visited, the start first;
    - "loss": (steps + 1,) the loss at each of them;
    - "grad_norm": (steps,) the gradient's norm at each step, before clipping.
    """
    if clip_mode not in ("norm", "value"):
        raise ValueError(f"clip_mode must be 'norm' or 'value'; got {clip_mode!r}")
    if steps < 0:
        raise ValueError(f"steps must be at least 0; got {steps}")
    x, y = _pair(x, y)
    w, u = float(w0), float(u0)
    path, losses, norms = [(w, u)], [], []
    for _ in range(steps):
        loss, dw, du = sequence_loss(x, y, w, u)
        losses.append(loss)
        norms.append(float(np.hypot(dw, du)))
        if clip is not None:
            g = {"w": np.array(dw), "u": np.array(du)}
            g = clip_by_global_norm(g, clip)[0] if clip_mode == "norm" else clip_by_value(g, clip)
            dw, du = float(g["w"]), float(g["u"])
        w, u = w - lr * dw, u - lr * du
        path.append((w, u))
    losses.append(sequence_loss(x, y, *path[-1])[0])
    return {"path": np.array(path), "loss": np.array(losses), "grad_norm": np.array(norms)}


def cliff_landscape(*, ws=None, us=None, task=None):
    """The landscape that lecture 6 draws: the smoothing task on a (w, u) grid.

    Inputs: ws, us: grid axes (default w from -1 to 4 in 101 points, u from -3 to 3 in 120
    points, which leaves out u = 0 exactly, where the state never leaves 0); task: (x, y),
    default `smoothing_task()`.
    Returns a dict with "x", "y" (T,), "ws" (A,), "us" (B,) and "loss", "dw", "du",
    "grad_norm", each (B, A) as `loss_landscape` lays them out.
    """
    x, y = smoothing_task() if task is None else task
    ws = np.linspace(-1.0, 4.0, 101) if ws is None else np.asarray(ws, dtype=np.float64)
    us = np.linspace(-3.0, 3.0, 120) if us is None else np.asarray(us, dtype=np.float64)
    loss, dw, du = loss_landscape(x, y, ws, us)
    return {"x": x, "y": y, "ws": ws, "us": us, "loss": loss, "dw": dw, "du": du,
            "grad_norm": np.hypot(dw, du)}
