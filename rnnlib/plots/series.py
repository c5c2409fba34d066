"""Figures for series, windows, the univariate cell and its EWMA twin (lectures 1-3).

Diagrams (no data): `draw_problem_shapes`, `draw_window_network`, `draw_folded_cell`.
Series and windows: `plot_series`, `plot_window`.
The univariate cell: `probe_signal`, `plot_univariate_response`, `plot_fixed_points`,
`plot_fixed_point_diagram`.
The EWMA: `plot_ewma`, `plot_rnn_vs_ewma`, `plot_impulse_response`.

Every plot function draws on `ax` (a new figure when None) and returns that Axes.
"""
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import FancyArrowPatch
from matplotlib.path import Path

from .._validate import as_float_array, check_shape
from ..univariate import ewma, fixed_points, half_life, impulse_response, univariate_rnn
from .diagrams import _box, _sub, diagram_axes

__all__ = [
    "draw_problem_shapes",
    "draw_window_network",
    "draw_folded_cell",
    "plot_series",
    "plot_window",
    "probe_signal",
    "PROBE_SIGNALS",
    "plot_univariate_response",
    "plot_fixed_points",
    "plot_fixed_point_diagram",
    "plot_ewma",
    "plot_rnn_vs_ewma",
    "plot_impulse_response",
]

CELL_FORMULA = r"$h_t = \tanh(w\,h_{t-1} + u\,x_t)$"
LINEAR_FORMULA = r"$h_t = w\,h_{t-1} + u\,x_t$"
SERIES_COLOR = "0.55"


# --- Small drawing helpers ------------------------------------------------------------------

BOX_W, BOX_H = 0.7, 0.5  # box size (data units) of the compact diagrams below


def _node(ax, x, y, text, kind):
    _box(ax, x, y, text, kind, w=BOX_W, h=BOX_H)


def _edge(ax, start, end, *, color="black", label=None, label_offset=(0.08, 0.0), fontsize=10):
    """An arrow from the border of the box centred at `start` to that of the box at `end`."""
    (x0, y0), (x1, y1) = start, end
    dx, dy = x1 - x0, y1 - y0
    # Leave each box where the centre-to-centre line crosses its (padded) border.
    hw, hh = BOX_W / 2 + 0.07, BOX_H / 2 + 0.07
    s = min(hw / abs(dx) if dx else np.inf, hh / abs(dy) if dy else np.inf)
    a = (x0 + s * dx, y0 + s * dy)
    b = (x1 - s * dx, y1 - s * dy)
    ax.add_patch(FancyArrowPatch(a, b, arrowstyle="-|>", mutation_scale=10, color=color,
                                 linewidth=1.1, shrinkA=0, shrinkB=0))
    if label:
        ax.text((a[0] + b[0]) / 2 + label_offset[0], (a[1] + b[1]) / 2 + label_offset[1], label,
                color=color, fontsize=fontsize, ha="left", va="center")


# --- Diagrams --------------------------------------------------------------------------------

# For each problem shape: (title, example, inputs at columns, outputs at columns, columns).
PROBLEM_SHAPES = [
    ("one-to-one", "image → class", [0], [0], 1),
    ("one-to-many", "image → caption", [0], [0, 1, 2], 3),
    ("many-to-one", "past prices → next price", [0, 1, 2], [2], 3),
    ("many-to-many", "video frames → a label each", [0, 1, 2], [0, 1, 2], 3),
    ("sequence-to-sequence", "sentence → translation", [0, 1, 2], [3, 4], 5),
]


