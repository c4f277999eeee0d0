"""STYLE.md rule 1, held by reading every module's imports (ast; nothing is imported).

Layers, bottom up:

    core/                     numpy, attrs and the standard library only
    primitives/ (first order) core/ and primitives/
    interpreters/             core/, interpreters/, and from primitives/ only ``structural``
                              (and ``shape`` in vmap_util.py, as interpreters/__init__.py says)
    primitives/custom_rules   higher-order: may also use interpreters/
    numpy_api/                on top of all three
    root modules              errors.py re-exports core; __init__.py, test_util.py and demo.py
                              may use everything

Also: no imports inside functions (the usual way to dodge a cycle), and no root module
named like a standard-library or third-party top-level module (it would shadow it).
"""

from __future__ import annotations

import ast
import pathlib
import sys
from importlib.metadata import packages_distributions

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]  # the repository root is the package
PACKAGE = "jaxlite"
SUBPACKAGES = ("core", "primitives", "interpreters", "numpy_api")

# Where the code breaks a rule today, per rule: {"path:line": reason}. Those files' cases
# are xfail(strict=True), so the mark must go once the code is fixed. None at the moment.
KNOWN_VIOLATIONS: dict[str, dict[str, str]] = {"layers": {}, "numpy_api": {}, "functions": {}}


def package_files() -> list[str]:
    """Paths (relative to the root, with /) of every module of the package."""
    files = [p.name for p in ROOT.glob("*.py")]
    files += [f"{d}/{p.name}" for d in SUBPACKAGES for p in (ROOT / d).glob("*.py")]
    return sorted(files)


