"""Optimizers and gradient clipping: descent, the update rules by hand, and the clipping rules."""
import numpy as np
import pytest

from rnnlib import SGD, Adagrad, Adam, Momentum, clip_by_global_norm, clip_by_value, global_norm

CURVATURE = {"a": np.array([1.0, 10.0]), "b": np.array([[0.5, 3.0, 0.1]])}


def quadratic(params):
    """f = sum 0.5 * k * w^2 over every weight, an ill-conditioned bowl with its minimum at 0."""
    loss = sum(float(np.sum(0.5 * CURVATURE[n] * p**2)) for n, p in params.items())
    return loss, {n: CURVATURE[n] * p for n, p in params.items()}


@pytest.mark.parametrize("optimizer", [SGD(0.15), Momentum(0.05, beta=0.9), Adagrad(0.5),
                                       Adam(0.05)], ids=lambda o: type(o).__name__)
def test_each_optimizer_descends_a_quadratic(optimizer):
    params = {"a": np.array([2.0, -1.5]), "b": np.array([[1.0, -2.0, 3.0]])}
    start, _ = quadratic(params)
    losses = []
    for _ in range(300):
        loss, grads = quadratic(params)
        losses.append(loss)
        optimizer.update(params, grads)
    assert quadratic(params)[0] < 1e-3 * start, type(optimizer).__name__
    assert losses[50] < losses[0]


def test_sgd_step_by_hand():
    params = {"w": np.array([1.0, 2.0])}
    SGD(0.1).update(params, {"w": np.array([0.5, -1.0])})
    np.testing.assert_allclose(params["w"], [0.95, 2.1], rtol=1e-15)


def test_momentum_two_steps_by_hand():
    params, opt = {"w": np.array([1.0])}, Momentum(0.1, beta=0.9)
    opt.update(params, {"w": np.array([2.0])})  # v = -0.2
    np.testing.assert_allclose(params["w"], [0.8], rtol=1e-15)
    opt.update(params, {"w": np.array([1.0])})  # v = 0.9 * -0.2 - 0.1 = -0.28
    np.testing.assert_allclose(params["w"], [0.52], rtol=1e-14)


def test_adagrad_two_steps_by_hand():
    params, opt = {"w": np.array([1.0, -1.0])}, Adagrad(0.1, eps=1e-8)
    g1, g2 = np.array([3.0, -0.5]), np.array([4.0, 0.5])
    opt.update(params, {"w": g1})
    expected = np.array([1.0, -1.0]) - 0.1 * g1 / (np.abs(g1) + 1e-8)  # first step: lr * sign
    np.testing.assert_allclose(params["w"], expected, rtol=1e-14)
    opt.update(params, {"w": g2})
    expected -= 0.1 * g2 / (np.sqrt(g1**2 + g2**2) + 1e-8)  # 4 / 5 and 0.5 / sqrt(0.5)
    np.testing.assert_allclose(params["w"], expected, rtol=1e-14)
    np.testing.assert_allclose(params["w"], [1.0 - 0.1 - 0.08, -1.0 + 0.1 - 0.1 / np.sqrt(2)],
                               rtol=1e-7)


def test_adam_two_steps_by_hand():
    lr, b1, b2, eps = 0.01, 0.9, 0.999, 1e-8
    params, opt = {"w": np.array([0.5])}, Adam(lr, beta1=b1, beta2=b2, eps=eps)
    g1, g2 = 2.0, -1.0
    opt.update(params, {"w": np.array([g1])})
    # After one step the bias-corrected averages are g and g^2: the step is lr * sign(g).
    np.testing.assert_allclose(params["w"], [0.5 - lr * g1 / (abs(g1) + eps)], rtol=1e-14)
    opt.update(params, {"w": np.array([g2])})
    m = (1 - b1) * (b1 * g1 + g2)
    v = (1 - b2) * (b2 * g1**2 + g2**2)
    m_hat, v_hat = m / (1 - b1**2), v / (1 - b2**2)
    expected = 0.5 - lr * g1 / (abs(g1) + eps) - lr * m_hat / (np.sqrt(v_hat) + eps)
    np.testing.assert_allclose(params["w"], [expected], rtol=1e-13)


