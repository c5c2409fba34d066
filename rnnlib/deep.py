"""Deep (stacked) recurrent networks: layer k reads the hidden-state sequence of layer k - 1."""
import numpy as np

from . import cells


def init_deep_rnn(input_size, hidden_sizes, *, cell="rnn", seed=0, dtype=np.float64):
    """Parameters of a stack: one dict per layer, as `rnnlib.cells.init_cell` makes them.

    hidden_sizes: the width of each layer, bottom first; layer k's input size is the width of
    layer k - 1 (input_size for the bottom layer).
    """
    rng = np.random.default_rng(seed)
    sizes = [input_size, *hidden_sizes]
    return [cells.init_cell(cell, d, h, rng=rng, dtype=dtype) for d, h in zip(sizes, sizes[1:])]


def deep_rnn_forward(x, h0s, layers, *, cell="rnn"):
    """Run a stack of recurrent layers.

    Inputs:
    - x: (N, T, D) input sequences
    - h0s: one (N, H_k) initial state per layer
    - layers: one parameter dict per layer (see `init_deep_rnn`)

    Returns (hs, cache) with hs: a list of (N, T, H_k), the hidden states of every layer;
    hs[-1] is what a read-out on top would see.
    """
    if len(h0s) != len(layers):
        raise ValueError(f"need one h0 per layer: {len(layers)} layers, got {len(h0s)} h0s")
    hs, caches = [], []
    inp = x
    for h0, params in zip(h0s, layers):
        inp, c = cells.cell_forward(cell, inp, h0, params)
        hs.append(inp)
        caches.append(c)
    return hs, caches


def deep_rnn_backward(dh_top, cache):
    """Backward pass of `deep_rnn_forward` for a loss on the top layer's states.

    Inputs: dh_top: (N, T, H_top). Returns (dx (N, T, D), dh0s, grads): dh0s one (N, H_k) per
    layer and grads one dict per layer, keyed like the parameters.
    """
    dh0s, grads = [], []
    dinp = dh_top
    for c in reversed(cache):
        dinp, dh0, g = cells.cell_backward(dinp, c)
        dh0s.append(dh0)
        grads.append(g)
    return dinp, dh0s[::-1], grads[::-1]


def count_parameters(params):
    """Number of scalars in a parameter dict, or in a list of them."""
    if isinstance(params, dict):
        return int(sum(np.size(p) for p in params.values()))
    return sum(count_parameters(p) for p in params)
