"""What JAX programs call around their computations to place and wait for arrays.

jaxlite computes eagerly on the CPU with NumPy, so there is one device (``CpuDevice``),
nothing to wait for, and nothing to move: these keep JAX's names, signatures and results
so that such programs run unchanged.
"""

from __future__ import annotations

from typing import Any

from ..core.device import CPU, CpuDevice
from ..core.trace import has_aval
from ..core.tree_util import tree_map
from .creation import asarray


def _check_backend(backend: Any) -> None:
    if backend is not None and backend != "cpu" and backend is not CPU:
        raise RuntimeError(f"Unknown backend: {backend!r} requested, but no platforms that are "
                           "instances of it are present. Platforms present are: cpu "
                           "(jaxlite computes with NumPy on the CPU)")


def devices(backend: Any = None) -> list[CpuDevice]:
    """The devices of ``backend`` (only ``"cpu"``): ``[CpuDevice(id=0)]``."""
    _check_backend(backend)
    return [CPU]


def local_devices(process_index: int | None = None, backend: Any = None) -> list[CpuDevice]:
    """The devices of this process: ``[CpuDevice(id=0)]``."""
    _check_backend(backend)
    return [CPU]


def default_backend() -> str:
    return "cpu"


def device_count(backend: Any = None) -> int:
    _check_backend(backend)
    return 1


def local_device_count(backend: Any = None) -> int:
    _check_backend(backend)
    return 1


def process_index(backend: Any = None) -> int:
    return 0


def process_count(backend: Any = None) -> int:
    return 1


def device_put(x: Any, device: Any = None, *, src: Any = None, donate: bool = False,
               may_alias: bool | None = None) -> Any:
    """``x`` (a pytree) with every leaf an array on the CPU: NumPy values and Python scalars
    become Arrays (scalars weakly typed, as ``jnp.asarray`` makes them); arrays and tracers
    are returned as they are."""
    _check_backend(device)
    return tree_map(lambda leaf: leaf if has_aval(leaf) else asarray(leaf), x)


def block_until_ready(x: Any) -> Any:
    """``x`` itself, once every array in it is computed (jaxlite computes eagerly: at once)."""
    return x
