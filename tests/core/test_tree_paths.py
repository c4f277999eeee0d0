"""jax.tree, key paths, registration helpers, Partial and ravel_pytree, against JAX's answers
(recorded from JAX 0.10.2)."""

import collections
import dataclasses
import functools
import operator

import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp
import jaxlite.tree
from jaxlite import tree_util as tu
from jaxlite.errors import PytreeError
from jaxlite.flatten_util import ravel_pytree

Point = collections.namedtuple("Point", "x y")
TREE = {"b": [1, (2, None)], "a": Point(3, 4),
        "c": collections.OrderedDict([("z", 5), ("y", 6)])}


def test_flatten_with_path_and_keystr_as_jax():
    pairs, treedef = tu.tree_flatten_with_path(TREE)
    assert [tu.keystr(p) for p, _ in pairs] == [
        "['a'].x", "['a'].y", "['b'][0]", "['b'][1][0]", "['c']['z']", "['c']['y']"]
    assert [leaf for _, leaf in pairs] == [3, 4, 1, 2, 5, 6]
    assert pairs[0][0] == (tu.DictKey("a"), tu.GetAttrKey("x"))
    assert repr(pairs[3][0]) == ("(DictKey(key='b'), SequenceKey(idx=1), SequenceKey(idx=0))")
    assert str(treedef) == ("{'a': CustomNode(namedtuple[Point], [*, *]), 'b': [*, (*, None)], "
                            "'c': CustomNode(OrderedDict[('z', 'y')], [*, *])}")
    assert tu.keystr(pairs[0][0], simple=True, separator="/") == "a/x"
    keys = (tu.DictKey("a"), tu.SequenceKey(0), tu.GetAttrKey("x"), tu.FlattenedIndexKey(1))
    assert tu.keystr(keys) == "['a'][0].x[<flat index 1>]"
    assert tu.keystr(keys, simple=True, separator="/") == "a/0/x/1"
    assert repr(tu.FlattenedIndexKey(1)) == "FlattenedIndexKey(key=1)" and tu.keystr(()) == ""


def test_ordered_dict_keeps_insertion_order_and_defaultdict_sorts():
    od = collections.OrderedDict([("z", 1), ("a", 2)])
    assert jaxlite.tree.leaves(od) == [1, 2]
    out = jaxlite.tree.map(lambda v: v * 10, od)
    assert type(out) is collections.OrderedDict and list(out.items()) == [("z", 10), ("a", 20)]
    dd = collections.defaultdict(list, {"b": 1, "a": 2})
    assert jaxlite.tree.leaves(dd) == [2, 1]
    back = jaxlite.tree.map(lambda v: v, dd)
    assert type(back) is collections.defaultdict and back.default_factory is list


def test_map_with_path_and_leaves_with_path():
    out = jaxlite.tree.map_with_path(lambda p, x, y: (tu.keystr(p), x + y), [1, {"k": 2}],
                                     [10, {"k": 20}])
    assert out == [("[0]", 11), {"k": ("[1]['k']", 22)}]
    assert jaxlite.tree.leaves_with_path([None, 3]) == [((tu.SequenceKey(1),), 3)]
    pairs, treedef = jaxlite.tree.flatten_with_path({"w": 1.0})
    assert pairs == [((tu.DictKey("w"),), 1.0)] and treedef == jaxlite.tree.structure({"w": 0})


def test_tree_namespace_functions():
    t = jaxlite.tree
    assert t.transpose(t.structure([0, 0]), t.structure((0, 0, 0)), [(1, 2, 3), (4, 5, 6)]) \
        == ([1, 4], [2, 5], [3, 6])
    assert t.transpose(t.structure([0, 0]), None, [(1, 2), (3, 4)]) == ([1, 3], [2, 4])
    assert t.reduce(operator.add, [1, 2, 3]) == 6 and t.reduce(operator.add, [], 10) == 10
    assert t.reduce_associative(operator.add, [1, (2, 3), 4]) == 10
    assert t.all([1, True, 0]) is False and t.all([]) is True
    assert t.broadcast([1, 2], [(3, 4), 5]) == [(1, 1), 2]
    leaves, treedef = t.flatten((1, [2]))
    assert t.unflatten(treedef, [5, 6]) == (5, [6])
    assert tu.all_leaves([1, 2]) and not tu.all_leaves([[1]])
    assert tu.treedef_is_leaf(t.structure(1)) and tu.treedef_is_leaf(t.structure(None))
    assert not tu.treedef_is_leaf(t.structure([1]))
    assert tu.treedef_tuple([t.structure(1), t.structure([1])]) == t.structure((1, [1]))
    assert tu.flatten_one_level({"b": 1, "a": 2}) == ([2, 1], ("a", "b"))
    with pytest.raises(ValueError, match="leaf"):
        tu.flatten_one_level(3)
    with pytest.raises(TypeError, match="initializer"):
        t.reduce(operator.add, [])


