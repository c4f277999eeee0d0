"""Test configuration: every jaxpr any transform builds is typechecked, hypothesis is bounded."""

import os

import hypothesis
import pytest

import jaxlite

hypothesis.settings.register_profile(
    "ci", max_examples=25, deadline=None, derandomize=True, print_blob=True
)
hypothesis.settings.register_profile("dev", max_examples=100, deadline=None)
hypothesis.settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(autouse=True)
def _typecheck_every_jaxpr_and_reset_config():
    """Typecheck every jaxpr built during a test; restore x64 and check no trace leaks."""
    jaxlite.config.update("jaxlite_check_jaxprs", True)
    x64 = jaxlite.config.x64_enabled
    yield
    jaxlite.config.update("jax_enable_x64", x64)
    assert jaxlite.core.trace.current_trace() is None, "a test left a trace on the stack"


try:  # tests that compare with JAX run when it is installed
    import jax  # noqa: F401

    HAS_JAX = True
except ImportError:
    HAS_JAX = False
