"""Tests for rnnlib.plots.training (lectures 4-6), rnnlib.fit_univariate (the loss landscape of
the univariate cell and gradient descent on it, which lecture 7 reuses) and the widgets that
drive their figures."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import rnnlib  # noqa: E402
from rnnlib import fit_univariate, plots, widgets  # noqa: E402
from rnnlib.gradcheck import numerical_gradient  # noqa: E402
from rnnlib.plots import memory, series, training  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def task():
    return fit_univariate.smoothing_task(40)


# --- rnnlib.fit_univariate --------------------------------------------------------------------


def test_smoothing_task_is_a_noisy_sine_and_the_clean_one():
    x, y = fit_univariate.smoothing_task(300, period=25, noise=0.3, seed=2)
    assert x.shape == y.shape == (300,)
    np.testing.assert_allclose(y, np.sin(2 * np.pi * np.arange(300) / 25))
    np.testing.assert_allclose(x, rnnlib.noisy_sine(300, period=25, noise=0.3, seed=2))
    assert 0.25 < np.std(x - y) < 0.35


def test_sequence_loss_is_the_mse_of_the_states_and_its_gradient_is_right(task):
    x, y = task
    loss, dw, du = fit_univariate.sequence_loss(x, y, 0.7, 0.4)
    assert loss == pytest.approx(np.mean((rnnlib.univariate_rnn(x, 0.7, 0.4) - y) ** 2))

    def f(p):
        return fit_univariate.sequence_loss(x, y, p[0], p[1])[0]

    np.testing.assert_allclose([dw, du], numerical_gradient(f, np.array([0.7, 0.4])),
                               rtol=1e-6)


def test_sequence_loss_refuses_a_target_of_another_length(task):
    x, y = task
    with pytest.raises(ValueError, match=r"y must have shape \(T,\) like x"):
        fit_univariate.sequence_loss(x, y[:-1], 0.5, 0.5)


def test_loss_landscape_matches_sequence_loss_point_by_point(task):
    x, y = task
    ws, us = np.array([-0.5, 0.3, 1.2, 2.5]), np.array([-1.0, 0.2, 1.5])
    loss, dw, du = fit_univariate.loss_landscape(x, y, ws, us)
    assert loss.shape == dw.shape == du.shape == (3, 4)
    for i, u in enumerate(us):
        for j, w in enumerate(ws):
            expected = fit_univariate.sequence_loss(x, y, w, u)
            np.testing.assert_allclose([loss[i, j], dw[i, j], du[i, j]], expected,
                                       rtol=1e-10, atol=1e-12)


def test_loss_landscape_validates_the_grid(task):
    x, y = task
    with pytest.raises(ValueError, match=r"ws must have shape \(A,\)"):
        fit_univariate.loss_landscape(x, y, np.zeros((2, 2)), np.zeros(3))


def test_gradient_descent_records_the_path_of_the_plain_loop(task):
    x, y = task
    run = fit_univariate.gradient_descent(x, y, -0.5, -1.0, lr=0.3, steps=15)
    assert run["path"].shape == (16, 2) and run["loss"].shape == (16,)
    assert run["grad_norm"].shape == (15,)
    w, u = -0.5, -1.0
    for k in range(15):
        loss, dw, du = fit_univariate.sequence_loss(x, y, w, u)
        assert run["loss"][k] == pytest.approx(loss)
        assert run["grad_norm"][k] == pytest.approx(np.hypot(dw, du))
        w, u = w - 0.3 * dw, u - 0.3 * du
        np.testing.assert_allclose(run["path"][k + 1], (w, u))
    assert run["loss"][-1] == pytest.approx(fit_univariate.sequence_loss(x, y, w, u)[0])
    assert run["loss"][-1] < run["loss"][0]


def test_gradient_descent_with_zero_steps_is_just_the_start(task):
    x, y = task
    run = fit_univariate.gradient_descent(x, y, 0.2, 0.3, steps=0)
    np.testing.assert_allclose(run["path"], [[0.2, 0.3]])
    assert run["loss"].shape == (1,) and run["grad_norm"].shape == (0,)


@pytest.mark.parametrize("mode", ["norm", "value"])
def test_clipping_bounds_every_step(mode):
    x, y = fit_univariate.smoothing_task()
    lr, clip = fit_univariate.CLIFF_LR, 0.5
    run = fit_univariate.gradient_descent(x, y, *fit_univariate.CLIFF_START, lr=lr, steps=60,
                                          clip=clip, clip_mode=mode)
    steps = np.diff(run["path"], axis=0)
    if mode == "norm":
        assert np.all(np.hypot(*steps.T) <= lr * clip + 1e-12)
    else:
        assert np.all(np.abs(steps) <= lr * clip + 1e-12)
    # grad_norm is recorded before clipping: the cliff is still visible in it
    assert run["grad_norm"].max() > 50


def test_gradient_descent_refuses_bad_options(task):
    x, y = task
    with pytest.raises(ValueError, match="clip_mode"):
        fit_univariate.gradient_descent(x, y, 0, 0, clip=1.0, clip_mode="sideways")
    with pytest.raises(ValueError, match="steps"):
        fit_univariate.gradient_descent(x, y, 0, 0, steps=-1)
    with pytest.raises(ValueError, match="max_norm must be positive"):
        fit_univariate.gradient_descent(x, y, 0, 0, clip=0.0)


def test_cliff_landscape_default_grid_and_layout():
    land = fit_univariate.cliff_landscape()
    assert land["ws"].shape == (101,) and land["us"].shape == (120,)
    assert land["loss"].shape == land["grad_norm"].shape == (120, 101)
    assert not np.any(land["us"] == 0)  # u = 0 exactly would pin the state at 0
    np.testing.assert_allclose(land["grad_norm"], np.hypot(land["dw"], land["du"]))
    # the valley: the lowest point is a smoother with w < 1 and u > 0
    i, j = np.unravel_index(np.argmin(land["loss"]), land["loss"].shape)
    assert 0 < land["ws"][j] < 1 and land["us"][i] > 0
    assert land["loss"][i, j] < 0.1
    # the cliffs: a few grid points far steeper than the typical one, all where w > 1
    steep = land["grad_norm"] > 100 * np.median(land["grad_norm"])
    assert steep.any() and np.all(np.meshgrid(land["ws"], land["us"])[0][steep] > 1)


def test_the_cliff_start_falls_off_without_clipping_and_survives_with_it():
    """The contract lecture 7 relies on: plain descent from CLIFF_START is thrown far off the
    landscape by one huge gradient; clipped by global norm it reaches the valley."""
    x, y = fit_univariate.smoothing_task()
    start, lr = fit_univariate.CLIFF_START, fit_univariate.CLIFF_LR
    plain = fit_univariate.gradient_descent(x, y, *start, lr=lr, steps=200)
    k = int(np.argmax(plain["grad_norm"]))
    assert plain["grad_norm"][k] > 100 * np.median(plain["grad_norm"][:k])
    assert np.abs(plain["path"][-1]).max() > 10 and plain["loss"][-1] > 1.0
    clipped = fit_univariate.gradient_descent(x, y, *start, lr=lr, steps=200, clip=1.0)
    assert np.abs(clipped["path"]).max() < 4 and clipped["loss"][-1] < 0.1


# --- plots: re-exports ------------------------------------------------------------------------


def test_every_public_function_is_reexported_and_no_name_clashes():
    for name in training.__all__:
        assert getattr(plots, name) is getattr(training, name)
    assert not set(training.__all__) & (set(memory.__all__) | set(series.__all__))


# --- plots: the vector cell -------------------------------------------------------------------


def test_plot_hidden_states_shows_units_as_rows(rng):
    h = np.tanh(rng.standard_normal((4, 3)))
    ax = plots.plot_hidden_states(h, labels="hell")
    np.testing.assert_allclose(ax.images[0].get_array(), h.T)
    assert ax.images[0].get_clim() == (-1, 1)
    assert len(ax.texts) == 12  # small enough to write every value
    assert [t.get_text() for t in ax.get_xticklabels()] == ["1\n'h'", "2\n'e'", "3\n'l'",
                                                           "4\n'l'"]
    assert ax.get_xlabel() and ax.get_ylabel() and ax.get_title()
    big = plots.plot_hidden_states(np.zeros((50, 8)))
    assert len(big.texts) == 0


def test_plot_hidden_states_refuses_a_batch():
    with pytest.raises(ValueError, match=r"h must have shape \(T, H\)"):
        plots.plot_hidden_states(np.zeros((1, 4, 3)))


def test_plot_step_scores_frames_targets_and_counts_hits():
    vocab = ["h", "e", "l", "o"]
    scores = np.full((4, 4), -1.0)
    scores[0, 1] = scores[1, 2] = scores[2, 0] = scores[3, 3] = 2.0  # right at steps 1, 2, 4
    ax = plots.plot_step_scores(scores, vocab, inputs="hell", targets="ello")
    frames = [p for p in ax.patches if isinstance(p, plt.Rectangle)]
    assert [(int(p.get_x() + 0.5), int(p.get_y() + 0.5)) for p in frames] == [(0, 1), (1, 2),
                                                                            (2, 2), (3, 3)]
    assert "best at 3 of 4 steps" in ax.get_title()
    np.testing.assert_allclose(ax.images[0].get_array(), scores.T)
    assert len(ax.texts) == 16


def test_plot_step_scores_checks_the_vocabulary_and_strings():
    with pytest.raises(ValueError, match="vocab must have V = 4"):
        plots.plot_step_scores(np.zeros((2, 4)), ["a", "b"])
    with pytest.raises(ValueError, match="targets must have T = 2"):
        plots.plot_step_scores(np.zeros((2, 4)), "abcd", targets="abc")


# --- plots: deep RNNs -------------------------------------------------------------------------


def test_plot_layer_states_puts_the_top_layer_on_top(rng):
    hs = [np.tanh(rng.standard_normal((10, H))) for H in (3, 5, 2)]
    ax = plots.plot_layer_states(hs)
    rows = ax.images[0].get_array()
    assert rows.shape == (10, 10)
    np.testing.assert_allclose(rows[:2], hs[2].T)   # layer 3 first (at the top)
    np.testing.assert_allclose(rows[2:7], hs[1].T)
    np.testing.assert_allclose(rows[7:], hs[0].T)
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "layer 3\n(2 units)", "layer 2\n(5 units)", "layer 1\n(3 units)"]


def test_plot_layer_states_needs_one_length():
    with pytest.raises(ValueError, match=r"hs\[1\] must have shape \(T, H_k\) with T = 10"):
        plots.plot_layer_states([np.zeros((10, 3)), np.zeros((9, 3))])
    with pytest.raises(ValueError, match="at least one layer"):
        plots.plot_layer_states([])


def test_plot_univariate_stack_draws_the_input_and_every_layer():
    x = rnnlib.noisy_sine(60, seed=3)
    ws, us = [0.6, 0.8], [0.4, 0.2]
    ax = plots.plot_univariate_stack(x, ws, us, linear=True)
    lines = ax.get_lines()
    assert len(lines) == 3
    np.testing.assert_allclose(lines[0].get_ydata(), x)
    expected = rnnlib.univariate_stack(x, ws, us, linear=True)
    for line, layer in zip(lines[1:], expected):
        np.testing.assert_allclose(line.get_ydata(), layer)
    assert "2 univariate linear cells" in ax.get_title()
    no_input = plots.plot_univariate_stack(x, ws, us, show_input=False, ylabel="units")
    assert len(no_input.get_lines()) == 2 and no_input.get_ylabel() == "units"


# --- plots: training through time -------------------------------------------------------------


def test_plot_truncation_error_uses_a_log_scale():
    ax = plots.plot_truncation_error([1, 2, 4], {"a": [0.5, 0.1, 0.01], "b": [0.2, 0.05, 0.0]})
    assert ax.get_yscale() == "log" and len(ax.get_lines()) == 2
    np.testing.assert_allclose(ax.get_lines()[0].get_xdata(), [1, 2, 4])
    with pytest.raises(ValueError, match="like chunk_lengths"):
        plots.plot_truncation_error([1, 2], {"a": [0.5]})


def test_plot_fit_draws_input_target_and_outputs(task):
    x, y = task
    h = rnnlib.univariate_rnn(x, 0.5, 0.7)
    ax = plots.plot_fit(x, y, {"fit": h})
    data = [line.get_ydata() for line in ax.get_lines()]
    assert len(data) == 3
    np.testing.assert_allclose(data[0], x)
    np.testing.assert_allclose(data[1], y)
    np.testing.assert_allclose(data[2], h)
    with pytest.raises(ValueError, match="outputs must have shape"):
        plots.plot_fit(x, y, {"short": h[:-1]})


def test_plot_loss_history_one_run_or_several():
    ax = plots.plot_loss_history([1.0, 0.5, 0.1])
    assert ax.get_yscale() == "log" and ax.get_legend() is None
    np.testing.assert_allclose(ax.get_lines()[0].get_ydata(), [1.0, 0.5, 0.1])
    ax = plots.plot_loss_history({"a": [1, 2], "b": [3, 4]}, log=False, ylabel="nats")
    assert ax.get_yscale() == "linear" and ax.get_ylabel() == "nats"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a", "b"]


def _small_landscape():
    x, y = fit_univariate.smoothing_task(30)
    ws, us = np.linspace(-1, 4, 21), np.linspace(-3, 3, 20)
    return fit_univariate.cliff_landscape(ws=ws, us=us, task=(x, y))


def test_plot_loss_landscape_draws_paths_and_the_minimum():
    land = _small_landscape()
    inside = np.array([[0.0, 0.0], [0.2, 0.3], [0.5, 0.7]])
    ax = plots.plot_loss_landscape(land["ws"], land["us"], land["loss"],
                                   paths={"inside": inside}, minimum=(0.5, 0.7))
    path_line = [line for line in ax.get_lines() if line.get_label() == "inside"][0]
    np.testing.assert_allclose(path_line.get_xydata(), inside)
    assert any(line.get_marker() == "*" for line in ax.get_lines())
    assert ax.get_xlim() == (-1, 4) and ax.get_ylim() == (-3, 3)
    assert ax.get_xlabel() == "recurrent weight w" and ax.get_ylabel() == "input weight u"


def test_a_path_that_leaves_the_map_is_cut_and_annotated():
    land = _small_landscape()
    run = {"path": np.array([[3.5, 0.6], [3.0, 1.0], [33.3, -46.2], [33.8, -45.8]])}
    ax = plots.plot_gradient_map(land["ws"], land["us"], land["grad_norm"],
                                 paths={"thrown": run})
    path_line = [line for line in ax.get_lines() if line.get_label() == "thrown"][0]
    np.testing.assert_allclose(path_line.get_xydata(), run["path"][:2])
    notes = [t.get_text() for t in ax.texts]
    assert any("leaves the map after 2 steps" in n and "(33.8, -45.8)" in n for n in notes)
    assert ax.get_xlim() == (-1, 4) and ax.get_ylim() == (-3, 3)


def test_plot_gradient_map_shows_log10_of_the_norm_clipped():
    land = _small_landscape()
    ax = plots.plot_gradient_map(land["ws"], land["us"], land["grad_norm"], vmin=-1, vmax=1)
    mesh = ax.collections[0]
    np.testing.assert_allclose(np.asarray(mesh.get_array()).reshape(20, 21),
                               np.log10(land["grad_norm"]))
    assert mesh.get_clim() == (-1, 1)
    with pytest.raises(ValueError, match=r"grad_norm must have shape \(len\(us\), len\(ws\)\)"):
        plots.plot_gradient_map(land["ws"], land["us"], land["grad_norm"].T)


def test_plot_descent_history_has_loss_and_gradient_axes(task):
    x, y = task
    run = fit_univariate.gradient_descent(x, y, 0.0, 0.5, steps=10)
    ax = plots.plot_descent_history(run)
    np.testing.assert_allclose(ax.get_lines()[0].get_ydata(), run["loss"])
    np.testing.assert_allclose(ax.right_ax.get_lines()[0].get_ydata(), run["grad_norm"])
    assert ax.right_ax.get_yscale() == "log"
    k = int(np.argmax(run["grad_norm"]))
    assert f"after {k} steps" in ax.get_title()
    with pytest.raises(ValueError, match="loss must have shape"):
        plots.plot_descent_history({"loss": run["loss"][:-1], "grad_norm": run["grad_norm"]})


def test_plot_descent_runs_gradient_descent_on_the_landscape():
    land = _small_landscape()
    ax = plots.plot_descent(land, w0=-0.5, u0=-1.0, lr=0.5, steps=20)
    run = fit_univariate.gradient_descent(land["x"], land["y"], -0.5, -1.0, lr=0.5, steps=20)
    path_line = [line for line in ax.get_lines() if line.get_label().startswith("lr = 0.5")][0]
    np.testing.assert_allclose(path_line.get_xydata(), run["path"])
    assert f"{run['loss'][0]:.3f} -> {run['loss'][-1]:.3f}" in ax.get_title()


# --- widgets ----------------------------------------------------------------------------------


def test_stack_explorer_redraws_with_the_chosen_depth_and_weights(monkeypatch):
    calls = []
    monkeypatch.setattr(training, "plot_univariate_stack",
                        lambda x, ws, us, **kw: calls.append((list(ws), list(us), kw)))
    box = widgets.stack_explorer(np.zeros(20), depth=2, ylabel="mV")
    controls = {c.description: c for c in box.kwargs_widgets}
    assert set(controls) == {"depth", "linear (no tanh)", "w1", "u1", "w2", "u2", "w3", "u3",
                             "w4", "u4"}
    controls["w2"].value = 1.25
    assert calls[-1][0] == [0.7, 1.25] and calls[-1][2] == {"linear": True, "ylabel": "mV"}
    controls["depth"].value = 4
    assert calls[-1][0] == [0.7, 1.25, 0.7, 0.7] and len(calls[-1][1]) == 4
    controls["linear (no tanh)"].value = False
    assert calls[-1][2]["linear"] is False


def test_stack_explorer_refuses_a_depth_beyond_its_layers():
    with pytest.raises(ValueError, match="depth"):
        widgets.stack_explorer(np.zeros(5), depth=5)
    with pytest.raises(ValueError, match="same length"):
        widgets.stack_explorer(np.zeros(5), ws=(0.5, 0.5), us=(0.5,))


def test_descent_explorer_redraws_from_the_chosen_start(monkeypatch):
    calls = []
    monkeypatch.setattr(training, "plot_descent", lambda land, **kw: calls.append(kw))
    land = _small_landscape()
    box = widgets.descent_explorer(land, w0=1.5, u0=-2.0)
    controls = {c.description: c for c in box.kwargs_widgets}
    assert controls["start w"].min == -1 and controls["start u"].max == 3
    controls["start u"].value = 0.5
    assert calls[-1] == {"w0": 1.5, "u0": 0.5, "lr": 0.5, "steps": 100}
    controls["steps"].value = 30
    assert calls[-1]["steps"] == 30
