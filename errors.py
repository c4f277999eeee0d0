"""``jaxlite.errors``: the named exceptions jaxlite raises (see ``core.errors``)."""

from .core.errors import (
    ConcretizationError,
    ConcretizationTypeError,
    JaxliteError,
    PytreeError,
    ShapeError,
    TracerArrayConversionError,
    TracerBoolConversionError,
    TracerIntegerConversionError,
    TypecheckError,
    UnexpectedTracerError,
)

__all__ = [
    "ConcretizationError", "ConcretizationTypeError", "JaxliteError", "PytreeError", "ShapeError",
    "TracerArrayConversionError", "TracerBoolConversionError", "TracerIntegerConversionError",
    "TypecheckError", "UnexpectedTracerError",
]
