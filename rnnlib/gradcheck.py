"""Numerical gradients by centered differences, to prove a backward pass right.

Each function calls `f` on a perturbed *copy* of the input it is given, so `f` must use its
argument (a lambda that ignores it and reads a global array would check nothing).
"""
import numpy as np


def rel_error(x, y):
    """Largest relative difference between two arrays: max |x - y| / max(1e-8, |x| + |y|)."""
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    return float(np.max(np.abs(x - y) / np.maximum(1e-8, np.abs(x) + np.abs(y))))


def numerical_gradient(f, x, h=1e-5):
    """Gradient of a scalar function f at x (any shape), by centered differences.

    Returns an array shaped like x: (f(x + h e_i) - f(x - h e_i)) / 2h for every element i.
    """
    x = np.array(x, dtype=np.float64)
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        plus = float(f(x.copy()))
        x[i] = old - h
        minus = float(f(x.copy()))
        x[i] = old
        grad[i] = (plus - minus) / (2 * h)
    return grad


def numerical_gradient_array(f, x, dout, h=1e-5):
    """Gradient of sum(f(x) * dout) at x, for an array-valued f: what a backward pass computes
    when it is handed the upstream gradient dout (shaped like f(x))."""
    return numerical_gradient(lambda z: np.sum(f(z) * dout), x, h)


def check_gradients(forward, backward, inputs, *, seed=0, h=1e-5):
    """Compare a layer's backward pass with numerical gradients, input by input.

    forward(*inputs) -> (out, cache) and backward(dout, cache) -> one gradient per input, in
    order (a non-float input, such as integer token ids, gets None and is skipped).
    inputs: a dict name -> array, in the order forward takes them.
    Returns a dict name -> relative error.
    """
    names = list(inputs)
    values = [np.asarray(v) for v in inputs.values()]
    out, cache = forward(*values)
    dout = np.random.default_rng(seed).standard_normal(np.shape(out))
    grads = backward(dout, cache)
    errors = {}
    for k, (name, grad) in enumerate(zip(names, grads)):
        if grad is None or values[k].dtype.kind != "f":
            continue

        def f(z, k=k):
            return forward(*values[:k], z, *values[k + 1 :])[0]

        errors[name] = rel_error(grad, numerical_gradient_array(f, values[k], dout, h))
    return errors
