"""Every name issue 16 asks for, by module. A name in PENDING is being built by another helper
(named in the comment); it is skipped while missing and checked once it lands. Behaviour is
tested elsewhere (tests/core/test_tree_paths.py, tests/interpreters/test_api_extras.py,
tests/test_run_hook.py, tests/test_issue16_edges.py, tests/numpy_api/test_optimizers.py, ...).
"""

import inspect
import sys

import pytest

import jaxlite
import jaxlite.example_libraries
import jaxlite.flatten_util
import jaxlite.lax
import jaxlite.nn
import jaxlite.numpy
import jaxlite.ref
import jaxlite.tree
import jaxlite.tree_util
from jaxlite.__main__ import main

REQUIRED = {
    "jaxlite": [
        "jacobian", "eval_shape", "ShapeDtypeStruct", "typeof", "named_call", "named_scope",
        "tree_util", "tree", "flatten_util", "device_count", "local_device_count",
        "process_index", "config", "vjp", "new_ref", "freeze", "example_libraries", "ref",
    ],
    "jaxlite.ref": ["new_ref", "freeze", "get", "set", "swap", "addupdate", "empty_ref",
                    "free_ref"],
    "jaxlite.tree": [
        "map", "leaves", "structure", "flatten", "unflatten", "reduce", "all", "transpose",
        "map_with_path", "leaves_with_path", "flatten_with_path", "broadcast",
    ],
    "jaxlite.tree_util": [
        "tree_flatten_with_path", "tree_map_with_path", "tree_leaves_with_path", "keystr",
        "DictKey", "SequenceKey", "GetAttrKey", "FlattenedIndexKey",
        "register_pytree_node_class", "register_pytree_with_keys",
        "register_pytree_with_keys_class", "register_dataclass", "Partial", "tree_transpose",
        "tree_reduce", "tree_all", "all_leaves", "treedef_is_leaf",
    ],
    "jaxlite.flatten_util": ["ravel_pytree"],
    "jaxlite.example_libraries.optimizers": [
        "sgd", "momentum", "nesterov", "adagrad", "rmsprop", "rmsprop_momentum", "adam",
        "adamax", "sm3", "constant", "exponential_decay", "inverse_time_decay",
        "polynomial_decay", "piecewise_constant", "clip_grads", "l2_norm",
        "unpack_optimizer_state", "pack_optimizer_state", "OptimizerState", "optimizer",
    ],
    "jaxlite.lax": [
        "conv_general_dilated", "conv", "conv_with_general_padding", "conv_transpose",
        "conv_dimension_numbers", "reduce_window", "dynamic_slice", "dynamic_update_slice",
        "dynamic_slice_in_dim", "dynamic_index_in_dim", "dynamic_update_slice_in_dim",
        "index_in_dim", "slice_in_dim", "Precision", "exp", "rsqrt", "erf", "pow", "max",
        "select", "convert_element_type", "broadcast_in_dim", "iota", "reduce", "sort", "top_k",
        "cumsum",
    ],
    "jaxlite.example_libraries.stax": [
        "Dense", "Conv", "ConvTranspose", "BatchNorm", "Dropout", "MaxPool", "AvgPool",
        "SumPool", "Flatten", "Relu", "Tanh", "Sigmoid", "Softplus", "LogSoftmax", "Softmax",
        "Gelu", "Elu", "LeakyRelu", "serial", "parallel", "FanOut", "FanInSum", "FanInConcat",
        "Identity", "shape_dependent",
    ],
    "jaxlite.nn": ["relu", "softplus"],
    "jaxlite.numpy": ["logaddexp"],
}

PENDING: set[str] = set()  # names still being built: skipped while missing (none now)


def _lookup(module_name):
    return sys.modules.get(module_name)


CASES = [(m, n) for m, names in REQUIRED.items() for n in names]


@pytest.mark.parametrize("module_name,name", CASES, ids=[f"{m}.{n}" for m, n in CASES])
def test_issue16_name_exists(module_name, name):
    module = _lookup(module_name)
    present = module is not None and hasattr(module, name)
    if not present and f"{module_name}.{name}" in PENDING:
        pytest.skip(f"{module_name}.{name} is being built by another helper")
    assert present, f"{module_name}.{name} is missing"


def test_signatures_of_the_new_keywords():
    assert "allow_int" in inspect.signature(jaxlite.grad).parameters
    assert "allow_int" in inspect.signature(jaxlite.value_and_grad).parameters
    assert callable(jaxlite.config.update)
    assert isinstance(jaxlite.vjp(lambda x: x, 1.0)[1], jaxlite.tree_util.Partial)


def test_the_run_command_is_registered():
    with pytest.raises(SystemExit):
        main(["run", "--help"])
