"""Two small models built from the layers: a character-level language model and a sequence
regressor. Each keeps its weights in `self.params` (name -> array) and has a `loss` method that
returns the loss and the gradients keyed like the parameters, ready for rnnlib.optim."""
import numpy as np

from . import cells
from .layers import (
    affine_backward,
    affine_forward,
    embedding_backward,
    embedding_forward,
    mse_loss,
    temporal_affine_backward,
    temporal_affine_forward,
    temporal_softmax_loss,
)


def _split(params, prefix):
    """The cell's own entries of a model's flat parameter dict, without the prefix."""
    return {k[len(prefix) :]: v for k, v in params.items() if k.startswith(prefix)}


class CharRNN:
    """Tokens in, a distribution over the next token out, at every step (many-to-many).

    embedding (V, E) -> recurrent cell (hidden H) -> affine read-out (H, V) -> softmax.
    Used for the character-level language model and for the echo memory task alike.
    Parameters: "W_embed", "cell.Wx", "cell.Wh", "cell.b" (or "cell.bx", "cell.bh" for a GRU),
    "W_out", "b_out".
    """

    def __init__(self, vocab_size, hidden_size=64, *, embed_size=None, cell="rnn", seed=0,
                 dtype=np.float64):
        rng = np.random.default_rng(seed)
        V, H = vocab_size, hidden_size
        E = embed_size or V
        self.cell, self.vocab_size, self.hidden_size = cell, V, H
        self.params = {"W_embed": rng.standard_normal((V, E)).astype(dtype)}
        for name, p in cells.init_cell(cell, E, H, rng=rng, dtype=dtype).items():
            self.params["cell." + name] = p
        self.params["W_out"] = (rng.standard_normal((H, V)) / np.sqrt(H)).astype(dtype)
        self.params["b_out"] = np.zeros(V, dtype=dtype)

    def _h0(self, N, h0):
        dtype = self.params["W_out"].dtype
        return np.zeros((N, self.hidden_size), dtype=dtype) if h0 is None else h0

    def scores(self, x, h0=None):
        """x: (N, T) token ids -> (scores (N, T, V), last hidden state (N, H))."""
        p = self.params
        emb, _ = embedding_forward(x, p["W_embed"])
        h, _ = cells.cell_forward(self.cell, emb, self._h0(len(x), h0), _split(p, "cell."))
        out, _ = temporal_affine_forward(h, p["W_out"], p["b_out"])
        return out, h[:, -1]

    def loss(self, x, y, mask=None, h0=None):
        """Cross-entropy of predicting y from x, and its gradients.

        Inputs: x, y: (N, T) token ids; mask: (N, T) booleans or None; h0: (N, H) or None.
        Returns (loss, grads, h_last): loss in nats per counted step, grads keyed like
        self.params, h_last: (N, H) to start the next chunk of the same streams.
        """
        p = self.params
        emb, emb_cache = embedding_forward(x, p["W_embed"])
        h, cell_cache = cells.cell_forward(self.cell, emb, self._h0(len(x), h0), _split(p, "cell."))
        out, out_cache = temporal_affine_forward(h, p["W_out"], p["b_out"])
        loss, dout = temporal_softmax_loss(out, y, mask)

        dh, dW_out, db_out = temporal_affine_backward(dout, out_cache)
        demb, _, dcell = cells.cell_backward(dh, cell_cache)
        grads = {"W_embed": embedding_backward(demb, emb_cache), "W_out": dW_out, "b_out": db_out}
        grads.update({"cell." + k: v for k, v in dcell.items()})
        return loss, grads, h[:, -1]

    def predict(self, x):
        """The most likely next token at every step: (N, T) ids."""
        return self.scores(x)[0].argmax(axis=2)

    def sample(self, start_ids, length, *, temperature=1.0, seed=0):
        """Generate `length` tokens after priming the model with start_ids (a non-empty sequence).

        temperature divides the scores before the softmax: below 1 the model plays safe and
        repeats its favourite patterns, above 1 it takes risks. Returns a list of ids.
        """
        if temperature <= 0:
            raise ValueError(f"temperature must be positive; got {temperature}")
        if len(start_ids) == 0:
            raise ValueError("start_ids must hold at least one token")
        rng = np.random.default_rng(seed)
        p = self.params
        cell_params = _split(p, "cell.")
        dtype = p["W_out"].dtype
        state = cells.initial_state(self.cell, 1, self.hidden_size, dtype)
        out = []
        token = int(start_ids[0])
        for k in range(len(start_ids) - 1 + length):
            h, state = cells.cell_step(self.cell, p["W_embed"][[token]], state, cell_params)
            if k + 1 < len(start_ids):
                token = int(start_ids[k + 1])  # still reading the prompt
                continue
            logits = (h[0] @ p["W_out"] + p["b_out"]) / temperature
            probs = np.exp(logits - logits.max())
            token = int(rng.choice(self.vocab_size, p=probs / probs.sum()))
            out.append(token)
        return out


class SequenceRegressor:
    """A sequence in, numbers out, read from the last hidden state (many-to-one).

    recurrent cell (input D, hidden H) -> affine (H, M) on h_T -> mean squared error.
    Parameters: "cell.Wx", "cell.Wh", "cell.b" (or "cell.bx", "cell.bh"), "W_out", "b_out".
    """

    def __init__(self, input_size, hidden_size=32, output_size=1, *, cell="rnn", seed=0,
                 dtype=np.float64):
        rng = np.random.default_rng(seed)
        self.cell, self.hidden_size = cell, hidden_size
        self.params = {
            "cell." + k: v
            for k, v in cells.init_cell(cell, input_size, hidden_size, rng=rng, dtype=dtype).items()
        }
        self.params["W_out"] = (
            rng.standard_normal((hidden_size, output_size)) / np.sqrt(hidden_size)
        ).astype(dtype)
        self.params["b_out"] = np.zeros(output_size, dtype=dtype)

    def _forward(self, x):
        p = self.params
        h0 = np.zeros((len(x), self.hidden_size), dtype=p["W_out"].dtype)
        h, cell_cache = cells.cell_forward(self.cell, x, h0, _split(p, "cell."))
        pred, out_cache = affine_forward(h[:, -1], p["W_out"], p["b_out"])
        return pred, (h.shape, cell_cache, out_cache)

    def predict(self, x):
        """x: (N, T, D) -> predictions (N, M)."""
        return self._forward(x)[0]

    def loss(self, x, y):
        """Mean squared error of the predictions for x (N, T, D) against y (N, M), and its
        gradients. Returns (loss, grads)."""
        pred, (h_shape, cell_cache, out_cache) = self._forward(x)
        loss, dpred = mse_loss(pred, y)
        dh_last, dW_out, db_out = affine_backward(dpred, out_cache)
        dh = np.zeros(h_shape, dtype=dh_last.dtype)
        dh[:, -1] = dh_last  # only the last step feeds the read-out
        _, _, dcell = cells.cell_backward(dh, cell_cache)
        grads = {"cell." + k: v for k, v in dcell.items()}
        grads.update(W_out=dW_out, b_out=db_out)
        return loss, grads
