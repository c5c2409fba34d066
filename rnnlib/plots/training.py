"""Figures for the vector cell, deep RNNs and training through time (lectures 4-6).

The vector cell (lecture 4): `plot_hidden_states`, `plot_step_scores`.
Deep RNNs (lecture 5): `plot_layer_states`, `plot_univariate_stack` (the widget's figure).
Training through time (lecture 6): `plot_truncation_error`, `plot_fit`, `plot_loss_history`,
`plot_loss_landscape`, `plot_gradient_map`, `plot_descent_history`, `plot_descent` (the
widget's figure).

Every plot function draws on `ax` (a new figure when None) and returns that Axes.
"""
import matplotlib.pyplot as plt
import numpy as np

from .._validate import as_float_array, check_shape
from ..fit_univariate import gradient_descent
from ..univariate import univariate_stack

__all__ = [
    "plot_hidden_states",
    "plot_step_scores",
    "plot_layer_states",
    "plot_univariate_stack",
    "plot_truncation_error",
    "plot_fit",
    "plot_loss_history",
    "plot_loss_landscape",
    "plot_gradient_map",
    "plot_descent_history",
    "plot_descent",
]

PATH_COLORS = ["tab:red", "white", "tab:orange", "cyan", "magenta"]


def _axes(ax, size=(7, 4)):
    if ax is None:
        _, ax = plt.subplots(figsize=size, layout="constrained")
    return ax


def _matrix(name, a, labels):
    a = as_float_array(name, a)
    check_shape(name, a, (None, None), labels)
    return a


# --- Lecture 4: the vector cell --------------------------------------------------------------


def plot_hidden_states(h, *, labels=None, title=None, annotate=None, ax=None):
    """The hidden state of a vector RNN over time as a heat map: one row per unit.

    h: (T, H) the states of one sequence (e.g. rnn_forward's h[0]); labels: optional T tick
    labels for the time axis (e.g. the input characters); annotate: write each value in its
    cell (default: when there are at most 64 cells). Colours span [-1, 1], tanh's range.
    """
    h = _matrix("h", h, "(T, H)")
    T, H = h.shape
    ax = _axes(ax, (min(max(5.5, 1.5 + 0.7 * T), 12), 1.6 + 0.45 * min(H, 24)))
    image = ax.imshow(h.T, cmap="RdBu_r", vmin=-1, vmax=1, aspect="auto",
                      extent=(0.5, T + 0.5, H - 0.5, -0.5), interpolation="nearest")
    ax.figure.colorbar(image, ax=ax, label="state value")
    if annotate is None:
        annotate = T * H <= 64
    if annotate:
        for t in range(T):
            for k in range(H):
                ax.text(t + 1, k, f"{h[t, k]:.2f}", ha="center", va="center", fontsize=9,
                        color="white" if abs(h[t, k]) > 0.6 else "black")
    ax.set_xlabel("time step t" + (" (input)" if labels is not None else ""))
    ax.set_ylabel("hidden unit")
    if T <= 30:
        ax.set_xticks(np.arange(1, T + 1))
    if labels is not None:
        ax.set_xticks(np.arange(1, T + 1), [f"{t}\n{lab!r}" for t, lab in
                                            zip(range(1, T + 1), labels)])
    ax.set_yticks(np.arange(H) if H <= 16 else np.linspace(0, H - 1, 5).astype(int))
    ax.set_title(title or f"Hidden state h_t: {H} units over {T} steps")
    return ax


