"""Optimizers and gradient clipping over parameter dicts (name -> array).

An optimizer keeps its own state (velocities, running averages) per parameter name and changes
the parameters in place in `update`, the one method that says it does.
"""
import numpy as np


class SGD:
    """Plain gradient descent: w -= lr * dw."""

    def __init__(self, lr=1e-2):
        self.lr = lr

    def update(self, params, grads):
        """Apply one step to every parameter in `params`, in place."""
        for name, dw in grads.items():
            params[name] -= self._step(name, dw)

    def _step(self, name, dw):
        return self.lr * dw


class Momentum(SGD):
    """SGD with momentum: v = beta * v - lr * dw; w += v."""

    def __init__(self, lr=1e-2, beta=0.9):
        super().__init__(lr)
        self.beta = beta
        self.velocity = {}

    def _step(self, name, dw):
        v = self.beta * self.velocity.get(name, 0.0) - self.lr * dw
        self.velocity[name] = v
        return -v


class Adagrad(SGD):
    """Adagrad: each weight's step shrinks with the sum of its squared gradients so far."""

    def __init__(self, lr=1e-1, eps=1e-8):
        super().__init__(lr)
        self.eps = eps
        self.sum_sq = {}

    def _step(self, name, dw):
        self.sum_sq[name] = self.sum_sq.get(name, 0.0) + dw * dw
        return self.lr * dw / (np.sqrt(self.sum_sq[name]) + self.eps)


class Adam(SGD):
    """Adam: momentum on the gradient and on its square, both corrected for their zero start."""

    def __init__(self, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
        super().__init__(lr)
        self.beta1, self.beta2, self.eps = beta1, beta2, eps
        self.m, self.v, self.t = {}, {}, {}

    def _step(self, name, dw):
        t = self.t[name] = self.t.get(name, 0) + 1
        m = self.m[name] = self.beta1 * self.m.get(name, 0.0) + (1 - self.beta1) * dw
        v = self.v[name] = self.beta2 * self.v.get(name, 0.0) + (1 - self.beta2) * dw * dw
        m_hat = m / (1 - self.beta1**t)
        v_hat = v / (1 - self.beta2**t)
        return self.lr * m_hat / (np.sqrt(v_hat) + self.eps)


def global_norm(grads):
    """The L2 norm of all gradients taken together as one long vector."""
    return float(np.sqrt(sum(float(np.sum(g.astype(np.float64) ** 2)) for g in grads.values())))


def clip_by_value(grads, limit):
    """New dict with every gradient element clipped to [-limit, limit] (this bends the
    direction of the step)."""
    if limit <= 0:
        raise ValueError(f"limit must be positive; got {limit}")
    return {name: np.clip(g, -limit, limit) for name, g in grads.items()}


def clip_by_global_norm(grads, max_norm):
    """Scale all gradients by one factor so that their global norm is at most max_norm.

    Keeps the direction of the step and only shortens it. Returns (clipped dict, norm before
    clipping); the norm is handy to plot, since spikes in it mark the cliffs of the loss.
    """
    if max_norm <= 0:
        raise ValueError(f"max_norm must be positive; got {max_norm}")
    norm = global_norm(grads)
    scale = min(1.0, max_norm / (norm + 1e-12))
    return {name: g * np.asarray(scale, dtype=g.dtype) for name, g in grads.items()}, norm
