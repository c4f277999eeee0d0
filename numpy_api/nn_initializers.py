"""``jaxlite.nn.initializers``: weight initializers, as in ``jax.nn.initializers``.

Each factory returns ``init(key, shape, dtype=...)``. The random ones draw from
``jaxlite.random`` exactly as JAX's do (the same sampler, bounds and scaling), so that
for the same key they give JAX's numbers.
"""

from __future__ import annotations

import math
from typing import Any, Callable, Sequence

import numpy as np

from ..core import dtypes
from . import creation, manipulation, random_basic, random_matrices, ufuncs

Initializer = Callable[..., Any]
_TRUNCATED_STDDEV = 0.87962566103423978  # stddev of a standard normal truncated to (-2, 2)


def _dtype(dtype: Any) -> Any:
    return dtypes.default_float() if dtype is None else dtype


def zeros(key: Any, shape: Sequence[int], dtype: Any = None) -> Any:
    """An array of zeros (the key is ignored)."""
    return creation.zeros(shape, _dtype(dtype))


def ones(key: Any, shape: Sequence[int], dtype: Any = None) -> Any:
    """An array of ones (the key is ignored)."""
    return creation.ones(shape, _dtype(dtype))


def constant(value: Any, dtype: Any = None) -> Initializer:
    """An initializer filling arrays with ``value``."""

    def init(key: Any, shape: Sequence[int], dtype: Any = dtype) -> Any:
        return creation.full(shape, value, _dtype(dtype))

    return init


def uniform(scale: Any = 1e-2, dtype: Any = None) -> Initializer:
    """An initializer drawing uniformly from ``[0, scale)``."""

    def init(key: Any, shape: Sequence[int], dtype: Any = dtype) -> Any:
        dtype = _dtype(dtype)
        return random_basic.uniform(key, shape, dtype) * creation.array(scale, dtype)

    return init


def normal(stddev: Any = 1e-2, dtype: Any = None) -> Initializer:
    """An initializer drawing from a normal distribution of mean 0 and ``stddev``."""

    def init(key: Any, shape: Sequence[int], dtype: Any = dtype) -> Any:
        dtype = _dtype(dtype)
        return random_basic.normal(key, shape, dtype) * creation.array(stddev, dtype)

    return init


def truncated_normal(stddev: Any = 1e-2, dtype: Any = None, lower: Any = -2.0,
                     upper: Any = 2.0) -> Initializer:
    """An initializer drawing from a standard normal truncated to ``(lower, upper)``,
    times ``stddev`` (no variance correction)."""

    def init(key: Any, shape: Sequence[int], dtype: Any = dtype) -> Any:
        dtype = _dtype(dtype)
        sample = random_basic.truncated_normal(key, lower, upper, shape, dtype)
        return sample * creation.array(stddev, dtype)

    return init


def _size(shape: tuple[int, ...], axes: int | Sequence[int]) -> int:
    return shape[axes] if isinstance(axes, int) else math.prod(shape[i] for i in axes)


def compute_fans(shape: Sequence[int], in_axis: int | Sequence[int] = -2,
                 out_axis: int | Sequence[int] = -1,
                 batch_axis: int | Sequence[int] = ()) -> tuple[float, float]:
    """The fan-in and fan-out of a weight of ``shape``: the input and output sizes times
    the receptive field (the axes in none of ``in_axis``, ``out_axis``, ``batch_axis``)."""
    shape = tuple(shape)
    if isinstance(in_axis, int) and in_axis == -2 and len(shape) <= 1:
        raise ValueError(f"Can't compute input and output sizes of a {len(shape)}-dimensional "
                         "weights tensor with default in_axis. Must be at least 2D or specify "
                         "in_axis explicitly.")
    in_size, out_size = _size(shape, in_axis), _size(shape, out_axis)
    receptive_field = math.prod(shape) / in_size / out_size / _size(shape, batch_axis)
    return in_size * receptive_field, out_size * receptive_field


_DENOMINATORS = {
    "fan_in": lambda fan_in, fan_out: fan_in,
    "fan_out": lambda fan_in, fan_out: fan_out,
    "fan_avg": lambda fan_in, fan_out: (fan_in + fan_out) / 2,
    "fan_geo_avg": lambda fan_in, fan_out: (fan_in * fan_out) ** 0.5,
}


