"""The benchmarked programs, each written once against a NumPy-like module ``np_``.

``np_`` is ``jaxlite.numpy``, ``jax.numpy`` or ``autograd.numpy``: the same source runs
on every system, as code written for JAX runs on jaxlite after swapping the import.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

SCALAR_OPS = 60  # primitive operations in ``scalar_fn``


def chain(np_: Any, x: Any, n: int) -> Any:
    """``n`` elementwise operations, cycling through sin, a scaling and a shift."""
    for i in range(n):
        k = i % 3
        if k == 0:
            x = np_.sin(x)
        elif k == 1:
            x = x * 0.999
        else:
            x = x + 0.1
    return x


def make_chain(np_: Any, n: int, reduce: bool = False) -> Callable[[Any], Any]:
    """A fresh function object running ``chain`` (JAX caches traces by function identity)."""
    if reduce:
        return lambda x: np_.sum(chain(np_, x, n))
    return lambda x: chain(np_, x, n)


def scalar_fn(np_: Any, x: Any) -> Any:
    """A scalar function of ``SCALAR_OPS`` operations (6 per step, 10 steps)."""
    y = x
    for _ in range(10):
        y = np_.sin(y) * 0.9 + np_.cos(x * y) * 0.1
    return y


def rosenbrock(np_: Any, x: Any) -> Any:
    """The Rosenbrock function of a vector: sum of 100 (x[i+1] - x[i]^2)^2 + (1 - x[i])^2."""
    head, tail = x[:-1], x[1:]
    return np_.sum(100.0 * (tail - head**2) ** 2 + (1.0 - head) ** 2)


def mlp_loss(np_: Any, params: list, x: Any, y: Any) -> Any:
    """Softmax cross-entropy of a tanh MLP; ``x``, ``y`` are one example or a batch (mean)."""
    h = x
    for w, b in params[:-1]:
        h = np_.tanh(h @ w + b)
    w, b = params[-1]
    z = h @ w + b
    z = z - np_.max(z, axis=-1, keepdims=True)
    log_probs = z - np_.log(np_.sum(np_.exp(z), axis=-1, keepdims=True))
    return -np_.mean(np_.sum(y * log_probs, axis=-1))


def mlp_loss_fn(np_: Any) -> Callable[[list, Any, Any], Any]:
    """``mlp_loss`` on ``np_`` as a function of ``(params, x, y)``, to hand to a transform."""
    return lambda params, x, y: mlp_loss(np_, params, x, y)


def init_mlp(rng: np.random.Generator, sizes: list[int]) -> list[tuple[np.ndarray, np.ndarray]]:
    """float32 weights scaled by 1/sqrt(fan_in), small random biases."""
    return [(rng.standard_normal((m, n), np.float32) / np.float32(np.sqrt(m)),
             rng.standard_normal(n, np.float32) * np.float32(0.1))
            for m, n in zip(sizes[:-1], sizes[1:])]


def mlp_data(rng: np.random.Generator, batch: int, features: int,
             classes: int) -> tuple[np.ndarray, np.ndarray]:
    """Random float32 inputs and one-hot float32 labels."""
    x = rng.standard_normal((batch, features), np.float32)
    y = np.eye(classes, dtype=np.float32)[rng.integers(0, classes, batch)]
    return x, y
