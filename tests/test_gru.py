"""The GRU cell in PyTorch's formulation: gradient checks, the equations, agreement, dtypes."""
import numpy as np
import pytest

from rnnlib import check_gradients, gru_backward, gru_forward, gru_step_backward, gru_step_forward

STEP_SHAPES = [(1, 1, 1), (2, 3, 4), (3, 5, 1), (1, 4, 6), (4, 1, 3)]  # (N, D, H)
SEQ_SHAPES = [(1, 1, 1, 1), (2, 3, 4, 5), (1, 5, 2, 1), (3, 1, 4, 3), (2, 7, 3, 4), (1, 4, 1, 6)]
NAMES = ("x", "h0", "Wx", "Wh", "bx", "bh")


def gru_inputs(rng, N, T, D, H, dtype=np.float64, scale=0.4):
    x = rng.standard_normal((N, T, D))
    h0 = 0.5 * rng.standard_normal((N, H))
    shapes = [(D, 3 * H), (H, 3 * H), (3 * H,), (3 * H,)]
    Wx, Wh, bx, bh = (scale * rng.standard_normal(s) for s in shapes)
    return {k: v.astype(dtype) for k, v in zip(NAMES, (x, h0, Wx, Wh, bx, bh))}


def reference_step(x, h, Wx, Wh, bx, bh):
    """PyTorch's GRU equations written out, gates in the order [r, z, n]."""
    H = h.shape[1]
    sig = lambda a: 1 / (1 + np.exp(-a))  # noqa: E731
    ax, ah = x @ Wx + bx, h @ Wh + bh
    r = sig(ax[:, :H] + ah[:, :H])
    z = sig(ax[:, H : 2 * H] + ah[:, H : 2 * H])
    n = np.tanh(ax[:, 2 * H :] + r * ah[:, 2 * H :])
    return (1 - z) * n + z * h


@pytest.mark.parametrize("N,D,H", STEP_SHAPES)
def test_step_backward_matches_numerical_gradient(rng, N, D, H):
    inputs = gru_inputs(rng, N, 1, D, H)
    inputs["x"] = inputs["x"][:, 0]
    errors = check_gradients(gru_step_forward, gru_step_backward, inputs)
    assert set(errors) == set(NAMES)
    assert max(errors.values()) < 1e-7, errors


@pytest.mark.parametrize("N,T,D,H", SEQ_SHAPES)
def test_sequence_backward_matches_numerical_gradient(rng, N, T, D, H):
    errors = check_gradients(gru_forward, gru_backward, gru_inputs(rng, N, T, D, H))
    assert set(errors) == set(NAMES)
    assert max(errors.values()) < 1e-6, errors


def test_sequence_follows_the_written_out_equations(rng):
    p = gru_inputs(rng, 3, 6, 4, 5, scale=1.0)
    h, _ = gru_forward(**p)
    prev = p["h0"]
    for t in range(6):
        prev = reference_step(p["x"][:, t], prev, p["Wx"], p["Wh"], p["bx"], p["bh"])
        np.testing.assert_allclose(h[:, t], prev, rtol=1e-12, atol=1e-14)
    step_h, _ = gru_step_forward(p["x"][:, 0], p["h0"], p["Wx"], p["Wh"], p["bx"], p["bh"])
    np.testing.assert_allclose(step_h, h[:, 0], rtol=1e-12, atol=1e-14)


def test_reset_gate_multiplies_the_hidden_part_including_its_bias():
    # PyTorch's formulation: n = tanh(x Wx_n + bx_n + r * (h Wh_n + bh_n)). With r = 0 the
    # hidden bias bh_n drops out; with an update gate z = 0 the new state is n itself.
    H, big = 1, 60.0
    x, h0 = np.zeros((1, 1, 1)), np.full((1, H), 0.7)
    Wx, Wh = np.zeros((1, 3)), np.zeros((1, 3))
    bx = np.array([-big, -big, 0.2])  # r = 0, z = 0, x-part of n = 0.2
    h, _ = gru_forward(x, h0, Wx, Wh, bx, np.array([0.0, 0.0, 5.0]))
    np.testing.assert_allclose(h[0, 0, 0], np.tanh(0.2), rtol=1e-12)
    bx[0] = big  # r = 1: now bh_n counts
    h, _ = gru_forward(x, h0, Wx, Wh, bx, np.array([0.0, 0.0, 5.0]))
    np.testing.assert_allclose(h[0, 0, 0], np.tanh(5.2), rtol=1e-12)
    bx[1] = big  # z = 1: the state is copied unchanged
    h, _ = gru_forward(x, h0, Wx, Wh, bx, np.array([0.0, 0.0, 5.0]))
    np.testing.assert_allclose(h[0, 0, 0], 0.7, rtol=1e-12)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dtype_is_preserved_in_outputs_and_gradients(rng, dtype):
    p = gru_inputs(rng, 2, 3, 4, 5, dtype=dtype)
    h, cache = gru_forward(**p)
    assert h.dtype == dtype
    grads = gru_backward(np.ones_like(h), cache)
    assert [g.dtype for g in grads] == [dtype] * 6
    assert [g.shape for g in grads] == [p[k].shape for k in NAMES]
    step_h, step_cache = gru_step_forward(p["x"][:, 0], *(p[k] for k in NAMES[1:]))
    assert step_h.dtype == dtype
    assert [g.dtype for g in gru_step_backward(np.ones_like(step_h), step_cache)] == [dtype] * 6


def test_float32_agrees_with_float64(rng):
    p64 = gru_inputs(rng, 3, 10, 4, 8)
    p32 = {k: v.astype(np.float32) for k, v in p64.items()}
    h64, c64 = gru_forward(**p64)
    h32, c32 = gru_forward(**p32)
    np.testing.assert_allclose(h32, h64, atol=1e-5)
    dh = rng.standard_normal(h64.shape)
    for g32, g64 in zip(gru_backward(dh.astype(np.float32), c32), gru_backward(dh, c64)):
        np.testing.assert_allclose(g32, g64, rtol=1e-4, atol=1e-4)


def test_inputs_are_not_modified_and_cache_reusable(rng):
    p = gru_inputs(rng, 2, 3, 4, 5)
    before = {k: v.copy() for k, v in p.items()}
    h, cache = gru_forward(**p)
    dh = rng.standard_normal(h.shape)
    first, second = gru_backward(dh, cache), gru_backward(dh, cache)
    for k in p:
        np.testing.assert_array_equal(p[k], before[k])
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a, b)


def test_cache_exposes_the_gates_per_step(rng):
    # rnnlib.plots.memory reads the update gate z_t of every step from cache[2]
    p = gru_inputs(rng, 2, 5, 3, 4, scale=1.0)
    h, cache = gru_forward(**p)
    ax = p["x"] @ p["Wx"] + p["bx"]
    prev = p["h0"]
    for t, (r, z, n, hn) in enumerate(cache[2]):
        ah = prev @ p["Wh"] + p["bh"]
        want_z = 1 / (1 + np.exp(-(ax[:, t, 4:8] + ah[:, 4:8])))
        np.testing.assert_allclose(z, want_z, rtol=1e-12)
        np.testing.assert_allclose(hn, ah[:, 8:], rtol=1e-12)
        prev = h[:, t]
