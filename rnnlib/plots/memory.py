"""Figures for gradients over long lags, the language model and gated cells (lectures 7-9).

Gradients through time (lecture 7): `gradient_vs_lag`, `plot_gradient_vs_lag` (the widget's
figure), `plot_cliff_slice`, `plot_clipping_paths`.
Memory (lectures 7 and 9): `plot_accuracy_vs_lag`, `memory_path_gradients`.
Training a language model (lecture 8): `plot_loss_curve`, `plot_clipped_norms`,
`plot_temperature`.
Gated cells and the way on (lecture 9): `draw_lstm_cell`, `draw_gru_cell`, `plot_forecasts`,
`draw_course_map`.

Every plot function draws on `ax` (a new figure when None) and returns that Axes.
"""
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch
from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator, NullFormatter

from .. import cells
from .._validate import as_float_array, check_shape
from .diagrams import diagram_axes
from .gradients import hidden_gradient_norms, plot_gradient_norms

__all__ = [
    "gradient_vs_lag",
    "plot_gradient_vs_lag",
    "plot_cliff_slice",
    "plot_clipping_paths",
    "plot_accuracy_vs_lag",
    "memory_path_gradients",
    "plot_loss_curve",
    "plot_clipped_norms",
    "plot_temperature",
    "draw_lstm_cell",
    "draw_gru_cell",
    "plot_forecasts",
    "draw_course_map",
]


def _axes(ax, size=(7, 4)):
    if ax is None:
        _, ax = plt.subplots(figsize=size)
    return ax


# --- Lecture 7: gradients through time ------------------------------------------------------


def gradient_vs_lag(spectral_norm=(0.9, 2.0), T=50, *, hidden_size=32, input_scale=0.5,
                    seed=0):
    """Gradient norms ||dh_T/dh_k|| of a tanh cell whose recurrent matrix has every singular
    value equal to s, for each s in `spectral_norm` (one number or several).

    The recurrent matrix is s times a random orthogonal matrix Q; the cell runs T steps from
    h_0 = 0 on standard normal inputs scaled by `input_scale` (the same inputs for every s).
    Returns dict "s = ..." -> (T,) norms for lags 0..T-1, as `hidden_gradient_norms` gives them.
    """
    norms = np.atleast_1d(np.asarray(spectral_norm, dtype=np.float64))
    if norms.ndim != 1 or np.any(norms <= 0):
        raise ValueError(f"spectral_norm must be a positive number or a list of them; "
                         f"got {spectral_norm}")
    if T < 2:
        raise ValueError(f"T must be at least 2; got {T}")
    rng = np.random.default_rng(seed)
    Q, _ = np.linalg.qr(rng.standard_normal((hidden_size, hidden_size)))
    x = rng.standard_normal((T, hidden_size))
    Wx = input_scale * np.eye(hidden_size)
    return {f"s = {s:g}": hidden_gradient_norms(s * Q, T, Wx=Wx, x=x) for s in norms}


def plot_gradient_vs_lag(spectral_norm=(0.9, 2.0), T=50, *, hidden_size=32, input_scale=0.5,
                         seed=0, ax=None):
    """Gradient norm ||dh_T/dh_k|| against the lag T - k, next to its bound s**(T - k).

    The curves are those of `gradient_vs_lag` (same arguments). Dashed: the bound s**lag,
    which is exactly what a linear cell would give. The y-axis is fixed to [1e-10, 1e10] so
    that figures for different s can be compared.
    """
    curves = gradient_vs_lag(spectral_norm, T, hidden_size=hidden_size,
                             input_scale=input_scale, seed=seed)
    bounds = {label: float(label.split("=")[1]) for label in curves}
    ax = plot_gradient_norms(curves, bound=bounds, ax=_axes(ax))
    ax.set_ylim(1e-10, 1e10)
    ax.set_xlim(0, T - 1)
    ax.axhline(1.0, color="0.6", linewidth=0.8)
    ax.set_title(f"Gradient norm against lag, tanh cell, H = {hidden_size} "
                 r"(dashed: the bound $s^{\mathrm{lag}}$)")
    return ax