def module_name(path: str) -> str:
    """``core/trace.py`` -> ``jaxlite.core.trace``; an ``__init__.py`` names its package."""
    parts = [PACKAGE, *path[:-3].split("/")]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_module(name: str) -> bool:
    """Whether a dotted ``jaxlite...`` name is a module or package of the repository."""
    rest = name.split(".")[1:]
    base = ROOT.joinpath(*rest) if rest else ROOT
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def import_targets(path: str, node: ast.Import | ast.ImportFrom) -> list[str]:
    """Absolute dotted names an import statement of ``path`` loads (submodules when named)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level == 0:
        base = node.module
    else:
        package = module_name(path).split(".")
        if not path.endswith("__init__.py"):
            package = package[:-1]
        package = package[: len(package) - (node.level - 1)]
        base = ".".join(package + ([node.module] if node.module else []))
    if base.split(".")[0] != PACKAGE:
        return [base]
    return [f"{base}.{a.name}" if is_module(f"{base}.{a.name}") else base for a in node.names]


def imports(path: str, source: str) -> list[tuple[int, str]]:
    """``(line, target)`` for every import statement of a module, wherever it is."""
    tree = ast.parse(source)
    return [(node.lineno, target) for node in ast.walk(tree)
            if isinstance(node, (ast.Import, ast.ImportFrom))
            for target in import_targets(path, node)]


# ------------------------------------------------------------------ the layering rules

THIRD_PARTY = {"numpy", "attrs"}
RICH_USERS = {"interpreters/pretty_print.py", "demo.py", "__main__.py"}  # rich renders jaxprs
TOP_LEVEL_USERS = {"__init__.py", "test_util.py", "demo.py", "__main__.py", "ad_checkpoint.py",
                   "run_hook.py"}
HIGHER_ORDER = {"primitives/custom_rules.py", "primitives/jit_call.py", "primitives/cond.py",
                "primitives/remat.py", "primitives/scan.py",
                "primitives/while_loop.py"}  # primitives whose params hold jaxprs or rules
HIGHER_ORDER_MODULES = {p[:-3].replace("/", ".") for p in HIGHER_ORDER}
PUBLIC_TRANSFORMS = {"interpreters.transforms", "interpreters.stages", "interpreters.api_util",
                     "interpreters.vmap_util", "interpreters.jit"}


def allowed_internal(path: str, target: str) -> bool:
    """Whether ``path`` may import the package module ``target`` (both inside jaxlite)."""
    parts = target.split(".")[1:]  # [] for the package itself
    layer = parts[0] if parts and parts[0] in SUBPACKAGES else "<root>"
    family = ".".join(parts[:2])
    here = path.split("/")[0] if "/" in path else "<root>"
    if here == "core":
        return layer == "core"
    if path in HIGHER_ORDER:  # the jaxpr transformers, never the public transforms
        return layer in ("core", "primitives") or (
            layer == "interpreters" and family not in PUBLIC_TRANSFORMS)
    if here == "primitives":
        return layer == "core" or (layer == "primitives" and family not in HIGHER_ORDER_MODULES)
    if here == "interpreters":
        allowed = {"primitives.structural", "primitives.custom_lin"}
        if path == "interpreters/vmap_util.py":
            allowed.add("primitives.shape")
        if path == "interpreters/jit.py":  # the public jit binds its call primitive
            allowed.add("primitives.jit_call")
        return layer in ("core", "interpreters") or family in allowed
    if here == "numpy_api":
        return layer in ("core", "primitives", "interpreters", "numpy_api")
    if path == "errors.py":
        return layer == "core"
    if path == "custom_derivatives.py":
        return family == "primitives.custom_rules"
    return path in TOP_LEVEL_USERS


def allowed_external(path: str, target: str) -> bool:
    top = target.split(".")[0]
    return (top in sys.stdlib_module_names or top in THIRD_PARTY
            or (top == "rich" and path in RICH_USERS))


def violations(path: str, source: str) -> list[str]:
    """The imports of module ``path`` that break the layering, as ``path:line imports target``."""
    bad = []
    for line, target in imports(path, source):
        internal = target.split(".")[0] == PACKAGE
        ok = allowed_internal(path, target) if internal else allowed_external(path, target)
        if not ok:
            bad.append(f"{path}:{line} imports {target}")
    return bad


def read(path: str) -> str:
    return (ROOT / path).read_text(encoding="utf-8")


def with_known_violations(rule: str, paths: list[str]) -> list:
    """Each path as a pytest param, xfail(strict) where the code is known to break ``rule``."""
    params = []
    for path in paths:
        reasons = [f"{where}: {why}" for where, why in KNOWN_VIOLATIONS[rule].items()
                   if where.split(":")[0] == path]
        marks = [pytest.mark.xfail(reason="; ".join(reasons), strict=True)] if reasons else []
        params.append(pytest.param(path, marks=marks, id=path))
    return params


FILES = package_files()


def test_the_scan_sees_every_layer():
    layers = {f.split("/")[0] for f in FILES if "/" in f}
    assert layers == set(SUBPACKAGES)
    assert {"__init__.py", "errors.py", "test_util.py", "core/trace.py",
            "primitives/custom_rules.py", "interpreters/transforms.py"} <= set(FILES)


def test_relative_imports_resolve_to_modules():
    found = {target for f in ("core/primitive.py", "interpreters/vmap_util.py",
                              "primitives/custom_rules.py", "__init__.py")
             for _, target in imports(f, read(f))}
    assert {"jaxlite.core.trace", "jaxlite.primitives.shape", "jaxlite.interpreters.evaluate",
            "jaxlite.numpy_api", "jaxlite.errors", "numpy", "attrs"} <= found


@pytest.mark.parametrize("path,source,target", [
    ("core/ir.py", "from ..numpy_api import ufuncs", "jaxlite.numpy_api.ufuncs"),
    ("core/ir.py", "import scipy", "scipy"),
    ("core/ir.py", "import rich.text", "rich.text"),
    ("core/ir.py", "import jaxlite.interpreters", "jaxlite.interpreters"),
    ("primitives/shape.py", "from ..interpreters import jvp", "jaxlite.interpreters.jvp"),
    ("primitives/shape.py", "from .custom_rules import custom_jvp",
     "jaxlite.primitives.custom_rules"),
    ("interpreters/jvp.py", "from ..primitives.elementwise import mul",
     "jaxlite.primitives.elementwise"),
    ("interpreters/jvp.py", "from ..primitives import shape", "jaxlite.primitives.shape"),
    ("interpreters/jvp.py", "from .. import primitives", "jaxlite.primitives"),
    ("interpreters/jvp.py", "from ..numpy_api import lax", "jaxlite.numpy_api.lax"),
    ("numpy_api/nn.py", "from .. import test_util", "jaxlite.test_util"),
    ("primitives/custom_rules.py", "from ..interpreters.transforms import vmap",
     "jaxlite.interpreters.transforms"),
    ("errors.py", "from .numpy_api import lax", "jaxlite.numpy_api.lax"),
])
def test_the_checker_reports_a_bad_import(path, source, target):
    assert violations(path, source) == [f"{path}:1 imports {target}"]


@pytest.mark.parametrize("path,source", [
    ("interpreters/vmap_util.py", "from ..primitives.shape import reshape\n"),
    ("interpreters/transpose.py", "from ..primitives import structural\n"),
    ("primitives/custom_rules.py", "from ..interpreters.batching import batch_jaxpr\n"),
    ("primitives/shape.py", "from .structural import reduce_sum\nimport math, numpy\n"),
    ("core/ir.py", "from __future__ import annotations\nimport attrs\nfrom . import dtypes\n"),
    ("test_util.py", "from .numpy_api import creation\n"),
])
def test_the_checker_accepts_an_allowed_import(path, source):
    assert violations(path, source) == []


@pytest.mark.parametrize("path", with_known_violations("layers", FILES))
def test_imports_respect_the_layers(path):
    assert violations(path, read(path)) == []


NUMPY_API_USERS = {"__init__.py", "test_util.py", "demo.py"}


@pytest.mark.parametrize("path", with_known_violations(
    "numpy_api", [f for f in FILES if not f.startswith("numpy_api/") and f not in NUMPY_API_USERS]))
def test_only_the_facade_and_its_users_import_numpy_api(path):
    users = [f"{path}:{line}" for line, target in imports(path, read(path))
             if target.split(".")[:2] == [PACKAGE, "numpy_api"]]
    assert users == []


# ------------------------------------------------------------------ other structural rules


def function_level_imports(path: str, source: str) -> list[str]:
    """Imports inside a function body, and ``__import__``/``import_module`` calls anywhere."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            found += [f"{path}:{n.lineno}" for n in ast.walk(node)
                      if isinstance(n, (ast.Import, ast.ImportFrom))]
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name in ("__import__", "import_module"):
                found.append(f"{path}:{node.lineno} calls {name}")
    return sorted(set(found))


