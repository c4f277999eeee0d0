"""``jaxlite.example_libraries.stax``: JAX's small neural-network specification library.

A layer is a pair ``(init_fun, apply_fun)``: ``init_fun(rng, input_shape)`` returns the
output shape and the layer's parameters, ``apply_fun(params, inputs, **kwargs)`` the
outputs. Combinators (``serial``, ``parallel``, ...) build layers out of layers. The API,
the order in which keys are split and the initializers are JAX's, so the same key gives the
same parameters and outputs.

>>> init_fun, apply_fun = serial(Dense(16), Relu, Dense(2), LogSoftmax)
>>> out_shape, params = init_fun(random.key(0), (-1, 8))
"""

from __future__ import annotations

import functools
import math
from typing import Any, Callable, Sequence

import numpy as np

from ... import numpy_api as jnp
from .. import lax, nn, random

Layer = tuple[Callable, Callable]


# ---------------------------------------------------------------- initializers
# (looked up in jaxlite.nn.initializers when a layer is made, as JAX's defaults are)


def _glorot_normal(in_axis: int = -2, out_axis: int = -1) -> Callable:
    return nn.initializers.glorot_normal(in_axis, out_axis)


def _normal(stddev: float = 1e-2) -> Callable:
    return nn.initializers.normal(stddev)


def _zeros(key: Any, shape: Sequence[int], dtype: Any = None) -> Any:
    return nn.initializers.zeros(key, shape, *(() if dtype is None else (dtype,)))


def _ones(key: Any, shape: Sequence[int], dtype: Any = None) -> Any:
    return nn.initializers.ones(key, shape, *(() if dtype is None else (dtype,)))


# ---------------------------------------------------------------- layers with parameters


def Dense(out_dim: int, W_init: Callable | None = None, b_init: Callable | None = None) -> Layer:
    """A fully connected layer: ``inputs @ W + b`` (Glorot-normal W, normal(0.01) b)."""

    def init_fun(rng, input_shape):
        w_init = W_init or _glorot_normal()
        bias_init = b_init or _normal()
        k1, k2 = random.split(rng)
        output_shape = tuple(input_shape[:-1]) + (out_dim,)
        return output_shape, (w_init(k1, (input_shape[-1], out_dim)), bias_init(k2, (out_dim,)))

    def apply_fun(params, inputs, **kwargs):
        W, b = params
        return jnp.dot(inputs, W) + b

    return init_fun, apply_fun


def _kernel_shape(specs, out_chan, filter_shape, input_shape) -> list[int]:
    lhs_spec, rhs_spec, _ = specs
    sizes = iter(filter_shape)
    return [out_chan if c == "O" else input_shape[lhs_spec.index("C")] if c == "I"
            else next(sizes) for c in rhs_spec]


def _conv_params(specs, out_chan, kernel_shape, rng, W_init, b_init):
    _, rhs_spec, out_spec = specs
    w_init = W_init or _glorot_normal(rhs_spec.index("I"), rhs_spec.index("O"))
    bias_init = b_init or _normal(1e-6)
    k1, k2 = random.split(rng)
    bias_shape = [out_chan if c == "C" else 1 for c in out_spec]
    return w_init(k1, kernel_shape), bias_init(k2, bias_shape)


def GeneralConv(dimension_numbers: tuple[str, str, str], out_chan: int,
                filter_shape: Sequence[int], strides: Sequence[int] | None = None,
                padding: Any = "VALID", W_init: Callable | None = None,
                b_init: Callable | None = None) -> Layer:
    """A convolution layer in the layout ``dimension_numbers`` (e.g. NHWC/HWIO/NHWC)."""
    one = (1,) * len(filter_shape)
    strides = strides or one

    def init_fun(rng, input_shape):
        kernel_shape = _kernel_shape(dimension_numbers, out_chan, filter_shape, input_shape)
        output_shape = lax.conv_general_shape_tuple(input_shape, kernel_shape, strides, padding,
                                                    dimension_numbers)
        return output_shape, _conv_params(dimension_numbers, out_chan, kernel_shape, rng,
                                          W_init, b_init)

    def apply_fun(params, inputs, **kwargs):
        W, b = params
        return lax.conv_general_dilated(inputs, W, strides, padding, one, one,
                                        dimension_numbers=dimension_numbers) + b

    return init_fun, apply_fun


Conv = functools.partial(GeneralConv, ("NHWC", "HWIO", "NHWC"))


