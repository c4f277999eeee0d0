"""Placeholder until the compiler lands: a jaxpr's function is its evaluation."""

from __future__ import annotations

from typing import Any, Callable

from ..core.array import Array
from ..core.ir import ClosedJaxpr
from ..core.trace import run_in
from .evaluate import eval_jaxpr


def compile_jaxpr(closed: ClosedJaxpr) -> Callable[..., list]:
    def run(*args: Any) -> list:
        outs = run_in(None, eval_jaxpr, closed.jaxpr, closed.consts, *args)
        return [x._value if type(x) is Array else x for x in outs]

    return run