def draw_problem_shapes(*, ax=None):
    """The five shapes of sequence problems side by side, each as boxes over time (left to right).

    Blue boxes are inputs, green ones hidden states, orange ones outputs; an arrow between green
    boxes carries the state from one step to the next. One-to-one has no sequence at all;
    sequence-to-sequence reads its whole input before it writes an output of another length.
    """
    ax = diagram_axes(ax, (15, 3.4))
    left = 0.0
    for title, example, inputs, outputs, cols in PROBLEM_SHAPES:
        xs = [left + c for c in range(cols)]
        for c, x in enumerate(xs):
            _node(ax, x, 1, "h", "h")
            if c in inputs:
                _node(ax, x, 0, "x", "x")
                _edge(ax, (x, 0), (x, 1), color="tab:blue")
            if c in outputs:
                _node(ax, x, 2, "y", "y")
                _edge(ax, (x, 1), (x, 2), color="tab:orange")
            if c > 0:
                _edge(ax, (x - 1, 1), (x, 1), color="tab:green")
        centre = (xs[0] + xs[-1]) / 2
        ax.text(centre, 2.75, title, ha="center", va="center", fontsize=12, fontweight="bold")
        ax.text(centre, -0.7, example, ha="center", va="center", fontsize=10, style="italic")
        left = xs[-1] + 2.0
    ax.set_xlim(-0.9, left - 1.1)
    ax.set_ylim(-1.0, 3.05)
    return ax


def draw_window_network(window=4, *, ax=None):
    """A feed-forward model on a fixed window: every input position has its own weight.

    Inputs x_1..x_L in a row, all wired to one hidden unit h with the weights a_1..a_L, then to
    the prediction y. Adding a position adds a weight (per hidden unit).
    """
    if window < 1:
        raise ValueError(f"window must be at least 1; got {window}")
    ax = diagram_axes(ax, (1.3 * window + 1.0, 3.4))
    xs = np.arange(window) * 1.2
    centre = float(xs.mean())
    _node(ax, centre, 1.6, "h", "h")
    _node(ax, centre, 2.8, "y", "y")
    _edge(ax, (centre, 1.6), (centre, 2.8), color="tab:orange")
    for i, x in enumerate(xs, start=1):
        _node(ax, x, 0, f"x{_sub(i)}", "x")
        _edge(ax, (x, 0), (centre, 1.6), color="tab:blue")
        # Label each weight low on its arrow, where the arrows are still far apart.
        y_lab = 0.62
        x_lab = x + (centre - x) * (y_lab - 0.32) / (1.6 - 0.32 - 0.32)
        left = x < centre
        ax.text(x_lab + (-0.08 if left else 0.08), y_lab, f"a{_sub(i)}", color="tab:blue",
                fontsize=11, ha="right" if left else "left", va="center")
    ax.set_xlim(-0.6, xs[-1] + 0.6)
    ax.set_ylim(-0.45, 3.25)
    return ax


def draw_folded_cell(*, weights=("u", "w"), ax=None):
    """The univariate cell drawn folded: x_t enters with weight u, and h_t feeds back into the
    next step through the loop with weight w (the loop is a delay of one step)."""
    ax = diagram_axes(ax, (2.6, 3.0))
    w_in, w_rec = weights
    _node(ax, 0, 0, "xₜ", "x")
    _node(ax, 0, 1.3, "hₜ", "h")
    _edge(ax, (0, 0), (0, 1.3), color="tab:blue", label=w_in)
    # The loop leaves h_t on its right, climbs, and comes back down into its top.
    right, top = BOX_W / 2 + 0.07, 1.3 + BOX_H / 2 + 0.07
    loop = Path([(right, 1.3), (0.8, 1.3), (0.8, 2.05), (0.0, 2.05), (0.0, top)],
                [Path.MOVETO] + [Path.LINETO] * 4)
    ax.add_patch(FancyArrowPatch(path=loop, arrowstyle="-|>", mutation_scale=10,
                                 color="tab:green", linewidth=1.1))
    ax.text(0.88, 1.68, w_rec, color="tab:green", fontsize=10, ha="left", va="center")
    ax.text(0.4, 2.2, "one-step delay", color="tab:green", fontsize=8, ha="center",
            va="bottom")
    ax.set_xlim(-0.6, 1.6)
    ax.set_ylim(-0.45, 2.7)
    return ax


# --- Series and windows ----------------------------------------------------------------------


def _time_axis(values, dates):
    if dates is None:
        return np.arange(len(values))
    if len(dates) != len(values):
        raise ValueError(f"dates must have the same length as the series ({len(values)}); "
                         f"got {len(dates)}")
    return np.asarray(dates)


def _series(name, values):
    values = as_float_array(name, values)
    check_shape(name, values, (None,), "(T,)")
    return values