def plot_cliff_slice(w, loss, grad, *, ax=None):
    """A 1-D slice of a loss across a cliff: the loss (left axis) and |dL/dw| (right axis, log).

    w, loss, grad: (n,) the weight values, the loss and its derivative at each.
    Returns the Axes of the loss; the gradient's twin Axes is `ax.right_ax`.
    """
    w, loss, grad = (as_float_array(n, a) for n, a in (("w", w), ("loss", loss), ("grad", grad)))
    check_shape("loss", loss, w.shape, "(n,) like w")
    check_shape("grad", grad, w.shape, "(n,) like w")
    ax = _axes(ax)
    ax.plot(w, loss, color="tab:blue", label="loss")
    ax.set_xlabel("recurrent weight w")
    ax.set_ylabel("loss (mean squared error)", color="tab:blue")
    right = ax.twinx()
    right.semilogy(w, np.abs(grad), color="tab:red", linewidth=1, label="|dL/dw|")
    right.set_ylabel("|dL/dw| (log scale)", color="tab:red")
    ax.right_ax = right
    ax.set_title("A cliff: the loss jumps and the gradient spikes")
    return ax


def plot_clipping_paths(w, u, loss, paths, *, minimum=None, ax=None):
    """Gradient-descent paths drawn on a loss landscape over two weights (w, u).

    w: (n,), u: (m,) grid axes; loss: (m, n) the loss at (w[j], u[i]) in row i, column j,
    drawn as log10 contours. paths: dict label -> (steps + 1, 2) array of (w, u) points.
    A path that leaves the frame gets an arrow and a note saying where it ended.
    minimum: optional (w, u) marked with a star.
    """
    w, u, loss = as_float_array("w", w), as_float_array("u", u), as_float_array("loss", loss)
    check_shape("loss", loss, (len(u), len(w)), "(len(u), len(w))")
    ax = _axes(ax, (7.5, 5))
    filled = ax.contourf(w, u, np.log10(loss + 1e-6), levels=30, cmap="viridis")
    ax.figure.colorbar(filled, ax=ax, label="log10 loss")
    colors = ["tab:red", "darkorange", "cyan", "magenta", "white"]
    lo, hi = (w[0], u[0]), (w[-1], u[-1])
    for k, (label, path) in enumerate(paths.items()):
        path = as_float_array("path", path)
        check_shape("path", path, (None, 2), "(steps + 1, 2)")
        inside = np.all((path >= lo) & (path <= hi), axis=1)
        color = colors[k % len(colors)]
        first_out = np.argmin(inside) if not inside.all() else len(path)
        shown = path[: first_out]
        ax.plot(shown[:, 0], shown[:, 1], ".-", color=color, markersize=4, linewidth=1.2,
                label=label)
        ax.plot(*path[0], "o", color="black", markersize=6)
        if first_out < len(path):
            end = path[-1]
            start = shown[-1]
            direction = path[first_out] - start
            tip = start + direction * min(1.0, 0.9 * (hi[0] - lo[0]) / np.linalg.norm(direction))
            tip = np.clip(tip, (lo[0] + 0.05, lo[1] + 0.05), (hi[0] - 0.05, hi[1] - 0.05))
            ax.annotate("", tip, start, arrowprops=dict(arrowstyle="->", color=color, lw=1.5,
                                                        linestyle="--"))
            ax.annotate(f"thrown to ({end[0]:.0f}, {end[1]:.0f})", tip, color=color,
                        xytext=(4, 4), textcoords="offset points", fontsize=9,
                        bbox=dict(facecolor="white", alpha=0.7, edgecolor="none", pad=1))
    ax.plot([], [], "o", color="black", markersize=6, label="start")
    if minimum is not None:
        ax.plot(*minimum, "*", color="gold", markeredgecolor="black", markersize=14,
                label="minimum")
    ax.set_xlim(lo[0], hi[0])
    ax.set_ylim(lo[1], hi[1])
    ax.set_xlabel("recurrent weight w")
    ax.set_ylabel("input weight u")
    ax.set_title("Gradient descent across a cliff, with and without clipping")
    ax.legend(loc="lower right", fontsize=9, facecolor="0.8", framealpha=0.9)
    return ax


