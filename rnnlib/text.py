"""Text for the character-level language model: a corpus that ships with Python, a character
vocabulary, and batches for truncated backpropagation through time."""
import ast
import codecs
import importlib.util

import numpy as np

from ._validate import check_shape


def load_zen():
    """The Zen of Python (PEP 20), about 850 characters, read from the standard library.

    It ships with every Python as the module `this`, stored ROT13-encoded. Importing that
    module would print the text, so its source is parsed instead.
    """
    with open(importlib.util.find_spec("this").origin, encoding="utf-8") as f:
        tree = ast.parse(f.read())
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == "s":
            return codecs.decode(node.value.value, "rot13")
    raise RuntimeError("could not find the Zen of Python in the module 'this'")


class Vocabulary:
    """A mapping between the characters of a text and integer ids 0..V-1 (sorted order)."""

    def __init__(self, chars):
        self.chars = sorted(set(chars))
        self.index = {c: i for i, c in enumerate(self.chars)}

    @classmethod
    def from_text(cls, text):
        """The vocabulary of every distinct character in `text`."""
        return cls(text)

    def __len__(self):
        return len(self.chars)

    def __repr__(self):
        return f"Vocabulary({len(self)} characters: {''.join(self.chars)!r})"

    def encode(self, text):
        """str -> (len(text),) int64 ids. Raises ValueError on a character not in the vocabulary."""
        missing = sorted(set(text) - set(self.index))
        if missing:
            raise ValueError(f"characters not in the vocabulary: {missing!r}")
        return np.array([self.index[c] for c in text], dtype=np.int64)

    def decode(self, ids):
        """Sequence of ids -> str."""
        return "".join(self.chars[int(i)] for i in ids)


def stream_batches(ids, batch_size, seq_len):
    """Cut a long id sequence into `batch_size` parallel streams and walk along them.

    Stream b reads the b-th contiguous slice of the text, so the hidden state at the end of one
    chunk is the right start for the next chunk of the same stream (truncated BPTT).
    Inputs: ids: (L,) integer ids. Yields (x, y), both (batch_size, seq_len), with y the next
    character after each x; wraps around at the end of the streams, forever.
    """
    ids = np.asarray(ids)
    check_shape("ids", ids, (None,), "(L,)")
    stream_len = (len(ids) - 1) // batch_size
    if stream_len < seq_len:
        raise ValueError(
            f"text of {len(ids)} ids is too short for {batch_size} streams of {seq_len} steps"
        )
    starts = np.arange(batch_size)[:, None] * stream_len
    while True:
        for offset in range(0, stream_len - seq_len + 1, seq_len):
            idx = starts + offset + np.arange(seq_len)
            yield ids[idx], ids[idx + 1]
