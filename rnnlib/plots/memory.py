"""Figures for gradients over long lags, the language model and gated cells (lectures 7-9)."""
import matplotlib.pyplot as plt  # noqa: F401
import numpy as np  # noqa: F401

__all__ = []
