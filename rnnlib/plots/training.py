"""Figures for the vector cell, deep RNNs and training through time (lectures 4-6)."""
import matplotlib.pyplot as plt  # noqa: F401
import numpy as np  # noqa: F401

__all__ = []
