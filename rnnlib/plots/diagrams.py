"""Diagrams drawn with matplotlib: boxes for states, arrows for weights. Each function draws
on an Axes (a new figure when none is given) and returns that Axes."""
import matplotlib.pyplot as plt
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

COLORS = {"x": "#cfe2f3", "h": "#d9ead3", "y": "#fce5cd"}


def diagram_axes(ax, size):
    """An Axes for a diagram: no axis lines or ticks, equal scales (a new figure of `size`
    inches when ax is None)."""
    if ax is None:
        _, ax = plt.subplots(figsize=size)
    ax.set_axis_off()
    ax.set_aspect("equal")
    return ax


def _box(ax, x, y, text, kind, w=0.8, h=0.5):
    ax.add_patch(FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle="round,pad=0.05",
                                facecolor=COLORS[kind], edgecolor="black", linewidth=1))
    ax.text(x, y, text, ha="center", va="center", fontsize=11)


def _arrow(ax, start, end, label=None, color="black", offset=(0.15, 0.0)):
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=12, color=color,
                                 linewidth=1.2, shrinkA=14, shrinkB=14))
    if label:
        mx, my = (start[0] + end[0]) / 2 + offset[0], (start[1] + end[1]) / 2 + offset[1]
        ax.text(mx, my, label, color=color, fontsize=10, ha="left", va="center")


def draw_unrolled(T=4, *, outputs=True, weights=("u", "w", None), ax=None):
    """An RNN unrolled over T steps: inputs x_t at the bottom, states h_t in the middle, outputs
    y_t on top (optional), and the same weight names on every arrow of the same kind.

    weights: labels for the input arrows, the recurrent arrows and the output arrows
    (None leaves an arrow kind unlabelled), e.g. ("W_xh", "W_hh", "W_hy").
    """
    ax = diagram_axes(ax, (1.8 * T + 1.5, 3.2 if outputs else 2.3))
    w_in, w_rec, w_out = weights
    _box(ax, 0, 1, "h₀", "h")
    for t in range(1, T + 1):
        x = 1.6 * t
        _box(ax, x, 0, f"x{_sub(t)}", "x")
        _box(ax, x, 1, f"h{_sub(t)}", "h")
        _arrow(ax, (x, 0), (x, 1), w_in, color="tab:blue")
        _arrow(ax, (x - 1.6, 1), (x, 1), w_rec, color="tab:green", offset=(-0.2, 0.2))
        if outputs:
            _box(ax, x, 2, f"y{_sub(t)}", "y")
            _arrow(ax, (x, 1), (x, 2), w_out, color="tab:orange")
    ax.set_xlim(-0.7, 1.6 * T + 0.7)
    ax.set_ylim(-0.5, 2.5 if outputs else 1.5)
    return ax


def draw_stacked(T=3, L=2, *, ax=None):
    """A deep RNN: L layers unrolled over T steps; layer k reads the states of layer k - 1."""
    ax = diagram_axes(ax, (1.8 * T + 1.5, 1.1 * L + 1.5))
    for t in range(1, T + 1):
        x = 1.6 * t
        _box(ax, x, 0, f"x{_sub(t)}", "x")
        for k in range(1, L + 1):
            _box(ax, x, k, f"h{_sub(t)}⁽{_sup(k)}⁾", "h")
            _arrow(ax, (x, k - 1), (x, k), color="tab:blue")
            if t > 1:
                _arrow(ax, (x - 1.6, k), (x, k), color="tab:green")
    ax.set_xlim(0.7, 1.6 * T + 0.7)
    ax.set_ylim(-0.5, L + 0.5)
    return ax


def _sub(n):
    return str(n).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))


def _sup(n):
    return str(n).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))
