"""The vanilla RNN cell: gradient checks, agreement of the sequence and step functions, dtypes."""
import warnings

import numpy as np
import pytest

import rnnlib
from rnnlib import check_gradients, rnn_backward, rnn_forward, rnn_step_backward, rnn_step_forward

STEP_SHAPES = [(1, 1, 1), (2, 3, 4), (3, 5, 1), (1, 4, 6), (4, 1, 3)]  # (N, D, H)
SEQ_SHAPES = [(1, 1, 1, 1), (2, 3, 4, 5), (1, 5, 2, 1), (3, 1, 4, 3), (2, 7, 3, 4), (1, 4, 1, 6)]


def rnn_inputs(rng, N, T, D, H, dtype=np.float64, scale=0.4):
    """Moderate weights (std 0.4): the tanh neither saturates nor stays linear."""
    x = rng.standard_normal((N, T, D))
    h0 = rng.standard_normal((N, H)) * 0.5
    Wx, Wh, b = (scale * rng.standard_normal(s) for s in [(D, H), (H, H), (H,)])
    return {k: v.astype(dtype) for k, v in dict(x=x, h0=h0, Wx=Wx, Wh=Wh, b=b).items()}


@pytest.mark.parametrize("N,D,H", STEP_SHAPES)
def test_step_backward_matches_numerical_gradient(rng, N, D, H):
    inputs = rnn_inputs(rng, N, 1, D, H)
    inputs["x"] = inputs["x"][:, 0]
    errors = check_gradients(rnn_step_forward, rnn_step_backward, inputs)
    assert set(errors) == {"x", "h0", "Wx", "Wh", "b"}
    assert max(errors.values()) < 1e-7, errors


@pytest.mark.parametrize("N,T,D,H", SEQ_SHAPES)
def test_sequence_backward_matches_numerical_gradient(rng, N, T, D, H):
    errors = check_gradients(rnn_forward, rnn_backward, rnn_inputs(rng, N, T, D, H))
    assert set(errors) == {"x", "h0", "Wx", "Wh", "b"}
    assert max(errors.values()) < 1e-6, errors


def test_forward_equals_the_step_function_applied_T_times(rng):
    p = rnn_inputs(rng, 3, 6, 4, 5)
    h, _ = rnn_forward(**p)
    prev = p["h0"]
    for t in range(6):
        prev, _ = rnn_step_forward(p["x"][:, t], prev, p["Wx"], p["Wh"], p["b"])
        np.testing.assert_allclose(h[:, t], prev, rtol=1e-12, atol=1e-14)


def test_backward_equals_stepping_backward_through_time(rng):
    p = rnn_inputs(rng, 2, 5, 3, 4)
    h, cache = rnn_forward(**p)
    dh = rng.standard_normal(h.shape)
    dx, dh0, dWx, dWh, db = rnn_backward(dh, cache)
    caches, prev = [], p["h0"]
    for t in range(5):
        prev, c = rnn_step_forward(p["x"][:, t], prev, p["Wx"], p["Wh"], p["b"])
        caches.append(c)
    carry = np.zeros_like(p["h0"])
    sums = [np.zeros_like(p[k]) for k in ("Wx", "Wh", "b")]
    for t in reversed(range(5)):
        dx_t, carry, *dw = rnn_step_backward(dh[:, t] + carry, caches[t])
        np.testing.assert_allclose(dx[:, t], dx_t, rtol=1e-12, atol=1e-14)
        sums = [s + d for s, d in zip(sums, dw)]
    np.testing.assert_allclose(dh0, carry, rtol=1e-12, atol=1e-14)
    for got, want in zip((dWx, dWh, db), sums):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-14)


