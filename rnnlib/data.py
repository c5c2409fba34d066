"""Data for the course, all available offline.

- synthetic series: `noisy_sine`, `seasonal_series`
- real series from matplotlib's bundled sample data: `load_stock_prices` (monthly closing
  prices 1990-2022, Yahoo Finance, as matplotlib ships them in Stocks.csv), `load_goog` (daily
  Google prices 2004-2008, goog.npz) and `load_eeg` (four standardised EEG channels, eeg.dat)
- windows for feed-forward models and batches for recurrent ones: `sliding_windows`
- memory tasks with a known lag: `echo_task`, `adding_problem`
"""
import csv

import numpy as np
from matplotlib import cbook

from ._validate import as_float_array, check_shape


# --- Synthetic series -----------------------------------------------------------------------


def noisy_sine(n, *, period=50.0, noise=0.1, seed=0):
    """A sine wave of the given period (in steps) plus Gaussian noise. Returns (n,) float64."""
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    return np.sin(2 * np.pi * t / period) + noise * rng.standard_normal(n)


def seasonal_series(n, *, period=12, trend=0.02, amplitude=1.0, noise=0.2, seed=0):
    """A linear trend plus a seasonal sine plus noise, like monthly sales. Returns (n,) float64."""
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    return trend * t + amplitude * np.sin(2 * np.pi * t / period) + noise * rng.standard_normal(n)


# --- Real series, from matplotlib's sample data ---------------------------------------------


def _sample_path(name):
    return str(cbook._get_data_path("sample_data", name))


def load_stock_prices(symbol="^GSPC"):
    """Monthly closing prices from matplotlib's Stocks.csv (source: Yahoo Finance).

    symbol: one of IBM, AAPL, MSFT, XRX, AMZN, DELL, GOOGL, ADBE, ^GSPC (S&P 500), ^IXIC
    (Nasdaq). Returns (dates, prices): dates as numpy datetime64[D] (T,), prices float64 (T,),
    keeping only the months where that symbol has a price.
    """
    with open(_sample_path("Stocks.csv"), newline="") as f:
        rows = [r for r in csv.reader(f) if r and not r[0].startswith("#")]
    header, body = rows[0], rows[1:]
    if symbol not in header[1:]:
        raise ValueError(f"symbol must be one of {header[1:]}; got {symbol!r}")
    col = header.index(symbol)
    kept = [(r[0], float(r[col])) for r in body if r[col]]
    dates = np.array([d for d, _ in kept], dtype="datetime64[D]")
    return dates, np.array([p for _, p in kept])


def load_goog():
    """Daily Google prices, Aug 2004 to Oct 2008, from matplotlib's goog.npz.

    Returns (dates datetime64[D] (1047,), closing prices float64 (1047,)).
    """
    with np.load(_sample_path("goog.npz")) as f:
        data = f["price_data"]
    return data["date"], data["adj_close"].astype(np.float64)


def load_eeg():
    """Four channels of an EEG trace from matplotlib's eeg.dat, each scaled to unit variance.

    Returns (800, 4) float64: 800 samples in time, one column per channel.
    """
    return np.fromfile(_sample_path("eeg.dat"), dtype="<f8").reshape(800, 4)


# --- Windows ---------------------------------------------------------------------------------


def sliding_windows(series, window, *, horizon=1):
    """Cut a series into overlapping input windows and the values that follow each.

    Inputs: series: (T,); window: inputs per example; horizon: how many following values to
    predict. Returns (X, y) with X: (T - window - horizon + 1, window) and y: (same, horizon).
    Row i is X[i] = series[i : i + window], y[i] = series[i + window : i + window + horizon].
    """
    series = as_float_array("series", series)
    check_shape("series", series, (None,), "(T,)")
    T = series.shape[0]
    if window < 1 or horizon < 1:
        raise ValueError(f"window and horizon must be at least 1; got {window} and {horizon}")
    count = T - window - horizon + 1
    if count < 1:
        raise ValueError(
            f"series of length {T} is too short for window={window} and horizon={horizon}"
        )
    idx = np.arange(count)[:, None]
    return series[idx + np.arange(window)], series[idx + window + np.arange(horizon)]


# --- Memory tasks ----------------------------------------------------------------------------


def echo_task(n, length, lag, *, n_symbols=4, seed=0):
    """Sequences of random symbols where the target at step t is the input at step t - lag.

    Solving it means holding each symbol for `lag` steps: the cleanest test of memory.
    Returns (x, y, mask): x, y: (n, length) integer symbols, mask: (n, length) booleans, False
    for the first `lag` steps, which have nothing to echo yet.
    """
    if not 0 <= lag < length:
        raise ValueError(f"lag must be in [0, length={length}); got {lag}")
    rng = np.random.default_rng(seed)
    x = rng.integers(0, n_symbols, size=(n, length))
    y = np.zeros_like(x)
    y[:, lag:] = x[:, : length - lag]
    mask = np.zeros((n, length), dtype=bool)
    mask[:, lag:] = True
    return x, y, mask


def adding_problem(n, length, *, seed=0):
    """The adding problem: add the two numbers that are marked in a long sequence.

    Each step carries two features: a random value in [0, 1) and a marker that is 1 at exactly
    two steps, one in each half of the sequence. Returns (x (n, length, 2), y (n, 1)), y the sum
    of the two marked values. Predicting 1 always gives a mean squared error of about 1/6.
    """
    if length < 2:
        raise ValueError(f"length must be at least 2; got {length}")
    rng = np.random.default_rng(seed)
    values = rng.random((n, length))
    half = length // 2
    first = rng.integers(0, half, size=n)
    second = rng.integers(half, length, size=n)
    markers = np.zeros((n, length))
    markers[np.arange(n), first] = 1
    markers[np.arange(n), second] = 1
    x = np.stack([values, markers], axis=2)
    y = (values[np.arange(n), first] + values[np.arange(n), second])[:, None]
    return x, y
