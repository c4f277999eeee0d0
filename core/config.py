"""Global configuration flags, read with ``config.<name>`` and set with ``config.update``.

Flags mirror JAX's names so that user code such as
``config.update("jax_enable_x64", True)`` runs unchanged.
"""

from __future__ import annotations

import os
from typing import Any

from .errors import ConfigError


# Options jaxlite accepts only at one value: what it computes is that value's behaviour.
_ONLY = {
    "jax_platforms": (None, "cpu", ""),  # jaxlite computes with NumPy on the CPU
    "jax_platform_name": ("cpu", ""),
    "jax_default_prng_impl": ("threefry2x32",),  # jaxlite.random's streams are JAX's threefry
    "jax_threefry_partitionable": (True,),
    "jax_numpy_rank_promotion": ("allow",),
    "jax_numpy_dtype_promotion": ("standard",),
    "jax_disable_jit": (False,),
    "jax_debug_nans": (False,),
    "jax_debug_infs": (False,),
}


class Config:
    """A small flag registry; unknown flag names raise a ConfigError naming the known ones."""

    _defaults = {
        "jax_enable_x64": False,
        "jax_explain_cache_misses": False,  # log why a jitted function is traced again
        "jax_log_compiles": False,  # (jaxlite compiles to NumPy code; nothing is logged)
        # NumPy computes every matmul at full precision, whatever precision is asked for
        "jax_default_matmul_precision": None,
        "jaxlite_check_jaxprs": False,  # typecheck every jaxpr a transform produces
        **{name: values[0] for name, values in _ONLY.items()},
    }

    def __init__(self) -> None:
        self._values = dict(self._defaults)
        if os.environ.get("JAX_ENABLE_X64", "").lower() in ("1", "true", "yes"):
            self._values["jax_enable_x64"] = True
        self.x64_enabled: bool = self._values["jax_enable_x64"]  # read on every dtype decision

    def update(self, name: str, value: Any) -> None:
        """Set the option ``name`` (JAX's names: ``config.update("jax_enable_x64", True)``)."""
        if name not in self._values:
            known = ", ".join(sorted(self._values))
            raise ConfigError(f"Unrecognized config option: {name}. jaxlite does not provide "
                              f"this option; the options it honours are: {known}")
        allowed = _ONLY.get(name)
        if allowed is not None and getattr(value, "value", value) not in allowed:
            raise ValueError(f"jaxlite does not provide {name}={value!r}: it honours this "
                             f"option only at {allowed[0]!r} (it computes with NumPy on one "
                             f"CPU, with JAX's default semantics)")
        self._values[name] = value
        self.x64_enabled = self._values["jax_enable_x64"]

    def __getattr__(self, name: str) -> Any:
        values = self.__dict__.get("_values", {})
        if name in values:
            return values[name]
        raise AttributeError(f"config has no option {name!r}")


config = Config()
