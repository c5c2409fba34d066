"""Training loops, short enough to read whole in a lecture: batch, loss and gradients, clip,
update, report. Each returns its history so that a notebook can plot it."""
import math

import numpy as np

from .optim import Adagrad, Adam, clip_by_global_norm, global_norm
from .text import stream_batches


class TrainingDiverged(FloatingPointError):
    """Raised when the loss stops being a finite number; the message says what to try."""


def _check_finite(loss, step):
    if not math.isfinite(loss):
        raise TrainingDiverged(
            f"the loss became {loss} at step {step}; training stopped. Lower the learning rate "
            "or clip the gradients (clip=...) and train again."
        )


def train_char_model(model, ids, *, steps=1000, batch_size=16, seq_len=25, lr=0.1, clip=5.0,
                     log_every=100, print_fn=print):
    """Train a CharRNN on a long sequence of ids with Adagrad and gradient clipping.

    The text is read as `batch_size` parallel streams in chunks of `seq_len`; each chunk
    starts from the hidden state where the previous chunk of the same stream ended
    (truncated backpropagation through time). Every `log_every` steps it reports the mean
    loss of those steps through `print_fn` (None for silence).
    Returns a history dict: "loss" (one value per step) and "grad_norm" (before clipping).
    """
    optimizer = Adagrad(lr)
    batches = stream_batches(ids, batch_size, seq_len)
    history = {"loss": [], "grad_norm": []}
    h = None
    for step in range(1, steps + 1):
        x, y = next(batches)
        loss, grads, h = model.loss(x, y, h0=h)
        _check_finite(loss, step)
        grads, norm = clip_by_global_norm(grads, clip) if clip else (grads, global_norm(grads))
        optimizer.update(model.params, grads)
        history["loss"].append(loss)
        history["grad_norm"].append(norm)
        if print_fn and step % log_every == 0:
            print_fn(f"step {step:5d}   loss {np.mean(history['loss'][-log_every:]):.2f}")
    return history


def fit(model, inputs, targets, *, mask=None, steps=500, batch_size=32, optimizer=None,
        clip=1.0, log_every=100, seed=0, print_fn=print):
    """Train any rnnlib model on arrays by minibatch gradient descent.

    inputs, targets (and mask, for a CharRNN on a memory task) hold one example per row;
    each step draws a random minibatch and calls model.loss on it. The optimizer defaults to
    Adam(lr=1e-2); clip is a global-norm limit (None for none).
    Returns a history dict: "loss" (one value per step) and "grad_norm" (before clipping).
    """
    optimizer = optimizer or Adam(1e-2)
    rng = np.random.default_rng(seed)
    history = {"loss": [], "grad_norm": []}
    for step in range(1, steps + 1):
        idx = rng.choice(len(inputs), size=min(batch_size, len(inputs)), replace=False)
        batch = (inputs[idx], targets[idx]) + (() if mask is None else (mask[idx],))
        loss, grads = model.loss(*batch)[:2]
        _check_finite(loss, step)
        grads, norm = clip_by_global_norm(grads, clip) if clip else (grads, global_norm(grads))
        optimizer.update(model.params, grads)
        history["loss"].append(loss)
        history["grad_norm"].append(norm)
        if print_fn and step % log_every == 0:
            print_fn(f"step {step:5d}   loss {np.mean(history['loss'][-log_every:]):.4f}")
    return history
