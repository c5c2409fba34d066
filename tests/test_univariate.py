"""The one-number recurrent cell and its moving-average twin."""
import numpy as np
import pytest

from rnnlib import (
    check_gradients,
    ewma,
    fixed_points,
    half_life,
    impulse_response,
    noisy_sine,
    univariate_rnn,
    univariate_rnn_backward,
    univariate_rnn_forward,
    univariate_stack,
)


@pytest.mark.parametrize("alpha", [0.05, 0.3, 0.5, 0.9, 1.0])
def test_linear_cell_with_w_1_minus_alpha_and_u_alpha_is_the_ewma(rng, alpha):
    for x in (rng.standard_normal(500), noisy_sine(300), np.array([2.5])):
        h = univariate_rnn(x, 1 - alpha, alpha, linear=True)
        np.testing.assert_allclose(h, ewma(x, alpha), rtol=0, atol=1e-12)


def test_ewma_by_hand():
    s = ewma(np.array([1.0, 0.0, 2.0]), 0.5)
    np.testing.assert_allclose(s, [0.5, 0.25, 1.125], rtol=1e-15)  # starts from s0 = 0
    np.testing.assert_allclose(ewma(np.array([1.0, 3.0]), 0.5, s0=1.0), [1.0, 2.0])
    np.testing.assert_array_equal(ewma(np.array([4.0, -1.0]), 1.0), [4.0, -1.0])  # no memory


def test_ewma_of_a_constant_approaches_it(rng):
    s = ewma(np.full(200, 3.0), 0.1)
    assert abs(s[-1] - 3.0) < 1e-8 and np.all(np.diff(s) > 0)


def test_ewma_refuses_a_bad_alpha_or_shape():
    with pytest.raises(ValueError, match="alpha"):
        ewma(np.ones(3), 0.0)
    with pytest.raises(ValueError, match="alpha"):
        ewma(np.ones(3), 1.5)
    with pytest.raises(ValueError, match=r"\(T,\).*\(3, 2\)"):
        ewma(np.ones((3, 2)), 0.5)


def test_tanh_cell_by_hand():
    h = univariate_rnn(np.array([1.0, -2.0]), 0.5, 2.0)
    first = np.tanh(2.0)
    np.testing.assert_allclose(h, [first, np.tanh(0.5 * first - 4.0)], rtol=1e-15)
    h0_matters = univariate_rnn(np.array([0.0]), 0.5, 2.0, h0=1.0)
    np.testing.assert_allclose(h0_matters, [np.tanh(0.5)], rtol=1e-15)


def univariate_layer(linear):
    """univariate_rnn_forward/backward with every input an array, for check_gradients."""

    def forward(x, w, u, h0):
        return univariate_rnn_forward(x, float(w), float(u), h0=float(h0), linear=linear)

    return forward, univariate_rnn_backward


@pytest.mark.parametrize("T", [1, 2, 7, 30])
@pytest.mark.parametrize("linear", [False, True])
def test_backward_matches_numerical_gradient(rng, T, linear):
    forward, backward = univariate_layer(linear)
    inputs = dict(x=rng.standard_normal(T), w=np.array(0.8), u=np.array(0.6), h0=np.array(0.3))
    errors = check_gradients(forward, backward, inputs)
    assert set(errors) == {"x", "w", "u", "h0"}
    assert max(errors.values()) < 1e-6, errors


def test_backward_returns_floats_and_keeps_dtype(rng):
    for dtype in (np.float32, np.float64):
        x = rng.standard_normal(5).astype(dtype)
        h, cache = univariate_rnn_forward(x, 0.5, 1.0)
        assert h.dtype == dtype
        dx, dw, du, dh0 = univariate_rnn_backward(np.ones_like(h), cache)
        assert dx.dtype == dtype and all(isinstance(v, float) for v in (dw, du, dh0))


def test_impulse_response_and_half_life():
    np.testing.assert_allclose(impulse_response(0.5, 2.0, 4), [2.0, 1.0, 0.5, 0.25])
    # the impulse response is what the linear cell does to a unit impulse
    impulse = np.zeros(6)
    impulse[0] = 1.0
    np.testing.assert_allclose(univariate_rnn(impulse, 0.7, 0.4, linear=True),
                               impulse_response(0.7, 0.4, 6), rtol=1e-14)
    assert half_life(0.5) == pytest.approx(1.0)
    assert half_life(-0.5) == pytest.approx(1.0)
    assert 0.9 ** half_life(0.9) == pytest.approx(0.5)
    assert half_life(1.0) == np.inf and half_life(1.2) == np.inf and half_life(0.0) == 0.0


@pytest.mark.parametrize("w", [0.2, 0.9, 1.0])
def test_one_fixed_point_for_w_at_most_one(w):
    np.testing.assert_allclose(fixed_points(w), [0.0], atol=1e-12)


@pytest.mark.parametrize("w,b", [(2.0, 0.0), (3.0, 0.0), (2.0, 0.1), (1.5, -0.05)])
def test_fixed_points_satisfy_the_equation(w, b):
    roots = fixed_points(w, b)
    assert len(roots) == 3 and np.all(np.diff(roots) > 0)
    np.testing.assert_allclose(np.tanh(w * roots + b), roots, atol=1e-12)
    if b == 0:
        np.testing.assert_allclose(roots, [-roots[2], 0.0, roots[2]], atol=1e-12)


def test_fixed_points_with_a_strong_input_leave_one():
    roots = fixed_points(2.0, 3.0)
    assert len(roots) == 1 and roots[0] > 0.99


def test_stack_layers_feed_each_other(rng):
    x = rng.standard_normal(50)
    hs = univariate_stack(x, [0.5, 0.8, 0.3], [1.0, 0.7, 2.0])
    assert hs.shape == (3, 50)
    np.testing.assert_allclose(hs[0], univariate_rnn(x, 0.5, 1.0))
    np.testing.assert_allclose(hs[1], univariate_rnn(hs[0], 0.8, 0.7))
    np.testing.assert_allclose(hs[2], univariate_rnn(hs[1], 0.3, 2.0))


def test_linear_stack_is_a_cascade_of_moving_averages(rng):
    x = rng.standard_normal(80)
    hs = univariate_stack(x, [0.7, 0.7], [0.3, 0.3], linear=True)
    np.testing.assert_allclose(hs[1], ewma(ewma(x, 0.3), 0.3), atol=1e-12)
    assert np.std(np.diff(hs[1])) < np.std(np.diff(hs[0])) < np.std(np.diff(x))  # smoother


def test_stack_refuses_mismatched_weights():
    with pytest.raises(ValueError, match="same length"):
        univariate_stack(np.ones(3), [0.5, 0.5], [1.0])