def test_hidden_state_is_bounded_and_h0_matters(rng):
    p = rnn_inputs(rng, 2, 4, 3, 5, scale=3.0)
    h, _ = rnn_forward(**p)
    assert h.shape == (2, 4, 5)
    assert np.all(np.abs(h) <= 1)
    h_other, _ = rnn_forward(**{**p, "h0": -p["h0"]})
    assert not np.allclose(h[:, 0], h_other[:, 0])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dtype_is_preserved_in_outputs_and_gradients(rng, dtype):
    p = rnn_inputs(rng, 2, 3, 4, 5, dtype=dtype)
    h, cache = rnn_forward(**p)
    assert h.dtype == dtype
    grads = rnn_backward(np.ones_like(h), cache)
    assert [g.dtype for g in grads] == [dtype] * 5
    assert [g.shape for g in grads] == [p[k].shape for k in ("x", "h0", "Wx", "Wh", "b")]
    step_h, step_cache = rnn_step_forward(p["x"][:, 0], p["h0"], p["Wx"], p["Wh"], p["b"])
    assert step_h.dtype == dtype
    assert [g.dtype for g in rnn_step_backward(np.ones_like(step_h), step_cache)] == [dtype] * 5


def test_float32_agrees_with_float64(rng):
    p64 = rnn_inputs(rng, 3, 10, 4, 8)
    p32 = {k: v.astype(np.float32) for k, v in p64.items()}
    h64, c64 = rnn_forward(**p64)
    h32, c32 = rnn_forward(**p32)
    np.testing.assert_allclose(h32, h64, atol=1e-5)
    dh = rng.standard_normal(h64.shape)
    for g32, g64 in zip(rnn_backward(dh.astype(np.float32), c32), rnn_backward(dh, c64)):
        np.testing.assert_allclose(g32, g64, rtol=1e-4, atol=1e-4)


def test_inputs_are_not_modified(rng):
    p = rnn_inputs(rng, 2, 3, 4, 5)
    before = {k: v.copy() for k, v in p.items()}
    h, cache = rnn_forward(**p)
    dh = rng.standard_normal(h.shape)
    dh_before = dh.copy()
    rnn_backward(dh, cache)
    rnn_backward(dh, cache)  # a cache can be used twice
    for k in p:
        np.testing.assert_array_equal(p[k], before[k])
    np.testing.assert_array_equal(dh, dh_before)


def test_backward_twice_gives_the_same_gradients(rng):
    p = rnn_inputs(rng, 2, 3, 4, 5)
    h, cache = rnn_forward(**p)
    dh = rng.standard_normal(h.shape)
    for a, b in zip(rnn_backward(dh, cache), rnn_backward(dh, cache)):
        np.testing.assert_array_equal(a, b)


def test_non_contiguous_inputs_give_the_same_result(rng):
    p = rnn_inputs(rng, 3, 5, 4, 6)
    h, _ = rnn_forward(**p)
    x_f = np.asfortranarray(p["x"])
    Wh_t = np.ascontiguousarray(p["Wh"].T).T  # same values, transposed memory layout
    h2, _ = rnn_forward(x_f, p["h0"], p["Wx"], Wh_t, p["b"])
    np.testing.assert_allclose(h2, h, rtol=1e-12, atol=1e-14)


def test_top_level_package_exports_the_cell():
    assert rnnlib.rnn_forward is rnn_forward and rnnlib.rnn_backward is rnn_backward


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_saturated_units_give_plus_minus_one_without_warnings(dtype):
    x = np.array([[[1.0], [-1.0]]], dtype=dtype)  # N=1, T=2, D=1
    Wx = np.array([[1000.0, -1000.0, 1e-9]], dtype=dtype)
    zeros = np.zeros(3, dtype=dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        h, _ = rnn_forward(x, np.zeros((1, 3), dtype=dtype), Wx, np.zeros((3, 3), dtype), zeros)
    np.testing.assert_array_equal(h[0, :, :2], [[1, -1], [-1, 1]])
    np.testing.assert_allclose(h[0, :, 2], [1e-9, -1e-9], rtol=1e-6)
