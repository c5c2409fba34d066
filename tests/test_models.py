"""The two models and their training loops: gradients, learning, sampling, divergence."""
import math
import time

import numpy as np
import pytest

import rnnlib
from rnnlib import CharRNN, SequenceRegressor, Vocabulary, fit, load_zen, train_char_model
from rnnlib.gradcheck import numerical_gradient, rel_error
from rnnlib.train import TrainingDiverged

CELLS = ["rnn", "lstm", "gru"]


def zen_ids():
    zen = load_zen()
    vocab = Vocabulary.from_text(zen)
    return zen, vocab, vocab.encode(zen)


def check_model_gradients(model, loss_of_model):
    """Numerical gradient of every parameter array of `model`, compared with model.loss's."""
    loss, grads = loss_of_model()[:2]
    assert set(grads) == set(model.params)
    errors = {}
    for name, param in model.params.items():

        def f(z, name=name, param=param):
            saved = param.copy()
            param[...] = z
            value = loss_of_model()[0]
            param[...] = saved
            return value

        errors[name] = rel_error(grads[name], numerical_gradient(f, param))
    return errors


@pytest.mark.parametrize("cell", CELLS)
def test_char_model_gradients(rng, cell):
    model = CharRNN(5, 4, embed_size=3, cell=cell, seed=1)
    x, y = rng.integers(0, 5, size=(2, 6)), rng.integers(0, 5, size=(2, 6))
    mask = rng.random((2, 6)) < 0.7
    h0 = 0.5 * rng.standard_normal((2, 4))
    errors = check_model_gradients(model, lambda: model.loss(x, y, mask=mask, h0=h0))
    assert max(errors.values()) < 1e-6, errors


@pytest.mark.parametrize("cell", CELLS)
def test_regressor_gradients(rng, cell):
    model = SequenceRegressor(2, 4, output_size=3, cell=cell, seed=1)
    x, y = rng.standard_normal((3, 5, 2)), rng.standard_normal((3, 3))
    errors = check_model_gradients(model, lambda: model.loss(x, y))
    assert max(errors.values()) < 1e-6, errors


def corpus_entropies(ids, V):
    """Unigram entropy and the conditional entropy of a character given the one before it, in
    nats per character, measured on the text itself."""
    p = np.bincount(ids, minlength=V) / len(ids)
    unigram = -np.sum(p[p > 0] * np.log(p[p > 0]))
    pairs = np.zeros((V, V))
    np.add.at(pairs, (ids[:-1], ids[1:]), 1)
    following = pairs.sum(axis=1, keepdims=True)
    seen = pairs > 0
    bigram = -np.sum(pairs[seen] * np.log((pairs / np.maximum(following, 1))[seen])) / pairs.sum()
    return unigram, bigram


@pytest.mark.parametrize("cell", CELLS)
def test_char_model_learns_the_zen_of_python(cell):
    """Thresholds, all computed from the corpus (856 characters, V = 45):
    - uniform guessing costs log V = 3.81 nats per character;
    - the best model that ignores context costs the unigram entropy, 3.11;
    - the best model that sees only the previous character costs the conditional (bigram)
      entropy of the text, 1.97 (measured on the text itself, so it already flatters a
      memorising bigram table).
    Falling below the bigram entropy means the recurrent state carries more than one
    character of context. 150 steps of 8 x 25 characters take about a second of CPU."""
    zen, vocab, ids = zen_ids()
    V = len(vocab)
    unigram, bigram = corpus_entropies(ids, V)
    assert bigram < unigram < math.log(V)
    model = CharRNN(V, 64, cell=cell, seed=0)
    start = time.process_time()
    history = train_char_model(model, ids, steps=150, batch_size=8, seq_len=25, lr=0.1,
                               print_fn=None)
    cpu_seconds = time.process_time() - start
    assert len(history["loss"]) == len(history["grad_norm"]) == 150
    assert history["loss"][0] > 0.9 * math.log(V)  # it starts out guessing
    loss, _, _ = model.loss(ids[None, :-1], ids[None, 1:])  # the whole text from a zero state
    assert loss < bigram, (loss, bigram)
    assert np.mean(history["loss"][-20:]) < bigram
    assert cpu_seconds < 30  # a few seconds normally; generous for a busy machine


def test_trained_char_model_continues_a_phrase_of_the_corpus():
    zen, vocab, ids = zen_ids()
    model = CharRNN(len(vocab), 64, seed=0)
    train_char_model(model, ids, steps=150, batch_size=8, seq_len=25, print_fn=None)
    text = vocab.decode(model.sample(vocab.encode("Beautiful is "), 12, temperature=0.05))
    assert text.startswith("better than")


def test_training_reports_progress():
    zen, vocab, ids = zen_ids()
    lines = []
    train_char_model(CharRNN(len(vocab), 8), ids, steps=20, log_every=10, print_fn=lines.append)
    assert len(lines) == 2 and lines[0].startswith("step") and "loss" in lines[0]


