"""Embedding, affine read-outs and losses: gradient checks, values, masks and dtypes."""
import numpy as np
import pytest

from rnnlib import (
    affine_backward,
    affine_forward,
    check_gradients,
    embedding_backward,
    embedding_forward,
    mse_loss,
    temporal_affine_backward,
    temporal_affine_forward,
    temporal_softmax_loss,
)

SEQ_SHAPES = [(1, 1, 1, 1), (2, 3, 4, 5), (1, 6, 3, 2), (4, 1, 2, 3)]  # (N, T, D, M)


def loss_layer(loss_fn):
    """A loss as a layer for check_gradients: forward gives (loss, cache), backward the grad."""

    def forward(scores, *rest):
        loss, dscores = loss_fn(scores, *rest)
        return np.float64(loss), dscores

    def backward(dout, dscores):
        return (dout * dscores,)

    return forward, backward


@pytest.mark.parametrize("N,T,V,D", [(1, 1, 1, 1), (2, 3, 5, 4), (3, 4, 2, 1)])
def test_embedding_backward_matches_numerical_gradient(rng, N, T, V, D):
    x = rng.integers(0, V, size=(N, T))
    W = rng.standard_normal((V, D))

    def forward(W):
        return embedding_forward(x, W)

    errors = check_gradients(forward, lambda dout, cache: (embedding_backward(dout, cache),),
                             {"W": W})
    assert errors["W"] < 1e-7, errors


def test_embedding_looks_up_rows_and_sums_repeated_tokens(rng):
    W = rng.standard_normal((5, 3))
    x = np.array([[0, 2, 2], [4, 2, 0]])
    out, cache = embedding_forward(x, W)
    np.testing.assert_array_equal(out, W[x])
    dout = rng.standard_normal(out.shape)
    dW = embedding_backward(dout, cache)
    np.testing.assert_allclose(dW[2], dout[0, 1] + dout[0, 2] + dout[1, 1])  # token 2, 3 times
    np.testing.assert_allclose(dW[0], dout[0, 0] + dout[1, 2])
    np.testing.assert_array_equal(dW[[1, 3]], 0)  # tokens never seen get no gradient


def test_embedding_refuses_ids_outside_the_vocabulary(rng):
    W = rng.standard_normal((5, 3))
    with pytest.raises(ValueError, match=r"\[0, 5\).*-1 to 5"):
        embedding_forward(np.array([[-1, 5]]), W)
    with pytest.raises(ValueError, match="integer"):
        embedding_forward(np.array([[0.0, 1.0]]), W)


@pytest.mark.parametrize("N,D,M", [(1, 1, 1), (3, 4, 5), (2, 1, 3)])
def test_affine_backward_matches_numerical_gradient(rng, N, D, M):
    inputs = dict(x=rng.standard_normal((N, D)), w=rng.standard_normal((D, M)),
                  b=rng.standard_normal(M))
    errors = check_gradients(affine_forward, affine_backward, inputs)
    assert set(errors) == {"x", "w", "b"}
    assert max(errors.values()) < 1e-7, errors


@pytest.mark.parametrize("N,T,D,M", SEQ_SHAPES)
def test_temporal_affine_backward_matches_numerical_gradient(rng, N, T, D, M):
    inputs = dict(x=rng.standard_normal((N, T, D)), w=rng.standard_normal((D, M)),
                  b=rng.standard_normal(M))
    errors = check_gradients(temporal_affine_forward, temporal_affine_backward, inputs)
    assert set(errors) == {"x", "w", "b"}
    assert max(errors.values()) < 1e-7, errors


def test_temporal_affine_is_the_affine_layer_at_every_step(rng):
    x, w, b = rng.standard_normal((2, 3, 4)), rng.standard_normal((4, 5)), rng.standard_normal(5)
    out, _ = temporal_affine_forward(x, w, b)
    for t in range(3):
        np.testing.assert_allclose(out[:, t], affine_forward(x[:, t], w, b)[0], rtol=1e-12)


