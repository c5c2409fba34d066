"""One interface over the three recurrent cells, for models that let the caller pick one.

Each cell's parameters live in a dict: {"Wx", "Wh", "b"} for "rnn" and "lstm",
{"Wx", "Wh", "bx", "bh"} for "gru". `cell_forward` and `cell_backward` dispatch to the
functions of rnnlib.rnn, rnnlib.lstm and rnnlib.gru.
"""
import numpy as np

from .gru import gru_backward, gru_forward, gru_step_forward
from .lstm import lstm_backward, lstm_forward, lstm_step_forward
from .rnn import rnn_backward, rnn_forward, rnn_step_forward

CELLS = {
    # name: (forward, backward, gate blocks, bias names)
    "rnn": (rnn_forward, rnn_backward, 1, ("b",)),
    "lstm": (lstm_forward, lstm_backward, 4, ("b",)),
    "gru": (gru_forward, gru_backward, 3, ("bx", "bh")),
}


def _lookup(cell):
    if cell not in CELLS:
        raise ValueError(f"cell must be one of {sorted(CELLS)}; got {cell!r}")
    return CELLS[cell]


def init_cell(cell, input_size, hidden_size, *, rng, dtype=np.float64):
    """Random parameters for one layer of the given cell.

    Weights are drawn with variance 1/fan_in, so the pre-activations start near unit scale;
    the LSTM's forget-gate bias starts at 1 so that the cell state is kept by default.
    """
    _, _, G, bias_names = _lookup(cell)
    D, H = input_size, hidden_size
    params = {
        "Wx": rng.standard_normal((D, G * H)) / np.sqrt(D),
        "Wh": rng.standard_normal((H, G * H)) / np.sqrt(H),
    }
    for name in bias_names:
        params[name] = np.zeros(G * H)
    if cell == "lstm":
        params["b"][H : 2 * H] = 1.0
    return {k: v.astype(dtype) for k, v in params.items()}


def cell_forward(cell, x, h0, params):
    """Run the named cell over x (N, T, D) from h0 (N, H). Returns (h (N, T, H), cache)."""
    forward, _, _, bias_names = _lookup(cell)
    h, cache = forward(x, h0, params["Wx"], params["Wh"], *(params[b] for b in bias_names))
    return h, (cell, cache)


def cell_backward(dh, cache):
    """Backward pass of `cell_forward`. Returns (dx, dh0, grads) with grads keyed like params."""
    name, inner = cache
    _, backward, _, bias_names = _lookup(name)
    dx, dh0, dWx, dWh, *dbs = backward(dh, inner)
    return dx, dh0, {"Wx": dWx, "Wh": dWh, **dict(zip(bias_names, dbs))}


def cell_step(cell, x, state, params):
    """Advance the named cell by one step, for generating one token at a time.

    Inputs: x: (N, D); state: h (N, H) for "rnn" and "gru", the pair (h, c) for "lstm".
    Returns (h, new state).
    """
    _lookup(cell)
    if cell == "rnn":
        h, _ = rnn_step_forward(x, state, params["Wx"], params["Wh"], params["b"])
        return h, h
    if cell == "gru":
        h, _ = gru_step_forward(x, state, params["Wx"], params["Wh"], params["bx"], params["bh"])
        return h, h
    h, c, _ = lstm_step_forward(x, *state, params["Wx"], params["Wh"], params["b"])
    return h, (h, c)


def initial_state(cell, N, H, dtype=np.float64):
    """The zero state for `cell_step`: h (N, H), or (h, c) for the LSTM."""
    h = np.zeros((N, H), dtype=dtype)
    _lookup(cell)
    return (h, h.copy()) if cell == "lstm" else h
