"""How far back a gradient reaches: norms of dh_T/dh_k against the lag T - k."""
import matplotlib.pyplot as plt
import numpy as np

from .._validate import check_shape


def hidden_gradient_norms(Wh, T, *, Wx=None, x=None, b=None, seed=0):
    """Norm of the gradient of h_T with respect to every earlier state h_k of a tanh RNN.

    Runs the vanilla cell h_t = tanh(x_t Wx + h_{t-1} Wh + b) for T steps from h_0 = 0, on
    standard normal inputs with Wx the identity (or on the given x (T, D) with Wx (D, H)), then
    multiplies the step Jacobians dh_t/dh_{t-1} = diag(1 - h_t^2) Wh^T backwards.
    Inputs: Wh: (H, H); T: steps; Wx, x: both or neither; b: (H,) or None for no bias.
    Returns (T,) float64: entry k is ||dh_T/dh_{T-k}||_2 (spectral norm), for lags k = 0..T-1.
    """
    Wh = np.asarray(Wh, dtype=np.float64)
    check_shape("Wh", Wh, (None, None), "(H, H)")
    H = Wh.shape[0]
    check_shape("Wh", Wh, (H, H), "(H, H)")
    if (x is None) != (Wx is None):
        raise ValueError("give both x (T, D) and Wx (D, H), or neither (random inputs)")
    rng = np.random.default_rng(seed)
    if x is None:
        x = rng.standard_normal((T, H))
        Wx = np.eye(H)
    x, Wx = np.asarray(x, dtype=np.float64), np.asarray(Wx, dtype=np.float64)
    check_shape("Wx", Wx, (None, H), "(D, H)")
    check_shape("x", x, (T, Wx.shape[0]), "(T, D)")
    b = np.zeros(H) if b is None else np.asarray(b, dtype=np.float64)
    check_shape("b", b, (H,), "(H,)")
    h = np.zeros(H)
    states = []
    for t in range(T):
        h = np.tanh(x[t] @ Wx + h @ Wh + b)
        states.append(h)
    J = np.eye(H)  # dh_T / dh_T
    norms = [1.0]
    for t in range(T - 1, 0, -1):
        # h_t = tanh(... + h_{t-1} Wh)  =>  dh_t/dh_{t-1} = diag(1 - h_t^2) Wh^T (row convention)
        J = J @ (np.diag(1 - states[t] ** 2) @ Wh.T)
        norms.append(float(np.linalg.norm(J, 2)))
    return np.array(norms)


def plot_gradient_norms(curves, *, bound=None, ax=None):
    """Gradient norm against lag, on a log scale.

    curves: dict label -> (T,) norms, as `hidden_gradient_norms` returns them.
    bound: optional dict label -> largest singular value s, drawn as the bound s**k dashed
    (|tanh'| <= 1, so the norm can never exceed s**k).
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4))
    for label, norms in curves.items():
        lags = np.arange(len(norms))
        (line,) = ax.semilogy(lags, norms, label=label)
        if bound and label in bound:
            ax.semilogy(lags, float(bound[label]) ** lags, "--", color=line.get_color(), alpha=0.6)
    ax.set_xlabel("lag T - k (steps)")
    ax.set_ylabel("‖∂h_T / ∂h_k‖")
    ax.set_title("How much of a gradient survives the trip back in time")
    ax.legend()
    return ax