def plot_series(values, *, dates=None, title="A series", ylabel="value", label=None, ax=None,
                **line_kw):
    """A series as a line against its dates (or step numbers when dates is None)."""
    values = _series("values", values)
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 3.2))
    ax.plot(_time_axis(values, dates), values, label=label, **line_kw)
    ax.set_title(title)
    ax.set_xlabel("date" if dates is not None else "time step")
    ax.set_ylabel(ylabel)
    if label is not None:
        ax.legend(loc="best")
    return ax


def _date_label(dates, i):
    return str(dates[i])[:7] if dates is not None else f"step {i}"


def plot_window(series, window, position, *, dates=None, horizon=1, ylabel="value", ax=None):
    """One fixed window over a series: the `window` inputs from `position` on, shaded, and the
    `horizon` values after it that a feed-forward model would have to predict.

    This is row `position` of `rnnlib.data.sliding_windows(series, window, horizon=horizon)`.
    """
    series = _series("series", series)
    T = series.shape[0]
    last = T - window - horizon
    if window < 1 or horizon < 1:
        raise ValueError(f"window and horizon must be at least 1; got {window} and {horizon}")
    if not 0 <= position <= last:
        raise ValueError(f"position must be in [0, {last}] for a series of length {T}, "
                         f"window={window} and horizon={horizon}; got {position}")
    t = _time_axis(series, dates)
    inp = slice(position, position + window)
    tgt = slice(position + window, position + window + horizon)
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 3.4))
    ax.plot(t, series, color=SERIES_COLOR, linewidth=1, label="series")
    ax.axvspan(t[inp][0], t[inp][-1], color="tab:blue", alpha=0.12)
    ax.plot(t[inp], series[inp], color="tab:blue", linewidth=2.2, label=f"input window ({window})")
    ax.plot(t[tgt], series[tgt], "o", color="tab:red", markersize=6,
            label=f"target{'s' if horizon > 1 else ''} ({horizon})")
    ax.set_title(f"Inputs {_date_label(dates, inp.start)} to {_date_label(dates, inp.stop - 1)}"
                 f" → predict {_date_label(dates, tgt.start)}"
                 + (f" to {_date_label(dates, tgt.stop - 1)}" if horizon > 1 else ""))
    ax.set_xlabel("date" if dates is not None else "time step")
    ax.set_ylabel(ylabel)
    ax.legend(loc="upper left")
    return ax


# --- The univariate cell ---------------------------------------------------------------------

PROBE_SIGNALS = ("step", "impulse", "pulses", "noise")


def probe_signal(kind, steps=60, *, start=10, seed=0):
    """A test input for the univariate cell, shape (steps,), zero before `start`:

    - "step": 1 from `start` on;
    - "impulse": a single 1 at `start`;
    - "pulses": +1 at `start`, then -1 at step `start + steps // 2` (to flip a latch);
    - "noise": standard normal values from `start` on (seeded).
    """
    if kind not in PROBE_SIGNALS:
        raise ValueError(f"kind must be one of {PROBE_SIGNALS}; got {kind!r}")
    if not 0 <= start < steps:
        raise ValueError(f"start must be in [0, steps={steps}); got {start}")
    x = np.zeros(steps)
    if kind == "step":
        x[start:] = 1.0
    elif kind == "impulse":
        x[start] = 1.0
    elif kind == "pulses":
        x[start] = 1.0
        x[min(start + steps // 2, steps - 1)] = -1.0
    else:
        x[start:] = np.random.default_rng(seed).standard_normal(steps - start)
    return x


def plot_univariate_response(x, w=0.5, u=1.0, *, linear=False, h0=0.0, title=None, ax=None):
    """The states h_t of the univariate cell driven by the input x, drawn over the input.

    x: (T,) array, or the name of a `probe_signal` ("step", "impulse", "pulses", "noise").
    w: one recurrent weight or a sequence of them (one line each); u: the input weight.
    """
    name = x if isinstance(x, str) else None
    x = probe_signal(x) if name else _series("x", x)
    ws = [float(w)] if np.ndim(w) == 0 else [float(v) for v in w]
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 3.4))
    t = np.arange(x.shape[0])
    ax.step(t, x, where="mid", color=SERIES_COLOR, linewidth=1, label="input $x_t$")
    for wi in ws:
        h = univariate_rnn(x, wi, u, h0=h0, linear=linear)
        ax.plot(t, h, "-", marker=".", markersize=4, linewidth=1.6, label=f"$h_t$, w = {wi:g}")
    ax.axhline(0, color="0.8", linewidth=0.8, zorder=0)
    formula = LINEAR_FORMULA if linear else CELL_FORMULA
    what = {"step": "a step", "impulse": "an impulse"}.get(name, name or "an input")
    ax.set_title(title or f"Response of {formula} to {what} (u = {u:g})")
    ax.set_xlabel("time step t")
    ax.set_ylabel("value (unitless)")
    ax.legend(loc="best", fontsize=9)
    return ax


