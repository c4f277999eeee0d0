"""JAX's conversion rules under each transform: which Python and NumPy conversions of a traced
value work, and which raise which error.

Every expected outcome below is what JAX 0.10.2 does for the same code (CPU). In short:

* eagerly, on a concrete Array, every conversion works;
* under grad, jvp, vjp, linearize and value_and_grad at concrete inputs, the conversions that
  would drop a derivative raise: ``float``, ``complex`` and ``.tolist()`` a
  ConcretizationTypeError; ``np.asarray`` and any NumPy function (``np.sin``) a
  TracerArrayConversionError. The discrete ones keep working on the concrete value: ``bool``
  (so ``if x > 0``), ``int``, ``operator.index`` (so ``range(n)`` and ``jnp.ones(n)``), and also
  ``.item()`` (JAX returns the value; the derivative through it is dropped);
* under vmap and make_jaxpr (and grad inside them) there is no value: ``bool`` raises a
  TracerBoolConversionError, ``operator.index`` a TracerIntegerConversionError, ``float``,
  ``complex``, ``int``, ``.item()`` and ``.tolist()`` a ConcretizationTypeError, NumPy a
  TracerArrayConversionError, and a traced shape (``jnp.ones(n)``) a TypeError.

The error classes are taken from ``jaxlite.errors`` by JAX's names. jaxlite's messages must
also name the user's line and point to the fix (``jnp``). After every error the library must
still work.
"""

import linecache
import operator
import os
import re

import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp
from jaxlite import errors, grad, jvp, linearize, make_jaxpr, value_and_grad, vjp, vmap

THIS_FILE = os.path.basename(__file__)


@pytest.fixture(autouse=True)
def library_still_works():
    """After each call, failing or not, the transforms still work."""
    yield
    assert float(grad(lambda x: jnp.sin(x) * x)(0.0)) == 0.0
    np.testing.assert_array_equal(np.asarray(vmap(grad(lambda x: x ** 2))(jnp.arange(3.0))),
                                  [0.0, 2.0, 4.0])


def error_class(name):
    """JAX's error class of that name, as jaxlite exports it (a built-in for TypeError)."""
    if name == "TypeError":
        return TypeError
    cls = getattr(errors, name, None)
    if cls is None:
        pytest.fail(f"jaxlite.errors does not export {name}, which JAX raises here")
    return cls


def source_line_named_in(message):
    """The text of this file's line that an error message points at."""
    match = re.search(re.escape(THIS_FILE) + r"\D{0,3}(\d+)", message)
    assert match, f"the message does not name the user's line in {THIS_FILE}: {message}"
    return linecache.getline(__file__, int(match.group(1)))


# ------------------------------------------------------------------ the patterns
# Each returns a float scalar built from x (so that grad applies when nothing raises); the
# conversion sits on a line of its own, which the error message must name.


def use_float(x):
    return x * float(x)


def use_complex(x):
    return x * complex(x).real


def use_int(x):
    return x * int(x)


def use_bool(x):
    return x * bool(x)


def use_item(x):
    return x * x.item()


def use_tolist(x):
    return x * x.tolist()


def use_index(x):
    n = x.astype(jnp.int32)
    return x * operator.index(n)


def use_asarray(x):
    return x * np.asarray(x)


def use_np_sin(x):
    return np.sin(x)


def use_if(x):
    if x > 0:
        return x * 2.0
    return -x


def use_range(x):
    n = x.astype(jnp.int32)
    return x * len(range(n))


def use_ones(x):
    n = x.astype(jnp.int32)
    return x * jnp.ones(n).sum()


PATTERNS = {  # name: (function, the code on the line an error must name)
    "float": (use_float, "float(x)"),
    "complex": (use_complex, "complex(x)"),
    "int": (use_int, "int(x)"),
    "bool": (use_bool, "bool(x)"),
    "item": (use_item, "x.item()"),
    "tolist": (use_tolist, "x.tolist()"),
    "operator.index": (use_index, "operator.index(n)"),
    "np.asarray": (use_asarray, "np.asarray(x)"),
    "np.sin": (use_np_sin, "np.sin(x)"),
    "if": (use_if, "if x > 0:"),
    "range": (use_range, "range(n)"),
    "jnp.ones": (use_ones, "jnp.ones(n)"),
}


def _linearized(f):
    return linearize(f, 2.0)[1](1.0)


