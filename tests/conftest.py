"""Shared pytest fixtures. Keep this file small: each test module brings its own helpers."""
import numpy as np
import pytest


@pytest.fixture
def rng():
    """A seeded generator, so that every test sees the same random numbers on every run."""
    return np.random.default_rng(1234)
