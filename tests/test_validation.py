"""Bad input fails early, with a ValueError that names what was expected and what came."""
import re

import numpy as np
import pytest

import rnnlib


@pytest.fixture
def rnn_args(rng):
    N, T, D, H = 2, 4, 3, 5
    return dict(x=rng.standard_normal((N, T, D)), h0=np.zeros((N, H)),
                Wx=rng.standard_normal((D, H)), Wh=rng.standard_normal((H, H)), b=np.zeros(H))


def raises_naming(*fragments):
    """pytest.raises(ValueError) whose message contains every fragment, verbatim."""
    return pytest.raises(ValueError, match=".*".join(re.escape(f) for f in fragments))


@pytest.mark.parametrize("name,bad,expected,got", [
    ("x", lambda a: a["x"][:, 0], "(N, T, D) = (*, *, 3)", "got (2, 3)"),
    ("x", lambda a: a["x"][:, :, :2], "(N, T, D) = (*, *, 3)", "got (2, 4, 2)"),
    ("h0", lambda a: a["h0"][:1], "(N, H) = (2, 5)", "got (1, 5)"),
    ("Wh", lambda a: a["Wh"][:, :4], "(H, H) = (5, 5)", "got (5, 4)"),
    ("b", lambda a: a["b"][:4], "(H,) = (5,)", "got (4,)"),
    ("b", lambda a: np.zeros((1, 5)), "(H,) = (5,)", "got (1, 5)"),
])
def test_rnn_forward_names_expected_and_actual_shapes(rnn_args, name, bad, expected, got):
    args = dict(rnn_args, **{name: bad(rnn_args)})
    with raises_naming(f"{name} must have shape {expected}", got):
        rnnlib.rnn_forward(**args)


def test_wrong_dtypes_are_refused_not_cast(rnn_args):
    with raises_naming("x must be a float32 or float64 array", "int64"):
        rnnlib.rnn_forward(**dict(rnn_args, x=rnn_args["x"].astype(np.int64)))
    with raises_naming("b must be a float32 or float64 array", "complex128"):
        rnnlib.rnn_forward(**dict(rnn_args, b=rnn_args["b"] + 0j))
    with raises_naming("h0 must be a float32 or float64 array", "object"):
        rnnlib.rnn_forward(**dict(rnn_args, h0=None))
    with raises_naming("share one float dtype", "x: float32", "h0: float64"):
        rnnlib.rnn_forward(**dict(rnn_args, x=rnn_args["x"].astype(np.float32)))


def test_plain_python_lists_are_accepted(rnn_args):
    as_lists = {k: v.tolist() for k, v in rnn_args.items()}
    h, _ = rnnlib.rnn_forward(**as_lists)
    np.testing.assert_array_equal(h, rnnlib.rnn_forward(**rnn_args)[0])


def test_step_functions_check_their_shapes(rnn_args):
    a = rnn_args
    with raises_naming("x must have shape (N, D) = (*, 3)", "got (2, 4, 3)"):
        rnnlib.rnn_step_forward(a["x"], a["h0"], a["Wx"], a["Wh"], a["b"])
    with raises_naming("prev_h must have shape (N, H) = (2, 5)", "got (3, 5)"):
        rnnlib.rnn_step_forward(a["x"][:, 0], np.zeros((3, 5)), a["Wx"], a["Wh"], a["b"])
    x, h = a["x"][:, 0], a["h0"]
    with raises_naming("prev_c must have shape (N, H) = (2, 5)", "got (5,)"):
        rnnlib.lstm_step_forward(x, h, np.zeros(5), np.zeros((3, 20)), np.zeros((5, 20)),
                                 np.zeros(20))
    with raises_naming("share one float dtype", "prev_c: float32"):
        rnnlib.lstm_step_forward(x, h, np.zeros((2, 5), np.float32), np.zeros((3, 20)),
                                 np.zeros((5, 20)), np.zeros(20))