@pytest.mark.parametrize("N,T,V", [(1, 1, 1), (1, 1, 3), (2, 3, 4), (3, 5, 2)])
@pytest.mark.parametrize("masked", [False, True])
def test_softmax_loss_gradient_matches_numerical_gradient(rng, N, T, V, masked):
    y = rng.integers(0, V, size=(N, T))
    mask = rng.random((N, T)) < 0.6 if masked else None
    if masked:
        mask[0, 0] = True  # at least one step counts

    def loss(scores):
        return temporal_softmax_loss(scores, y, mask)

    forward, backward = loss_layer(loss)
    errors = check_gradients(forward, backward, {"scores": rng.standard_normal((N, T, V))})
    assert errors["scores"] < 1e-6, errors


def test_softmax_loss_values():
    V = 7
    uniform = np.zeros((2, 3, V))
    y = np.array([[0, 1, 2], [3, 4, 6]])
    loss, dscores = temporal_softmax_loss(uniform, y)
    assert loss == pytest.approx(np.log(V), rel=1e-12)  # uniform guessing costs log V nats
    np.testing.assert_allclose(dscores.sum(axis=2), 0, atol=1e-15)  # softmax minus one-hot
    confident = np.where(np.arange(V) == y[..., None], 50.0, 0.0)
    assert temporal_softmax_loss(confident, y)[0] < 1e-20  # about (V - 1) exp(-50)
    huge = confident * 1e6  # no overflow in the exponentials
    assert np.isfinite(temporal_softmax_loss(huge, y)[0])


def test_softmax_loss_mask_ignores_steps_and_averages_over_counted_ones(rng):
    scores = rng.standard_normal((2, 4, 5))
    y = rng.integers(0, 5, size=(2, 4))
    mask = np.array([[True, True, False, False], [False, True, False, False]])
    loss, dscores = temporal_softmax_loss(scores, y, mask)
    log_p = scores - np.log(np.exp(scores).sum(axis=2, keepdims=True))
    picked = [-log_p[n, t, y[n, t]] for n, t in zip(*np.nonzero(mask))]
    assert loss == pytest.approx(np.mean(picked), rel=1e-12)
    np.testing.assert_array_equal(dscores[~mask], 0)
    other_y = y.copy()
    other_y[~mask] = (y[~mask] + 1) % 5  # targets at masked steps do not matter
    assert temporal_softmax_loss(scores, other_y, mask)[0] == loss


def test_mse_loss_value_and_gradient(rng):
    pred, y = rng.standard_normal((4, 3)), rng.standard_normal((4, 3))
    loss, dpred = mse_loss(pred, y)
    assert loss == pytest.approx(np.mean((pred - y) ** 2), rel=1e-12)

    def forward(pred):
        value, grad = mse_loss(pred, y)
        return np.float64(value), grad

    errors = check_gradients(forward, lambda dout, grad: (dout * grad,), {"pred": pred})
    assert errors["pred"] < 1e-7
    with pytest.raises(ValueError, match=r"\(4, 3\).*\(4, 2\)"):
        mse_loss(pred, y[:, :2])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dtype_is_preserved(rng, dtype):
    x3 = rng.standard_normal((2, 3, 4)).astype(dtype)
    w, b = rng.standard_normal((4, 5)).astype(dtype), rng.standard_normal(5).astype(dtype)
    out, cache = temporal_affine_forward(x3, w, b)
    assert out.dtype == dtype
    assert [g.dtype for g in temporal_affine_backward(np.ones_like(out), cache)] == [dtype] * 3
    out, cache = affine_forward(x3[:, 0], w, b)
    assert out.dtype == dtype
    assert [g.dtype for g in affine_backward(np.ones_like(out), cache)] == [dtype] * 3
    emb, cache = embedding_forward(np.array([[0, 3]]), w)
    assert emb.dtype == dtype and embedding_backward(np.ones_like(emb), cache).dtype == dtype
    loss, dscores = temporal_softmax_loss(x3, np.zeros((2, 3), dtype=int))
    assert dscores.dtype == dtype and isinstance(loss, float)
    loss, dpred = mse_loss(x3, np.zeros((2, 3, 4)))
    assert dpred.dtype == dtype and isinstance(loss, float)