# --- Lectures 7 and 9: memory ---------------------------------------------------------------


def plot_accuracy_vs_lag(curves, *, lags=None, chance=None, ax=None):
    """Accuracy of recalling a symbol against how many steps before it was shown.

    curves: dict label -> accuracies, either (L,) for one run or (runs, L) for several runs
    (drawn as their mean with a band from the worst to the best run).
    lags: (L,) the lag of each column; default 1..L. chance: optional accuracy of guessing,
    drawn as a dotted line.
    """
    ax = _axes(ax)
    for label, acc in curves.items():
        acc = np.atleast_2d(as_float_array("accuracy", acc))
        L = acc.shape[1]
        x = np.arange(1, L + 1) if lags is None else np.asarray(lags)
        check_shape("lags", x, (L,), f"({L},) one lag per accuracy")
        (line,) = ax.plot(x, acc.mean(axis=0), "o-", markersize=3, label=label)
        if len(acc) > 1:
            ax.fill_between(x, acc.min(axis=0), acc.max(axis=0), color=line.get_color(),
                            alpha=0.2, linewidth=0)
    if chance is not None:
        ax.axhline(chance, color="0.4", linestyle=":", label=f"chance ({chance:.3g})")
    ax.set_ylim(0, 1.05)
    if lags is None:
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    else:
        ax.set_xticks(np.asarray(lags))
    ax.set_xlabel("lag (steps between the symbol and the question)")
    ax.set_ylabel("accuracy on held-out sequences")
    ax.set_title("How long does the memory last?")
    ax.legend()
    return ax


def memory_path_gradients(cell, params, x):
    """How much gradient survives along each cell's own memory path, for lags 0..T-1.

    Runs the named cell ("rnn", "lstm" or "gru") over one sequence x (T, D) from a zero state
    and returns (T,) float64, entry k the spectral norm of the Jacobian of the memory path
    from step T - k to step T (entry 0 is 1):
    - "rnn": the full ||dh_T/dh_{T-k}||, a product of diag(1 - h_t^2) Wh^T;
    - "lstm": the cell-state path dc_T/dc_{T-k} through the forget gates, diag(prod f_t),
      whose norm is the largest product over the units;
    - "gru": the copy path through the update gates, diag(prod z_t), likewise.
    The gated paths leave out the routes through the gates and the candidate: they show the
    highway, not every road.
    """
    params = {k: np.asarray(v, dtype=np.float64) for k, v in params.items()}
    x = as_float_array("x", x).astype(np.float64)
    check_shape("x", x, (None, params["Wx"].shape[0]), "(T, D)")
    H = params["Wh"].shape[0]
    T = x.shape[0]
    if cell == "rnn":
        return hidden_gradient_norms(params["Wh"], T, Wx=params["Wx"], x=x, b=params["b"])
    _, (name, cache) = cells.cell_forward(cell, x[None], np.zeros((1, H)), params)
    if name == "lstm":
        gate = cache[3][:, 0, H : 2 * H]  # forget gate f_t, (T, H)
    else:
        gate = np.array([saved[1][0] for saved in cache[2]])  # update gate z_t, (T, H)
    # Lag k multiplies the gates of the last k steps: f_T * f_{T-1} * ... * f_{T-k+1}.
    products = np.cumprod(gate[::-1], axis=0).max(axis=1)
    return np.concatenate([[1.0], products[: T - 1]])


# --- Lecture 8: training a language model ---------------------------------------------------


def _moving_average(values, window):
    window = max(1, min(int(window), len(values)))
    kernel = np.ones(window) / window
    return np.convolve(values, kernel, mode="valid"), window


