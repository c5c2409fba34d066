"""Tests for rnnlib.plots.memory (lectures 7-9), the gradient-norm helper it builds on, and the
widgets that drive its figures."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import rnnlib  # noqa: E402
from rnnlib import plots, widgets  # noqa: E402
from rnnlib.plots import memory  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def _solid_lines(ax):
    return [line for line in ax.get_lines()
            if line.get_linestyle() == "-" and not line.get_label().startswith("_")]


def test_every_public_function_is_reexported_by_rnnlib_plots():
    for name in memory.__all__:
        assert getattr(plots, name) is getattr(memory, name)


# --- gradient norms against lag ---------------------------------------------------------------


def test_hidden_gradient_norms_with_bias_matches_the_product_of_jacobians(rng):
    T, D, H = 9, 3, 4
    x, Wx = rng.standard_normal((T, D)), rng.standard_normal((D, H))
    Wh, b = rng.standard_normal((H, H)) / 2, rng.standard_normal(H)
    h, _ = rnnlib.rnn_forward(x[None], np.zeros((1, H)), Wx, Wh, b)
    J, expected = np.eye(H), [1.0]
    for t in range(T - 1, 0, -1):
        J = J @ (np.diag(1 - h[0, t] ** 2) @ Wh.T)
        expected.append(np.linalg.norm(J, 2))
    got = plots.hidden_gradient_norms(Wh, T, Wx=Wx, x=x, b=b)
    np.testing.assert_allclose(got, expected)
    # the bias matters: without it the states, hence the norms, differ
    assert not np.allclose(plots.hidden_gradient_norms(Wh, T, Wx=Wx, x=x), expected)


def test_hidden_gradient_norms_needs_x_and_wx_together(rng):
    Wh = rng.standard_normal((4, 4))
    with pytest.raises(ValueError, match="both x"):
        plots.hidden_gradient_norms(Wh, 5, x=rng.standard_normal((5, 4)))
    with pytest.raises(ValueError, match=r"x must have shape \(T, D\)"):
        plots.hidden_gradient_norms(Wh, 6, Wx=np.eye(4), x=rng.standard_normal((5, 4)))


def test_gradient_vs_lag_stays_under_the_bound_and_starts_at_one():
    curves = plots.gradient_vs_lag((0.5, 0.9, 2.0), T=30)
    assert list(curves) == ["s = 0.5", "s = 0.9", "s = 2"]
    lags = np.arange(30)
    for label, norms in curves.items():
        s = float(label.split("=")[1])
        assert norms.shape == (30,)
        assert norms[0] == 1.0
        assert np.all(norms <= s**lags * (1 + 1e-9))
    # below 1 the gradient vanishes; with small inputs and s = 2 it grows
    assert curves["s = 0.5"][-1] < 1e-8
    assert curves["s = 2"][-1] > 1.0


def test_gradient_vs_lag_uses_an_orthogonal_matrix_scaled_by_s():
    # a linear cell would give exactly s**lag; with tiny inputs tanh is nearly linear
    curves = plots.gradient_vs_lag(1.1, T=12, input_scale=1e-6)
    np.testing.assert_allclose(curves["s = 1.1"], 1.1 ** np.arange(12), rtol=1e-6)


@pytest.mark.parametrize("bad", [0.0, -1.0, (0.9, -0.5)])
def test_gradient_vs_lag_refuses_non_positive_norms(bad):
    with pytest.raises(ValueError, match="spectral_norm must be a positive number"):
        plots.gradient_vs_lag(bad)


def test_plot_gradient_vs_lag_draws_each_curve_with_its_bound():
    ax = plots.plot_gradient_vs_lag((0.9, 2.0), T=20)
    dashed = [line for line in ax.get_lines() if line.get_linestyle() == "--"]
    labels = [line.get_label() for line in _solid_lines(ax)]
    assert "s = 0.9" in labels and "s = 2" in labels
    assert len(dashed) == 2
    np.testing.assert_allclose(dashed[0].get_ydata(), 0.9 ** np.arange(20))
    assert ax.get_ylim() == pytest.approx((1e-10, 1e10))
    assert ax.get_xlabel() and ax.get_ylabel() and ax.get_title()


# --- cliffs and clipping -------------------------------------------------------------------------


def test_plot_cliff_slice_draws_loss_and_gradient_magnitude():
    w = np.linspace(0, 2, 11)
    ax = plots.plot_cliff_slice(w, w**2, -3 * w)
    np.testing.assert_allclose(ax.get_lines()[0].get_ydata(), w**2)
    np.testing.assert_allclose(ax.right_ax.get_lines()[0].get_ydata(), 3 * w)
    assert ax.right_ax.get_yscale() == "log"
    with pytest.raises(ValueError, match="grad must have shape"):
        plots.plot_cliff_slice(w, w, w[:-1])


def test_plot_clipping_paths_truncates_and_annotates_a_path_that_leaves_the_frame():
    w, u = np.linspace(-1, 1, 5), np.linspace(0, 2, 4)
    loss = np.ones((4, 5))
    inside = np.array([[0.0, 0.5], [0.2, 0.8], [0.4, 1.0]])
    escaping = np.array([[0.0, 0.5], [0.5, 1.0], [-30.0, 12.0], [-30.0, 12.0]])
    ax = plots.plot_clipping_paths(w, u, loss, {"kept": inside, "thrown": escaping},
                                   minimum=(0.5, 1.5))
    lines = {line.get_label(): line for line in ax.get_lines()}
    np.testing.assert_allclose(lines["kept"].get_xdata(), inside[:, 0])
    np.testing.assert_allclose(lines["thrown"].get_xdata(), escaping[:2, 0])
    notes = [t.get_text() for t in ax.texts]
    assert "thrown to (-30, 12)" in notes
    assert "minimum" in lines and "start" in lines
    with pytest.raises(ValueError, match="loss must have shape"):
        plots.plot_clipping_paths(w, u, loss.T, {})


# --- memory -------------------------------------------------------------------------------------


def test_plot_accuracy_vs_lag_draws_the_mean_of_several_runs_with_a_band():
    runs = np.array([[1.0, 0.5, 0.2], [0.8, 0.3, 0.2]])
    ax = plots.plot_accuracy_vs_lag({"several": runs, "one": [1.0, 1.0, 0.9]}, lags=[5, 10, 20],
                                    chance=0.125)
    lines = {line.get_label(): line for line in ax.get_lines()}
    np.testing.assert_allclose(lines["several"].get_ydata(), [0.9, 0.4, 0.2])
    np.testing.assert_allclose(lines["several"].get_xdata(), [5, 10, 20])
    assert len(ax.collections) == 1  # a band only for the run with several seeds
    assert "chance (0.125)" in lines
    assert list(ax.get_xticks()) == [5, 10, 20]
    with pytest.raises(ValueError, match="lags must have shape"):
        plots.plot_accuracy_vs_lag({"one": [1.0, 0.5]}, lags=[1, 2, 3])


def test_memory_path_gradients_of_the_vanilla_cell_is_its_jacobian_product(rng):
    params = rnnlib.init_cell("rnn", 3, 5, rng=rng)
    params["b"] = rng.standard_normal(5)
    x = rng.standard_normal((8, 3))
    expected = plots.hidden_gradient_norms(params["Wh"], 8, Wx=params["Wx"], x=x, b=params["b"])
    np.testing.assert_allclose(memory.memory_path_gradients("rnn", params, x), expected)


def test_memory_path_gradients_of_the_lstm_is_the_largest_product_of_forget_gates(rng):
    H, T = 4, 7
    params = rnnlib.init_cell("lstm", 3, H, rng=rng)
    x = rng.standard_normal((T, 3))
    h, c, forget = np.zeros((1, H)), np.zeros((1, H)), []
    for t in range(T):
        h, c, cache = rnnlib.lstm_step_forward(x[t : t + 1], h, c, params["Wx"], params["Wh"],
                                               params["b"])
        forget.append(cache[6][0])  # f in the step cache (x, h, c, Wx, Wh, i, f, o, g, tanh c)
    forget = np.array(forget)
    expected = [1.0] + [np.prod(forget[T - k :], axis=0).max() for k in range(1, T)]
    np.testing.assert_allclose(memory.memory_path_gradients("lstm", params, x), expected)


def test_memory_path_gradients_of_the_gru_is_the_largest_product_of_update_gates(rng):
    H, T = 4, 6
    params = rnnlib.init_cell("gru", 2, H, rng=rng)
    params["bx"] = rng.standard_normal(3 * H)
    x = rng.standard_normal((T, 2))
    h, update = np.zeros((1, H)), []
    for t in range(T):
        a = x[t : t + 1] @ params["Wx"] + params["bx"] + h @ params["Wh"] + params["bh"]
        update.append(rnnlib.sigmoid(a[0, H : 2 * H]))
        h, _ = rnnlib.gru_step_forward(x[t : t + 1], h, params["Wx"], params["Wh"],
                                       params["bx"], params["bh"])
    update = np.array(update)
    expected = [1.0] + [np.prod(update[T - k :], axis=0).max() for k in range(1, T)]
    np.testing.assert_allclose(memory.memory_path_gradients("gru", params, x), expected)


def test_memory_path_gradients_checks_the_input_width(rng):
    params = rnnlib.init_cell("lstm", 3, 4, rng=rng)
    with pytest.raises(ValueError, match=r"x must have shape \(T, D\)"):
        memory.memory_path_gradients("lstm", params, rng.standard_normal((5, 2)))


# --- training a language model ------------------------------------------------------------------


def test_plot_loss_curve_draws_each_step_and_a_moving_average():
    losses = np.array([4.0, 3.0, 2.0, 1.0, 1.0])
    ax = plots.plot_loss_curve(losses, smooth=2, baseline=(3.5, "uniform guess"))
    raw, avg = ax.get_lines()[:2]
    np.testing.assert_allclose(raw.get_ydata(), losses)
    np.testing.assert_allclose(avg.get_xdata(), [2, 3, 4, 5])
    np.testing.assert_allclose(avg.get_ydata(), [3.5, 2.5, 1.5, 1.0])
    assert ax.get_lines()[-1].get_label() == "uniform guess"


def test_plot_loss_curve_takes_several_runs():
    ax = plots.plot_loss_curve({"a": [1.0, 0.5, 0.2], "b": [2.0, 1.0, 0.5]}, smooth=1)
    labels = [line.get_label() for line in ax.get_lines()]
    assert "a (1-step average)" in labels and "b (1-step average)" in labels


def test_plot_clipped_norms_marks_the_clipped_steps():
    norms = [0.5, 2.0, 0.7, 3.0]
    ax = plots.plot_clipped_norms(norms, clip=1.0)
    marks = [line for line in ax.get_lines() if line.get_marker() == "x"][0]
    np.testing.assert_allclose(marks.get_xdata(), [2, 4])
    assert "clipped (50% of steps)" in [line.get_label() for line in ax.get_lines()]
    with pytest.raises(ValueError, match="clip must be positive"):
        plots.plot_clipped_norms(norms, clip=0)


def test_plot_temperature_draws_softmax_of_scores_over_temperature():
    scores = np.array([2.0, 0.0, 1.0])
    ax = plots.plot_temperature(scores, ["a", "\n", " "], temperatures=(0.5, 1.0))
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a", "␣", "↵"]
    heights = np.array([bar.get_height() for bar in ax.patches]).reshape(2, 3)
    for T, row in zip((0.5, 1.0), heights):
        p = np.exp(scores / T) / np.exp(scores / T).sum()
        np.testing.assert_allclose(row, p[[0, 2, 1]])
    with pytest.raises(ValueError, match="temperatures must be positive"):
        plots.plot_temperature(scores, ["a", "b", "c"], temperatures=(0.0,))
    with pytest.raises(ValueError, match="scores must have shape"):
        plots.plot_temperature(scores, ["a", "b"])


# --- diagrams and forecasts ---------------------------------------------------------------------


@pytest.mark.parametrize("draw, needle", [(plots.draw_lstm_cell, "c$_t$ = f"),
                                          (plots.draw_gru_cell, "h$_t$ = (1 − z)"),
                                          (plots.draw_course_map, "9 LSTM and GRU")])
def test_diagrams_draw_on_a_bare_axes(draw, needle):
    ax = draw()
    assert not ax.axison
    assert ax.get_title()
    assert any(needle in t.get_text() for t in ax.texts)
    _, given = plt.subplots()
    assert draw(ax=given) is given


def test_plot_forecasts_draws_the_series_and_every_forecast():
    t = np.arange(10.0)
    ax = plots.plot_forecasts(t, np.sin(t), {"zero": np.zeros(10), "copy": np.sin(t)})
    assert [line.get_label() for line in ax.get_lines()] == ["actual", "zero", "copy"]
    with pytest.raises(ValueError, match="forecasts\\['zero'\\] must have shape"):
        plots.plot_forecasts(t, np.sin(t), {"zero": np.zeros(9)})


# --- widgets ------------------------------------------------------------------------------------


def test_gradient_lag_explorer_redraws_for_the_chosen_norm_and_length():
    w = widgets.gradient_lag_explorer()
    s, T = w.children[0], w.children[1]
    assert (s.description, s.value, T.description, T.value) == ("s", 1.0, "T", 50)
    plt.close("all")
    s.value, T.value = 1.5, 20
    ax = plt.gcf().axes[0]
    solid = _solid_lines(ax)
    assert [line.get_label() for line in solid] == ["s = 1.5"]
    assert len(solid[0].get_xdata()) == 20


def test_temperature_explorer_shows_the_chosen_temperature_next_to_one():
    w = widgets.temperature_explorer(np.array([1.0, 0.0, -1.0]), ["a", "b", "c"])
    assert w.children[0].value == 1.0
    plt.close("all")
    w.children[0].value = 2.0
    labels = plt.gcf().axes[0].get_legend_handles_labels()[1]
    assert labels == ["T = 1", "T = 2"]
