"""``python -m jaxlite run SCRIPT.py``: run a program written for JAX on jaxlite, unmodified.

An import hook (a ``MetaPathFinder`` placed first on ``sys.meta_path``) answers every
``import jax`` and ``import jax.<module>`` with a stand-in module for the jaxlite module
of the same name (``jax.numpy`` -> ``jaxlite.numpy``, ``jax.example_libraries.stax`` ->
``jaxlite.example_libraries.stax``). A stand-in forwards attribute reads to its jaxlite
module; a name or module jaxlite lacks raises an AttributeError or ModuleNotFoundError
that names the JAX API and says that jaxlite does not provide it.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import os
import runpy
import sys
import traceback
import types
from types import TracebackType
from typing import Any, Sequence

import jaxlite

from . import custom_derivatives  # noqa: F401 - served as jax.custom_derivatives

JAX = "jax"


class JaxStandIn(types.ModuleType):
    """The module ``jax.<name>`` seen by a program: reads go to the jaxlite module."""

    def __init__(self, jax_name: str, target: types.ModuleType) -> None:
        super().__init__(jax_name, getattr(target, "__doc__", None))
        self.__path__: list[str] = []  # a package: ``import jax.numpy.linalg`` may follow
        self.__jaxlite_module__ = target

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        target = self.__dict__["__jaxlite_module__"]
        try:
            value = getattr(target, name)
        except AttributeError:
            raise AttributeError(
                f"module '{self.__name__}' has no attribute '{name}': jaxlite does not provide "
                f"the JAX API {self.__name__}.{name} (this program runs on jaxlite through "
                "`python -m jaxlite run`)", name=name, obj=self) from None
        if isinstance(value, types.ModuleType):
            return stand_in(f"{self.__name__}.{name}", value)
        return value

    def __dir__(self) -> list[str]:
        return sorted(set(dir(self.__dict__["__jaxlite_module__"])) | set(self.__dict__))

    def __repr__(self) -> str:
        return f"<module '{self.__name__}' (jaxlite's {self.__jaxlite_module__.__name__})>"


def stand_in(jax_name: str, target: types.ModuleType) -> JaxStandIn:
    """The one stand-in module for ``jax_name`` (kept in ``sys.modules``)."""
    known = sys.modules.get(jax_name)
    if isinstance(known, JaxStandIn):
        return known
    module = JaxStandIn(jax_name, target)
    module.__spec__ = importlib.machinery.ModuleSpec(jax_name, _LOADER, is_package=True)
    module.__loader__ = _LOADER
    sys.modules[jax_name] = module
    return module


def jaxlite_module(jax_name: str) -> types.ModuleType | None:
    """The jaxlite module that serves ``jax_name``, or None when jaxlite has none."""
    name = "jaxlite" + jax_name[len(JAX):]
    found = sys.modules.get(name)
    if isinstance(found, types.ModuleType):
        return found
    module: Any = jaxlite
    for part in name.split(".")[1:]:
        module = getattr(module, part, None)
        if not isinstance(module, types.ModuleType):
            return None
    return module


class JaxFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finds ``jax`` and its submodules in jaxlite; everything else is left to Python."""

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        if fullname != JAX and not fullname.startswith(JAX + "."):
            return None
        if jaxlite_module(fullname) is None:
            raise ModuleNotFoundError(
                f"No module named '{fullname}': jaxlite does not provide the JAX module "
                f"{fullname} (this program runs on jaxlite through `python -m jaxlite run`)",
                name=fullname)
        return importlib.machinery.ModuleSpec(fullname, self, is_package=True)

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        module = jaxlite_module(spec.name)
        assert module is not None  # (find_spec checked)
        return stand_in(spec.name, module)

    def exec_module(self, module: types.ModuleType) -> None:
        """Nothing to run: the stand-in forwards to a module jaxlite has already imported."""


_LOADER = JaxFinder()


def install() -> None:
    """Put the finder first on ``sys.meta_path`` and drop any real ``jax`` already imported."""
    if not any(isinstance(f, JaxFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, _LOADER)
    for name in [n for n in sys.modules if n == JAX or n.startswith(JAX + ".")]:
        if not isinstance(sys.modules[name], JaxStandIn):
            del sys.modules[name]


def run_script(script: str, args: Sequence[str]) -> int:
    """Run ``script`` as ``__main__`` with ``sys.argv = [script, *args]`` and jax served by
    jaxlite; the exit status. An uncaught exception prints its traceback from the script's
    first frame on (an ImportError of a JAX name jaxlite lacks gets a note saying so)."""
    install()
    path = os.path.abspath(script)
    sys.argv = [script, *args]
    sys.path.insert(0, os.path.dirname(path))
    try:
        runpy.run_path(script, run_name="__main__")
    except SystemExit:
        raise
    except BaseException as err:  # noqa: BLE001 - reported like Python reports it, then status 1
        _note_missing_jax_name(err)
        traceback.print_exception(type(err), err, _from_script(err.__traceback__, path))
        return 1
    return 0


def _note_missing_jax_name(err: BaseException) -> None:
    module = getattr(err, "name", None) or ""
    ours = isinstance(err, ImportError) and (module == JAX or module.startswith(JAX + "."))
    if ours and "jaxlite" not in str(err) and hasattr(err, "add_note"):
        err.add_note(f"jaxlite serves {module} but does not provide this name "
                     "(this program runs on jaxlite through `python -m jaxlite run`)")


def _from_script(tb: TracebackType | None, path: str) -> TracebackType | None:
    """The traceback without the runner's frames (those before the script's first one)."""
    start = tb
    while start is not None and os.path.abspath(start.tb_frame.f_code.co_filename) != path:
        start = start.tb_next
    return start if start is not None else tb