def plot_step_scores(scores, vocab, *, inputs=None, targets=None, ax=None):
    """The output scores y_t of a character model at every step, written in a heat map.

    scores: (T, V) one row of scores per step; vocab: the V characters; inputs, targets:
    optional strings of length T. The target's cell is framed in black, and the title says at
    how many steps the target has the highest score.
    """
    scores = _matrix("scores", scores, "(T, V)")
    T, V = scores.shape
    if len(vocab) != V:
        raise ValueError(f"vocab must have V = {V} characters to match scores (T, V) = "
                         f"{scores.shape}; got {len(vocab)}")
    for name, s in (("inputs", inputs), ("targets", targets)):
        if s is not None and len(s) != T:
            raise ValueError(f"{name} must have T = {T} characters; got {len(s)}")
    ax = _axes(ax, (1.6 + 1.1 * T, 1.2 + 0.55 * V))
    limit = max(float(np.abs(scores).max()), 1e-12)
    image = ax.imshow(scores.T, cmap="PuOr_r", vmin=-limit, vmax=limit, aspect="auto",
                      interpolation="nearest")
    ax.figure.colorbar(image, ax=ax, label="score (unnormalised log-probability)")
    for t in range(T):
        for v in range(V):
            ax.text(t, v, f"{scores[t, v]:.2f}", ha="center", va="center", fontsize=9)
    xlabels = [f"t = {t + 1}" + (f"\nin {inputs[t]!r}" if inputs is not None else "")
               + (f"\nnext {targets[t]!r}" if targets is not None else "") for t in range(T)]
    ax.set_xticks(np.arange(T), xlabels)
    ax.set_yticks(np.arange(V), [repr(c) for c in vocab])
    ax.set_xlabel("time step")
    ax.set_ylabel("score for character")
    title = "Output scores y_t at each step"
    if targets is not None:
        index = {c: k for k, c in enumerate(vocab)}
        hits = 0
        for t, c in enumerate(targets):
            v = index[c]
            hits += int(np.argmax(scores[t]) == v)
            ax.add_patch(plt.Rectangle((t - 0.5, v - 0.5), 1, 1, fill=False, edgecolor="black",
                                       linewidth=2.5))
        title += f" (framed: the target; best at {hits} of {T} steps)"
    ax.set_title(title)
    return ax


# --- Lecture 5: deep RNNs --------------------------------------------------------------------


def plot_layer_states(hs, *, ax=None, title=None):
    """The hidden states of every layer of a stack, one band of rows per layer, the top layer
    at the top (as in the stacked diagram).

    hs: a list of (T, H_k) arrays, bottom layer first (e.g. [h[0] for h in deep_rnn_forward's
    hs]); all share T. Colours span [-1, 1].
    """
    hs = [_matrix(f"hs[{k}]", h, "(T, H_k)") for k, h in enumerate(hs)]
    if not hs:
        raise ValueError("hs must hold at least one layer; got an empty list")
    T = hs[0].shape[0]
    for k, h in enumerate(hs):
        check_shape(f"hs[{k}]", h, (T, None), f"(T, H_k) with T = {T}")
    rows = np.concatenate([h.T for h in reversed(hs)], axis=0)
    ax = _axes(ax, (9, 1.5 + 0.18 * rows.shape[0]))
    image = ax.imshow(rows, cmap="RdBu_r", vmin=-1, vmax=1, aspect="auto",
                      interpolation="nearest", extent=(0.5, T + 0.5, rows.shape[0], 0))
    ax.figure.colorbar(image, ax=ax, label="state value")
    top, centres, names = 0, [], []
    for k in reversed(range(len(hs))):
        H = hs[k].shape[1]
        centres.append(top + H / 2)
        names.append(f"layer {k + 1}\n({H} units)")
        top += H
        if top < rows.shape[0]:
            ax.axhline(top, color="black", linewidth=2)
    ax.set_yticks(centres, names)
    ax.set_xlabel("time step t")
    ax.set_title(title or f"Hidden states of a {len(hs)}-layer RNN, layer by layer")
    return ax


