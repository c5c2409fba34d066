"""Character-level language model training, on one thread: rnnlib's CharRNN, trained as
rnnlib.train_char_model trains it, against a per-character, one-hot baseline in the style of
Karpathy's min-char-rnn (written out below: hidden 100, sequences of 25, Adagrad, batch of one).

    .venv/bin/python benchmarks/charrnn.py [--seconds 15] [--corpus zen|docs|both]

Both learners get the same wall time, in alternating slices of a quarter of a second, so that
load from other processes on the machine hits both alike. Reported: characters per second
(training characters read, over each learner's own training time) and the loss afterwards, in
nats per character, measured the same way for both: the mean cross-entropy over an evaluation
text, read from a zero state.

Corpora (both offline, both ship with Python):
- docs: the Python language reference as pydoc prints it (pydoc_data.topics). Training on
  its first 200,000 characters and evaluating on the next 20,000, which neither model has
  seen: a measure of learning rather than memorising, on a text long enough that rnnlib's 32
  parallel streams each read a long, continuous stretch of it. The fair race.
- zen: the Zen of Python (856 characters), as the course's notebooks use it; the evaluation
  text is the training text, so this measures how fast each learner memorises it. On a text
  this short rnnlib uses 8 streams: 32 streams of 26 characters would each hold less than
  two chunks and never learn to carry context from one chunk to the next.
"""
import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import math  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

import rnnlib  # noqa: E402

HIDDEN, SEQ_LEN, LR = 100, 25, 1e-1  # min-char-rnn's settings, used by both contenders
# rnnlib's parallel streams. A stream must be long enough to carry context from chunk to
# chunk: the Zen's 856 characters make 8 streams of 106 characters (4 chunks each).
DOCS_BATCH, ZEN_BATCH = 32, 8


# --- The baseline: min-char-rnn, one character and one one-hot vector at a time -------------


class MinCharRNN:
    """Karpathy's min-char-rnn, kept as close to the original as numpy 2 allows."""

    def __init__(self, vocab_size, hidden_size=HIDDEN, seed=0):
        rng = np.random.default_rng(seed)
        V, H = vocab_size, hidden_size
        self.V, self.H = V, H
        self.Wxh = rng.standard_normal((H, V)) * 0.01
        self.Whh = rng.standard_normal((H, H)) * 0.01
        self.Why = rng.standard_normal((V, H)) * 0.01
        self.bh, self.by = np.zeros((H, 1)), np.zeros((V, 1))
        self.mem = [np.zeros_like(p) for p in self.params()]

    def params(self):
        return [self.Wxh, self.Whh, self.Why, self.bh, self.by]

    def loss_fun(self, inputs, targets, hprev):
        xs, hs, ps = {}, {-1: np.copy(hprev)}, {}
        loss = 0.0
        for t in range(len(inputs)):
            xs[t] = np.zeros((self.V, 1))
            xs[t][inputs[t]] = 1
            hs[t] = np.tanh(self.Wxh @ xs[t] + self.Whh @ hs[t - 1] + self.bh)
            ys = self.Why @ hs[t] + self.by
            ps[t] = np.exp(ys - ys.max()) / np.sum(np.exp(ys - ys.max()))
            loss += -np.log(ps[t][targets[t], 0])
        dWxh, dWhh, dWhy = (np.zeros_like(w) for w in (self.Wxh, self.Whh, self.Why))
        dbh, dby = np.zeros_like(self.bh), np.zeros_like(self.by)
        dhnext = np.zeros_like(hs[0])
        for t in reversed(range(len(inputs))):
            dy = np.copy(ps[t])
            dy[targets[t]] -= 1
            dWhy += dy @ hs[t].T
            dby += dy
            dh = self.Why.T @ dy + dhnext
            dhraw = (1 - hs[t] * hs[t]) * dh
            dbh += dhraw
            dWxh += dhraw @ xs[t].T
            dWhh += dhraw @ hs[t - 1].T
            dhnext = self.Whh.T @ dhraw
        grads = [dWxh, dWhh, dWhy, dbh, dby]
        for g in grads:
            np.clip(g, -5, 5, out=g)
        return loss, grads, hs[len(inputs) - 1]

    def trainer(self, data):
        """A generator that trains on one chunk of SEQ_LEN characters per next() and yields
        how many characters it read, walking through the text as min-char-rnn does."""
        n, p, hprev = len(data), 0, np.zeros((self.H, 1))
        while True:
            if p + SEQ_LEN + 1 >= n:
                hprev, p = np.zeros((self.H, 1)), 0
            inputs, targets = data[p : p + SEQ_LEN], data[p + 1 : p + SEQ_LEN + 1]
            _, grads, hprev = self.loss_fun(inputs, targets, hprev)
            for param, dparam, mem in zip(self.params(), grads, self.mem):
                mem += dparam * dparam
                param += -LR * dparam / np.sqrt(mem + 1e-8)
            p += SEQ_LEN
            yield SEQ_LEN

    def evaluate(self, ids):
        """Mean cross-entropy (nats per character) of predicting ids[1:] from ids[:-1]."""
        h, total = np.zeros((self.H, 1)), 0.0
        for a, b in zip(ids[:-1], ids[1:]):
            h = np.tanh(self.Wxh[:, [a]] + self.Whh @ h + self.bh)
            ys = self.Why @ h + self.by
            total += -(ys[b, 0] - ys.max() - np.log(np.sum(np.exp(ys - ys.max()))))
        return total / (len(ids) - 1)