def test_tree_transpose_checks_the_structure():
    with pytest.raises(TypeError, match="Tree structure mismatch"):
        jaxlite.tree.transpose(jaxlite.tree.structure([0, 0]), jaxlite.tree.structure((0, 0)),
                               [(1, 2), (3, (4, 5))])


class Node:
    def __init__(self, left, right, name):
        self.left, self.right, self.name = left, right, name


tu.register_pytree_with_keys(
    Node,
    lambda n: (((tu.GetAttrKey("left"), n.left), (tu.GetAttrKey("right"), n.right)), n.name),
    lambda name, children: Node(*children, name),
)


@tu.register_pytree_with_keys_class
class Keyed:
    def __init__(self, a, b):
        self.a, self.b = a, b

    def tree_flatten_with_keys(self):
        return ((tu.DictKey("first"), self.a), (tu.DictKey("second"), self.b)), None

    @classmethod
    def tree_unflatten(cls, aux, children):
        return cls(*children)


@functools.partial(tu.register_dataclass, data_fields=["w", "b"], meta_fields=["name"])
@dataclasses.dataclass
class Layer:
    w: object
    b: object
    name: str


@tu.register_dataclass
@dataclasses.dataclass
class Static:
    x: object
    tag: str = dataclasses.field(default="t", metadata=dict(static=True))


def test_registered_with_keys_and_dataclasses():
    pairs, treedef = tu.tree_flatten_with_path(Node(1, [2], "n"))
    assert [tu.keystr(p) for p, _ in pairs] == [".left", ".right[0]"]
    rebuilt = tu.tree_unflatten(treedef, [7, 8])
    assert (rebuilt.left, rebuilt.right, rebuilt.name) == (7, [8], "n")
    assert [tu.keystr(p) for p, _ in tu.tree_leaves_with_path(Keyed(1, 2))] == \
        ["['first']", "['second']"]
    pairs, treedef = tu.tree_flatten_with_path(Layer(1.0, 2.0, "dense"))
    assert [(tu.keystr(p), v) for p, v in pairs] == [(".w", 1.0), (".b", 2.0)]
    assert str(treedef) == "CustomNode(Layer[('dense',)], [*, *])"  # as JAX prints it
    assert tu.tree_map(lambda v: v * 2, Layer(1.0, 2.0, "d")) == Layer(2.0, 4.0, "d")
    assert tu.tree_leaves(Static(3, "u")) == [3]
    assert tu.tree_structure(Static(3, "u")) != tu.tree_structure(Static(3, "v"))


def test_custom_node_without_keys_uses_flattened_index_keys():
    class Box:
        def __init__(self, v):
            self.v = v

    tu.register_pytree_node(Box, lambda b: ((b.v,), None), lambda _, c: Box(*c))
    assert tu.tree_flatten_with_path(Box(1))[0] == [((tu.FlattenedIndexKey(0),), 1)]
    with pytest.raises(ValueError, match="Duplicate custom PyTreeDef type registration"):
        tu.register_pytree_node(Box, lambda b: ((b.v,), None), lambda _, c: Box(*c))


def test_grad_through_registered_dataclass():
    g = jaxlite.grad(lambda p: jnp.sum(p.w * p.b))(Layer(jnp.array([1.0, 2.0]), 3.0, "d"))
    assert g.name == "d"
    np.testing.assert_allclose(g.w, [3.0, 3.0])
    np.testing.assert_allclose(g.b, 3.0)


