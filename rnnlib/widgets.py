"""Interactive controls for the lectures. Each widget only wires sliders to a plain plotting
function of rnnlib.plots, which the notebooks also call once with defaults, so that the saved
notebook shows the figure even where no kernel runs."""
import ipywidgets as widgets  # noqa: F401
import matplotlib.pyplot as plt  # noqa: F401


# --- Lectures 7-9: gradients through time, temperature ---------------------------------------


def gradient_lag_explorer(*, spectral_norm=1.0, T=50):
    """Sliders for the largest singular value s of the recurrent matrix and the sequence
    length T, redrawing rnnlib.plots.plot_gradient_vs_lag: the gradient norm against lag
    next to its bound s**lag."""
    from .plots.memory import plot_gradient_vs_lag

    def show(spectral_norm, T):
        plot_gradient_vs_lag(spectral_norm, T)
        plt.show()

    return widgets.interactive(
        show,
        spectral_norm=widgets.FloatSlider(value=spectral_norm, min=0.5, max=2.5, step=0.05,
                                          description="s", continuous_update=False),
        T=widgets.IntSlider(value=T, min=10, max=100, step=5, description="T",
                            continuous_update=False),
    )


def temperature_explorer(scores, chars, *, temperature=1.0):
    """A temperature slider redrawing rnnlib.plots.plot_temperature for the given next-character
    scores (V,) and characters: the chosen temperature next to T = 1."""
    from .plots.memory import plot_temperature

    def show(temperature):
        plot_temperature(scores, chars, sorted({1.0, float(temperature)}))
        plt.show()

    return widgets.interactive(
        show,
        temperature=widgets.FloatSlider(value=temperature, min=0.1, max=3.0, step=0.1,
                                        description="T", continuous_update=False),
    )


# --- Lectures 1-3: series, windows, the univariate cell and the EWMA --------------------------


def window_explorer(series, *, dates=None, window=24, position=0, horizon=1, ylabel="value"):
    """Sliders for the window length and its position over `series`, redrawing
    `rnnlib.plots.plot_window`. The position slider's range follows the window length."""
    from .plots.series import plot_window

    T = len(series)
    if T < 2 + horizon:
        raise ValueError(f"series must have at least {2 + horizon} values; got {T}")
    win = widgets.IntSlider(value=window, min=1, max=min(120, T - horizon - 1), step=1,
                            description="window", continuous_update=False)
    pos = widgets.IntSlider(value=position, min=0, max=T - window - horizon, step=1,
                            description="position", continuous_update=False)

    def follow_window(change):
        pos.max = T - change["new"] - horizon  # ipywidgets clamps pos.value into range

    win.observe(follow_window, names="value")

    def draw(window, position):
        plot_window(series, window, min(position, T - window - horizon), dates=dates,
                    horizon=horizon, ylabel=ylabel)
        plt.show()

    return widgets.interactive(draw, window=win, position=pos)


def univariate_explorer(*, w=0.5, u=1.0, signal="step", linear=False, steps=60):
    """Sliders for the weights w and u of the univariate cell, a menu of input signals and a
    switch for the tanh, redrawing `rnnlib.plots.plot_univariate_response`."""
    from .plots.series import PROBE_SIGNALS, plot_univariate_response, probe_signal

    controls = dict(
        w=widgets.FloatSlider(value=w, min=-1.5, max=2.5, step=0.05, description="w",
                              continuous_update=False),
        u=widgets.FloatSlider(value=u, min=-2.0, max=2.0, step=0.05, description="u",
                              continuous_update=False),
        signal=widgets.Dropdown(options=list(PROBE_SIGNALS), value=signal, description="input"),
        linear=widgets.Checkbox(value=linear, description="linear (no tanh)"),
    )

    def draw(w, u, signal, linear):
        plot_univariate_response(probe_signal(signal, steps), w, u, linear=linear,
                                 title=f"Response of the {'linear' if linear else 'tanh'} cell "
                                       f"to '{signal}' (w = {w:g}, u = {u:g})")
        plt.show()

    return widgets.interactive(draw, **controls)