def test_the_function_import_checker_finds_them():
    source = "import os\n\ndef f():\n    from . import x\n    return importlib.import_module('y')\n"
    assert function_level_imports("m.py", source) == ["m.py:4", "m.py:5 calls import_module"]


@pytest.mark.parametrize("path", with_known_violations("functions", FILES))
def test_no_imports_inside_functions(path):
    assert function_level_imports(path, read(path)) == []


@pytest.mark.parametrize("path", [f for f in FILES if f.endswith("__init__.py")])
def test_package_inits_define_no_functions_or_classes(path):
    defs = [f"{path}:{n.lineno} {n.name}" for n in ast.walk(ast.parse(read(path)))
            if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))]
    assert defs == [], "an __init__.py only re-exports; put the definition in a module"


WELL_KNOWN_THIRD_PARTY = {
    "numpy", "scipy", "jax", "jaxlib", "attr", "attrs", "rich", "pytest", "hypothesis",
    "matplotlib", "pandas", "torch", "tensorflow", "sympy", "numba", "autograd", "equinox",
    "flax", "optax", "typing_extensions", "setuptools", "threadpoolctl",
}


def shadowable_names() -> set[str]:
    installed = {name for name, dists in packages_distributions().items()
                 if PACKAGE not in dists}
    return set(sys.stdlib_module_names) | installed | WELL_KNOWN_THIRD_PARTY


def root_modules() -> list[str]:
    names = [p.stem for p in ROOT.glob("*.py")]
    names += [p.name for p in ROOT.iterdir() if (p / "__init__.py").is_file()]
    return sorted(n for n in names if not (n.startswith("__") and n.endswith("__")))


def test_the_shadowing_check_knows_the_usual_names():
    assert {"numpy", "random", "math", "typing", "attrs", "rich", "pytest"} <= shadowable_names()
    assert {"core", "errors", "demo", "test_util"} <= set(root_modules())


def test_no_root_module_shadows_a_top_level_module():
    clashes = sorted(set(root_modules()) & shadowable_names())
    assert clashes == [], f"root modules named like installed or stdlib modules: {clashes}"


def runtime_imports(path: str, source: str) -> list[str]:
    """The package modules ``path`` imports when it runs (not under ``if TYPE_CHECKING``)."""
    tree = ast.parse(source)
    skipped = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            skipped.update(id(n) for n in ast.walk(node))
    return [t for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom))
            and id(node) not in skipped for t in import_targets(path, node)
            if t.split(".")[0] == PACKAGE]


def test_core_has_no_import_cycle():
    core = [f for f in FILES if f.startswith("core/")]
    graph = {module_name(f): set(runtime_imports(f, read(f))) for f in core}
    done: set[str] = set()

    def visit(name: str, path: tuple[str, ...]) -> None:
        assert name not in path, f"import cycle: {' -> '.join(path + (name,))}"
        if name in done or name not in graph:
            return
        for target in graph[name]:
            if target != "jaxlite.core":  # (the package __init__ only re-exports)
                visit(target, path + (name,))
        done.add(name)

    for name in graph:
        if not name.endswith("core"):
            visit(name, ())
