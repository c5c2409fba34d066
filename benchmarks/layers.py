"""Recurrent layers, forward + backward, on one thread: rnnlib against a naive per-step numpy
implementation and, when PyTorch is installed, against torch.nn.RNN / torch.nn.LSTM.

    .venv/bin/python benchmarks/layers.py [--repeats 9] [--quick] [--cells rnn lstm]

Every implementation runs the same computation (checked numerically before timing): the
hidden states of a batch of sequences, then the gradients of sum(h * dh) with respect to the
inputs, the initial state and every weight. The runs are interleaved round-robin, so that a
burst of load from another process on the machine hits all of them alike; the table shows the
best time of each, and the ratio of best times (the median of the per-round ratios in
brackets). The column "matmul" times only the matrix products rnnlib performs, with no
elementwise work: a floor for any numpy implementation on the same BLAS. For float32 LSTMs,
PyTorch runs oneDNN's fused LSTM kernel; a second line times PyTorch with it switched off.
"""
import os

# One thread everywhere, set before numpy (OpenBLAS) and torch (MKL, OpenMP) are imported.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402

import numpy as np  # noqa: E402

import rnnlib  # noqa: E402

try:
    import torch
except ImportError:  # the comparison with PyTorch is optional
    torch = None
else:
    torch.set_num_threads(1)

SHAPES = [(32, 64, 32, 128), (64, 100, 64, 256)]  # (N, T, D, H)
DTYPES = [np.float32, np.float64]
TARGETS = {"rnn": 0.8, "lstm": 1.0}  # rnnlib time / PyTorch time, at most


# --- The naive baseline: one step at a time, as in the CS231n assignment ---------------------


def naive_rnn(x, h0, Wx, Wh, b, dh):
    """Forward and backward of a vanilla RNN, step by step, each step keeping its own cache."""
    N, T, D = x.shape
    h = np.zeros((N, T, Wh.shape[0]), dtype=x.dtype)
    caches, prev_h = [], h0
    for t in range(T):
        next_h = np.tanh(x[:, t, :] @ Wx + prev_h @ Wh + b)
        caches.append((x[:, t, :], prev_h, next_h))
        h[:, t, :] = prev_h = next_h
    dx = np.zeros_like(x)
    dWx, dWh, db = np.zeros_like(Wx), np.zeros_like(Wh), np.zeros_like(b)
    dprev_h = np.zeros_like(h0)
    for t in reversed(range(T)):
        x_t, prev_h, next_h = caches[t]
        da = (dh[:, t, :] + dprev_h) * (1 - next_h**2)
        dx[:, t, :] = da @ Wx.T
        dprev_h = da @ Wh.T
        dWx += x_t.T @ da
        dWh += prev_h.T @ da
        db += da.sum(axis=0)
    return h, (dx, dprev_h, dWx, dWh, db)


def naive_lstm(x, h0, Wx, Wh, b, dh):
    """Forward and backward of an LSTM (gates [i, f, o, g]), step by step."""
    N, T, D = x.shape
    H = h0.shape[1]
    sig = rnnlib.sigmoid
    h = np.zeros((N, T, H), dtype=x.dtype)
    caches, prev_h, prev_c = [], h0, np.zeros_like(h0)
    for t in range(T):
        a = x[:, t, :] @ Wx + prev_h @ Wh + b
        i, f, o = sig(a[:, :H]), sig(a[:, H:2 * H]), sig(a[:, 2 * H:3 * H])
        g = np.tanh(a[:, 3 * H:])
        next_c = f * prev_c + i * g
        tanh_c = np.tanh(next_c)
        caches.append((x[:, t, :], prev_h, prev_c, i, f, o, g, tanh_c))
        h[:, t, :] = prev_h = o * tanh_c
        prev_c = next_c
    dx = np.zeros_like(x)
    dWx, dWh, db = np.zeros_like(Wx), np.zeros_like(Wh), np.zeros_like(b)
    dprev_h, dprev_c = np.zeros_like(h0), np.zeros_like(h0)
    for t in reversed(range(T)):
        x_t, prev_h, prev_c, i, f, o, g, tanh_c = caches[t]
        dnext_h = dh[:, t, :] + dprev_h
        dc = dprev_c + dnext_h * o * (1 - tanh_c**2)
        da = np.concatenate([dc * g * i * (1 - i), dc * prev_c * f * (1 - f),
                             dnext_h * tanh_c * o * (1 - o), dc * i * (1 - g**2)], axis=1)
        dx[:, t, :] = da @ Wx.T
        dprev_h = da @ Wh.T
        dprev_c = dc * f
        dWx += x_t.T @ da
        dWh += prev_h.T @ da
        db += da.sum(axis=0)
    return h, (dx, dprev_h, dWx, dWh, db)


