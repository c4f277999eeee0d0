"""Hand-written derivatives of the programs in ``programs.py``: the floor to compare against.

Written for speed: float32 throughout, in-place updates where they save an allocation,
and only the work a careful person would do by hand (no gradient for the inputs).
"""

from __future__ import annotations

import math

import numpy as np


def scalar_grad(x: float) -> float:
    """d scalar_fn / dx in forward mode (one dual number), on Python floats."""
    y, dy = x, 1.0
    for _ in range(10):
        u = x * y
        du = y + x * dy  # d(x y) = y dx + x dy, dx = 1
        y, dy = (math.sin(y) * 0.9 + math.cos(u) * 0.1,
                 math.cos(y) * dy * 0.9 - math.sin(u) * du * 0.1)
    return dy


def scalar_grad_numpy(x: np.float32) -> np.float32:
    """``scalar_grad`` on NumPy float32 scalars, the dtype jaxlite and JAX compute it in."""
    y, dy = x, np.float32(1)
    for _ in range(10):
        u = x * y
        du = y + x * dy
        y, dy = (np.sin(y) * 0.9 + np.cos(u) * 0.1,
                 np.cos(y) * dy * 0.9 - np.sin(u) * du * 0.1)
    return dy


def rosenbrock_hessian(x: np.ndarray) -> np.ndarray:
    """The Hessian of ``programs.rosenbrock``: tridiagonal, written into its diagonals.

    With f = sum_i 100 (x[i+1] - x[i]^2)^2 + (1 - x[i])^2 over i < n - 1:
    d2f/dx[i]^2 = 1200 x[i]^2 - 400 x[i+1] + 2 (i < n - 1) + 200 (i > 0), and
    d2f/dx[i] dx[i+1] = -400 x[i].
    """
    n = len(x)
    h = np.zeros((n, n), x.dtype)
    diagonal = h.reshape(-1)[:: n + 1]  # views into h: its diagonal and the two beside it
    diagonal[:-1] = 1200 * x[:-1] ** 2 - 400 * x[1:] + 2
    diagonal[1:] += 200
    beside = -400 * x[:-1]
    h.reshape(-1)[1 :: n + 1] = beside
    h.reshape(-1)[n :: n + 1] = beside
    return h


def chain_grad(x: np.ndarray, n: int) -> np.ndarray:
    """Gradient of ``sum(chain(x, n))``: a forward pass keeping cos(x) of each sin, then back."""
    cosines = []
    for i in range(n):
        k = i % 3
        if k == 0:
            cosines.append(np.cos(x))
            x = np.sin(x)
        elif k == 1:
            x = x * 0.999
        else:
            x = x + 0.1
    g = np.ones_like(x)
    for i in reversed(range(n)):
        k = i % 3
        if k == 0:
            g *= cosines.pop()
        elif k == 1:
            g *= np.float32(0.999)
    return g


def mlp_value_and_grad(params: list, x: np.ndarray, y: np.ndarray,
                       per_example: bool = False) -> tuple:
    """Loss and gradient of ``programs.mlp_loss`` on a batch, by backpropagation.

    With ``per_example``, the gradients of each example's own loss, stacked (what
    ``vmap(grad(loss), in_axes=(None, 0, 0))`` computes), and the per-example losses.
    """
    hs = [x]
    for w, b in params[:-1]:
        a = hs[-1] @ w
        a += b
        hs.append(np.tanh(a, out=a))
    w, b = params[-1]
    z = hs[-1] @ w
    z += b
    z -= z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    s = e.sum(axis=-1, keepdims=True)
    losses = np.log(s)[:, 0] - np.einsum("ij,ij->i", y, z)  # y rows sum to one
    scale = np.float32(1.0 if per_example else 1.0 / len(x))
    dz = e
    dz /= s
    dz -= y
    dz *= scale  # d loss / d logits = (softmax - y) / batch
    grads = []
    for i in reversed(range(len(params))):
        h = hs[i]
        if per_example:
            grads.append((np.einsum("bi,bj->bij", h, dz), dz))
        else:
            grads.append((h.T @ dz, dz.sum(axis=0)))
        if i:
            dh = dz @ params[i][0].T
            dtanh = h * h
            np.subtract(np.float32(1), dtanh, out=dtanh)  # d tanh(a) = (1 - tanh(a)^2) da
            dh *= dtanh
            dz = dh
    loss = losses if per_example else losses.mean(dtype=np.float32)
    return loss, grads[::-1]