def GeneralConvTranspose(dimension_numbers: tuple[str, str, str], out_chan: int,
                         filter_shape: Sequence[int], strides: Sequence[int] | None = None,
                         padding: Any = "VALID", W_init: Callable | None = None,
                         b_init: Callable | None = None) -> Layer:
    """A transposed-convolution layer in the layout ``dimension_numbers``."""
    strides = strides or (1,) * len(filter_shape)

    def init_fun(rng, input_shape):
        kernel_shape = _kernel_shape(dimension_numbers, out_chan, filter_shape, input_shape)
        output_shape = lax.conv_transpose_shape_tuple(input_shape, kernel_shape, strides,
                                                      padding, dimension_numbers)
        return output_shape, _conv_params(dimension_numbers, out_chan, kernel_shape, rng,
                                          W_init, b_init)

    def apply_fun(params, inputs, **kwargs):
        W, b = params
        return lax.conv_transpose(inputs, W, strides, padding,
                                  dimension_numbers=dimension_numbers) + b

    return init_fun, apply_fun


Conv1DTranspose = functools.partial(GeneralConvTranspose, ("NHC", "HIO", "NHC"))
ConvTranspose = functools.partial(GeneralConvTranspose, ("NHWC", "HWIO", "NHWC"))


def BatchNorm(axis: Any = (0, 1, 2), epsilon: float = 1e-5, center: bool = True,
              scale: bool = True, beta_init: Callable = _zeros,
              gamma_init: Callable = _ones) -> Layer:
    """Normalise over ``axis`` (batch statistics), then scale by gamma and shift by beta."""
    axis = (axis,) if np.ndim(axis) == 0 else tuple(axis)

    def init_fun(rng, input_shape):
        shape = tuple(d for i, d in enumerate(input_shape) if i not in axis)
        k1, k2 = random.split(rng)
        beta = beta_init(k1, shape) if center else ()
        gamma = gamma_init(k2, shape) if scale else ()
        return input_shape, (beta, gamma)

    def apply_fun(params, x, **kwargs):
        beta, gamma = params
        expand = tuple(None if i in axis else slice(None) for i in range(jnp.ndim(x)))
        z = nn.standardize(x, axis, epsilon=epsilon)
        if center and scale:
            return gamma[expand] * z + beta[expand]
        if center:
            return z + beta[expand]
        if scale:
            return gamma[expand] * z
        return z

    return init_fun, apply_fun


# ---------------------------------------------------------------- elementwise layers


def elementwise(fun: Callable, **fun_kwargs: Any) -> Layer:
    """A layer without parameters applying ``fun`` to its inputs."""

    def init_fun(rng, input_shape):
        return input_shape, ()

    def apply_fun(params, inputs, **kwargs):
        return fun(inputs, **fun_kwargs)

    return init_fun, apply_fun


def _nn(name: str) -> Callable:
    """``jaxlite.nn.<name>``, looked up when the layer runs."""

    def apply(x: Any, **kwargs: Any) -> Any:
        return getattr(nn, name)(x, **kwargs)

    apply.__name__ = apply.__qualname__ = name
    return apply


Tanh = elementwise(jnp.tanh)
Relu = elementwise(_nn("relu"))
Exp = elementwise(jnp.exp)
LogSoftmax = elementwise(_nn("log_softmax"), axis=-1)
Softmax = elementwise(_nn("softmax"), axis=-1)
Softplus = elementwise(_nn("softplus"))
Sigmoid = elementwise(_nn("sigmoid"))
Elu = elementwise(_nn("elu"))
LeakyRelu = elementwise(_nn("leaky_relu"))
Selu = elementwise(_nn("selu"))
Gelu = elementwise(_nn("gelu"))


# ---------------------------------------------------------------- pooling


def _pooling_layer(reducer: Callable, init_val: float, rescaler: Callable | None = None):
    def PoolingLayer(window_shape: Sequence[int], strides: Sequence[int] | None = None,
                     padding: Any = "VALID", spec: str | None = None) -> Layer:
        """A pooling layer over the spatial axes (all but N and C of ``spec``, by default
        the first and last axes)."""
        window_shape = tuple(window_shape)
        strides = tuple(strides or (1,) * len(window_shape))
        rescale = rescaler(window_shape, strides, padding) if rescaler else None
        whole = (0, len(window_shape) + 1) if spec is None else (spec.index("N"),
                                                                 spec.index("C"))
        window, steps = window_shape, strides
        for i in sorted(whole):
            window, steps = window[:i] + (1,) + window[i:], steps[:i] + (1,) + steps[i:]

        def init_fun(rng, input_shape):
            pads = lax.padtype_to_pads(input_shape, window, steps, padding)
            ones = (1,) * len(window)
            return lax.reduce_window_shape_tuple(input_shape, window, steps, pads, ones,
                                                 ones), ()

        def apply_fun(params, inputs, **kwargs):
            out = lax.reduce_window(inputs, init_val, reducer, window, steps, padding)
            return rescale(out, inputs, spec) if rescale else out

        return init_fun, apply_fun

    return PoolingLayer


MaxPool = _pooling_layer(lax.max, -math.inf)
SumPool = _pooling_layer(lax.add, 0.0)


