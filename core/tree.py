"""``jaxlite.tree``, as ``jax.tree``: the pytree functions under short names
(``jaxlite.tree.map`` is ``tree_util.tree_map``, and so on)."""

from .pytree import (
    tree_flatten as flatten,
    tree_leaves as leaves,
    tree_map as map,  # noqa: A004 - jax.tree's name
    tree_structure as structure,
    tree_unflatten as unflatten,
)
from .tree_ops import (
    tree_all as all,  # noqa: A004 - jax.tree's name
    tree_broadcast as broadcast,
    tree_reduce as reduce,
    tree_reduce_associative as reduce_associative,
    tree_transpose as transpose,
)
from .tree_paths import (
    tree_flatten_with_path as flatten_with_path,
    tree_leaves_with_path as leaves_with_path,
    tree_map_with_path as map_with_path,
)

__all__ = [
    "all", "broadcast", "flatten", "flatten_with_path", "leaves", "leaves_with_path", "map",
    "map_with_path", "reduce", "reduce_associative", "structure", "transpose", "unflatten",
]