def plot_univariate_stack(x, ws, us, *, linear=False, show_input=True, title=None,
                          xlabel="time step t", ylabel="value", ax=None):
    """A stack of univariate cells on a series: the input and the state of every layer.

    x: (T,); ws, us: one weight of each kind per layer (the depth is their length); linear:
    drop the tanh; show_input: draw x too. Layer k's curve is drawn darker the deeper it is.
    """
    x = as_float_array("x", x)
    check_shape("x", x, (None,), "(T,)")
    hs = univariate_stack(x, ws, us, linear=linear)
    ax = _axes(ax, (9, 4))
    t = np.arange(1, len(x) + 1)
    if show_input:
        ax.plot(t, x, color="0.6", linewidth=1, label="input x_t")
    colors = plt.get_cmap("viridis_r")(np.linspace(0.25, 1.0, max(len(hs), 1)))
    for k, (h, w, u) in enumerate(zip(hs, ws, us)):
        ax.plot(t, h, color=colors[k], linewidth=1.8,
                label=f"layer {k + 1} (w = {w:g}, u = {u:g})")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    cell = "linear" if linear else "tanh"
    ax.set_title(title or f"A stack of {len(hs)} univariate {cell} cells: each layer smooths "
                          "the one below")
    ax.legend(fontsize=8, loc="best")
    return ax


# --- Lecture 6: training through time --------------------------------------------------------


def plot_truncation_error(chunk_lengths, errors, *, ax=None):
    """How far the gradient of truncated BPTT is from the full one, against the chunk length.

    chunk_lengths: (n,) ints; errors: dict label -> (n,) relative errors (one curve per
    weight or per model), drawn on a log scale.
    """
    ax = _axes(ax)
    k = np.asarray(chunk_lengths)
    for label, err in errors.items():
        err = as_float_array("errors", np.asarray(err, dtype=np.float64))
        check_shape("errors", err, k.shape, "(n,) like chunk_lengths")
        ax.semilogy(k, err, "o-", label=label)
    ax.set_xlabel("chunk length (steps the gradient may travel back)")
    ax.set_ylabel("relative error of the gradient")
    ax.set_title("Truncated BPTT: longer chunks, closer to the full gradient")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend()
    return ax


def plot_fit(x, y, outputs, *, ax=None):
    """A fit on a series: the input, the target and one or more model outputs.

    x, y: (T,) input and target; outputs: dict label -> (T,) output.
    """
    x, y = as_float_array("x", x), as_float_array("y", y)
    check_shape("x", x, (None,), "(T,)")
    check_shape("y", y, x.shape, "(T,) like x")
    ax = _axes(ax, (9, 3.8))
    t = np.arange(1, len(x) + 1)
    ax.plot(t, x, ".", color="0.6", markersize=4, label="input x_t (noisy)")
    ax.plot(t, y, color="black", linewidth=2, label="target y_t")
    for label, h in outputs.items():
        h = as_float_array("outputs", h)
        check_shape("outputs", h, x.shape, "(T,) like x")
        ax.plot(t, h, linewidth=1.8, label=label)
    ax.set_xlabel("time step t")
    ax.set_ylabel("value")
    ax.set_title("The cell's output h_t against the target")
    ax.legend(fontsize=8, loc="upper right", ncols=2)
    return ax


def plot_loss_history(losses, *, log=True, ylabel="loss (mean squared error)", ax=None):
    """Loss against the step of gradient descent.

    losses: (steps,) values, or dict label -> values for several runs; log: log y-axis.
    """
    ax = _axes(ax)
    runs = losses if isinstance(losses, dict) else {"loss": losses}
    for label, values in runs.items():
        values = as_float_array("losses", np.asarray(values, dtype=np.float64))
        check_shape("losses", values, (None,), "(steps,)")
        ax.plot(np.arange(len(values)), values, linewidth=1.8, label=label)
    if log:
        ax.set_yscale("log")
    ax.set_xlabel("step of gradient descent")
    ax.set_ylabel(ylabel)
    ax.set_title("Training loss")
    ax.grid(True, which="major", alpha=0.3)
    if len(runs) > 1:
        ax.legend()
    return ax


