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


class UnexpectedTracerError(JaxliteError, TypeError):
    """A tracer was used after the transformation that created it had finished."""


class TypecheckError(JaxliteError, TypeError):
    """A jaxpr is malformed: a variable used before it is defined, defined twice, or mistyped."""


class ShapeError(JaxliteError, TypeError):
    """A primitive was applied to operands whose shapes or dtypes it does not accept."""


class InvalidArgumentError(JaxliteError, TypeError):
    """A transformed function was given a value that is not an array, a scalar or a pytree of them."""


class GradError(JaxliteError, TypeError):
    """``grad`` was applied where it does not apply: a non-scalar or non-float output, or
    integer or boolean inputs."""


class ArgnumsError(JaxliteError, TypeError, ValueError):
    """``argnums`` or ``static_argnums`` names arguments the call does not have. (Both a
    TypeError and a ValueError: JAX raises one or the other depending on the case.)"""


class VmapAxisError(JaxliteError, ValueError):
    """``vmap``'s ``in_axes``/``out_axes``/``axis_size`` do not fit the arguments or outputs."""


class MissingRuleError(JaxliteError, NotImplementedError):
    """A primitive has no rule for the transformation being applied to it."""


class NonConcreteBooleanIndexError(JaxliteError, IndexError):
    """A boolean mask without a concrete value was used as an index (under ``jit`` or
    ``vmap``): the result's shape would depend on the mask's values."""


class PytreeError(JaxliteError, ValueError):
    """A pytree did not have the structure or node types an operation needed."""


class ConfigError(JaxliteError, AttributeError, ValueError):
    """``config.update`` of an option jaxlite does not know (an AttributeError, as in JAX;
    also a ValueError)."""
