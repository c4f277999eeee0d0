"""The device surface of JAX programs, with JAX 0.10.2's results: one CPU device."""

import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp


def test_one_cpu_device_printed_as_jax_prints_it():
    (device,) = jaxlite.devices()
    assert repr(jaxlite.devices()) == "[CpuDevice(id=0)]"
    assert str(device) == "cpu:0"
    assert (device.id, device.platform, device.device_kind, device.process_index) == (
        0, "cpu", "cpu", 0)
    assert jaxlite.local_devices() == jaxlite.devices("cpu") == [device]
    assert device == jaxlite.devices()[0] and hash(device) == hash(jaxlite.devices()[0])


def test_counts_and_backend():
    assert jaxlite.default_backend() == "cpu"
    assert (jaxlite.device_count(), jaxlite.local_device_count()) == (1, 1)
    assert (jaxlite.process_index(), jaxlite.process_count()) == (0, 1)


def test_arrays_live_on_the_cpu():
    x = jnp.ones(3)
    assert x.device is jaxlite.devices()[0] and str(x.device) == "cpu:0"
    assert x.devices() == {jaxlite.devices()[0]}


def test_device_put_makes_arrays_and_keeps_weak_types():
    assert repr(jaxlite.device_put(1.0)) == "Array(1., dtype=float32, weak_type=True)"
    assert repr(jaxlite.device_put(np.ones(2))) == "Array([1., 1.], dtype=float32)"
    tree = jaxlite.device_put({"a": 1, "b": (np.float32(2.0),)}, jaxlite.devices()[0])
    assert repr(tree["a"]) == "Array(1, dtype=int32, weak_type=True)"
    assert isinstance(tree["b"][0], jaxlite.Array)
    x = jnp.ones(3)
    assert jaxlite.device_put(x) is x


def test_device_put_and_block_until_ready_under_transforms():
    def f(x):
        return jnp.sum(jaxlite.block_until_ready(jaxlite.device_put(x)) ** 2)

    np.testing.assert_allclose(np.asarray(jaxlite.grad(f)(jnp.arange(3.0))), [0.0, 2.0, 4.0])
    np.testing.assert_allclose(np.asarray(jaxlite.vmap(f)(jnp.ones((2, 3)))), [3.0, 3.0])


def test_block_until_ready_returns_its_argument():
    x = jnp.ones(3)
    tree = (x, 2)
    assert jaxlite.block_until_ready(tree) is tree
    assert x.block_until_ready() is x


def test_an_unknown_backend_raises_runtime_error_naming_the_cpu():
    with pytest.raises(RuntimeError, match="Platforms present are: cpu"):
        jaxlite.devices("gpu")
    with pytest.raises(RuntimeError, match="Unknown backend"):
        jaxlite.device_count("tpu")
    assert jaxlite.devices() == [jaxlite.devices()[0]]  # still works afterwards