def plot_loss_curve(losses, *, smooth=25, baseline=None, ax=None):
    """Training loss against step: each step faint, a moving average of `smooth` steps bold.

    losses: a sequence of per-step losses, or a dict label -> sequence for several runs.
    baseline: optional (value, label) drawn as a dashed line, e.g. the loss of guessing
    uniformly, log V.
    """
    ax = _axes(ax)
    runs = losses if isinstance(losses, dict) else {"training loss": losses}
    for label, values in runs.items():
        values = as_float_array("losses", np.asarray(values, dtype=np.float64))
        check_shape("losses", values, (None,), "(steps,)")
        steps = np.arange(1, len(values) + 1)
        (line,) = ax.plot(steps, values, alpha=0.25, linewidth=0.8)
        avg, window = _moving_average(values, smooth)
        ax.plot(steps[window - 1 :], avg, color=line.get_color(), linewidth=2,
                label=f"{label} ({window}-step average)")
    if baseline is not None:
        value, text = baseline
        ax.axhline(value, color="0.4", linestyle="--", label=text)
    ax.set_xlabel("training step")
    ax.set_ylabel("loss (nats per character)")
    ax.set_ylim(bottom=0)
    ax.set_title("Training loss")
    ax.legend()
    return ax


def plot_clipped_norms(grad_norms, clip, *, ax=None):
    """Global gradient norm before clipping at every step, with the clipping threshold.

    The steps above the line are the ones clipping shortened; their fraction is in the legend.
    """
    norms = as_float_array("grad_norms", np.asarray(grad_norms, dtype=np.float64))
    check_shape("grad_norms", norms, (None,), "(steps,)")
    if clip <= 0:
        raise ValueError(f"clip must be positive; got {clip}")
    ax = _axes(ax)
    steps = np.arange(1, len(norms) + 1)
    over = norms > clip
    ax.semilogy(steps, norms, color="tab:purple", linewidth=0.8, label="norm before clipping")
    ax.semilogy(steps[over], norms[over], "x", color="tab:red", markersize=4,
                label=f"clipped ({over.mean():.0%} of steps)")
    ax.axhline(clip, color="tab:red", linestyle="--", label=f"threshold = {clip:g}")
    ax.yaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ax.yaxis.set_minor_formatter(NullFormatter())
    ax.set_xlabel("training step")
    ax.set_ylabel("global gradient norm (log scale)")
    ax.set_title("Gradient norms and clipping")
    ax.legend()
    return ax


def _show_char(c):
    return {"\n": "↵", " ": "␣"}.get(c, c)


def plot_temperature(scores, chars, temperatures=(0.5, 1.0, 2.0), *, top=10, ax=None):
    """The next-character distribution softmax(scores / T) for a few temperatures T.

    scores: (V,) unnormalised log-probabilities of the next character; chars: the V
    characters (newline is shown as ↵, space as ␣). Bars for the `top` likeliest characters
    at T = 1, one group per character, one colour per temperature.
    """
    scores = as_float_array("scores", np.asarray(scores, dtype=np.float64))
    check_shape("scores", scores, (len(chars),), "(V,) one score per character")
    temps = np.atleast_1d(np.asarray(temperatures, dtype=np.float64))
    if np.any(temps <= 0):
        raise ValueError(f"temperatures must be positive; got {temperatures}")
    order = np.argsort(scores)[::-1][:top]
    ax = _axes(ax, (8, 3.8))
    width = 0.8 / len(temps)
    for k, T in enumerate(temps):
        z = scores / T
        p = np.exp(z - z.max())
        p /= p.sum()
        ax.bar(np.arange(len(order)) + (k - (len(temps) - 1) / 2) * width, p[order], width,
               label=f"T = {T:g}")
    ax.set_xticks(np.arange(len(order)), [_show_char(chars[i]) for i in order], fontsize=12)
    ax.set_xlabel("next character (the likeliest first)")
    ax.set_ylabel("probability")
    ax.set_ylim(0, 1)
    ax.set_title("Temperature reshapes the next-character distribution")
    ax.legend()
    return ax


# --- Lecture 9: gated cells -----------------------------------------------------------------

_GATE_COLORS = {"sigma": "#f4cccc", "tanh": "#fff2cc", "op": "white", "state": "#d9ead3",
                "input": "#cfe2f3"}



def _gate(ax, x, y, text, kind, w=0.9, h=0.55):
    ax.add_patch(FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle="round,pad=0.04",
                                facecolor=_GATE_COLORS[kind], edgecolor="black", linewidth=1))
    ax.text(x, y, text, ha="center", va="center", fontsize=11)


