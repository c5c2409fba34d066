"""Stacked recurrent layers: gradient checks through the whole stack, wiring, counting."""
import numpy as np
import pytest

from rnnlib import (
    check_gradients,
    count_parameters,
    deep_rnn_backward,
    deep_rnn_forward,
    init_deep_rnn,
)
from rnnlib.cells import cell_backward, cell_forward, init_cell


def stack_as_layer(cell, n_layers, param_names):
    """deep_rnn_forward/backward over a flat list of arrays, for check_gradients."""

    def forward(x, *flat):
        h0s = list(flat[:n_layers])
        layers, k = [], n_layers
        for names in param_names:
            layers.append(dict(zip(names, flat[k : k + len(names)])))
            k += len(names)
        hs, cache = deep_rnn_forward(x, h0s, layers, cell=cell)
        return hs[-1], cache

    def backward(dout, cache):
        dx, dh0s, grads = deep_rnn_backward(dout, cache)
        return [dx, *dh0s, *(g[name] for g, names in zip(grads, param_names) for name in names)]

    return forward, backward


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
@pytest.mark.parametrize("N,T,D,sizes", [(1, 1, 1, [1]), (2, 3, 2, [3, 1]), (1, 4, 3, [2, 3, 2])])
def test_stack_backward_matches_numerical_gradient(rng, cell, N, T, D, sizes):
    layers = init_deep_rnn(D, sizes, cell=cell, seed=3)
    for params in layers:  # moderate random weights and biases, std 0.4
        for name in params:
            params[name] = 0.4 * rng.standard_normal(params[name].shape)
    inputs = {"x": rng.standard_normal((N, T, D))}
    inputs.update({f"h0_{k}": 0.5 * rng.standard_normal((N, H)) for k, H in enumerate(sizes)})
    names = [list(p) for p in layers]
    inputs.update({f"{k}.{n}": layers[k][n] for k, ns in enumerate(names) for n in ns})
    forward, backward = stack_as_layer(cell, len(sizes), names)
    errors = check_gradients(forward, backward, inputs)
    assert len(errors) == len(inputs)
    assert max(errors.values()) < 1e-6, errors


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_each_layer_reads_the_one_below(rng, cell):
    layers = init_deep_rnn(3, [4, 5], cell=cell, seed=1)
    x = rng.standard_normal((2, 6, 3))
    h0s = [np.zeros((2, 4)), np.zeros((2, 5))]
    hs, _ = deep_rnn_forward(x, h0s, layers, cell=cell)
    assert [h.shape for h in hs] == [(2, 6, 4), (2, 6, 5)]
    bottom, _ = cell_forward(cell, x, h0s[0], layers[0])
    top, _ = cell_forward(cell, bottom, h0s[1], layers[1])
    np.testing.assert_allclose(hs[0], bottom)
    np.testing.assert_allclose(hs[1], top)


def test_init_shapes_seeds_and_dtype():
    layers = init_deep_rnn(3, [4, 5], cell="lstm", seed=0)
    assert [p["Wx"].shape for p in layers] == [(3, 16), (4, 20)]
    assert [p["Wh"].shape for p in layers] == [(4, 16), (5, 20)]
    np.testing.assert_array_equal(layers[0]["b"][4:8], 1.0)  # the forget gate starts open
    again = init_deep_rnn(3, [4, 5], cell="lstm", seed=0)
    np.testing.assert_array_equal(layers[1]["Wh"], again[1]["Wh"])
    other = init_deep_rnn(3, [4, 5], cell="lstm", seed=1)
    assert not np.allclose(layers[1]["Wh"], other[1]["Wh"])
    f32 = init_deep_rnn(3, [4], cell="gru", dtype=np.float32)
    assert all(v.dtype == np.float32 for v in f32[0].values())
    assert set(f32[0]) == {"Wx", "Wh", "bx", "bh"}


def test_count_parameters():
    rnn = init_deep_rnn(3, [4, 5], cell="rnn")
    # layer 1: 3*4 + 4*4 + 4; layer 2: 4*5 + 5*5 + 5
    assert count_parameters(rnn) == 32 + 50
    assert count_parameters(rnn[0]) == 32
    lstm = init_cell("lstm", 3, 4, rng=np.random.default_rng(0))
    assert count_parameters(lstm) == 4 * (3 * 4 + 4 * 4 + 4)
    gru = init_cell("gru", 3, 4, rng=np.random.default_rng(0))
    assert count_parameters(gru) == 3 * (3 * 4 + 4 * 4 + 4 + 4)


def test_stack_needs_one_initial_state_per_layer(rng):
    layers = init_deep_rnn(3, [4, 5])
    with pytest.raises(ValueError, match="one h0 per layer"):
        deep_rnn_forward(rng.standard_normal((2, 6, 3)), [np.zeros((2, 4))], layers)


def test_unknown_cell_is_refused():
    with pytest.raises(ValueError, match="cell must be one of"):
        init_deep_rnn(3, [4], cell="transformer")
    with pytest.raises(ValueError, match="cell must be one of"):
        cell_backward(np.zeros((1, 1, 1)), ("nope", None))
