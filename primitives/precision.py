"""``Precision``: the precision argument of dot_general, conv and their wrappers.

NumPy computes every float product at the operands' full precision, so the value only
travels through the IR (printed in a jaxpr as JAX prints it) and changes no result.
"""

from __future__ import annotations

import enum
from typing import Any


class Precision(enum.Enum):
    """The precision of a product's operands on accelerators: DEFAULT, HIGH or HIGHEST."""

    DEFAULT = 0
    HIGH = 1
    HIGHEST = 2

    @classmethod
    def _missing_(cls, value: object) -> Precision | None:
        if isinstance(value, str):
            return _BY_NAME.get(value)
        return None

    def __repr__(self) -> str:
        return f"Precision.{self.name}"

    def __str__(self) -> str:
        return self.name


_BY_NAME = {
    "default": Precision.DEFAULT, "fastest": Precision.DEFAULT, "bfloat16": Precision.DEFAULT,
    "high": Precision.HIGH, "bfloat16_3x": Precision.HIGH, "tensorfloat32": Precision.HIGH,
    "highest": Precision.HIGHEST, "float32": Precision.HIGHEST,
}


def canonicalize_precision(precision: Any) -> tuple[Precision, Precision] | None:
    """None, or the pair of ``Precision`` values (lhs, rhs) that ``precision`` names.

    Raises:
        ValueError: ``precision`` is not None, a Precision, one of its names, or a pair of them.
    """
    if precision is None:
        return None
    try:
        if isinstance(precision, (str, Precision)):
            return (Precision(precision), Precision(precision))
        if isinstance(precision, (tuple, list)) and len(precision) == 2:
            return (Precision(precision[0]), Precision(precision[1]))
    except ValueError:
        pass
    raise ValueError(
        "Precision argument must be one of: None, a string in "
        f"{sorted(_BY_NAME)}, a lax.Precision value, or a tuple of two lax.Precision values "
        f"or strings; but got {precision!r}.")