def test_sample_is_seeded_and_respects_its_arguments():
    model = CharRNN(6, 8, seed=2)
    a = model.sample([1, 2, 3], 20, seed=7)
    assert a == model.sample([1, 2, 3], 20, seed=7)
    assert len(a) == 20 and all(0 <= t < 6 for t in a)
    assert a != model.sample([1, 2, 3], 20, seed=8)
    cold = model.sample([1], 30, temperature=1e-3)
    # a near-zero temperature picks the most likely token, as predict does
    ids = np.array([[1, *cold[:-1]]])
    assert cold == list(model.predict(ids)[0])
    with pytest.raises(ValueError, match="temperature"):
        model.sample([1], 5, temperature=0)
    with pytest.raises(ValueError, match="start_ids"):
        model.sample([], 5)


@pytest.mark.parametrize("cell", CELLS)
def test_char_model_shapes_and_state_passing(rng, cell):
    model = CharRNN(7, 5, cell=cell, seed=0)
    x = rng.integers(0, 7, size=(3, 8))
    scores, h_last = model.scores(x)
    assert scores.shape == (3, 8, 7) and h_last.shape == (3, 5)
    assert model.predict(x).shape == (3, 8)
    # Feeding the text in two chunks, passing the hidden state on, equals one long pass
    # (for the LSTM only h is passed on, and its cell state restarts at zero).
    loss_a, _, h = model.loss(x[:, :4], x[:, 1:5])
    loss_b, _, _ = model.loss(x[:, 4:7], x[:, 5:8], h0=h)
    s1, _ = model.scores(x[:, :4])
    s2, _ = model.scores(x[:, 4:7], h0=h)
    whole, _ = model.scores(x[:, :7])
    np.testing.assert_allclose(s1, whole[:, :4], rtol=1e-12)
    if cell != "lstm":
        np.testing.assert_allclose(s2, whole[:, 4:7], rtol=1e-10, atol=1e-12)


def test_float32_model_stays_float32(rng):
    model = CharRNN(5, 4, cell="lstm", seed=0, dtype=np.float32)
    x = rng.integers(0, 5, size=(2, 3))
    loss, grads, h = model.loss(x, x)
    assert all(g.dtype == np.float32 for g in grads.values()) and h.dtype == np.float32
    reg = SequenceRegressor(2, 3, dtype=np.float32)
    loss, grads = reg.loss(rng.standard_normal((2, 4, 2)).astype(np.float32), np.zeros((2, 1)))
    assert all(g.dtype == np.float32 for g in grads.values())


def test_fit_trains_a_regressor_to_average_a_sequence(rng):
    x = rng.standard_normal((200, 5, 1))
    y = x.mean(axis=1)
    model = SequenceRegressor(1, 16, seed=0)
    history = fit(model, x, y, steps=300, print_fn=None)
    assert len(history["loss"]) == 300
    assert model.loss(x, y)[0] < 0.05 * y.var()  # explains over 95% of the variance
    assert model.predict(x).shape == (200, 1)


def test_fit_with_a_mask_trains_the_echo_task():
    x, y, mask = rnnlib.echo_task(64, 10, 2, n_symbols=3, seed=0)
    model = CharRNN(3, 16, seed=0)
    history = fit(model, x, y, mask=mask, steps=200, print_fn=None)
    loss = model.loss(x, y, mask=mask)[0]
    assert loss < 0.5 * math.log(3) and history["loss"][0] > loss


class NaNAfter:
    """A stand-in model whose loss turns into NaN at a given call."""

    def __init__(self, bad_call):
        self.params = {"w": np.ones(3)}
        self.calls, self.bad_call = 0, bad_call

    def loss(self, x, y, *rest, **kwargs):
        self.calls += 1
        loss = np.nan if self.calls >= self.bad_call else 1.0
        return loss, {"w": np.full(3, np.nan if self.calls >= self.bad_call else 0.1)}, None


def test_fit_stops_with_a_clear_message_on_a_non_finite_loss():
    model = NaNAfter(bad_call=4)
    with pytest.raises(TrainingDiverged, match=r"loss became nan at step 4.*learning rate"):
        fit(model, np.zeros((10, 2)), np.zeros((10, 1)), steps=10, print_fn=None)
    assert np.all(np.isfinite(model.params["w"]))  # the bad step was not applied
    assert issubclass(TrainingDiverged, FloatingPointError)


def test_train_char_model_stops_on_a_non_finite_loss():
    zen, vocab, ids = zen_ids()
    with pytest.raises(TrainingDiverged, match="step 2"):
        train_char_model(NaNAfter(bad_call=2), ids, steps=5, print_fn=None)


def test_a_real_model_with_an_absurd_learning_rate_diverges_cleanly(rng):
    x = rng.standard_normal((50, 5, 1))
    model = SequenceRegressor(1, 8, seed=0)
    with np.errstate(all="ignore"), pytest.raises(TrainingDiverged, match="Lower the learning"):
        fit(model, x, x.mean(axis=1), optimizer=rnnlib.SGD(1e200), clip=None, steps=20,
            print_fn=None)