def matrix_products_only(x, h0, Wx, Wh, b, dh):
    """Only the matrix products that rnnlib's forward + backward perform, with no elementwise
    work at all: a floor for any numpy implementation built on the same BLAS."""
    N, T, D = x.shape
    H = h0.shape[1]
    x2 = x.reshape(N * T, D)
    a = x2 @ Wx  # the input projections of all steps, (N * T, G)
    step = np.empty((N, Wh.shape[1]), dtype=x.dtype)
    for t in range(T):  # the recurrence, forward
        np.matmul(h0, Wh, out=step)
    dprev = np.empty((N, H), dtype=x.dtype)
    for t in range(T):  # the recurrence, backward
        np.matmul(a[t * N : (t + 1) * N], Wh.T, out=dprev)
    h2 = dh.reshape(N * T, H)
    return a @ Wx.T, x2.T @ a, h2.T @ a  # dx, dWx, dWh


# --- The three contenders, each a function of the same numpy inputs --------------------------


def rnnlib_layer(cell):
    forward, backward = {"rnn": (rnnlib.rnn_forward, rnnlib.rnn_backward),
                         "lstm": (rnnlib.lstm_forward, rnnlib.lstm_backward)}[cell]

    def run(x, h0, Wx, Wh, b, dh):
        h, cache = forward(x, h0, Wx, Wh, b)
        return h, backward(dh, cache)

    return run


def torch_layer(cell, x, h0, Wx, Wh, b, dh):
    """A torch module holding the same weights; returns a function of no arguments that runs
    forward + backward (gradients for x, h0 and every parameter, as rnnlib computes)."""
    N, T, D = x.shape
    H = h0.shape[1]
    dtype = torch.float32 if x.dtype == np.float32 else torch.float64
    module = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM}[cell]
    kwargs = {"nonlinearity": "tanh"} if cell == "rnn" else {}
    layer = module(D, H, batch_first=True, **kwargs).to(dtype)
    Wx_t, Wh_t, b_t = Wx, Wh, b
    if cell == "lstm":  # torch stacks the gates as [i, f, g, o]; rnnlib as [i, f, o, g]
        order = np.r_[0:2 * H, 3 * H:4 * H, 2 * H:3 * H]
        Wx_t, Wh_t, b_t = Wx[:, order], Wh[:, order], b[order]
    with torch.no_grad():
        layer.weight_ih_l0.copy_(torch.from_numpy(Wx_t.T.copy()))
        layer.weight_hh_l0.copy_(torch.from_numpy(Wh_t.T.copy()))
        layer.bias_ih_l0.copy_(torch.from_numpy(b_t))
        layer.bias_hh_l0.zero_()
    xt = torch.from_numpy(x).requires_grad_()
    h0t = torch.from_numpy(h0)[None].requires_grad_()
    dht = torch.from_numpy(dh)

    def run():
        for p in (xt, h0t, *layer.parameters()):
            p.grad = None
        state = h0t if cell == "rnn" else (h0t, torch.zeros_like(h0t))
        h, _ = layer(xt, state)
        h.backward(dht)
        return h

    return run


def inputs(N, T, D, H, cell, dtype, seed=0):
    rng = np.random.default_rng(seed)
    G = 4 if cell == "lstm" else 1
    arrays = (
        rng.standard_normal((N, T, D)),
        0.5 * rng.standard_normal((N, H)),
        rng.standard_normal((D, G * H)) / np.sqrt(D),
        rng.standard_normal((H, G * H)) / np.sqrt(H),
        0.1 * rng.standard_normal(G * H),
        rng.standard_normal((N, T, H)),
    )
    return [a.astype(dtype) for a in arrays]


def timed(fn, *args):
    start = time.perf_counter()
    fn(*args)
    return time.perf_counter() - start