def _grid(ws, us, values, name):
    ws, us = as_float_array("ws", ws), as_float_array("us", us)
    check_shape("ws", ws, (None,), "(A,)")
    check_shape("us", us, (None,), "(B,)")
    values = as_float_array(name, values)
    check_shape(name, values, (len(us), len(ws)), "(len(us), len(ws))")
    return ws, us, values


def _draw_paths(ax, ws, us, paths):
    """Paths of (w, u) points; one that leaves the frame is drawn up to the edge, with an arrow
    and a note of where it ended."""
    lo, hi = np.array([ws[0], us[0]]), np.array([ws[-1], us[-1]])
    for k, (label, path) in enumerate((paths or {}).items()):
        path = path["path"] if isinstance(path, dict) else path
        path = as_float_array("path", path)
        check_shape("path", path, (None, 2), "(steps + 1, 2)")
        color = PATH_COLORS[k % len(PATH_COLORS)]
        inside = np.all((path >= lo) & (path <= hi), axis=1)
        stop = len(path) if inside.all() else int(np.argmin(inside))
        shown = path[:stop]
        ax.plot(shown[:, 0], shown[:, 1], ".-", color=color, markersize=3, linewidth=1.3,
                label=label)
        ax.plot(*path[0], "o", color=color, markeredgecolor="black", markersize=8)
        if stop == len(path):
            ax.plot(*path[-1], "X", color=color, markeredgecolor="black", markersize=9)
            continue
        # Leaving the frame: an arrow from the last point inside towards the first one outside,
        # cut at the frame, and where the path ended.
        start, out = shown[-1] if len(shown) else path[0], path[stop]
        direction = out - start
        with np.errstate(divide="ignore", invalid="ignore"):
            room = np.where(direction > 0, (hi - start) / direction,
                            np.where(direction < 0, (lo - start) / direction, np.inf))
        tip = start + direction * min(1.0, 0.97 * float(np.min(room)))
        ax.annotate("", xy=tip, xytext=start,
                    arrowprops=dict(arrowstyle="-|>", color=color, linewidth=1.8))
        end = path[-1]
        ax.annotate(f"leaves the map after {stop} steps;\nends at (w, u) = "
                    f"({end[0]:.1f}, {end[1]:.1f})", xy=tip, xytext=(0.98, 0.04),
                    textcoords="axes fraction", ha="right", va="bottom", fontsize=8,
                    color="black", bbox=dict(boxstyle="round", facecolor="white", alpha=0.85))
    if paths:
        ax.legend(loc="upper right", fontsize=8, framealpha=0.85)


def _weight_axes(ax, ws, us):
    """Frame a map over the (w, u) grid: limits at the grid's edges, labelled weight axes."""
    ax.set_xlim(ws[0], ws[-1])
    ax.set_ylim(us[0], us[-1])
    ax.set_xlabel("recurrent weight w")
    ax.set_ylabel("input weight u")


def plot_loss_landscape(ws, us, loss, *, paths=None, minimum=None, ax=None):
    """The loss over the two weights (w, u) of the univariate cell, with descent paths.

    ws: (A,), us: (B,) the grid axes; loss: (B, A), row i for u = us[i] (as
    `rnnlib.fit_univariate.loss_landscape` returns it), drawn as log10 contours.
    paths: dict label -> (steps + 1, 2) points (w, u), or the dict `gradient_descent` returns;
    each starts at a circle and ends at a cross, or leaves the map with an arrow.
    minimum: optional (w, u) marked with a star.
    """
    ws, us, loss = _grid(ws, us, loss, "loss")
    ax = _axes(ax, (7.5, 5.5))
    filled = ax.contourf(ws, us, np.log10(loss), levels=24, cmap="viridis")
    ax.contour(ws, us, np.log10(loss), levels=filled.levels[::3], colors="white",
               linewidths=0.4, alpha=0.5)
    ax.figure.colorbar(filled, ax=ax, label="log10 loss (mean squared error)")
    if minimum is not None:
        ax.plot(*minimum, "*", color="gold", markeredgecolor="black", markersize=15,
                label="lowest point of the grid")
    _draw_paths(ax, ws, us, paths)
    if minimum is not None and not paths:
        ax.legend(loc="upper right", fontsize=8)
    _weight_axes(ax, ws, us)
    ax.set_title("Loss landscape over (w, u)")
    return ax