# --- The corpora -----------------------------------------------------------------------------


def load_corpus(name):
    """(train ids, evaluation ids, vocabulary size, description, rnnlib's batch size)."""
    if name == "zen":
        text = rnnlib.load_zen()
        vocab = rnnlib.Vocabulary.from_text(text)
        ids = vocab.encode(text)
        return (ids, ids, len(vocab), f"Zen of Python, {len(text)} characters, evaluated on itself",
                ZEN_BATCH)
    from pydoc_data.topics import topics  # the language reference, as `help()` shows it

    text = "".join(topics[k] for k in sorted(topics))[:220_000]
    vocab = rnnlib.Vocabulary.from_text(text)
    ids = vocab.encode(text)
    return (ids[:200_000], ids[200_000:], len(vocab),
            "Python reference (pydoc_data), 200,000 characters; evaluated on the next 20,000",
            DOCS_BATCH)


def rnnlib_trainer(model, ids, batch_size):
    """rnnlib's training step, exactly as rnnlib.train_char_model takes it (the same calls in
    the same order), one step per next(); yields how many characters it read."""
    optimizer = rnnlib.Adagrad(LR)
    batches = rnnlib.stream_batches(ids, batch_size, SEQ_LEN)
    h = None
    while True:
        x, y = next(batches)
        loss, grads, h = model.loss(x, y, h0=h)
        grads, _ = rnnlib.clip_by_global_norm(grads, 5.0)
        optimizer.update(model.params, grads)
        yield x.size


def check_trainer_matches_train_char_model():
    """The stepwise loop above must train exactly as rnnlib.train_char_model does."""
    ids = rnnlib.Vocabulary.from_text(rnnlib.load_zen()).encode(rnnlib.load_zen())
    a, b = (rnnlib.CharRNN(45, 16, seed=1) for _ in range(2))
    rnnlib.train_char_model(a, ids, steps=3, batch_size=ZEN_BATCH, seq_len=SEQ_LEN, lr=LR,
                            clip=5.0, print_fn=None)
    steps = rnnlib_trainer(b, ids, ZEN_BATCH)
    for _ in range(3):
        next(steps)
    assert all(np.array_equal(a.params[k], b.params[k]) for k in a.params)


def race(corpus, seconds, seed=0, slice_seconds=0.25):
    """Both learners train in alternating slices of about `slice_seconds` until each has used
    `seconds` of wall time, so that load from other processes hits both alike. Returns a dict
    of figures."""
    train, held_out, V, description, batch = load_corpus(corpus)
    model = rnnlib.CharRNN(V, HIDDEN, cell="rnn", seed=seed)
    baseline = MinCharRNN(V, seed=seed)
    learners = {"rnnlib": rnnlib_trainer(model, train, batch), "base": baseline.trainer(train)}
    used = {name: 0.0 for name in learners}
    chars = {name: 0 for name in learners}
    while min(used.values()) < seconds:
        for name, steps in learners.items():
            start = time.perf_counter()
            while time.perf_counter() - start < slice_seconds:
                chars[name] += next(steps)
            used[name] += time.perf_counter() - start
    return {
        "corpus": description, "V": V, "batch": batch, "seconds": used,
        "rnnlib_cps": chars["rnnlib"] / used["rnnlib"], "base_cps": chars["base"] / used["base"],
        "rnnlib_loss": model.loss(held_out[None, :-1], held_out[None, 1:])[0],
        "base_loss": baseline.evaluate(held_out), "uniform": math.log(V),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15.0, help="training time per model")
    parser.add_argument("--corpus", choices=["zen", "docs", "both"], default="both")
    args = parser.parse_args(argv)
    corpora = ["zen", "docs"] if args.corpus == "both" else [args.corpus]
    print(f"numpy {np.__version__}; hidden {HIDDEN}, sequences of {SEQ_LEN}, Adagrad lr {LR}, "
          "one thread; the two learners train in alternating slices of 0.25 s")
    check_trainer_matches_train_char_model()
    for corpus in corpora:
        r = race(corpus, args.seconds)
        speedup = r["rnnlib_cps"] / r["base_cps"]
        print(f"\n{r['corpus']} (V = {r['V']}, uniform guessing {r['uniform']:.2f} nats)")
        print(f"  training time      rnnlib {r['seconds']['rnnlib']:6.1f} s (batch {r['batch']})   "
              f"baseline {r['seconds']['base']:6.1f} s (batch 1)")
        print(f"  characters/second  rnnlib {r['rnnlib_cps']:9.0f}   baseline "
              f"{r['base_cps']:7.0f}   ratio {speedup:5.1f}x   (target >= 5x)")
        print(f"  loss afterwards    rnnlib {r['rnnlib_loss']:9.3f}   baseline "
              f"{r['base_loss']:7.3f}   nats/char (target: rnnlib <= baseline)")
        met = speedup >= 5 and r["rnnlib_loss"] <= r["base_loss"]
        print("  targets " + ("met" if met else "MISSED"), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