def compare(cell, shape, dtype, repeats):
    """Times of every contender, round-robin; returns {name: [seconds, ...]}."""
    args = inputs(*shape, cell, dtype)
    ours = rnnlib_layer(cell)
    naive = naive_rnn if cell == "rnn" else naive_lstm
    h, grads = ours(*args)
    h_ref, grads_ref = naive(*args)
    tol = 1e-4 if dtype == np.float32 else 1e-10
    assert h.dtype == dtype and all(g.dtype == dtype for g in grads)
    for a, b in zip((h, *grads), (h_ref, *grads_ref)):  # the same computation, checked
        assert np.allclose(a, b, rtol=tol, atol=tol)
    contenders = {"rnnlib": lambda: ours(*args), "naive": lambda: naive(*args)}
    if torch is not None:
        run_torch = torch_layer(cell, *args)
        assert np.allclose(run_torch().detach().numpy(), h, rtol=tol, atol=tol)
        contenders["torch"] = run_torch
    contenders["matmul only"] = lambda: matrix_products_only(*args)
    times = round_robin(contenders, repeats)
    if torch is not None and cell == "lstm" and dtype == np.float32:
        # For float32 LSTMs PyTorch calls oneDNN's fused LSTM kernel. Timed here also without
        # it (in rounds of its own, so as not to disturb the main comparison).
        def run_torch_plain():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # a note about TF32 on Intel GPUs
                with torch.backends.mkldnn.flags(enabled=False):
                    return run_torch()

        extra = round_robin({"rnnlib": contenders["rnnlib"], "torch": run_torch_plain}, repeats)
        times["torch, oneDNN off"] = extra["torch"]
        times["rnnlib, again"] = extra["rnnlib"]
    return times


def round_robin(contenders, repeats):
    """Warm each contender up, then time them in turn, `repeats` rounds."""
    for fn in contenders.values():
        fn()
    times = {name: [] for name in contenders}
    for _ in range(repeats):
        for name, fn in contenders.items():
            times[name].append(timed(fn))
    return times


def blas_report():
    """Which BLAS numpy uses, with how many threads and which kernel (threadpoolctl)."""
    lines = [f"numpy {np.__version__}",
             f"torch {torch.__version__}" if torch else "torch: not installed"]
    lines.append("OPENBLAS_CORETYPE=" + os.environ.get("OPENBLAS_CORETYPE", "(unset)") +
                 ", OPENBLAS_L2_SIZE=" + os.environ.get("OPENBLAS_L2_SIZE", "(unset)"))
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        lines.append("threadpoolctl not installed: BLAS kernel unknown")
    else:
        for lib in threadpool_info():
            lines.append(
                f"{lib['internal_api']} {lib.get('version') or ''}: {lib['num_threads']} thread(s)"
                + (f", kernel {lib['architecture']}" if lib.get("architecture") else "")
            )
    return lines


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=9, help="timed runs of each contender")
    parser.add_argument("--quick", action="store_true", help="the small shape only, 3 repeats")
    parser.add_argument("--cells", nargs="+", default=["rnn", "lstm"], choices=["rnn", "lstm"])
    args = parser.parse_args(argv)
    shapes, repeats = (SHAPES[:1], 3) if args.quick else (SHAPES, args.repeats)
    print("\n".join(blas_report()))
    print(f"best of {repeats} interleaved runs, forward + backward, milliseconds; 'matmul' is "
          "the time of rnnlib's matrix products alone (a floor on this BLAS); ratios are of "
          "best times, the median of the per-round ratios in brackets\n")
    header = (f"{'cell':5} {'(N, T, D, H)':18} {'dtype':8} {'rnnlib':>8} {'naive':>8} "
              f"{'torch':>8} {'matmul':>8}  {'vs naive':>13} {'vs torch':>13}  target")
    print(header)
    print("-" * len(header))
    verdicts = []
    for cell in args.cells:
        for shape in shapes:
            for dtype in DTYPES:
                times = compare(cell, shape, dtype, repeats)
                best = {k: min(v) for k, v in times.items()}

                def ratio(other, ours="rnnlib"):
                    if other not in times:
                        return "-"
                    med = statistics.median(a / b for a, b in zip(times[ours], times[other]))
                    return f"{best[ours] / best[other]:.2f}x ({med:.2f})"

                verdict = ""
                if "torch" in best:
                    ok = best["rnnlib"] / best["torch"] <= TARGETS[cell]
                    verdict = f"<= {TARGETS[cell]}: " + ("met" if ok else "MISSED")
                    verdicts.append(ok)
                ms = {k: f"{1e3 * v:8.1f}" for k, v in best.items()}
                print(f"{cell:5} {str(shape):18} {np.dtype(dtype).name:8} {ms['rnnlib']} "
                      f"{ms['naive']} {ms.get('torch', '       -')} {ms['matmul only']}  "
                      f"{ratio('naive'):>13} {ratio('torch'):>13}  {verdict}", flush=True)
                if "torch, oneDNN off" in best:
                    print(f"{'':33} torch with oneDNN off: {ms['torch, oneDNN off'].strip()} ms, "
                          f"rnnlib {ratio('torch, oneDNN off', 'rnnlib, again')} of it",
                          flush=True)
    if verdicts:
        print(f"\ntargets met: {sum(verdicts)} of {len(verdicts)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
