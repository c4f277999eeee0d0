"""``jaxlite.custom_derivatives``: the names JAX's ``jax.custom_derivatives`` module exports."""

from .primitives.custom_rules import CustomVJPPrimal, SymbolicZero, custom_jvp, custom_vjp

__all__ = ["CustomVJPPrimal", "SymbolicZero", "custom_jvp", "custom_vjp"]
