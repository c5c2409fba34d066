"""The layers around a recurrent cell: embeddings in, affine read-outs and losses out."""
import numpy as np

from ._validate import check_float_inputs, check_int_array, check_shape


def embedding_forward(x, W):
    """Look up a vector for every integer token (a one-hot product done as an index).

    Inputs: x: (N, T) integers in [0, V); W: (V, D) one row per token.
    Returns (out, cache) with out: (N, T, D).
    """
    check_shape("W", W, (None, None), "(V, D)")
    x = check_int_array("x", x, (None, None), "(N, T)")
    V = W.shape[0]
    if x.size and (x.min() < 0 or x.max() >= V):
        raise ValueError(
            f"x must hold token ids in [0, {V}); got values from {x.min()} to {x.max()}"
        )
    return W[x], (x, W.shape)


def embedding_backward(dout, cache):
    """Backward pass of `embedding_forward`: returns dW (V, D).

    A token that appears several times receives the sum of its gradients, hence np.add.at
    (a plain fancy-indexed += would keep only one of them).
    """
    x, shape = cache
    dW = np.zeros(shape, dtype=dout.dtype)
    np.add.at(dW, x, dout)
    return dW


def affine_forward(x, w, b):
    """A fully connected layer. x: (N, D), w: (D, M), b: (M,). Returns (out (N, M), cache)."""
    x, w, b = check_float_inputs(x=x, w=w, b=b)
    check_shape("w", w, (None, None), "(D, M)")
    D, M = w.shape
    check_shape("x", x, (None, D), "(N, D)")
    check_shape("b", b, (M,), "(M,)")
    return x @ w + b, (x, w)


def affine_backward(dout, cache):
    """Backward pass of `affine_forward`: returns (dx (N, D), dw (D, M), db (M,))."""
    x, w = cache
    return dout @ w.T, x.T @ dout, dout.sum(axis=0)


def temporal_affine_forward(x, w, b):
    """The same affine read-out at every time step.

    Inputs: x: (N, T, D), w: (D, M), b: (M,).
    Returns (out, cache) with out: (N, T, M).
    """
    x, w, b = check_float_inputs(x=x, w=w, b=b)
    check_shape("w", w, (None, None), "(D, M)")
    D, M = w.shape
    check_shape("x", x, (None, None, D), "(N, T, D)")
    check_shape("b", b, (M,), "(M,)")
    return x @ w + b, (x, w)


def temporal_affine_backward(dout, cache):
    """Backward pass of `temporal_affine_forward`.

    Inputs: dout: (N, T, M). Returns (dx (N, T, D), dw (D, M), db (M,)).
    """
    x, w = cache
    N, T, D = x.shape
    dx = dout @ w.T
    dw = x.reshape(N * T, D).T @ dout.reshape(N * T, -1)
    return dx, dw, dout.sum(axis=(0, 1))


def temporal_softmax_loss(scores, y, mask=None):
    """Softmax cross-entropy at every time step, averaged over the steps that count.

    Inputs:
    - scores: (N, T, V) unnormalised log-probabilities
    - y: (N, T) integer targets in [0, V)
    - mask: (N, T) booleans, False where a step has no target (padding, or a memory task's
      first steps); None counts every step

    Returns (loss, dscores): the mean cross-entropy in nats per counted step, and its gradient
    (N, T, V). A model that guesses uniformly scores log(V).
    """
    (scores,) = check_float_inputs(scores=scores)
    check_shape("scores", scores, (None, None, None), "(N, T, V)")
    N, T, V = scores.shape
    y = check_int_array("y", y, (N, T), "(N, T)")
    mask = np.ones((N, T), dtype=bool) if mask is None else np.asarray(mask, dtype=bool)
    check_shape("mask", mask, (N, T), "(N, T)")
    count = max(int(mask.sum()), 1)
    shifted = scores - scores.max(axis=2, keepdims=True)  # for numerical stability
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=2, keepdims=True))
    picked = np.take_along_axis(log_probs, y[..., None], axis=2)[..., 0]
    loss = -(picked * mask).sum() / count
    dscores = np.exp(log_probs)
    np.put_along_axis(dscores, y[..., None], np.take_along_axis(dscores, y[..., None], 2) - 1, 2)
    dscores *= (mask / count)[..., None].astype(scores.dtype)
    return float(loss), dscores


def mse_loss(pred, y):
    """Mean squared error. pred, y: same shape. Returns (loss, dpred)."""
    pred, y = check_float_inputs(pred=pred, y=np.asarray(y, dtype=np.asarray(pred).dtype))
    check_shape("y", y, pred.shape, "the shape of pred")
    diff = pred - y
    return float(np.mean(diff**2)), (2 / diff.size) * diff