def _op(ax, x, y, symbol, r=0.22):
    ax.add_patch(Circle((x, y), r, facecolor="white", edgecolor="black", linewidth=1, zorder=3))
    ax.text(x, y, symbol, ha="center", va="center", fontsize=12, zorder=4)


def _line(ax, points, *, arrow=True, color="black", lw=1.3, shrink=(0, 0)):
    """A polyline through `points`, with an arrow head on its last segment."""
    for k, (a, b) in enumerate(zip(points[:-1], points[1:])):
        last = k == len(points) - 2
        ax.add_patch(FancyArrowPatch(a, b, arrowstyle="-|>" if (arrow and last) else "-",
                                     mutation_scale=12, color=color, linewidth=lw,
                                     shrinkA=shrink[0] if k == 0 else 0,
                                     shrinkB=shrink[1] if last else 0, zorder=2))


def _label(ax, x, y, text, **kw):
    kw.setdefault("fontsize", 11)
    ax.text(x, y, text, ha="center", va="center", **kw)


def draw_lstm_cell(ax=None):
    """The LSTM cell: the cell state runs along the top, touched only by a product with the
    forget gate f and a sum with i * g; the hidden state h_t = o * tanh(c_t) leaves on the
    right. Gates in rnnlib's order [i, f, o, g]: all four read [h_{t-1}, x_t]."""
    ax = diagram_axes(ax, (9.5, 4.6))
    top, mid, low = 3.2, 1.9, 0.6
    ax.add_patch(FancyBboxPatch((0.4, 0.0), 7.6, 3.75, boxstyle="round,pad=0.1",
                                facecolor="#f7f7f7", edgecolor="0.5", linewidth=1))
    # the cell-state highway
    _line(ax, [(-0.6, top), (1.6, top)], shrink=(0, 6), color="tab:green", lw=2.2)
    _op(ax, 1.6, top, "×")
    _line(ax, [(1.6, top), (3.5, top)], shrink=(6, 6), color="tab:green", lw=2.2)
    _op(ax, 3.5, top, "+")
    _line(ax, [(3.5, top), (9.0, top)], shrink=(6, 0), color="tab:green", lw=2.2)
    _label(ax, -0.6, top + 0.35, "c$_{t-1}$")
    _label(ax, 8.8, top + 0.35, "c$_t$")
    # inputs: h_{t-1} and x_t join one bus along the bottom
    _line(ax, [(-0.6, low), (5.5, low)], arrow=False)
    _line(ax, [(1.0, -0.6), (1.0, low)], arrow=False)
    _label(ax, -0.6, low + 0.3, "h$_{t-1}$")
    _label(ax, 1.0, -0.85, "x$_t$")
    # the four gates, each reading the bus; the letter names the wire leaving the gate
    gates = [(1.6, "σ", "f", "sigma"), (2.8, "σ", "i", "sigma"), (4.2, "tanh", "g", "tanh"),
             (5.5, "σ", "o", "sigma")]
    for x, text, name, kind in gates:
        _line(ax, [(x, low), (x, mid - 0.3)])
        _gate(ax, x, mid, text, kind, w=0.7 if kind == "sigma" else 0.85)
        _label(ax, x + 0.2, mid + 0.5, name, fontsize=12, color="tab:blue", style="italic")
    _line(ax, [(1.6, mid + 0.3), (1.6, top - 0.22)])  # f meets the highway
    _op(ax, 3.5, 2.55, "×")  # i * g
    _line(ax, [(2.8, mid + 0.3), (2.8, 2.55), (3.28, 2.55)])
    _line(ax, [(4.2, mid + 0.3), (4.2, 2.55), (3.72, 2.55)])
    _line(ax, [(3.5, 2.77), (3.5, top - 0.22)])
    # output: h_t = o * tanh(c_t)
    _gate(ax, 6.6, 2.55, "tanh", "tanh", w=0.8, h=0.45)
    _line(ax, [(6.6, top), (6.6, 2.8)])
    _op(ax, 6.6, mid, "×")
    _line(ax, [(6.6, 2.32), (6.6, mid + 0.22)])
    _line(ax, [(5.5 + 0.35, mid), (6.6 - 0.22, mid)])
    _line(ax, [(6.6 + 0.22, mid), (7.5, mid), (7.5, low), (9.0, low)], color="tab:blue")
    _label(ax, 8.8, low + 0.3, "h$_t$")
    _label(ax, 4.2, 4.15, "c$_t$ = f ⊙ c$_{t-1}$ + i ⊙ g          h$_t$ = o ⊙ tanh(c$_t$)",
           fontsize=11)
    ax.set_xlim(-1.1, 9.4)
    ax.set_ylim(-1.1, 4.5)
    ax.set_title("The LSTM cell: a protected highway for the cell state")
    return ax