def variance_scaling(scale: Any, mode: str, distribution: str,
                     in_axis: int | Sequence[int] = -2, out_axis: int | Sequence[int] = -1,
                     batch_axis: int | Sequence[int] = (), dtype: Any = None) -> Initializer:
    """An initializer of variance ``scale / n``, with ``n`` the fan given by ``mode``
    ("fan_in", "fan_out", "fan_avg", "fan_geo_avg"), drawn from ``distribution``
    ("truncated_normal" at 2 standard deviations, "normal" or "uniform")."""
    if mode not in _DENOMINATORS:
        raise ValueError(f"invalid mode for variance scaling initializer: {mode}")
    if distribution not in ("truncated_normal", "normal", "uniform"):
        raise ValueError(f"invalid distribution for variance scaling initializer: "
                         f"{distribution}")

    def init(key: Any, shape: Sequence[int], dtype: Any = dtype) -> Any:
        shape = tuple(int(d) for d in shape)
        dtype = _dtype(dtype)
        if np.dtype(dtype).kind == "c":
            raise NotImplementedError("variance_scaling for complex dtypes is not implemented")
        variance = creation.array(scale / _DENOMINATORS[mode](*compute_fans(
            shape, in_axis, out_axis, batch_axis)), dtype)
        if distribution == "truncated_normal":
            stddev = ufuncs.sqrt(variance) / creation.array(_TRUNCATED_STDDEV, dtype)
            return random_basic.truncated_normal(key, -2, 2, shape, dtype) * stddev
        if distribution == "normal":
            return random_basic.normal(key, shape, dtype) * ufuncs.sqrt(variance)
        return (random_basic.uniform(key, shape, dtype, -1)
                * ufuncs.sqrt(ufuncs.multiply(3, variance)))

    return init


def _variant(scale: float, mode: str, distribution: str, doc: str) -> Callable[..., Initializer]:
    def factory(in_axis: int | Sequence[int] = -2, out_axis: int | Sequence[int] = -1,
                batch_axis: int | Sequence[int] = (), dtype: Any = None) -> Initializer:
        return variance_scaling(scale, mode, distribution, in_axis=in_axis,
                                out_axis=out_axis, batch_axis=batch_axis, dtype=dtype)

    factory.__doc__ = doc
    return factory


glorot_uniform = xavier_uniform = _variant(
    1.0, "fan_avg", "uniform", "variance_scaling(1.0, 'fan_avg', 'uniform').")
glorot_normal = xavier_normal = _variant(
    1.0, "fan_avg", "truncated_normal", "variance_scaling(1.0, 'fan_avg', 'truncated_normal').")
lecun_uniform = _variant(1.0, "fan_in", "uniform", "variance_scaling(1.0, 'fan_in', 'uniform').")
lecun_normal = _variant(
    1.0, "fan_in", "truncated_normal", "variance_scaling(1.0, 'fan_in', 'truncated_normal').")
he_uniform = kaiming_uniform = _variant(
    2.0, "fan_in", "uniform", "variance_scaling(2.0, 'fan_in', 'uniform').")
he_normal = kaiming_normal = _variant(
    2.0, "fan_in", "truncated_normal", "variance_scaling(2.0, 'fan_in', 'truncated_normal').")


def orthogonal(scale: Any = 1.0, column_axis: int = -1, dtype: Any = None) -> Initializer:
    """An initializer of (semi-)orthogonal matrices along ``column_axis``, times ``scale``."""

    def init(key: Any, shape: Sequence[int], dtype: Any = dtype) -> Any:
        shape = tuple(int(d) for d in shape)
        dtype = _dtype(dtype)
        if len(shape) < 2:
            raise ValueError("orthogonal initializer requires at least a 2D shape")
        if 0 in shape:
            return creation.zeros(shape, dtype)
        n_cols = shape[column_axis]
        q = random_matrices.orthogonal(key, math.prod(shape) // n_cols, (), dtype, n_cols)
        rest = tuple(np.delete(np.array(shape), column_axis))
        q = manipulation.moveaxis(manipulation.reshape(q, rest + (n_cols,)), -1, column_axis)
        return creation.array(scale, dtype) * q

    return init


def delta_orthogonal(scale: Any = 1.0, column_axis: int = -1, dtype: Any = None) -> Initializer:
    """An initializer of convolution kernels (3D, 4D or 5D) that are zero but for an
    orthogonal matrix at the centre of the window."""

    def init(key: Any, shape: Sequence[int], dtype: Any = dtype) -> Any:
        shape = tuple(int(d) for d in shape)
        dtype = _dtype(dtype)
        if len(shape) not in (3, 4, 5):
            raise ValueError("Delta orthogonal initializer requires a 3D, 4D or 5D shape.")
        if shape[-1] < shape[-2]:
            raise ValueError("`fan_in` must be less or equal than `fan_out`. ")
        matrix = orthogonal(scale=scale, column_axis=column_axis, dtype=dtype)(key, shape[-2:])
        centre = tuple((k - 1) // 2 for k in shape[:-2])
        return creation.zeros(shape, dtype).at[centre].set(matrix)

    return init


__all__ = [
    "constant", "delta_orthogonal", "glorot_normal", "glorot_uniform", "he_normal",
    "he_uniform", "kaiming_normal", "kaiming_uniform", "lecun_normal", "lecun_uniform",
    "normal", "ones", "orthogonal", "truncated_normal", "uniform", "variance_scaling",
    "xavier_normal", "xavier_uniform", "zeros",
]
