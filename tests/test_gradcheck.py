"""The gradient checker itself: it must find a wrong backward pass, not only pass right ones."""
import numpy as np
import pytest

from rnnlib import (
    affine_forward,
    check_gradients,
    numerical_gradient,
    numerical_gradient_array,
    rel_error,
)


def test_rel_error():
    assert rel_error(np.ones(3), np.ones(3)) == 0.0
    assert rel_error(np.array([1.0, 2.0]), np.array([1.0, 2.2])) == pytest.approx(0.2 / 4.2)
    assert rel_error(0.0, 0.0) == 0.0  # no division by zero
    assert rel_error(np.array([1e-12]), np.array([0.0])) == pytest.approx(1e-4)  # the 1e-8 floor


def test_numerical_gradient_of_known_functions(rng):
    x = rng.standard_normal((3, 4))
    np.testing.assert_allclose(numerical_gradient(lambda z: np.sum(z**2), x), 2 * x, rtol=1e-8)
    np.testing.assert_allclose(numerical_gradient(lambda z: np.sum(np.sin(z)), x), np.cos(x),
                               rtol=1e-8, atol=1e-10)
    scalar = numerical_gradient(lambda z: z**3, np.array(2.0))
    assert scalar.shape == () and scalar == pytest.approx(12.0, rel=1e-9)


def test_numerical_gradient_array_is_the_vector_jacobian_product(rng):
    A = rng.standard_normal((5, 3))
    x, dout = rng.standard_normal(3), rng.standard_normal(5)
    grad = numerical_gradient_array(lambda z: A @ z, x, dout)
    np.testing.assert_allclose(grad, A.T @ dout, rtol=1e-8)


def test_function_gets_a_copy_and_the_input_is_left_alone(rng):
    x = rng.standard_normal(4)
    before = x.copy()
    seen = []

    def f(z):
        seen.append(z)
        z *= 2  # a function that scribbles on its argument must not corrupt the check
        return np.sum(z)

    np.testing.assert_allclose(numerical_gradient(f, x), 2.0, rtol=1e-8)
    np.testing.assert_array_equal(x, before)
    assert all(z is not x for z in seen)


def test_check_gradients_passes_a_right_backward_and_catches_wrong_ones(rng):
    inputs = dict(x=rng.standard_normal((3, 4)), w=rng.standard_normal((4, 2)),
                  b=rng.standard_normal(2))

    def right(dout, cache):
        x, w = cache
        return dout @ w.T, x.T @ dout, dout.sum(axis=0)

    def doubled_bias_gradient(dout, cache):
        dx, dw, db = right(dout, cache)
        return dx, dw, 2 * db

    def swapped(dout, cache):
        dx, dw, db = right(dout, cache)
        return dx, dw[::-1], db

    assert max(check_gradients(affine_forward, right, inputs).values()) < 1e-9
    errors = check_gradients(affine_forward, doubled_bias_gradient, inputs)
    assert errors["b"] > 0.1 and errors["x"] < 1e-9
    assert check_gradients(affine_forward, swapped, inputs)["w"] > 0.1


def test_check_gradients_skips_integer_inputs_and_none_gradients(rng):
    ids = np.array([[0, 2]])

    def forward(ids, W):
        return W[ids], (ids, W.shape)

    def backward(dout, cache):
        ids, shape = cache
        dW = np.zeros(shape)
        np.add.at(dW, ids, dout)
        return None, dW

    errors = check_gradients(forward, backward, {"ids": ids, "W": rng.standard_normal((3, 2))})
    assert set(errors) == {"W"} and errors["W"] < 1e-9


def test_check_gradients_is_seeded(rng):
    inputs = dict(x=rng.standard_normal((2, 3)), w=rng.standard_normal((3, 2)),
                  b=rng.standard_normal(2))

    def sloppy(dout, cache):  # a backward with a small error, so that the errors are not zero
        x, w = cache
        return dout @ w.T * 1.001, x.T @ dout, dout.sum(axis=0)

    first = check_gradients(affine_forward, sloppy, inputs, seed=5)
    assert first == check_gradients(affine_forward, sloppy, inputs, seed=5)
