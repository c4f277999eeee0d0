"""Global configuration flags, read with ``config.<name>`` and set with ``config.update``.

Flags mirror JAX's names so that user code such as
``config.update("jax_enable_x64", True)`` runs unchanged.
"""

from __future__ import annotations

import os
from typing import Any


class Config:
    """A small flag registry; unknown flag names raise a KeyError-free ValueError."""

    _defaults = {
        "jax_enable_x64": False,
        "jax_explain_cache_misses": False,  # log why a jitted function is traced again
        "jaxlite_check_jaxprs": False,  # typecheck every jaxpr a transform produces
    }

    def __init__(self) -> None:
        self._values = dict(self._defaults)
        if os.environ.get("JAX_ENABLE_X64", "").lower() in ("1", "true", "yes"):
            self._values["jax_enable_x64"] = True
        self.x64_enabled: bool = self._values["jax_enable_x64"]  # read on every dtype decision

    def update(self, name: str, value: Any) -> None:
        if name not in self._values:
            known = ", ".join(sorted(self._values))
            raise ValueError(f"unknown configuration option {name!r}; known options: {known}")
        self._values[name] = value
        self.x64_enabled = self._values["jax_enable_x64"]

    def __getattr__(self, name: str) -> Any:
        values = self.__dict__.get("_values", {})
        if name in values:
            return values[name]
        raise AttributeError(f"config has no option {name!r}")


config = Config()
