"""Checks at the boundary: fail early with a message that names what was expected and what came."""
import numpy as np

FLOAT_DTYPES = (np.float32, np.float64)


def as_float_array(name, a):
    """Return `a` as a numpy array of float32 or float64, or raise ValueError.

    Python floats and lists become float64; integer or complex arrays are refused rather than
    silently cast, because a cast would hide a bug in the caller.
    """
    arr = np.asarray(a)
    if arr.dtype.kind in "iub" and not isinstance(a, np.ndarray):
        arr = arr.astype(np.float64)
    if arr.dtype not in FLOAT_DTYPES:
        raise ValueError(f"{name} must be a float32 or float64 array; got dtype {arr.dtype}")
    return arr


def check_shape(name, arr, expected, labels):
    """Raise ValueError unless `arr.shape` matches `expected`.

    expected: tuple of ints, with None where any size is allowed.
    labels:   the symbolic shape for the message, e.g. "(N, T, D)".
    """
    shape = np.shape(arr)
    ok = len(shape) == len(expected) and all(e is None or e == s for e, s in zip(expected, shape))
    if not ok:
        parts = ["*" if e is None else str(e) for e in expected]
        want = "(" + ", ".join(parts) + ("," if len(parts) == 1 else "") + ")"  # (5,) not (5)
        raise ValueError(f"{name} must have shape {labels} = {want}; got {shape}")


def check_same_dtype(**arrays):
    """Raise ValueError when the float arrays given by keyword do not share one dtype."""
    dtypes = {name: a.dtype for name, a in arrays.items()}
    if len(set(dtypes.values())) > 1:
        listed = ", ".join(f"{name}: {dt}" for name, dt in dtypes.items())
        raise ValueError(f"all arrays must share one float dtype; got {listed}")


def check_float_inputs(**arrays):
    """Convert each keyword argument with `as_float_array` and check they share one dtype.

    Returns the converted arrays in the order given.
    """
    converted = {name: as_float_array(name, a) for name, a in arrays.items()}
    check_same_dtype(**converted)
    return tuple(converted.values())


def check_int_array(name, a, expected, labels):
    """Return `a` as an integer array of the expected shape, or raise ValueError."""
    arr = np.asarray(a)
    if arr.dtype.kind not in "iu":
        raise ValueError(f"{name} must be an integer array; got dtype {arr.dtype}")
    check_shape(name, arr, expected, labels)
    return arr


def check_recurrent_inputs(x, h0, Wx, Wh, biases, *, gates, sequence):
    """Validate the inputs shared by the recurrent cells; return them as arrays of one dtype.

    gates: how many H-wide blocks the weights stack (1 vanilla, 4 LSTM, 3 GRU).
    sequence: True for x of shape (N, T, D), False for one step of shape (N, D).
    biases: dict name -> bias array, each of shape (gates * H,).
    Returns (x, h0, Wx, Wh, [biases in order]).
    """
    x, h0, Wx, Wh, *bs = check_float_inputs(x=x, h0=h0, Wx=Wx, Wh=Wh, **biases)
    G = gates
    gh = "H" if G == 1 else f"{G}H"
    check_shape("Wh", Wh, (None, None), f"(H, {gh})")
    H = Wh.shape[0]
    check_shape("Wh", Wh, (H, G * H), f"(H, {gh})")
    check_shape("Wx", Wx, (None, G * H), f"(D, {gh})")
    for name, b in zip(biases, bs):
        check_shape(name, b, (G * H,), f"({gh},)")
    D = Wx.shape[0]
    if sequence:
        check_shape("x", x, (None, None, D), "(N, T, D)")
    else:
        check_shape("x", x, (None, D), "(N, D)")
    check_shape("h0" if sequence else "prev_h", h0, (x.shape[0], H), "(N, H)")
    return x, h0, Wx, Wh, bs
