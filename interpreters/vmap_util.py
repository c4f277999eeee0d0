"""Helpers of ``vmap`` (axis specs, sizes, output placement) and of the Jacobian
transforms built on it (standard bases, assembling Jacobian blocks into pytrees).
"""

from __future__ import annotations

import operator
from typing import Any, Sequence

import numpy as np

from ..core.array import Array
from ..core.avals import ShapedArray
from ..core.errors import InvalidArgumentError, VmapAxisError
from ..core.primitive import NOT_MAPPED
from ..core.trace import aval_of
from ..core.tree_util import PyTreeDef, flatten_up_to, tree_flatten, tree_unflatten
from ..primitives.shape import reshape, slice
from ..primitives.structural import bdim_to, moveaxis
from .api_util import LeafInfo


def check_axes_spec(axes: Any, what: str) -> None:
    for leaf in tree_flatten(axes, is_leaf=lambda x: x is None)[0]:
        if leaf is not None and not isinstance(leaf, (int, np.integer)):
            raise TypeError(f"vmap {what} must be an int, None, or a (nested) container of "
                            f"them, but got {leaf!r} of type {type(leaf).__name__}")


def flat_in_dims(in_axes: Any, args: tuple, kwargs: dict,
                 in_tree: PyTreeDef | None = None) -> list[int | None]:
    """One batch axis per leaf of ``(args, kwargs)``; keyword arguments map over axis 0.

    With the structure ``in_tree`` of ``(args, kwargs)`` at hand, axes given per argument
    (an int, None, or a tuple of them: the common case) need no further flattening.
    """
    if isinstance(in_axes, list):
        in_axes = tuple(in_axes)
    simple = in_axes is None or isinstance(in_axes, int) or (
        isinstance(in_axes, tuple) and len(in_axes) == len(args)
        and all(a is None or isinstance(a, int) for a in in_axes))
    if simple and in_tree is not None:
        per_arg = in_axes if isinstance(in_axes, tuple) else (in_axes,) * len(args)
        arg_trees, kwargs_tree = in_tree.children
        dims: list[int | None] = []
        for spec, tree in zip(per_arg, arg_trees.children):
            dims += [spec] * tree.num_leaves
        return dims + [0] * kwargs_tree.num_leaves
    if isinstance(in_axes, tuple) and len(in_axes) != len(args):
        raise VmapAxisError(
            "vmap in_axes must be an int, None, or a tuple of entries corresponding to the "
            f"positional arguments passed to the function, but got len(in_axes)={len(in_axes)}, "
            f"len(args)={len(args)}")
    prefix = (in_axes if isinstance(in_axes, tuple) else (in_axes,) * len(args), 0)
    treedef = tree_flatten(prefix, is_leaf=lambda x: x is None)[1]
    try:
        per_prefix = flatten_up_to(treedef, (args, kwargs), "vmap in_axes")
    except ValueError as err:
        raise VmapAxisError(f"vmap in_axes specification must be a tree prefix of the "
                         f"corresponding value: {err}") from None
    specs = tree_flatten(prefix, is_leaf=lambda x: x is None)[0]
    dims: list[int | None] = []
    for spec, sub in zip(specs, per_prefix):
        dims += [spec] * len(tree_flatten(sub)[0])
    return dims


def normalize_dim(dim: int | None, aval: ShapedArray) -> int | None:
    if dim is None:
        return NOT_MAPPED
    if not -aval.ndim <= dim < aval.ndim:
        raise VmapAxisError(
            f"vmap was requested to map its argument along axis {dim}, which implies that its "
            f"rank should be at least {dim + 1 if dim >= 0 else -dim}, but is only {aval.ndim} "
            f"(its shape is {aval.shape})")
    return dim % aval.ndim


def check_axis_size(axis_size: Any) -> None:
    """``vmap``'s ``axis_size`` must be a non-negative integer (TypeError otherwise, as JAX)."""
    try:
        size = operator.index(axis_size)
    except TypeError:
        size = -1
    if size < 0:
        raise InvalidArgumentError(f"vmap: axis_size must be a non-negative integer, got "
                                   f"{axis_size!r}")


def mapped_size(infos: Sequence[LeafInfo], dims: Sequence[int | None],
                axis_size: int | None) -> int:
    """The common size of the mapped axes, or a ValueError listing each argument's size."""
    sizes = {i.aval.shape[d] for i, d in zip(infos, dims) if d is not NOT_MAPPED}
    if not sizes:
        if axis_size is None:
            raise VmapAxisError("vmap must have at least one non-None value in in_axes "
                             "(or be given axis_size)")
        check_axis_size(axis_size)
        return int(axis_size)
    if len(sizes) > 1 or (axis_size is not None and sizes != {axis_size}):
        lines = [f"  argument leaf {k} of shape {i.aval.shape} has size {i.aval.shape[d]} "
                 f"along axis {d}" for k, (i, d) in enumerate(zip(infos, dims))
                 if d is not NOT_MAPPED]
        expected = "" if axis_size is None else f" (axis_size={axis_size})"
        raise VmapAxisError("vmap got inconsistent sizes for the array axes to be mapped"
                         f"{expected}:\n" + "\n".join(lines))
    return sizes.pop()


