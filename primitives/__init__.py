"""Every primitive, grouped by family; each module keeps a primitive's rules together."""

from . import comparison, elementwise, linalg, reductions, shape, structural

__all__ = ["comparison", "elementwise", "linalg", "reductions", "shape", "structural"]
