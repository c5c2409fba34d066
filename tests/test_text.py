"""The text corpus, the character vocabulary and the batches for truncated BPTT."""
import numpy as np
import pytest

from rnnlib import Vocabulary, load_zen, stream_batches


def test_zen_of_python_is_read_offline():
    zen = load_zen()
    assert zen.startswith("The Zen of Python, by Tim Peters")
    assert "Beautiful is better than ugly." in zen
    assert len(zen) == 856


def test_vocabulary_round_trip():
    zen = load_zen()
    vocab = Vocabulary.from_text(zen)
    ids = vocab.encode(zen)
    assert ids.dtype == np.int64 and ids.shape == (len(zen),)
    assert vocab.decode(ids) == zen
    assert len(vocab) == len(set(zen)) and vocab.chars == sorted(set(zen))
    assert ids.min() == 0 and ids.max() == len(vocab) - 1
    assert vocab.decode(vocab.encode("")) == ""
    assert str(len(vocab)) in repr(vocab)


def test_vocabulary_ids_follow_sorted_characters():
    vocab = Vocabulary("cab")
    np.testing.assert_array_equal(vocab.encode("abcab"), [0, 1, 2, 0, 1])
    assert vocab.decode([2, 1, 0]) == "cba"
    assert vocab.decode(np.array([1, 1])) == "bb"


def test_vocabulary_refuses_unknown_characters():
    vocab = Vocabulary("abc")
    with pytest.raises(ValueError, match="not in the vocabulary.*'z'"):
        vocab.encode("abz")


def test_stream_batches_are_continuous_streams():
    ids = np.arange(1000)
    B, S = 4, 10
    batches = stream_batches(ids, B, S)
    stream_len = 999 // B
    x0, y0 = next(batches)
    x1, y1 = next(batches)
    assert x0.shape == y0.shape == (B, S)
    np.testing.assert_array_equal(y0, x0 + 1)  # the target is the next character
    np.testing.assert_array_equal(x1[:, 0], y0[:, -1])  # chunk k + 1 goes on where chunk k ended
    np.testing.assert_array_equal(x1, x0 + S)
    np.testing.assert_array_equal(x0[:, 0], np.arange(B) * stream_len)  # one slice per stream


def test_stream_batches_on_text_and_wrap_around():
    zen = load_zen()
    vocab = Vocabulary.from_text(zen)
    ids = vocab.encode(zen)
    B, S = 2, 25
    per_pass = ((len(ids) - 1) // B) // S  # chunks before the streams run out
    batches = stream_batches(ids, B, S)
    chunks = [next(batches) for _ in range(per_pass + 1)]
    x0, y0 = chunks[0]
    assert vocab.decode(x0[0]) == zen[:S]
    assert vocab.decode(y0[0]) == zen[1 : S + 1]
    np.testing.assert_array_equal(chunks[per_pass][0], x0)  # after a pass: start over
    assert all(x.max() < len(vocab) and y.max() < len(vocab) for x, y in chunks)


def test_stream_batches_refuses_a_short_text():
    with pytest.raises(ValueError, match="too short"):
        next(stream_batches(np.arange(30), 4, 10))
    with pytest.raises(ValueError, match=r"\(L,\)"):
        next(stream_batches(np.zeros((3, 3), dtype=int), 1, 1))