def flat_out_dims(out_axes: Any, out_tree: PyTreeDef) -> list[int | None]:
    """One output axis per output leaf, from an int, None or a pytree prefix."""
    if out_axes is None or isinstance(out_axes, int):  # (the common case, without flattening)
        return [out_axes] * out_tree.num_leaves
    if isinstance(out_axes, list):
        out_axes = tuple(out_axes)
    specs, spec_tree = tree_flatten(out_axes, is_leaf=lambda x: x is None)
    if spec_tree.num_leaves == 1 and spec_tree.kind is None:
        return [out_axes] * out_tree.num_leaves
    outs = tree_unflatten(out_tree, list(range(out_tree.num_leaves)))
    try:
        groups = flatten_up_to(spec_tree, outs, "vmap out_axes")
    except ValueError as err:
        raise VmapAxisError(f"vmap out_axes specification must be a tree prefix of the "
                         f"corresponding value: {err}") from None
    dims: list[int | None] = [None] * out_tree.num_leaves
    for spec, group in zip(specs, groups):
        for index in tree_flatten(group)[0]:
            dims[index] = spec
    return dims


def place_batch_axis(x: Any, dim: int | None, target: int | None, size: int) -> Any:
    """Move an output's batch axis to ``target``, broadcasting an unbatched output."""
    if target is None:
        if dim is not NOT_MAPPED:
            raise VmapAxisError("vmap has mapped output but out_axes is None; an output that "
                             "depends on the mapped inputs needs an integer out_axes")
        return x
    ndim = len(aval_of(x).shape) + (dim is NOT_MAPPED)
    if not -ndim <= target < ndim:
        raise VmapAxisError(f"vmap out_axes={target} is out of range for an output of rank {ndim}")
    target %= ndim
    if dim is NOT_MAPPED:
        return bdim_to(x, NOT_MAPPED, target, size)
    return moveaxis(x, dim, target)


def standard_basis(avals: Sequence[ShapedArray]) -> list[Array]:
    """Leaves of the standard basis of the flattened inputs, stacked along a new axis 0."""
    sizes = [a.size for a in avals]
    eye = np.eye(sum(sizes))
    offsets = np.cumsum([0] + sizes)
    return [Array(eye[:, lo:lo + a.size].reshape((len(eye),) + a.shape).astype(a.dtype))
            for lo, a in zip(offsets, avals)]


def split_last_axis(t: Any, in_avals: Sequence[ShapedArray]) -> list[Any]:
    """Blocks ``out_shape + in_shape`` of a tangent whose last axis runs over all inputs."""
    shape = aval_of(t).shape
    out_shape, offset, blocks = shape[:-1], 0, []
    for aval in in_avals:
        start = [0] * len(shape)
        limit = list(shape)
        start[-1], limit[-1] = offset, offset + aval.size
        blocks.append(reshape(slice(t, start, limit), out_shape + aval.shape))
        offset += aval.size
    return blocks


def rows_to_blocks(cts: Sequence[Any], out_avals: Sequence[ShapedArray],
                   in_avals: Sequence[ShapedArray]) -> list[list[Any]]:
    """``jac[i][j]`` of shape ``out_i.shape + in_j.shape`` from per-input stacked cotangents."""
    jac: list[list[Any]] = [[] for _ in out_avals]
    for ct, in_aval in zip(cts, in_avals):
        shape = aval_of(ct).shape
        offset = 0
        for i, out_aval in enumerate(out_avals):
            start = [0] * len(shape)
            limit = list(shape)
            start[0], limit[0] = offset, offset + out_aval.size
            jac[i].append(reshape(slice(ct, start, limit), out_aval.shape + in_aval.shape))
            offset += out_aval.size
    return jac


def jacobian_tree(jac: Sequence[Sequence[Any]], out_tree: PyTreeDef, in_tree: PyTreeDef,
                  single_argnum: bool) -> Any:
    """The Jacobian as JAX shapes it: the output's structure, holding the input's."""
    rows = []
    for row in jac:
        by_input = tree_unflatten(in_tree, row)
        rows.append(by_input[0] if single_argnum else by_input)
    return tree_unflatten(out_tree, rows)
