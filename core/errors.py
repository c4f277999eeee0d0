"""The errors jaxlite raises at users, exported as ``jaxlite.errors``.

Each message says what happened, where (operation, avals, the user's source line) and
how to fix it. Types follow JAX's: concretization and tracer errors are TypeErrors,
shape errors are TypeErrors, bad axis arguments are ValueErrors.
"""

from __future__ import annotations


class JaxliteError(Exception):
    """Base class of the errors defined by jaxlite itself."""


class ConcretizationError(JaxliteError, TypeError):
    """A traced value without a concrete value was used where Python needs one."""


# JAX's name for the same error, so ``except jax.errors.ConcretizationTypeError`` ports.
ConcretizationTypeError = ConcretizationError


class TracerBoolConversionError(ConcretizationError):
    """``bool()`` of a tracer without a concrete value, e.g. a Python ``if`` on it."""


class TracerIntegerConversionError(ConcretizationError):
    """``int()`` or ``__index__`` of a tracer without a concrete value."""


class TracerArrayConversionError(ConcretizationError):
    """``np.asarray`` (``__array__``) of a tracer without a concrete value."""


class UnexpectedTracerError(JaxliteError):
    """A tracer was used after the transformation that created it had finished."""


class TypecheckError(JaxliteError, TypeError):
    """A jaxpr is malformed: a variable used before it is defined, defined twice, or mistyped."""


class ShapeError(JaxliteError, TypeError):
    """A primitive was applied to operands whose shapes or dtypes it does not accept."""


class PytreeError(JaxliteError, ValueError):
    """A pytree did not have the structure or node types an operation needed."""