TRANSFORMS = {
    "eager": lambda f: f(jnp.float32(2.0)),  # a concrete jaxlite.Array
    "grad": lambda f: grad(f)(2.0),
    "jvp": lambda f: jvp(f, (2.0,), (1.0,)),
    "vjp": lambda f: vjp(f, 2.0)[1](1.0),
    "linearize": _linearized,
    "value_and_grad": lambda f: value_and_grad(f)(2.0),
    "grad_grad": lambda f: grad(grad(f))(2.0),
    "vmap": lambda f: vmap(f)(jnp.array([1.0, 2.0, 3.0])),
    "make_jaxpr": lambda f: make_jaxpr(f)(2.0),
    "vmap_grad": lambda f: vmap(grad(f))(jnp.array([1.0, 2.0, 3.0])),
    "make_jaxpr_grad": lambda f: make_jaxpr(grad(f))(2.0),
}

CTE = "ConcretizationTypeError"
TACE = "TracerArrayConversionError"
TBCE = "TracerBoolConversionError"
TICE = "TracerIntegerConversionError"

# What works at a concrete value under the derivative transforms gives these values (JAX's);
# every such pattern is f(x) = 2x at x = 2, except bool (x * True) and if (2x on that side).
WORKS_2X = {"eager": 4.0, "grad": 2.0, "jvp": (4.0, 2.0), "vjp": (2.0,), "linearize": 2.0,
            "value_and_grad": (4.0, 2.0), "grad_grad": 0.0}
WORKS_X = {"eager": 2.0, "grad": 1.0, "jvp": (2.0, 1.0), "vjp": (1.0,), "linearize": 1.0,
           "value_and_grad": (2.0, 1.0), "grad_grad": 0.0}
DIFF = ["grad", "jvp", "vjp", "linearize", "value_and_grad", "grad_grad"]
ABSTRACT = ["vmap", "make_jaxpr", "vmap_grad", "make_jaxpr_grad"]


def _row(eager, diff, abstract):
    """JAX's outcomes: a value when it works, else the name of the error class."""
    row = {"eager": eager}
    row.update({t: diff[t] if isinstance(diff, dict) else diff for t in DIFF})
    row.update({t: abstract for t in ABSTRACT})
    return row


EXPECTED = {
    "float": _row(4.0, CTE, CTE),
    "complex": _row(4.0, CTE, CTE),
    "int": _row(4.0, WORKS_2X, CTE),
    "bool": _row(2.0, WORKS_X, TBCE),
    "item": _row(4.0, WORKS_2X, CTE),
    "tolist": _row(4.0, CTE, CTE),
    "operator.index": _row(4.0, WORKS_2X, TICE),
    "np.asarray": _row(4.0, TACE, TACE),
    "np.sin": _row(0.9092974, TACE, TACE),
    "if": _row(4.0, WORKS_2X, TBCE),
    "range": _row(4.0, WORKS_2X, TICE),
    "jnp.ones": _row(4.0, WORKS_2X, "TypeError"),  # JAX: "Shapes must be 1D sequences of
}                                                   # concrete values of integer type"

CASES = [(p, t, EXPECTED[p][t]) for p in PATTERNS for t in TRANSFORMS]


def assert_value(out, expected):
    if isinstance(expected, tuple):
        assert isinstance(out, tuple) and len(out) == len(expected), out
        for o, e in zip(out, expected):
            assert_value(o, e)
        return
    np.testing.assert_allclose(np.asarray(out), expected, rtol=1e-6)


