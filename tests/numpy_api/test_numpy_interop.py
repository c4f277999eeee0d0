"""NumPy functions on jaxlite arrays, as on JAX's Array: each call works, gives NumPy's value,
and returns what JAX returns (a jaxlite Array where JAX gives its Array, else NumPy's type)."""

import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp


def make_calls(x, v, i):
    """The calls, on a 2x3 float matrix ``x``, a vector ``v`` and an int scalar ``i``."""
    CALLS = {
     "np.sum": lambda: np.sum(x), "np.sum axis": lambda: np.sum(x, axis=0), "np.mean": lambda: np.mean(x),
     "np.std": lambda: np.std(v), "np.max": lambda: np.max(x), "np.min": lambda: np.min(v), "np.argmax": lambda: np.argmax(v),
     "np.concatenate": lambda: np.concatenate([v, v]), "np.stack": lambda: np.stack([v, v]),
     "np.allclose": lambda: np.allclose(v, v), "assert_allclose": lambda: np.testing.assert_allclose(v, [1, 2, 3]),
     "assert_array_equal": lambda: np.testing.assert_array_equal(v, [1, 2, 3]),
     "np.linalg.norm": lambda: np.linalg.norm(v), "np.where": lambda: np.where(v > 1, v, 0),
     "np.asarray": lambda: np.asarray(v), "np.array dtype": lambda: np.array(v, np.float64), "np.dot": lambda: np.dot(v, v),
     "np.isnan": lambda: np.isnan(v), "np.exp": lambda: np.exp(v), "np.add": lambda: np.add(v, 1), "np.sqrt": lambda: np.sqrt(v),
     "float": lambda: float(v[0]), "int": lambda: int(i), "bool": lambda: bool(i), "complex": lambda: complex(v[0]),
     "__array__ dtype": lambda: v.__array__(np.float64), "__array__ copy": lambda: v.__array__(copy=True),
     "np.shape": lambda: np.shape(x), "np.size": lambda: np.size(x), "np.ndim": lambda: np.ndim(x),
     "np.transpose": lambda: np.transpose(x), "np.reshape": lambda: np.reshape(x, (3, 2)), "np.cumsum": lambda: np.cumsum(v),
     "np.sort": lambda: np.sort(v), "np.clip": lambda: np.clip(v, 1.5, 2.5), "np.round": lambda: np.round(v),
     "np.isclose": lambda: np.isclose(v, v), "np.array_equal": lambda: np.array_equal(v, v), "np.matmul": lambda: np.matmul(x, v),
     "ndarray+Array": lambda: np.ones(3) + v, "ndarray*Array": lambda: np.ones(3) * v, "float64+Array": lambda: np.float64(2) * v,
     "np.abs": lambda: np.abs(v), "np.linalg.inv": lambda: np.linalg.inv(jnp.eye(2)), "np.percentile": lambda: np.percentile(v, 50),
     "np.histogram": lambda: np.histogram(v, bins=2)[0], "np.unique": lambda: np.unique(v), "list(x)": lambda: list(v),
     "np.float32(x)": lambda: np.float32(v[0]), "index": lambda: [1,2,3,4][i], "np.zeros_like": lambda: np.zeros_like(v),
     "array priority": lambda: type(v).__array_priority__, "np.copy": lambda: np.copy(v), "np.prod": lambda: np.prod(v),
     "np.any": lambda: np.any(v > 2), "np.all": lambda: np.all(v > 0), "len": lambda: len(v), "np.nditer": lambda: [float(a) for a in np.nditer(v)],
     "np.vstack": lambda: np.vstack([v, v]), "np.mean axis": lambda: np.mean(x, axis=1), "memoryview": lambda: bytes(memoryview(np.asarray(v)))[:4],
    }
    return CALLS