def draw_gru_cell(ax=None):
    """The GRU cell in PyTorch's form: the state runs along the top and is mixed with the
    candidate n by the update gate z, h_t = (1 - z) * n + z * h_{t-1}; the reset gate r
    decides how much of h_{t-1} the candidate sees. Gates in rnnlib's order [r, z, n]."""
    ax = diagram_axes(ax, (9.5, 4.6))
    top, mid, low = 3.7, 1.9, 0.6
    green = dict(color="tab:green", lw=2.2)
    ax.add_patch(FancyBboxPatch((0.4, 0.0), 7.6, 4.2, boxstyle="round,pad=0.1",
                                facecolor="#f7f7f7", edgecolor="0.5", linewidth=1))
    # the state's own path: scaled by z, then the new part added
    _line(ax, [(-0.6, top), (1.6, top)], shrink=(0, 6), **green)
    _op(ax, 1.6, top, "×")
    _line(ax, [(1.6, top), (5.4, top)], shrink=(6, 6), **green)
    _op(ax, 5.4, top, "+")
    _line(ax, [(5.4, top), (9.0, top)], shrink=(6, 0), **green)
    _label(ax, -0.6, top + 0.35, "h$_{t-1}$")
    _label(ax, 8.8, top + 0.35, "h$_t$")
    # h_{t-1} also drops to the bus that feeds the gates, together with x_t
    _line(ax, [(0.7, top), (0.7, low), (5.4, low)], arrow=False)
    _line(ax, [(1.15, -0.6), (1.15, low)], arrow=False)
    _label(ax, 1.15, -0.85, "x$_t$")
    gates = [(1.6, "σ", "z", "sigma"), (2.8, "σ", "r", "sigma"), (5.4, "tanh", "n", "tanh")]
    for x, text, name, kind in gates:
        _line(ax, [(x, low), (x, mid - 0.3)])
        _gate(ax, x, mid, text, kind, w=0.7 if kind == "sigma" else 0.85)
        _label(ax, x - 0.2, mid + 0.45, name, fontsize=12, color="tab:blue", style="italic")
    # z keeps the old state; 1 - z lets the candidate in
    _line(ax, [(1.6, mid + 0.3), (1.6, top - 0.22)])
    _op(ax, 3.9, 3.05, "1−", r=0.25)
    _line(ax, [(1.6, 3.05), (3.65, 3.05)])
    _op(ax, 5.4, 3.05, "×")
    _line(ax, [(4.15, 3.05), (5.18, 3.05)])
    _line(ax, [(5.4, mid + 0.3), (5.4, 2.83)])
    _line(ax, [(5.4, 3.27), (5.4, top - 0.22)])
    # the reset gate scales the part of the candidate that reads h_{t-1}
    _line(ax, [(2.8, mid + 0.3), (2.8, 2.45), (4.6, 2.45), (4.6, mid), (4.97, mid)])
    _label(ax, 3.75, 2.68, "r ⊙ (h$_{t-1}$W$_{hn}$ + b$_{hn}$)", fontsize=9)
    _label(ax, 4.2, 4.65, "h$_t$ = (1 − z) ⊙ n + z ⊙ h$_{t-1}$", fontsize=11)
    ax.set_xlim(-1.1, 9.4)
    ax.set_ylim(-1.1, 4.95)
    ax.set_title("The GRU cell: the update gate z mixes the old state with a candidate")
    return ax


