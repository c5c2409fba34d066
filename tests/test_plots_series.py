"""Tests for rnnlib.plots.series (lectures 1-3) and the widgets that drive its figures."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch  # noqa: E402

import rnnlib  # noqa: E402
from rnnlib import plots, widgets  # noqa: E402
from rnnlib.plots import series  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def _labelled_lines(ax):
    return [line for line in ax.get_lines() if not line.get_label().startswith("_")]


def _patches(ax, kind):
    return [p for p in ax.patches if isinstance(p, kind)]


def _texts(ax):
    return [t.get_text() for t in ax.texts]


def _has_title_and_labels(ax):
    return bool(ax.get_title() and ax.get_xlabel() and ax.get_ylabel())


def test_every_public_name_is_reexported_by_rnnlib_plots():
    assert series.__all__, "series.py must list its public functions"
    for name in series.__all__:
        assert getattr(plots, name) is getattr(series, name)


# --- diagrams -------------------------------------------------------------------------------


def test_problem_shapes_draw_five_panels_with_the_right_boxes():
    ax = plots.draw_problem_shapes()
    assert isinstance(ax, plt.Axes)
    for title in ("one-to-one", "one-to-many", "many-to-one", "many-to-many",
                  "sequence-to-sequence"):
        assert title in _texts(ax)
    # Columns 1 + 3 + 3 + 3 + 5 hidden states; inputs 1 + 1 + 3 + 3 + 3; outputs 1 + 3 + 1 + 3 + 2.
    texts = _texts(ax)
    assert (texts.count("h"), texts.count("x"), texts.count("y")) == (15, 11, 10)
    assert len(_patches(ax, FancyBboxPatch)) == 36
    # One arrow into each hidden state from its input, one out to each output, and one
    # between neighbouring hidden states: 11 + 10 + (0 + 2 + 2 + 2 + 4).
    assert len(_patches(ax, FancyArrowPatch)) == 31


def test_window_network_has_one_weight_per_input_position():
    ax = plots.draw_window_network(6)
    labels = [t for t in _texts(ax) if t.startswith("a")]
    assert labels == ["a₁", "a₂", "a₃", "a₄", "a₅", "a₆"]
    assert len(_patches(ax, FancyBboxPatch)) == 6 + 2
    assert len(_patches(ax, FancyArrowPatch)) == 6 + 1
    with pytest.raises(ValueError, match="window must be at least 1"):
        plots.draw_window_network(0)


def test_folded_cell_has_input_arrow_and_a_loop_with_the_two_weights():
    ax = plots.draw_folded_cell(weights=("U", "W"))
    assert len(_patches(ax, FancyBboxPatch)) == 2
    assert len(_patches(ax, FancyArrowPatch)) == 2
    assert {"U", "W"} <= set(_texts(ax))


# --- series and windows ---------------------------------------------------------------------


def test_plot_series_uses_dates_when_given():
    dates, prices = rnnlib.load_stock_prices("AAPL")
    ax = plots.plot_series(prices, dates=dates, title="AAPL", ylabel="USD")
    (line,) = ax.get_lines()
    np.testing.assert_array_equal(line.get_ydata(), prices)
    assert ax.get_xlabel() == "date" and ax.get_ylabel() == "USD" and ax.get_title() == "AAPL"
    with pytest.raises(ValueError, match="same length"):
        plots.plot_series(prices, dates=dates[:-1])


def test_plot_window_highlights_exactly_the_row_of_sliding_windows():
    x = rnnlib.noisy_sine(80)
    window, position, horizon = 12, 30, 3
    X, y = rnnlib.sliding_windows(x, window, horizon=horizon)
    ax = plots.plot_window(x, window, position, horizon=horizon)
    series_line, inputs, targets = _labelled_lines(ax)
    np.testing.assert_array_equal(series_line.get_ydata(), x)
    np.testing.assert_array_equal(inputs.get_ydata(), X[position])
    np.testing.assert_array_equal(targets.get_ydata(), y[position])
    np.testing.assert_array_equal(inputs.get_xdata(), np.arange(30, 42))
    assert _has_title_and_labels(ax)
    assert "step 30 to step 41" in ax.get_title()


def test_plot_window_titles_with_months_for_dated_series():
    dates, prices = rnnlib.load_stock_prices()
    ax = plots.plot_window(prices, 24, 0, dates=dates)
    assert ax.get_title() == "Inputs 1990-01 to 1991-12 → predict 1992-01"


@pytest.mark.parametrize("position", [-1, 69])
def test_plot_window_refuses_a_window_that_does_not_fit(position):
    with pytest.raises(ValueError, match=r"position must be in \[0, 68\]"):
        plots.plot_window(np.zeros(80), 11, position)


# --- the univariate cell --------------------------------------------------------------------


def test_probe_signals():
    step = plots.probe_signal("step", 20, start=5)
    np.testing.assert_array_equal(step, np.r_[np.zeros(5), np.ones(15)])
    impulse = plots.probe_signal("impulse", 20, start=5)
    assert impulse.sum() == 1 and impulse[5] == 1
    pulses = plots.probe_signal("pulses", 20, start=5)
    assert pulses[5] == 1 and pulses[15] == -1 and np.abs(pulses).sum() == 2
    noise = plots.probe_signal("noise", 20, start=5)
    assert np.all(noise[:5] == 0) and np.all(noise[5:] != 0)
    np.testing.assert_array_equal(noise, plots.probe_signal("noise", 20, start=5))
    with pytest.raises(ValueError, match="kind must be one of"):
        plots.probe_signal("ramp")


def test_univariate_response_draws_the_input_and_one_state_per_w():
    ax = plots.plot_univariate_response("step", [0.0, 0.5, 0.9], 0.5)
    lines = _labelled_lines(ax)
    assert [line.get_label() for line in lines] == [
        "input $x_t$", "$h_t$, w = 0", "$h_t$, w = 0.5", "$h_t$, w = 0.9"]
    x = plots.probe_signal("step")
    np.testing.assert_allclose(lines[2].get_ydata(), rnnlib.univariate_rnn(x, 0.5, 0.5))
    assert "a step" in ax.get_title() and _has_title_and_labels(ax)


def test_univariate_response_linear_cell_takes_an_array():
    x = np.array([1.0, 0.0, 0.0, 0.0])
    ax = plots.plot_univariate_response(x, 0.5, 2.0, linear=True)
    np.testing.assert_allclose(_labelled_lines(ax)[1].get_ydata(), [2.0, 1.0, 0.5, 0.25])


@pytest.mark.parametrize("w, filled, hollow", [(0.5, 1, 0), (2.0, 2, 1)])
def test_fixed_points_marks_stable_points_filled_and_unstable_ones_open(w, filled, hollow):
    ax = plots.plot_fixed_points(w)
    dots = [line for line in ax.get_lines()
            if line.get_marker() == "o" and len(line.get_xdata()) == 1]
    faces = [line.get_markerfacecolor() for line in dots]
    assert (faces.count("black"), faces.count("white")) == (filled, hollow)
    np.testing.assert_allclose(sorted(d.get_xdata()[0] for d in dots), rnnlib.fixed_points(w))
    assert ax.get_title().endswith(f"{filled + hollow} fixed point" + ("s" if hollow else ""))


def test_fixed_points_cobweb_follows_the_map():
    ax = plots.plot_fixed_points(2.0, start=0.1, steps=5)
    (cobweb,) = [line for line in ax.get_lines() if "steps from" in line.get_label()]
    ys = cobweb.get_ydata()
    assert len(ys) == 1 + 2 * 5
    np.testing.assert_allclose(ys[1], np.tanh(0.2))
    np.testing.assert_allclose(ys[-1], rnnlib.univariate_rnn(np.zeros(5), 2.0, 0.0, h0=0.1)[-1])


def test_fixed_point_diagram_forks_at_one():
    ax = plots.plot_fixed_point_diagram(0.0, 3.0, num=31)
    stable, unstable = _labelled_lines(ax)
    assert stable.get_label() == "stable" and unstable.get_label() == "unstable"
    ws_unstable = unstable.get_xdata()
    assert ws_unstable.min() > 1.05 and np.all(unstable.get_ydata() == 0)
    # 11 values of w up to 1 (w = 1 included) with one point each, 20 beyond with two stable
    # points and an unstable one each.
    assert len(stable.get_xdata()) == 11 + 2 * 20 and len(ws_unstable) == 20


# --- the EWMA -------------------------------------------------------------------------------


def test_plot_ewma_draws_one_average_per_alpha():
    x = rnnlib.noisy_sine(50)
    ax = plots.plot_ewma(x, [0.5, 0.1])
    lines = _labelled_lines(ax)
    assert len(lines) == 3
    np.testing.assert_array_equal(lines[2].get_ydata(), rnnlib.ewma(x, 0.1))


def test_rnn_vs_ewma_with_the_twin_weights_shows_no_gap():
    x = rnnlib.noisy_sine(100)
    ax = plots.plot_rnn_vs_ewma(x, 0.2, linear=True)
    _, s, h = _labelled_lines(ax)
    np.testing.assert_array_equal(s.get_ydata(), h.get_ydata())
    assert ax.get_title().endswith("max |h − s| = 0")
    assert "w = 0.80, u = 0.20" in h.get_label()


def test_rnn_vs_ewma_reports_the_gap_of_the_tanh_cell_and_survives_a_blow_up():
    x = 3 * rnnlib.noisy_sine(100)
    ax = plots.plot_rnn_vs_ewma(x, 0.2)
    gap = np.max(np.abs(rnnlib.univariate_rnn(x, 0.8, 0.2) - rnnlib.ewma(x, 0.2)))
    assert ax.get_title().endswith(f"= {gap:.3g}") and gap > 0.1
    with np.errstate(over="ignore", invalid="ignore"):
        ax = plots.plot_rnn_vs_ewma(x, 0.2, w=50.0, u=1e300, linear=True)
    assert ax.get_title().endswith("= inf")
    assert ax.get_ylim()[1] < 10  # the series stays in view


def test_impulse_response_marks_each_finite_half_life():
    ax = plots.plot_impulse_response([(0.5, 1.0), (0.9, 0.1), (1.0, 0.2)], steps=20)
    lines = [line for line in ax.get_lines() if line.get_linestyle() == "-" and
             not line.get_label().startswith("_")]
    assert len(lines) == 3
    np.testing.assert_allclose(lines[1].get_ydata(), 0.1 * 0.9 ** np.arange(20))
    verticals = [line for line in ax.get_lines() if line.get_linestyle() == ":"]
    np.testing.assert_allclose(sorted(v.get_xdata()[0] for v in verticals),
                               [1.0, rnnlib.half_life(0.9)])
    assert "never halves" in lines[2].get_label()


# --- widgets ------------------------------------------------------------------------------------


def _controls(widget):
    return {c.description: c for c in widget.children if hasattr(c, "description")
            and c.description}


def test_window_explorer_moves_the_window_and_keeps_the_position_in_range():
    x = rnnlib.noisy_sine(100)
    w = widgets.window_explorer(x, window=10, position=5)
    c = _controls(w)
    assert set(c) == {"window", "position"}
    assert (c["window"].value, c["position"].value, c["position"].max) == (10, 5, 89)
    plt.close("all")
    c["position"].value = 40
    inputs = _labelled_lines(plt.gcf().axes[0])[1]
    np.testing.assert_array_equal(inputs.get_ydata(), x[40:50])
    c["position"].value = 85
    c["window"].value = 50  # the position slider shrinks to at most 100 - 50 - 1
    assert c["position"].max == 49 and c["position"].value == 49
    plt.close("all")
    c["window"].value = 30
    inputs = _labelled_lines(plt.gcf().axes[0])[1]
    np.testing.assert_array_equal(inputs.get_ydata(), x[49:79])


def test_univariate_explorer_redraws_for_the_chosen_weights_and_input():
    w = widgets.univariate_explorer()
    c = _controls(w)
    assert set(c) == {"w", "u", "input", "linear (no tanh)"}
    assert list(c["input"].options) == ["step", "impulse", "pulses", "noise"]
    plt.close("all")
    c["input"].value = "impulse"
    c["linear (no tanh)"].value = True
    c["w"].value = 0.5
    h = _labelled_lines(plt.gcf().axes[0])[1].get_ydata()
    np.testing.assert_allclose(h[10:14], [1.0, 0.5, 0.25, 0.125])


def test_ewma_explorer_ties_the_cell_to_alpha_and_lets_it_be_detuned():
    x = rnnlib.noisy_sine(60)
    w = widgets.ewma_explorer(x, alpha=0.1)
    c = _controls(w)
    assert set(c) == {"alpha", "w", "u", "linear (no tanh)"}
    assert (c["w"].value, c["u"].value) == (0.9, 0.1)
    c["linear (no tanh)"].value = True
    plt.close("all")
    c["alpha"].value = 0.3
    assert (c["w"].value, c["u"].value) == (0.7, 0.3)
    assert plt.gcf().axes[0].get_title().endswith("max |h − s| = 0")
    plt.close("all")
    c["u"].value = 0.6
    _, s, h = _labelled_lines(plt.gcf().axes[0])
    np.testing.assert_allclose(h.get_ydata(), 2 * s.get_ydata())