def _is_stable(w, h):
    """A fixed point h of h -> tanh(w h + b) attracts when |slope| = |w (1 - h^2)| < 1; at a
    slope of exactly +-1 (w = +-1, h = 0) tanh still pulls the state in, only slowly."""
    return abs(w * (1 - h**2)) <= 1


def plot_fixed_points(w, b=0.0, *, start=None, steps=12, ax=None):
    """The map h_{t-1} -> h_t = tanh(w h_{t-1} + b) against the diagonal h_t = h_{t-1}.

    Where they cross the state holds still (a fixed point): filled dots attract nearby states
    (stable), open dots repel them. With `start`, a cobweb shows `steps` iterations from there.
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(4.6, 4.4))
    h = np.linspace(-1.5, 1.5, 301)
    ax.plot(h, np.tanh(w * h + b), color="tab:green", linewidth=2,
            label=rf"$h_t = \tanh({w:g}\,h_{{t-1}}" + (f" {b:+g}" if b else "") + ")$")
    ax.plot(h, h, "--", color="0.4", linewidth=1, label="$h_t = h_{t-1}$")
    if start is not None:
        path_x, path_y = [start], [start]
        cur = float(start)
        for _ in range(steps):
            nxt = float(np.tanh(w * cur + b))
            path_x += [cur, nxt]
            path_y += [nxt, nxt]
            cur = nxt
        ax.plot(path_x, path_y, color="tab:purple", linewidth=1, alpha=0.8,
                label=f"{steps} steps from $h_0$ = {start:g}")
    points = fixed_points(w, b)
    for p in points:
        stable = _is_stable(w, p)
        ax.plot([p], [p], "o", markersize=9, zorder=5, markeredgecolor="black",
                markerfacecolor="black" if stable else "white")
    # Legend entries for the two kinds of dot.
    ax.plot([], [], "o", color="black", label="stable fixed point")
    ax.plot([], [], "o", markerfacecolor="white", markeredgecolor="black",
            label="unstable fixed point")
    n = len(points)
    ax.set_title(f"w = {w:g}: {n} fixed point{'s' if n != 1 else ''}")
    ax.set_xlabel("$h_{t-1}$ (state before the step)")
    ax.set_ylabel("$h_t$ (state after the step)")
    ax.set_xlim(-1.5, 1.5)
    ax.set_ylim(-1.5, 1.5)
    ax.set_aspect("equal")
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left", fontsize=8)
    return ax


def plot_fixed_point_diagram(w_min=0.0, w_max=3.0, *, b=0.0, num=121, ax=None):
    """The fixed points of h = tanh(w h + b) against w: a single one up to w = 1 (for b = 0),
    then a fork into three, the outer two stable (solid) and the middle one unstable (open)."""
    ws = np.linspace(w_min, w_max, num)
    stable, unstable = [], []
    for w in ws:
        for p in fixed_points(w, b):
            (stable if _is_stable(w, p) else unstable).append((w, p))
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3.8))
    if stable:
        s = np.array(stable)
        ax.plot(s[:, 0], s[:, 1], "o", color="tab:blue", markersize=3, label="stable")
    if unstable:
        s = np.array(unstable)
        ax.plot(s[:, 0], s[:, 1], "o", markerfacecolor="white", markeredgecolor="tab:red",
                markersize=3, label="unstable")
    ax.axvline(1.0, color="0.6", linestyle=":", linewidth=1)
    ax.set_title("Fixed points of $h = \\tanh(w\\,h" + (f" {b:+g}" if b else "") + ")$ against w")
    ax.set_xlabel("recurrent weight w")
    ax.set_ylabel("fixed point $h^*$")
    ax.set_ylim(-1.1, 1.1)
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left")
    return ax


# --- The EWMA --------------------------------------------------------------------------------


def plot_ewma(x, alphas, *, dates=None, ylabel="value", title=None, ax=None):
    """A series and its EWMA for each alpha in `alphas` (smaller alpha: smoother, later)."""
    x = _series("x", x)
    alphas = [alphas] if np.ndim(alphas) == 0 else list(alphas)
    t = _time_axis(x, dates)
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 3.6))
    ax.plot(t, x, color=SERIES_COLOR, linewidth=0.8, label="series $x_t$")
    for a in alphas:
        ax.plot(t, ewma(x, a), linewidth=1.8, label=f"EWMA, α = {a:g}")
    ax.set_title(title or "Exponentially weighted moving averages")
    ax.set_xlabel("date" if dates is not None else "time step")
    ax.set_ylabel(ylabel)
    ax.legend(loc="best")
    return ax


def plot_rnn_vs_ewma(x, alpha, w=None, u=None, *, linear=False, dates=None, ylabel="value",
                     ax=None):
    """The EWMA s_t of x next to the univariate cell h_t run over the same x.

    w, u default to the EWMA's twin, 1 - alpha and alpha; linear drops the cell's tanh.
    The title reports the largest gap max_t |h_t - s_t|.
    """
    x = _series("x", x)
    w = 1 - alpha if w is None else float(w)
    u = alpha if u is None else float(u)
    s = ewma(x, alpha)
    h = univariate_rnn(x, w, u, linear=linear)
    t = _time_axis(x, dates)
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 3.8))
    ax.plot(t, x, color=SERIES_COLOR, linewidth=0.8, label="series $x_t$")
    ax.plot(t, s, color="tab:orange", linewidth=2.4, label=f"EWMA $s_t$, α = {alpha:.2f}")
    kind = "linear cell" if linear else "tanh cell"
    ax.plot(t, h, "--", color="tab:green", linewidth=1.6,
            label=f"{kind} $h_t$, w = {w:.2f}, u = {u:.2f}")
    gap = float(np.max(np.abs(h - s))) if np.all(np.isfinite(h)) else np.inf
    ax.set_title(f"EWMA and {kind} on the same series: max |h − s| = {gap:.3g}")
    ax.set_xlabel("date" if dates is not None else "time step")
    ax.set_ylabel(ylabel)
    lo, hi = float(np.min(x)), float(np.max(x))
    pad = 0.25 * (hi - lo)
    ax.set_ylim(lo - pad, hi + pad)  # keep the series in view when the cell runs away
    ax.legend(loc="upper left", fontsize=9)
    return ax


def plot_impulse_response(cells, steps=30, *, ax=None):
    """The weight u w^k that the linear cell gives an input k steps back, for each (w, u).

    cells: a sequence of (w, u) pairs. The dotted vertical line marks each half-life, the lag
    where |w|^k has fallen to one half (`rnnlib.univariate.half_life`).
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 3.8))
    k = np.arange(steps)
    for w, u in cells:
        hl = half_life(w)
        label = f"w = {w:g}, u = {u:g}" + (f" (half-life {hl:.1f} steps)" if np.isfinite(hl)
                                            else " (never halves)")
        (line,) = ax.plot(k, impulse_response(w, u, steps), "o-", markersize=3.5, linewidth=1.2,
                          label=label)
        if np.isfinite(hl) and 0 < hl < steps:
            ax.axvline(hl, color=line.get_color(), linestyle=":", linewidth=1.2)
    ax.axhline(0, color="0.8", linewidth=0.8, zorder=0)
    ax.set_title("Impulse response of the linear cell: $u\\,w^k$")
    ax.set_xlabel("lag k (steps since the input)")
    ax.set_ylabel("weight on $x_{t-k}$ in $h_t$")
    ax.legend(loc="best", fontsize=9)
    return ax