def test_partial_is_a_pytree_and_crosses_jit():
    p = tu.Partial(lambda x, y, z=0: x + y + z, 1.0, z=3.0)
    leaves, treedef = tu.tree_flatten(p)
    assert leaves == [1.0, 3.0] and p(2.0) == 6.0
    assert repr(p).startswith("Partial(<function")
    assert float(jaxlite.jit(lambda q, y: q(y))(p, 2.0)) == 6.0
    out = jaxlite.jit(lambda a: tu.Partial(operator.mul, a))(jnp.float32(4.0))
    assert isinstance(out, tu.Partial) and float(out(2.0)) == 8.0


# ------------------------------------------------------------------ errors that name the node


def test_unsortable_dict_keys():
    with pytest.raises(PytreeError, match=r"sorting pytree dictionary keys.*\[1, 'a'\]") as info:
        jaxlite.tree.leaves({1: 1, "a": 2})
    assert isinstance(info.value, ValueError)  # as JAX
    assert jaxlite.tree.leaves({1: 1, 0: 2}) == [2, 1]  # still works


@pytest.mark.parametrize("flatten,why", [
    (lambda c: 5, "got 5"),                                # JAX: ValueError, "(children, aux_data)"
    (lambda c: ([c.a],), r"got \(\[1\],\)"),
    (lambda c: (7, None), "children 7, which is not an iterable"),
])
def test_bad_custom_flatten_names_the_node(flatten, why):
    class Bad:
        def __init__(self, a):
            self.a = a

    tu.register_pytree_node(Bad, flatten, lambda aux, ch: Bad(*ch))
    with pytest.raises(ValueError, match=f"pytree node type Bad.*{why}"):
        jaxlite.tree.leaves([Bad(1)])
    assert jaxlite.tree.leaves([1, 2]) == [1, 2]


def test_very_deep_or_cyclic_trees():
    deep = 1
    for _ in range(5000):
        deep = [deep]
    with pytest.raises(PytreeError, match="nested deeper than Python's recursion limit"):
        jaxlite.tree.leaves(deep)
    cyclic: list = [1]
    cyclic.append(cyclic)
    with pytest.raises(PytreeError, match="a list at its root.*or contains itself"):
        tu.tree_flatten_with_path(cyclic)
    assert jaxlite.tree.leaves([[1], [[2]]]) == [1, 2]


def test_structure_mismatch_names_the_key_path():
    with pytest.raises(PytreeError, match=r"at key path \[1\]\['k'\]: expected None, got \*"):
        jaxlite.tree.map(lambda a, b: a, [1, {"k": None}], [2, {"k": 3}])
    with pytest.raises(PytreeError, match=r"key path \(the root\)"):
        jaxlite.tree.map(lambda a, b: a, [1, 2], [1, 2, 3])


# ------------------------------------------------------------------ ravel_pytree


def test_ravel_pytree_as_jax():
    tree = {"a": jnp.ones(2), "b": (jnp.zeros((2, 2), jnp.int32), 3.0)}
    flat, unravel = ravel_pytree(tree)
    assert flat.dtype == np.float32
    np.testing.assert_array_equal(flat, [1, 1, 0, 0, 0, 0, 3])
    back = unravel(flat)
    assert back["b"][0].dtype == np.int32 and back["b"][0].shape == (2, 2)
    with pytest.raises(TypeError, match="dtype int32, but expected dtype float32"):
        unravel(jnp.ones(7, jnp.int32))
    with pytest.raises(ValueError, match=r"shape \(7,\), got shape \(3,\)"):
        unravel(jnp.ones(3))
    empty, _ = ravel_pytree([])
    assert empty.shape == (0,) and empty.dtype == np.float32
    mixed, _ = ravel_pytree([jnp.ones(2, jnp.int32), jnp.ones(1, jnp.bool_)])
    assert mixed.dtype == np.int32


def test_ravel_pytree_under_grad_and_jit():
    params = {"a": jnp.array([1.0, 2.0]), "b": jnp.float32(3.0)}
    g = jaxlite.grad(lambda p: jnp.sum(ravel_pytree(p)[0] ** 2))(params)
    np.testing.assert_allclose(g["a"], [2.0, 4.0])
    np.testing.assert_allclose(g["b"], 6.0)

    def double(p):
        flat, unravel = ravel_pytree(p)
        return unravel(flat * 2)

    out = jaxlite.jit(double)(params)
    np.testing.assert_allclose(out["a"], [2.0, 4.0])
    np.testing.assert_allclose(out["b"], 6.0)