EXPECTED_TYPES = {  # the result types JAX 0.10.2 gives (jaxlib.ArrayImpl -> Array)
    'np.sum': 'Array',
    'np.sum axis': 'Array',
    'np.mean': 'Array',
    'np.std': 'Array',
    'np.max': 'Array',
    'np.min': 'Array',
    'np.argmax': 'Array',
    'np.concatenate': 'numpy.ndarray',
    'np.stack': 'numpy.ndarray',
    'np.allclose': 'builtins.bool',
    'assert_allclose': 'builtins.NoneType',
    'assert_array_equal': 'builtins.NoneType',
    'np.linalg.norm': 'numpy.float32',
    'np.where': 'numpy.ndarray',
    'np.asarray': 'numpy.ndarray',
    'np.array dtype': 'numpy.ndarray',
    'np.dot': 'numpy.float32',
    'np.isnan': 'numpy.ndarray',
    'np.exp': 'numpy.ndarray',
    'np.add': 'numpy.ndarray',
    'np.sqrt': 'numpy.ndarray',
    'float': 'builtins.float',
    'int': 'builtins.int',
    'bool': 'builtins.bool',
    'complex': 'builtins.complex',
    '__array__ dtype': 'numpy.ndarray',
    '__array__ copy': 'numpy.ndarray',
    'np.shape': 'builtins.tuple',
    'np.size': 'builtins.int',
    'np.ndim': 'builtins.int',
    'np.transpose': 'Array',
    'np.reshape': 'Array',
    'np.cumsum': 'Array',
    'np.sort': 'numpy.ndarray',
    'np.clip': 'numpy.ndarray',
    'np.round': 'Array',
    'np.isclose': 'numpy.ndarray',
    'np.array_equal': 'builtins.bool',
    'np.matmul': 'numpy.ndarray',
    'ndarray+Array': 'Array',
    'ndarray*Array': 'Array',
    'float64+Array': 'Array',
    'np.abs': 'numpy.ndarray',
    'np.linalg.inv': 'numpy.ndarray',
    'np.percentile': 'numpy.float32',
    'np.histogram': 'numpy.ndarray',
    'np.unique': 'numpy.ndarray',
    'list(x)': 'builtins.list',
    'np.float32(x)': 'numpy.float32',
    'index': 'builtins.int',
    'np.zeros_like': 'numpy.ndarray',
    'array priority': 'builtins.int',
    'np.copy': 'numpy.ndarray',
    'np.prod': 'Array',
    'np.any': 'Array',
    'np.all': 'Array',
    'len': 'builtins.int',
    'np.nditer': 'builtins.list',
    'np.vstack': 'numpy.ndarray',
    'np.mean axis': 'Array',
    'memoryview': 'builtins.bytes',
}


def type_name(value):
    if isinstance(value, jaxlite.Array):
        return "Array"
    return type(value).__module__.split(".")[0] + "." + type(value).__name__


JAXLITE = make_calls(jnp.arange(6.0).reshape(2, 3), jnp.array([1.0, 2.0, 3.0]), jnp.array(3))
NUMPY = make_calls(np.arange(6.0, dtype=np.float32).reshape(2, 3),
                   np.array([1.0, 2.0, 3.0], np.float32), np.array(3, np.int32))


@pytest.mark.parametrize("name", list(EXPECTED_TYPES))
def test_numpy_call_on_an_array(name):
    got = JAXLITE[name]()
    assert type_name(got) == EXPECTED_TYPES[name]
    want = NUMPY[name]()
    if name == "array priority":
        assert got >= 100  # above NumPy's, so ndarray + Array gives an Array, as in JAX
    elif name in ("memoryview", "complex"):
        assert got == want
    else:
        np.testing.assert_allclose(np.asarray(got, dtype=np.float64),
                                   np.asarray(want, dtype=np.float64), rtol=1e-6)


def test_every_call_is_enumerated():
    assert set(JAXLITE) == set(EXPECTED_TYPES) and len(EXPECTED_TYPES) >= 30


@pytest.mark.parametrize("call", [
    lambda v: np.sum(v, out=np.zeros(())),     # JAX: NotImplementedError, same words
    lambda v: v.mean(out=np.zeros(())),
    lambda v: np.round(v, out=np.zeros(3)),
])
def test_out_is_not_supported_as_jax(call):
    with pytest.raises(NotImplementedError, match="The 'out' argument to jnp.[a-z]+ is not "
                                                  "supported."):
        call(jnp.array([1.0, 2.0, 3.0]))


def test_numpy_keyword_arguments_reach_the_methods():
    v = jnp.array([1.0, 2.0, 3.0])
    # JAX: 1.0, 7.0, 5.0, 4.0, [1. 2. 3.], [0.6666667], [2]
    assert float(np.std(v, ddof=1)) == 1.0
    assert float(np.sum(v, initial=1.0)) == 7.0 and float(np.max(v, initial=5.0)) == 5.0
    assert float(np.sum(v, where=np.array([1, 0, 1], bool))) == 4.0
    np.testing.assert_allclose(np.var(v, keepdims=True), [2 / 3], rtol=1e-6)
    assert np.argmax(v, keepdims=True).tolist() == [2]
    assert isinstance(np.cumsum(v, dtype=np.float32), jaxlite.Array)


def test_numpy_calls_on_tracers_raise_when_they_would_drop_the_derivative():
    with pytest.raises(TypeError):
        jaxlite.grad(lambda x: np.exp(x))(1.0)
    g = jaxlite.grad(lambda x: np.sum(x * x))(jnp.array([1.0, 2.0]))  # a method: traced
    np.testing.assert_allclose(g, [2.0, 4.0])
