"""Figures for series, windows, the univariate cell and its EWMA twin (lectures 1-3)."""
import matplotlib.pyplot as plt  # noqa: F401
import numpy as np  # noqa: F401

__all__ = []