def plot_forecasts(t, actual, forecasts, *, ax=None, units="standardised units"):
    """One-step-ahead forecasts against the actual values over a stretch of a series.

    t: (n,) time axis; actual: (n,); forecasts: dict label -> (n,) predictions.
    """
    t, actual = as_float_array("t", np.asarray(t, np.float64)), as_float_array("actual", actual)
    check_shape("actual", actual, t.shape, "(n,) like t")
    ax = _axes(ax, (9, 3.8))
    ax.plot(t, actual, color="black", linewidth=2.2, alpha=0.35, label="actual")
    styles = ["--", "-", "-", "-", "-."]
    for k, (label, pred) in enumerate(forecasts.items()):
        pred = as_float_array("forecast", np.asarray(pred, np.float64))
        check_shape(f"forecasts[{label!r}]", pred, t.shape, "(n,) like t")
        ax.plot(t, pred, styles[k % len(styles)], linewidth=1.2, label=label)
    ax.set_xlabel("time step (sample)")
    ax.set_ylabel(f"value ({units})")
    ax.set_title("One-step-ahead forecasts on the test stretch")
    ax.legend(ncol=min(5, len(forecasts) + 1), fontsize=9, loc="upper left")
    return ax


_COURSE = [
    ("Sequences", ["1 Sequences", "2 The simplest RNN", "3 RNN and EWMA"], "#cfe2f3"),
    ("Vector cells and training", ["4 The vector cell", "5 Deep RNNs",
                                   "6 Training through time"], "#d9ead3"),
    ("Memory", ["7 Vanishing and exploding\ngradients", "8 A character-level\nlanguage model",
                "9 LSTM and GRU"], "#fce5cd"),
]
_EXERCISES = [("Exercise 1:\nbuild a recurrent unit", 0.5),
              ("Exercise 2:\ntrain through time", 1.5)]
_NEXT = ["Frameworks:\ntorch.nn.LSTM and GRU", "Sequence-to-sequence,\nencoder and decoder",
         "Attention", "Transformers and\nstate-space models"]


def draw_course_map(ax=None):
    """The nine lectures in three parts, the two exercises, and where to go next."""
    ax = diagram_axes(ax, (12, 5.2))
    col_w, gap = 3.0, 0.5
    for c, (part, lectures, color) in enumerate(_COURSE):
        x = c * (col_w + gap)
        _label(ax, x + col_w / 2, 4.55, part, fontsize=12, fontweight="bold")
        for r, text in enumerate(lectures):
            y = 3.7 - r * 1.05
            ax.add_patch(FancyBboxPatch((x, y - 0.38), col_w, 0.76, boxstyle="round,pad=0.05",
                                        facecolor=color, edgecolor="black", linewidth=1))
            _label(ax, x + col_w / 2, y, text, fontsize=10)
            if r < len(lectures) - 1:
                _line(ax, [(x + col_w / 2, y - 0.43), (x + col_w / 2, y - 0.62)])
        if c < len(_COURSE) - 1:
            _line(ax, [(x + col_w + 0.05, 1.6), (x + col_w + gap - 0.05, 3.7)], color="0.4")
    for text, c in _EXERCISES:
        x = c * (col_w + gap) + col_w / 2 + gap / 2 - 1.2
        ax.add_patch(FancyBboxPatch((x, -0.05), 2.4, 0.75, boxstyle="round,pad=0.05",
                                    facecolor="#ead1dc", edgecolor="black", linewidth=1))
        _label(ax, x + 1.2, 0.32, text, fontsize=9.5)
    x0 = 3 * (col_w + gap) + 0.2
    _label(ax, x0 + 1.4, 4.55, "Where to go next", fontsize=12, fontweight="bold")
    for r, text in enumerate(_NEXT):
        y = 3.85 - r * 0.95
        ax.add_patch(FancyBboxPatch((x0, y - 0.35), 2.8, 0.7, boxstyle="round,pad=0.05",
                                    facecolor="white", edgecolor="0.3", linewidth=1,
                                    linestyle="--"))
        _label(ax, x0 + 1.4, y, text, fontsize=9.5)
    _line(ax, [(x0 - gap + 0.1, 1.6), (x0 - 0.05, 2.5)], color="0.4")
    ax.set_xlim(-0.2, x0 + 3.0)
    ax.set_ylim(-0.3, 4.9)
    ax.set_title("The course at a glance")
    return ax