def ewma_explorer(series, *, dates=None, alpha=0.1, linear=False, ylabel="value"):
    """The EWMA and the univariate cell side by side on `series`: a slider for alpha, sliders for
    the cell's w and u (moving alpha resets them to the twin w = 1 - alpha, u = alpha) and a
    switch for the tanh, redrawing `rnnlib.plots.plot_rnn_vs_ewma`."""
    from .plots.series import plot_rnn_vs_ewma

    a = widgets.FloatSlider(value=alpha, min=0.01, max=1.0, step=0.01, description="alpha",
                            continuous_update=False)
    w = widgets.FloatSlider(value=round(1 - alpha, 2), min=-1.0, max=1.2, step=0.01,
                            description="w", continuous_update=False)
    u = widgets.FloatSlider(value=alpha, min=0.0, max=1.0, step=0.01, description="u",
                            continuous_update=False)
    lin = widgets.Checkbox(value=linear, description="linear (no tanh)")

    def retie(change):
        w.value, u.value = round(1 - change["new"], 2), change["new"]

    a.observe(retie, names="value")

    def draw(alpha, w, u, linear):
        if abs(w - (1 - alpha)) < 1e-9 and abs(u - alpha) < 1e-9:
            w = u = None  # the exact twin, not its value rounded to the slider's step
        plot_rnn_vs_ewma(series, alpha, w, u, linear=linear, dates=dates, ylabel=ylabel)
        plt.show()

    return widgets.interactive(draw, alpha=a, w=w, u=u, linear=lin)


# --- Lectures 4-6: deep RNNs, training through time -------------------------------------------


def stack_explorer(x, *, depth=3, ws=(0.7, 0.7, 0.7, 0.7), us=(0.3, 0.3, 0.3, 0.3),
                   linear=True, ylabel="value"):
    """A stack of univariate cells on the series x: a slider for the depth (1 to 4), a w and a
    u slider for every layer, and a switch for the tanh, redrawing
    `rnnlib.plots.plot_univariate_stack`. Layers above the chosen depth are ignored."""
    from .plots.training import plot_univariate_stack

    L = len(ws)
    if len(us) != L or not 1 <= depth <= L:
        raise ValueError(f"ws and us must have the same length L and 1 <= depth <= L; got "
                         f"{len(ws)}, {len(us)} and depth {depth}")
    controls = {"depth": widgets.IntSlider(value=depth, min=1, max=L, description="depth",
                                           continuous_update=False),
                "linear": widgets.Checkbox(value=linear, description="linear (no tanh)")}
    for k in range(L):
        controls[f"w{k + 1}"] = widgets.FloatSlider(value=ws[k], min=-1.5, max=2.5, step=0.05,
                                                    description=f"w{k + 1}",
                                                    continuous_update=False)
        controls[f"u{k + 1}"] = widgets.FloatSlider(value=us[k], min=-2.0, max=2.0, step=0.05,
                                                    description=f"u{k + 1}",
                                                    continuous_update=False)

    def draw(depth, linear, **weights):
        plot_univariate_stack(x, [weights[f"w{k + 1}"] for k in range(depth)],
                              [weights[f"u{k + 1}"] for k in range(depth)], linear=linear,
                              ylabel=ylabel)
        plt.show()

    box = widgets.interactive(draw, **controls)
    # One row per layer: its w next to its u.
    rows = [widgets.HBox([controls[f"w{k + 1}"], controls[f"u{k + 1}"]]) for k in range(L)]
    box.children = (widgets.HBox([controls["depth"], controls["linear"]]), *rows,
                    box.children[-1])
    return box


def descent_explorer(landscape, *, w0=-0.5, u0=-1.0, lr=0.5, steps=100):
    """Sliders for the start (w0, u0), the learning rate and the number of steps of gradient
    descent on the univariate cell, redrawing `rnnlib.plots.plot_descent` on the landscape
    (a dict as `rnnlib.fit_univariate.cliff_landscape` returns it)."""
    from .plots.training import plot_descent

    ws, us = landscape["ws"], landscape["us"]

    def draw(w0, u0, lr, steps):
        plot_descent(landscape, w0=w0, u0=u0, lr=lr, steps=steps)
        plt.show()

    return widgets.interactive(
        draw,
        w0=widgets.FloatSlider(value=w0, min=float(ws[0]), max=float(ws[-1]), step=0.1,
                               description="start w", continuous_update=False),
        u0=widgets.FloatSlider(value=u0, min=float(us[0]), max=float(us[-1]), step=0.1,
                               description="start u", continuous_update=False),
        lr=widgets.FloatLogSlider(value=lr, base=10, min=-2, max=0.5, step=0.1,
                                  description="learning rate", continuous_update=False),
        steps=widgets.IntSlider(value=steps, min=0, max=300, step=10, description="steps",
                                continuous_update=False),
    )