def plot_gradient_map(ws, us, grad_norm, *, paths=None, vmin=-2.0, vmax=2.0, ax=None):
    """Where the landscape is steep: the norm of the gradient (dL/dw, dL/du) over the grid.

    ws: (A,), us: (B,); grad_norm: (B, A), e.g. np.hypot(dw, du) from `loss_landscape`;
    drawn as log10, the colours clipped to [vmin, vmax] so that the thin bright bands (the
    cliffs) and the dark plateaus both show. paths: as in `plot_loss_landscape`.
    """
    ws, us, grad_norm = _grid(ws, us, grad_norm, "grad_norm")
    ax = _axes(ax, (7.5, 5.5))
    with np.errstate(divide="ignore"):
        shown = np.log10(grad_norm)
    image = ax.pcolormesh(ws, us, shown, cmap="magma", vmin=vmin, vmax=vmax, shading="nearest")
    ax.figure.colorbar(image, ax=ax, label="log10 gradient norm", extend="both")
    _draw_paths(ax, ws, us, paths)
    _weight_axes(ax, ws, us)
    ax.set_title("Steepness of the landscape: cliffs are the bright bands")
    return ax


def plot_descent_history(run, *, ax=None):
    """Loss (left axis) and gradient norm (right axis, log scale) at every point of a run of
    gradient descent, against the number of steps taken to reach it: a plateau shows as a flat
    loss with a tiny gradient, a cliff as a spike.

    run: the dict `rnnlib.fit_univariate.gradient_descent` returns ("loss" (steps + 1,),
    "grad_norm" (steps,)). Returns the Axes of the loss; the gradient's twin Axes is
    `ax.right_ax`.
    """
    loss = as_float_array("loss", np.asarray(run["loss"], dtype=np.float64))
    norm = as_float_array("grad_norm", np.asarray(run["grad_norm"], dtype=np.float64))
    check_shape("loss", loss, (len(norm) + 1,), "(steps + 1,) for grad_norm (steps,)")
    ax = _axes(ax, (8, 4))
    ax.plot(np.arange(len(loss)), loss, color="tab:blue", linewidth=2)
    ax.set_xlabel("steps taken")
    ax.set_ylabel("loss (mean squared error)", color="tab:blue")
    right = ax.twinx()
    right.semilogy(np.arange(len(norm)), norm, ".-", color="tab:red", linewidth=1,
                   markersize=4)
    right.set_ylabel("gradient norm (log scale)", color="tab:red")
    ax.right_ax = right
    k = int(np.argmax(norm)) if len(norm) else 0
    ax.set_title(f"Loss and gradient norm along the run (largest gradient after {k} steps)")
    return ax


def plot_descent(landscape, *, w0=-0.5, u0=-1.0, lr=0.5, steps=100, ax=None):
    """Run gradient descent from (w0, u0) on a landscape's task and draw its path on it.

    landscape: a dict as `rnnlib.fit_univariate.cliff_landscape` returns it (x, y, ws, us,
    loss). The title gives the loss at the start and at the end.
    """
    run = gradient_descent(landscape["x"], landscape["y"], w0, u0, lr=lr, steps=steps)
    ax = plot_loss_landscape(landscape["ws"], landscape["us"], landscape["loss"],
                             paths={f"lr = {lr:g}, {steps} steps": run}, ax=ax)
    ax.set_title(f"Gradient descent from (w, u) = ({w0:g}, {u0:g}): loss "
                 f"{run['loss'][0]:.3f} -> {run['loss'][-1]:.3f}")
    return ax
