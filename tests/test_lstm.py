"""The LSTM cell: gradient checks, the gate order [i, f, o, g], agreement with the step, dtypes."""
import warnings

import numpy as np
import pytest

from rnnlib import (
    check_gradients,
    lstm_backward,
    lstm_forward,
    lstm_step_backward,
    lstm_step_forward,
    sigmoid,
)

STEP_SHAPES = [(1, 1, 1), (2, 3, 4), (3, 5, 1), (1, 4, 6), (4, 1, 3)]  # (N, D, H)
SEQ_SHAPES = [(1, 1, 1, 1), (2, 3, 4, 5), (1, 5, 2, 1), (3, 1, 4, 3), (2, 7, 3, 4), (1, 4, 1, 6)]


def lstm_inputs(rng, N, T, D, H, dtype=np.float64, scale=0.4):
    x = rng.standard_normal((N, T, D))
    h0 = 0.5 * rng.standard_normal((N, H))
    Wx, Wh, b = (scale * rng.standard_normal(s) for s in [(D, 4 * H), (H, 4 * H), (4 * H,)])
    return {k: v.astype(dtype) for k, v in dict(x=x, h0=h0, Wx=Wx, Wh=Wh, b=b).items()}


def reference_step(x, h, c, Wx, Wh, b):
    """The LSTM equations written out, gates in the order [i, f, o, g]."""
    H = h.shape[1]
    a = x @ Wx + h @ Wh + b
    i = 1 / (1 + np.exp(-a[:, :H]))
    f = 1 / (1 + np.exp(-a[:, H : 2 * H]))
    o = 1 / (1 + np.exp(-a[:, 2 * H : 3 * H]))
    g = np.tanh(a[:, 3 * H :])
    c = f * c + i * g
    return o * np.tanh(c), c


def step_as_one_output(x, prev_h, prev_c, Wx, Wh, b):
    """lstm_step_forward with (next_h, next_c) stacked, so that one check covers both outputs."""
    next_h, next_c, cache = lstm_step_forward(x, prev_h, prev_c, Wx, Wh, b)
    return np.concatenate([next_h, next_c], axis=1), cache


def step_backward_one_output(dout, cache):
    dnext_h, dnext_c = np.split(dout, 2, axis=1)
    return lstm_step_backward(dnext_h, dnext_c, cache)


@pytest.mark.parametrize("N,D,H", STEP_SHAPES)
def test_step_backward_matches_numerical_gradient(rng, N, D, H):
    p = lstm_inputs(rng, N, 1, D, H)
    inputs = dict(x=p["x"][:, 0], prev_h=p["h0"], prev_c=rng.standard_normal((N, H)),
                  Wx=p["Wx"], Wh=p["Wh"], b=p["b"])
    errors = check_gradients(step_as_one_output, step_backward_one_output, inputs)
    assert set(errors) == set(inputs)
    assert max(errors.values()) < 1e-7, errors


@pytest.mark.parametrize("N,T,D,H", SEQ_SHAPES)
def test_sequence_backward_matches_numerical_gradient(rng, N, T, D, H):
    errors = check_gradients(lstm_forward, lstm_backward, lstm_inputs(rng, N, T, D, H))
    assert set(errors) == {"x", "h0", "Wx", "Wh", "b"}
    assert max(errors.values()) < 1e-6, errors