def test_gated_cells_check_the_stacked_gate_widths(rnn_args):
    x, h0 = rnn_args["x"], rnn_args["h0"]
    with raises_naming("Wx must have shape (D, 4H) = (*, 20)", "got (3, 15)"):
        rnnlib.lstm_forward(x, h0, np.zeros((3, 15)), np.zeros((5, 20)), np.zeros(20))
    with raises_naming("b must have shape (4H,) = (20,)", "got (5,)"):
        rnnlib.lstm_forward(x, h0, np.zeros((3, 20)), np.zeros((5, 20)), np.zeros(5))
    with raises_naming("bh must have shape (3H,) = (15,)", "got (5,)"):
        rnnlib.gru_forward(x, h0, np.zeros((3, 15)), np.zeros((5, 15)), np.zeros(15),
                           np.zeros(5))
    with raises_naming("Wh must have shape (H, 3H) = (5, 15)", "got (5, 20)"):
        rnnlib.gru_forward(x, h0, np.zeros((3, 15)), np.zeros((5, 20)), np.zeros(15),
                           np.zeros(15))


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_backward_checks_the_upstream_gradient(rnn_args, cell):
    G = {"rnn": 1, "lstm": 4, "gru": 3}[cell]
    params = rnnlib.init_cell(cell, 3, 5, rng=np.random.default_rng(0))
    assert params["Wx"].shape == (3, G * 5)
    h, cache = rnnlib.cells.cell_forward(cell, rnn_args["x"], rnn_args["h0"], params)
    with raises_naming("dh must have shape (N, T, H) = (2, 4, 5)", "got (2, 4, 4)"):
        rnnlib.cells.cell_backward(np.zeros((2, 4, 4)), cache)


def test_layers_and_losses_check_their_inputs(rng):
    x = rng.standard_normal((2, 4, 3))
    with raises_naming("x must have shape (N, T, D) = (*, *, 4)", "got (2, 4, 3)"):
        rnnlib.temporal_affine_forward(x, np.zeros((4, 2)), np.zeros(2))
    with raises_naming("b must have shape (M,) = (2,)", "got (3,)"):
        rnnlib.temporal_affine_forward(x, np.zeros((3, 2)), np.zeros(3))
    with raises_naming("x must have shape (N, D) = (*, 3)", "got (2, 4, 3)"):
        rnnlib.affine_forward(x, np.zeros((3, 2)), np.zeros(2))
    with raises_naming("y must have shape (N, T) = (2, 4)", "got (2, 3)"):
        rnnlib.temporal_softmax_loss(x, np.zeros((2, 3), dtype=int))
    with raises_naming("mask must have shape (N, T) = (2, 4)", "got (4, 2)"):
        rnnlib.temporal_softmax_loss(x, np.zeros((2, 4), dtype=int), np.ones((4, 2), bool))
    with raises_naming("y must be an integer array", "float64"):
        rnnlib.temporal_softmax_loss(x, np.zeros((2, 4)))
    with raises_naming("x must have shape (N, T) = (*, *)", "got (4,)"):
        rnnlib.embedding_forward(np.zeros(4, dtype=int), np.zeros((5, 3)))


def test_models_check_their_inputs(rng):
    model = rnnlib.CharRNN(5, 4)
    with raises_naming("x must hold token ids in [0, 5)", "0 to 7"):
        model.loss(np.array([[0, 7]]), np.array([[1, 2]]))
    with raises_naming("y must have shape (N, T) = (1, 2)", "got (1, 3)"):
        model.loss(np.array([[0, 1]]), np.array([[1, 2, 3]]))
    reg = rnnlib.SequenceRegressor(2, 3, output_size=1)
    with raises_naming("x must have shape (N, T, D) = (*, *, 2)", "got (4, 5, 3)"):
        reg.predict(rng.standard_normal((4, 5, 3)))
    with raises_naming("(4, 1)", "got (4, 2)"):
        reg.loss(rng.standard_normal((4, 5, 2)), np.zeros((4, 2)))
    with raises_naming("cell must be one of ['gru', 'lstm', 'rnn']", "got 'foo'"):
        rnnlib.CharRNN(5, 4, cell="foo")


def test_series_helpers_check_their_inputs():
    with raises_naming("x must have shape (T,) = (*,)", "got (3, 2)"):
        rnnlib.univariate_rnn(np.zeros((3, 2)), 0.5, 1.0)
    with raises_naming("x must have shape (T,) = (*,)", "got (3, 2)"):
        rnnlib.ewma(np.zeros((3, 2)), 0.5)
    with raises_naming("dh must have shape (T,) = (3,)", "got (4,)"):
        _, cache = rnnlib.univariate_rnn_forward(np.zeros(3), 0.5, 1.0)
        rnnlib.univariate_rnn_backward(np.zeros(4), cache)