def test_optimizer_state_is_kept_per_parameter():
    opt = Adagrad(1.0)
    params = {"a": np.array([0.0]), "b": np.array([0.0])}
    opt.update(params, {"a": np.array([10.0]), "b": np.array([1.0])})
    opt.update(params, {"a": np.array([1.0]), "b": np.array([1.0])})
    # b's second step is 1 / sqrt(2); a's is only 1 / sqrt(101): its history is its own
    np.testing.assert_allclose(params["b"], [-1 - 1 / np.sqrt(2)], rtol=1e-7)
    np.testing.assert_allclose(params["a"], [-1 - 1 / np.sqrt(101)], rtol=1e-7)


@pytest.mark.parametrize("optimizer", [SGD(), Momentum(), Adagrad(), Adam()],
                         ids=lambda o: type(o).__name__)
def test_updates_are_in_place_and_keep_float32(optimizer, rng):
    w = rng.standard_normal((3, 2)).astype(np.float32)
    params = {"w": w}
    before = w.copy()
    for _ in range(3):
        optimizer.update(params, {"w": np.ones((3, 2), dtype=np.float32)})
    assert params["w"] is w and w.dtype == np.float32
    assert np.all(w < before)


def test_global_norm(rng):
    grads = {"a": rng.standard_normal((3, 4)), "b": rng.standard_normal(5)}
    flat = np.concatenate([g.ravel() for g in grads.values()])
    assert global_norm(grads) == pytest.approx(np.linalg.norm(flat), rel=1e-14)
    assert global_norm({"a": np.array([3.0], dtype=np.float32), "b": np.array([4.0])}) == 5.0


def test_clip_by_value(rng):
    grads = {"a": np.array([-3.0, -0.5, 0.2, 7.0]), "b": np.array([[0.9, -1.1]])}
    before = {k: v.copy() for k, v in grads.items()}
    clipped = clip_by_value(grads, 1.0)
    np.testing.assert_array_equal(clipped["a"], [-1.0, -0.5, 0.2, 1.0])
    np.testing.assert_array_equal(clipped["b"], [[0.9, -1.0]])
    for k in grads:  # the input is not changed
        np.testing.assert_array_equal(grads[k], before[k])
    with pytest.raises(ValueError, match="positive"):
        clip_by_value(grads, 0)


def test_clip_by_global_norm_scales_to_max_norm_and_keeps_direction(rng):
    grads = {"a": rng.standard_normal((3, 4)) * 10, "b": rng.standard_normal(5) * 10}
    before = {k: v.copy() for k, v in grads.items()}
    norm = global_norm(grads)
    clipped, reported = clip_by_global_norm(grads, 2.0)
    assert reported == pytest.approx(norm, rel=1e-14)  # the norm before clipping
    assert global_norm(clipped) == pytest.approx(2.0, rel=1e-9)
    for k in grads:
        np.testing.assert_allclose(clipped[k], grads[k] * (2.0 / norm), rtol=1e-9)  # same direction
        np.testing.assert_array_equal(grads[k], before[k])


def test_clip_by_global_norm_is_a_no_op_below_the_limit(rng):
    grads = {"a": rng.standard_normal(4).astype(np.float32)}
    clipped, norm = clip_by_global_norm(grads, 100.0)
    np.testing.assert_array_equal(clipped["a"], grads["a"])
    assert clipped["a"].dtype == np.float32
    assert norm == pytest.approx(float(np.linalg.norm(grads["a"])), rel=1e-6)
    with pytest.raises(ValueError, match="positive"):
        clip_by_global_norm(grads, -1.0)
