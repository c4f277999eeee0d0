"""The one device jaxlite computes on: the CPU, as JAX names and prints it."""

from __future__ import annotations

import attrs


@attrs.frozen(repr=False)
class CpuDevice:
    """The CPU, where every ``jaxlite.Array`` lives: ``CpuDevice(id=0)``, printed ``cpu:0``."""

    id: int = 0
    platform: str = "cpu"
    device_kind: str = "cpu"
    process_index: int = 0

    def __repr__(self) -> str:
        return f"CpuDevice(id={self.id})"

    def __str__(self) -> str:
        return f"{self.platform}:{self.id}"


CPU = CpuDevice()
"""The device of every Array."""