def _normalize_by_window_size(dims, strides, padding):
    def rescale(outputs, inputs, spec):
        whole = (0, inputs.ndim - 1) if spec is None else (spec.index("N"), spec.index("C"))
        spatial = tuple(n for i, n in enumerate(inputs.shape) if i not in whole)
        counts = lax.reduce_window(jnp.ones(spatial, dtype=inputs.dtype), 0.0, lax.add, dims,
                                   strides, padding)
        for i in sorted(whole):
            counts = jnp.expand_dims(counts, i)
        return outputs / counts

    return rescale


AvgPool = _pooling_layer(lax.add, 0.0, _normalize_by_window_size)


# ---------------------------------------------------------------- shape and wiring layers


def _flatten() -> Layer:
    def init_fun(rng, input_shape):
        return (input_shape[0], math.prod(input_shape[1:])), ()

    def apply_fun(params, inputs, **kwargs):
        return jnp.reshape(inputs, (inputs.shape[0], -1))

    return init_fun, apply_fun


Flatten = _flatten()


def _identity() -> Layer:
    return (lambda rng, input_shape: (input_shape, ()),
            lambda params, inputs, **kwargs: inputs)


Identity = _identity()


def FanOut(num: int) -> Layer:
    """A layer passing its input on as ``num`` copies."""
    return (lambda rng, input_shape: ([input_shape] * num, ()),
            lambda params, inputs, **kwargs: [inputs] * num)


def _fan_in_sum() -> Layer:
    return (lambda rng, input_shape: (input_shape[0], ()),
            lambda params, inputs, **kwargs: sum(inputs))


FanInSum = _fan_in_sum()


def FanInConcat(axis: int = -1) -> Layer:
    """A layer concatenating its inputs along ``axis``."""

    def init_fun(rng, input_shape):
        ax = axis % len(input_shape[0])
        size = sum(shape[ax] for shape in input_shape)
        return tuple(input_shape[0][:ax]) + (size,) + tuple(input_shape[0][ax + 1:]), ()

    def apply_fun(params, inputs, **kwargs):
        return jnp.concatenate(inputs, axis)

    return init_fun, apply_fun


def Dropout(rate: float, mode: str = "train") -> Layer:
    """Keep each input with probability ``rate`` (scaled by ``1 / rate``) in "train" mode;
    ``apply_fun`` then needs ``rng=`` a key."""

    def init_fun(rng, input_shape):
        return input_shape, ()

    def apply_fun(params, inputs, **kwargs):
        rng = kwargs.get("rng")
        if rng is None:
            raise ValueError("Dropout layer requires apply_fun to be called with a PRNG key "
                             "argument. That is, instead of `apply_fun(params, inputs)`, call "
                             "it like `apply_fun(params, inputs, rng)` where `rng` is a PRNG "
                             "key (e.g. from `jax.random.key`).")
        if mode == "train":
            keep = random.bernoulli(rng, rate, inputs.shape)
            return jnp.where(keep, inputs / rate, 0)
        return inputs

    return init_fun, apply_fun


# ---------------------------------------------------------------- combinators


def serial(*layers: Layer) -> Layer:
    """The layers applied one after the other (each init gets its own split key)."""
    count = len(layers)
    init_funs, apply_funs = zip(*layers)

    def init_fun(rng, input_shape):
        params = []
        for init in init_funs:
            rng, layer_rng = random.split(rng)
            input_shape, param = init(layer_rng, input_shape)
            params.append(param)
        return input_shape, params

    def apply_fun(params, inputs, **kwargs):
        rng = kwargs.pop("rng", None)
        rngs = random.split(rng, count) if rng is not None else (None,) * count
        for fun, param, layer_rng in zip(apply_funs, params, rngs):
            inputs = fun(param, inputs, rng=layer_rng, **kwargs)
        return inputs

    return init_fun, apply_fun


def parallel(*layers: Layer) -> Layer:
    """The layers applied side by side, the i-th to the i-th of a sequence of inputs."""
    count = len(layers)
    init_funs, apply_funs = zip(*layers)

    def init_fun(rng, input_shape):
        rngs = random.split(rng, count)
        return zip(*[init(r, shape) for init, r, shape in zip(init_funs, rngs, input_shape)])

    def apply_fun(params, inputs, **kwargs):
        rng = kwargs.pop("rng", None)
        rngs = random.split(rng, count) if rng is not None else (None,) * count
        return [f(p, x, rng=r, **kwargs) for f, p, x, r in zip(apply_funs, params, inputs, rngs)]

    return init_fun, apply_fun


def shape_dependent(make_layer: Callable[[Any], Layer]) -> Layer:
    """A layer made by ``make_layer(input_shape)`` once the input shape is known."""

    def init_fun(rng, input_shape):
        return make_layer(input_shape)[0](rng, input_shape)

    def apply_fun(params, inputs, **kwargs):
        return make_layer(inputs.shape)[1](params, inputs, **kwargs)

    return init_fun, apply_fun