@pytest.mark.parametrize("pattern,transform,expected", CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_conversion_under_transform(pattern, transform, expected):
    f, code = PATTERNS[pattern]
    if not isinstance(expected, str):
        assert_value(TRANSFORMS[transform](f), expected)
        return
    with pytest.raises(error_class(expected)) as info:
        TRANSFORMS[transform](f)
    assert isinstance(info.value, TypeError)  # every one of JAX's is a TypeError
    message = str(info.value)
    assert code in source_line_named_in(message), message
    if expected == "TypeError":  # a traced shape
        assert "shape" in message.lower(), message
    else:
        assert "jnp" in message, f"the message does not point to jaxlite.numpy: {message}"


def test_eager_numpy_on_an_array_gives_numpy_values():
    x = jnp.array([1.0, 2.0], jnp.float32)
    out = np.sin(x)
    assert isinstance(out, np.ndarray) and out.dtype == np.float32
    np.testing.assert_allclose(out, np.sin(np.array([1.0, 2.0], np.float32)))
    assert float(x[1]) == 2.0 and int(x[1]) == 2 and complex(x[0]) == 1.0
    assert x.tolist() == [1.0, 2.0] and x[0].item() == 1.0 and operator.index(jnp.int32(3)) == 3


# ------------------------------------------------------------------ the cases


def test_numpy_function_under_grad_raises():
    # jaxlite used to return 0.0 here: a silently wrong gradient
    with pytest.raises(errors.TracerArrayConversionError) as info:
        grad(lambda x: np.sin(x))(2.0)
    assert "np.sin(x)" in source_line_named_in(str(info.value))
    assert "jnp" in str(info.value)
    np.testing.assert_allclose(np.asarray(grad(lambda x: jnp.sin(x))(2.0)), np.cos(2.0), rtol=1e-6)


def test_float_under_grad_raises():
    # jaxlite used to return 2.0 here (the derivative of float(x) dropped); the truth is 4.0
    with pytest.raises(errors.ConcretizationTypeError) as info:
        grad(lambda x: x * float(x))(2.0)
    assert "x * float(x)" in source_line_named_in(str(info.value))
    assert "jnp" in str(info.value)
    assert float(grad(lambda x: x * x)(2.0)) == 4.0


def relu_like(x):
    if x > 0:
        return x * 3.0
    return x * 0.5


def test_if_and_int_keep_working_under_grad():
    assert float(grad(relu_like)(2.0)) == 3.0
    assert float(grad(relu_like)(-2.0)) == 0.5
    assert float(grad(lambda x: x * int(x))(2.7)) == 2.0
    assert float(grad(lambda x: jnp.sum(x * jnp.arange(int(x))))(3.0)) == 3.0  # 0 + 1 + 2
    assert float(value_and_grad(lambda x: x ** len(range(int(x))))(2.0)[1]) == 4.0


# ------------------------------------------------------------------ nothing to lose, nothing raised
# A conversion raises under a derivative only when the value carries a derivative. JAX lets these
# through: the value does not depend on a differentiated input, or its derivative is a symbolic
# zero (stop_gradient, integer casts; floor and sign have zero jvp rules).

NO_DERIVATIVE = [  # (name, call, JAX's value)
    ("float_of_a_non_differentiated_argument",
     lambda: grad(lambda x, y: x * float(y))(2.0, 3.0), 3.0),
    ("asarray_of_a_non_differentiated_argument",
     lambda: grad(lambda x, y: x * np.asarray(y))(2.0, 3.0), 3.0),
    ("float_of_stop_gradient", lambda: grad(lambda x: x * float(jaxlite.lax.stop_gradient(x)))(2.0),
     2.0),
    ("float_of_an_integer_cast", lambda: grad(lambda x: x * float(x.astype(jnp.int32)))(2.0), 2.0),
    ("float_of_floor", lambda: grad(lambda x: x * float(jnp.floor(x)))(2.5), 2.0),
    ("asarray_of_sign", lambda: grad(lambda x: x * np.asarray(jnp.sign(x)))(2.0), 1.0),
    ("float_of_a_closed_over_constant",
     lambda: grad(lambda x: x * float(jnp.float32(3.0) * 2))(2.0), 6.0),
    ("np_sin_of_an_unbatched_argument",
     lambda: vmap(lambda x, y: x * np.sin(y), in_axes=(0, None))(jnp.ones(2), 2.0),
     [0.9092974, 0.9092974]),
    ("float_of_an_unbatched_argument",
     lambda: vmap(lambda x, y: x * float(y), in_axes=(0, None))(jnp.ones(2), 2.0), [2.0, 2.0]),
]


@pytest.mark.parametrize("name,call,expected", NO_DERIVATIVE, ids=[c[0] for c in NO_DERIVATIVE])
def test_conversion_of_a_value_without_derivative_works(name, call, expected):
    np.testing.assert_allclose(np.asarray(call()), expected, rtol=1e-6)


def test_float_of_an_input_with_an_explicit_zero_tangent_raises():
    # jvp was handed a tangent (0.0) for y: y is differentiated, its tangent merely happens to be 0
    with pytest.raises(errors.ConcretizationTypeError):
        jvp(lambda x, y: x * float(y), (2.0, 3.0), (1.0, 0.0))


def test_float_raises_when_vjp_runs_the_function_not_later():
    with pytest.raises(errors.ConcretizationTypeError):
        vjp(lambda x: x * float(x), 2.0)


def test_error_classes_are_related_as_in_jax():
    # JAX: TracerBoolConversionError subclasses ConcretizationTypeError; all four are TypeErrors
    assert issubclass(errors.TracerBoolConversionError, errors.ConcretizationTypeError)
    for name in [CTE, TACE, TBCE, TICE]:
        assert issubclass(error_class(name), TypeError)
