"""Data helpers: windows, synthetic and real series, memory tasks."""
import numpy as np
import pytest

from rnnlib import (
    adding_problem,
    echo_task,
    load_eeg,
    load_goog,
    load_stock_prices,
    noisy_sine,
    seasonal_series,
    sliding_windows,
)


def test_sliding_windows_content():
    series = np.arange(10.0)
    X, y = sliding_windows(series, 3, horizon=2)
    assert X.shape == (6, 3) and y.shape == (6, 2)
    for i in range(6):
        np.testing.assert_array_equal(X[i], series[i : i + 3])
        np.testing.assert_array_equal(y[i], series[i + 3 : i + 5])
    X1, y1 = sliding_windows(series, 4)
    assert X1.shape == (6, 4) and y1.shape == (6, 1)
    np.testing.assert_array_equal(y1[:, 0], series[4:])  # every value after the first window
    assert sliding_windows(series.astype(np.float32), 2)[0].dtype == np.float32


def test_sliding_windows_refuses_bad_input():
    with pytest.raises(ValueError, match="too short"):
        sliding_windows(np.arange(5.0), 5)
    with pytest.raises(ValueError, match="at least 1"):
        sliding_windows(np.arange(5.0), 0)
    with pytest.raises(ValueError, match=r"\(T,\).*\(5, 1\)"):
        sliding_windows(np.arange(5.0)[:, None], 2)
    with pytest.raises(ValueError, match="dtype complex128"):
        sliding_windows(np.arange(5.0) + 0j, 2)


def test_synthetic_series_are_seeded_and_shaped():
    s = noisy_sine(200, period=48, noise=0.0)
    np.testing.assert_allclose(s[[0, 12, 24, 36, 48]], [0, 1, 0, -1, 0], atol=1e-12)  # clean
    np.testing.assert_array_equal(noisy_sine(100, seed=3), noisy_sine(100, seed=3))
    assert not np.array_equal(noisy_sine(100, seed=3), noisy_sine(100, seed=4))
    r = seasonal_series(120, period=12, trend=0.5, noise=0.0, amplitude=2.0)
    assert r.shape == (120,)
    np.testing.assert_allclose(r[12:] - r[:-12], 0.5 * 12, atol=1e-9)  # trend over one season


def test_echo_task_targets_are_the_inputs_shifted_by_the_lag():
    for lag in (0, 1, 5):
        x, y, mask = echo_task(8, 12, lag, n_symbols=3, seed=1)
        assert x.shape == y.shape == mask.shape == (8, 12)
        assert x.min() >= 0 and x.max() < 3 and np.issubdtype(x.dtype, np.integer)
        np.testing.assert_array_equal(y[:, lag:], x[:, : 12 - lag])
        np.testing.assert_array_equal(mask[:, :lag], False)
        np.testing.assert_array_equal(mask[:, lag:], True)
    with pytest.raises(ValueError, match="lag"):
        echo_task(2, 5, 5)


def test_adding_problem_target_is_the_sum_of_the_two_marked_values():
    x, y = adding_problem(50, 20, seed=2)
    assert x.shape == (50, 20, 2) and y.shape == (50, 1)
    values, markers = x[..., 0], x[..., 1]
    assert np.all((values >= 0) & (values < 1))
    np.testing.assert_array_equal(markers.sum(axis=1), 2)
    assert np.all(markers[:, :10].sum(axis=1) == 1)  # one mark in each half
    np.testing.assert_allclose(y[:, 0], (values * markers).sum(axis=1), rtol=1e-15)
    assert abs(np.mean((y - 1.0) ** 2) - 1 / 6) < 0.1  # the baseline the docstring promises
    with pytest.raises(ValueError, match="length"):
        adding_problem(3, 1)


def test_stock_prices():
    dates, prices = load_stock_prices()
    assert dates.shape == prices.shape and prices.ndim == 1 and len(prices) > 300
    assert dates.dtype == np.dtype("datetime64[D]") and np.all(np.diff(dates) > np.timedelta64(0))
    assert str(dates[0]).startswith("1990") and np.all(np.isfinite(prices)) and prices.min() > 0
    d2, p2 = load_stock_prices("AAPL")
    assert d2.shape == p2.shape and np.all(np.isfinite(p2))
    with pytest.raises(ValueError, match="symbol must be one of"):
        load_stock_prices("NOPE")


def test_goog_and_eeg():
    dates, prices = load_goog()
    assert dates.shape == prices.shape == (1047,)
    assert np.all(np.isfinite(prices)) and prices.min() > 0 and prices.dtype == np.float64
    assert str(dates[0]).startswith("2004")
    eeg = load_eeg()
    assert eeg.shape == (800, 4) and np.all(np.isfinite(eeg))
    np.testing.assert_allclose(eeg.std(axis=0), 1.0, atol=0.01)  # unit variance, as documented
