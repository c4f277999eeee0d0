"""Pytree key paths: the key classes that name one step from a node to a child, and ``keystr``.

A key path is a tuple of keys from the root to a leaf. As in JAX: dict entries are
``DictKey``, list and tuple positions ``SequenceKey``, namedtuple and dataclass fields
``GetAttrKey``, and children of a custom node registered without keys ``FlattenedIndexKey``.
"""

from __future__ import annotations

from typing import Any, Sequence

import attrs


@attrs.frozen(slots=True)
class DictKey:
    """The key of a dict entry; prints as ``['a']``."""

    key: Any

    def __str__(self) -> str:
        return f"[{self.key!r}]"


@attrs.frozen(slots=True)
class SequenceKey:
    """A position in a list or tuple; prints as ``[0]``."""

    idx: int

    def __str__(self) -> str:
        return f"[{self.idx!r}]"


@attrs.frozen(slots=True)
class GetAttrKey:
    """A named attribute (a namedtuple or dataclass field); prints as ``.name``."""

    name: str

    def __str__(self) -> str:
        return f".{self.name}"


@attrs.frozen(slots=True)
class FlattenedIndexKey:
    """The position of a child of a custom node registered without keys; ``[<flat index 1>]``."""

    key: int

    def __str__(self) -> str:
        return f"[<flat index {self.key}>]"


KeyEntry = Any  # any hashable object may be a key of a custom node
KeyPath = tuple


def _simple(key: Any) -> str:
    """The bare name of a key: ``a`` for ``DictKey('a')``, ``0`` for ``SequenceKey(0)``."""
    for cls, field in ((DictKey, "key"), (SequenceKey, "idx"), (GetAttrKey, "name"),
                       (FlattenedIndexKey, "key")):
        if isinstance(key, cls):
            return str(getattr(key, field))
    return str(key)


def keystr(keys: Sequence[Any], *, simple: bool = False, separator: str = "") -> str:
    """A key path as text: ``['a'][0].x``, or with ``simple=True, separator='/'`` ``a/0/x``."""
    return separator.join(_simple(k) if simple else str(k) for k in keys)
