"""What the golden printing tests share: a recorded text, and the cases as pytest params.

A case maps its name to ``(reason, text)``: the text JAX prints, and why jaxlite prints
otherwise (None: it does not), which makes the case a strict xfail.
"""

import textwrap

import pytest

import jaxlite


def golden(text):
    """A recorded text, as written indented in a triple-quoted string."""
    return textwrap.dedent(text).strip("\n")


def params(cases, with_xfail):
    """The case names as pytest params, marked xfail where jaxlite differs (if asked)."""
    out = []
    for name, (reason, _) in cases.items():
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if with_xfail and reason else []
        out.append(pytest.param(name, marks=marks, id=name))
    return out


def assert_prints(jaxpr, cases, name):
    """``jaxpr`` (jaxlite's, typechecked, or JAX's) prints as the case's recorded text."""
    if isinstance(jaxpr, jaxlite.core.ClosedJaxpr):
        jaxlite.typecheck(jaxpr)
    assert str(jaxpr) == golden(cases[name][1])