def test_step_follows_the_written_out_equations(rng):
    p = lstm_inputs(rng, 3, 1, 4, 5, scale=1.0)
    c = rng.standard_normal((3, 5))
    h_ref, c_ref = reference_step(p["x"][:, 0], p["h0"], c, p["Wx"], p["Wh"], p["b"])
    next_h, next_c, _ = lstm_step_forward(p["x"][:, 0], p["h0"], c, p["Wx"], p["Wh"], p["b"])
    np.testing.assert_allclose(next_h, h_ref, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(next_c, c_ref, rtol=1e-12, atol=1e-14)


def test_sequence_starts_from_zero_cell_state_and_equals_the_steps(rng):
    p = lstm_inputs(rng, 2, 6, 3, 4, scale=1.0)
    h, _ = lstm_forward(**p)
    prev_h, prev_c = p["h0"], np.zeros_like(p["h0"])
    for t in range(6):
        prev_h, prev_c = reference_step(p["x"][:, t], prev_h, prev_c, p["Wx"], p["Wh"], p["b"])
        np.testing.assert_allclose(h[:, t], prev_h, rtol=1e-12, atol=1e-14)


def test_gate_order_is_i_f_o_g():
    # One unit, no weights: only the biases set the gates. A closed output gate (o = 0) gives
    # h = 0 whatever else happens; an open one gives h = tanh(c) with c = f * c + i * g.
    H, big = 1, 50.0
    x, h0 = np.zeros((1, 3, 1)), np.zeros((1, H))
    Wx, Wh = np.zeros((1, 4 * H)), np.zeros((H, 4 * H))
    i, f, o, g = big, big, big, 0.5
    h, _ = lstm_forward(x, h0, Wx, Wh, np.array([i, f, o, g]))
    # i = f = o = 1: the cell adds tanh(0.5) at every step.
    np.testing.assert_allclose(h[0, :, 0], np.tanh(np.tanh(0.5) * np.arange(1, 4)), rtol=1e-12)
    h, _ = lstm_forward(x, h0, Wx, Wh, np.array([i, -big, o, g]))  # forget gate shut
    np.testing.assert_allclose(h[0, :, 0], np.tanh(np.tanh(0.5)), rtol=1e-12)
    h, _ = lstm_forward(x, h0, Wx, Wh, np.array([i, f, -big, g]))  # output gate shut
    np.testing.assert_allclose(h, 0, atol=1e-20)
    h, _ = lstm_forward(x, h0, Wx, Wh, np.array([-big, f, o, g]))  # input gate shut
    np.testing.assert_allclose(h, 0, atol=1e-20)


def test_sigmoid_is_stable_and_accurate():
    z = np.linspace(-50, 50, 1001)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow warning for large |x|
        s = sigmoid(z)
        assert sigmoid(np.array([-1000.0]))[0] == 0.0 and sigmoid(np.array([1000.0]))[0] == 1.0
        assert sigmoid(np.array([-1000.0], dtype=np.float32))[0] == 0.0
    exact = np.exp(-np.logaddexp(0, -z))
    np.testing.assert_allclose(s, exact, rtol=1e-14)  # relative accuracy, also for tiny values
    assert np.all(np.diff(s) >= 0)
    assert sigmoid(np.float32(3.0)).dtype == np.float32


def test_large_pre_activations_raise_no_warning(rng):
    p = lstm_inputs(rng, 2, 5, 3, 4, scale=200.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        h, cache = lstm_forward(**p)
        lstm_backward(np.ones_like(h), cache)
    assert np.all(np.isfinite(h))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dtype_is_preserved_in_outputs_and_gradients(rng, dtype):
    p = lstm_inputs(rng, 2, 3, 4, 5, dtype=dtype)
    h, cache = lstm_forward(**p)
    assert h.dtype == dtype
    grads = lstm_backward(np.ones_like(h), cache)
    assert [g.dtype for g in grads] == [dtype] * 5
    assert [g.shape for g in grads] == [p[k].shape for k in ("x", "h0", "Wx", "Wh", "b")]
    c = np.zeros_like(p["h0"])
    nh, nc, step_cache = lstm_step_forward(p["x"][:, 0], p["h0"], c, p["Wx"], p["Wh"], p["b"])
    assert nh.dtype == nc.dtype == dtype
    step_grads = lstm_step_backward(np.ones_like(nh), np.ones_like(nc), step_cache)
    assert [g.dtype for g in step_grads] == [dtype] * 6


def test_float32_agrees_with_float64(rng):
    p64 = lstm_inputs(rng, 3, 10, 4, 8)
    p32 = {k: v.astype(np.float32) for k, v in p64.items()}
    h64, c64 = lstm_forward(**p64)
    h32, c32 = lstm_forward(**p32)
    np.testing.assert_allclose(h32, h64, atol=1e-5)
    dh = rng.standard_normal(h64.shape)
    for g32, g64 in zip(lstm_backward(dh.astype(np.float32), c32), lstm_backward(dh, c64)):
        np.testing.assert_allclose(g32, g64, rtol=1e-4, atol=1e-4)


def test_inputs_are_not_modified_and_cache_reusable(rng):
    p = lstm_inputs(rng, 2, 3, 4, 5)
    before = {k: v.copy() for k, v in p.items()}
    h, cache = lstm_forward(**p)
    dh = rng.standard_normal(h.shape)
    first = lstm_backward(dh, cache)
    second = lstm_backward(dh, cache)
    for k in p:
        np.testing.assert_array_equal(p[k], before[k])
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a, b)


def test_cache_exposes_the_gate_activations(rng):
    # rnnlib.plots.memory reads the forget gate f_t of every step from cache[3] (T, N, 4H)
    p = lstm_inputs(rng, 2, 5, 3, 4, scale=1.0)
    h, cache = lstm_forward(**p)
    prev_h = p["h0"]
    for t in range(5):
        a = p["x"][:, t] @ p["Wx"] + prev_h @ p["Wh"] + p["b"]
        np.testing.assert_allclose(cache[3][t, :, 4:8], 1 / (1 + np.exp(-a[:, 4:8])), rtol=1e-12)
        prev_h = h[:, t]
