"""``jaxlite.errors``: the named exceptions jaxlite raises (see ``core.errors``)."""

from .core.errors import (
    ArgnumsError,
    ConcretizationError,
    ConcretizationTypeError,
    ConfigError,
    GradError,
    InvalidArgumentError,
    JaxliteError,
    MissingRuleError,
    NonConcreteBooleanIndexError,
    PytreeError,
    ShapeError,
    TracerArrayConversionError,
    TracerBoolConversionError,
    TracerIntegerConversionError,
    TypecheckError,
    UnexpectedTracerError,
    VmapAxisError,
)

__all__ = [
    "ArgnumsError", "ConfigError", "GradError", "InvalidArgumentError", "MissingRuleError", "VmapAxisError",
    "ConcretizationError", "ConcretizationTypeError", "JaxliteError", "NonConcreteBooleanIndexError",
    "PytreeError", "ShapeError",
    "TracerArrayConversionError", "TracerBoolConversionError", "TracerIntegerConversionError",
    "TypecheckError", "UnexpectedTracerError",
]
