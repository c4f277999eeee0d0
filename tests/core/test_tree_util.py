"""Pytrees: flatten/unflatten, map, structures, registration and errors, as in jax.tree_util."""

import collections

import numpy as np
import pytest

import jaxlite
import jaxlite.numpy as jnp
from jaxlite import tree_util as tu
from jaxlite.errors import PytreeError

Point = collections.namedtuple("Point", "x y")


class Box:
    """A registered container with one child and aux data (its label)."""

    def __init__(self, value, label):
        self.value, self.label = value, label


tu.register_pytree_node(Box, lambda b: ((b.value,), b.label), lambda label, c: Box(c[0], label))


@tu.register_pytree_node_class
class Pair:
    def __init__(self, a, b):
        self.a, self.b = a, b

    def tree_flatten(self):
        return (self.a, self.b), None

    @classmethod
    def tree_unflatten(cls, aux, children):
        return cls(*children)


@pytest.mark.parametrize("tree,leaves,text,num_nodes", [
    # leaves, repr and node count as JAX gives them
    ({"b": 1, "a": (2, None, [3])}, [2, 3, 1], "{'a': (*, None, [*]), 'b': *}", 7),
    (None, [], "None", 1),
    ((1,), [1], "(*,)", 2),
    ([], [], "[]", 1),
    ({}, [], "{}", 1),
    ([None, None], [], "[None, None]", 3),
    (5, [5], "*", 1),
])
def test_flatten_matches_jax(tree, leaves, text, num_nodes):
    got, treedef = tu.tree_flatten(tree)
    assert got == leaves
    assert repr(treedef) == f"PyTreeDef({text})"
    assert treedef.num_leaves == len(leaves) and treedef.num_nodes == num_nodes
    assert tu.tree_leaves(tree) == leaves and tu.tree_structure(tree) == treedef


@pytest.mark.parametrize("tree", [
    {"b": 1, "a": (2, None, [3])}, Point(1, [2, 3]), [(), {}, None], ((((1,),),),), 1.5,
])
def test_unflatten_inverts_flatten(tree):
    leaves, treedef = tu.tree_flatten(tree)
    rebuilt = tu.tree_unflatten(treedef, leaves)
    assert rebuilt == tree and type(rebuilt) is type(tree)


def test_dict_keys_are_sorted_and_rebuilt_in_sorted_order():
    treedef = tu.tree_structure({"b": 1, "a": 2, "c": 3})
    assert tu.tree_leaves({"b": 1, "a": 2, "c": 3}) == [2, 1, 3]
    assert list(tu.tree_unflatten(treedef, [5, 6, 7])) == ["a", "b", "c"]
    assert tu.tree_structure({"a": 1, "b": 2}) == tu.tree_structure({"b": 1, "a": 2})


def test_structures_compare_by_shape_not_leaves_and_are_hashable():
    assert tu.tree_structure([1, 2]) == tu.tree_structure([3.0, "x"])
    assert tu.tree_structure([1, 2]) != tu.tree_structure((1, 2))
    assert tu.tree_structure(Point(1, 2)) != tu.tree_structure((1, 2))
    assert len({tu.tree_structure([1, 2]), tu.tree_structure([3, 4])}) == 1


def test_none_is_an_empty_node():
    assert tu.tree_map(lambda x: x * 10, [1, None, {"a": None, "b": 2}]) == \
        [10, None, {"a": None, "b": 20}]
    assert tu.tree_structure(None).num_leaves == 0


def test_namedtuple_is_a_node():
    assert tu.tree_leaves(Point(1, [2, 3])) == [1, 2, 3]
    out = tu.tree_map(lambda v: v + 1, Point(1, 2))
    assert isinstance(out, Point) and out == Point(2, 3)


def test_tree_map_over_several_trees():
    assert tu.tree_map(lambda a, b: a * b, {"x": 2, "y": (3,)}, {"x": 5, "y": (7,)}) == \
        {"x": 10, "y": (21,)}
    # the other trees may go deeper where the first has leaves (JAX: a prefix)
    assert tu.tree_map(lambda a, b: (a, b), [1, 2], [(3, 4), 5]) == [(1, (3, 4)), (2, 5)]


def test_is_leaf_stops_flattening():
    tree = [1, (2, {"z": 3, "a": 4})]
    assert tu.tree_leaves(tree, is_leaf=lambda x: isinstance(x, tuple)) == [1, tree[1]]
    sizes = tu.tree_map(lambda t: len(t) if isinstance(t, tuple) else 0, tree,
                        is_leaf=lambda x: isinstance(x, tuple))
    assert sizes == [0, 2]


def test_register_pytree_node_with_aux_data():
    leaves, treedef = tu.tree_flatten([Box(1.0, "w"), Box(2.0, "b")])
    assert leaves == [1.0, 2.0]
    rebuilt = tu.tree_unflatten(treedef, [3.0, 4.0])
    assert [(b.value, b.label) for b in rebuilt] == [(3.0, "w"), (4.0, "b")]
    assert tu.tree_structure(Box(1, "w")) != tu.tree_structure(Box(1, "other"))


def test_register_pytree_node_class():
    out = tu.tree_map(lambda v: v * 2, Pair(1, [2, 3]))
    assert isinstance(out, Pair) and (out.a, out.b) == (2, [4, 6])


def test_transforms_accept_registered_and_builtin_pytrees():
    def loss(params):
        return jnp.sum(params["w"].value ** 2) + params["p"].a * params["p"].b

    params = {"w": Box(jnp.array([1.0, 2.0]), "w"), "p": Pair(3.0, 4.0)}
    g = jaxlite.grad(loss)(params)
    assert g["w"].label == "w"
    np.testing.assert_allclose(g["w"].value, [2.0, 4.0])
    assert (float(g["p"].a), float(g["p"].b)) == (4.0, 3.0)


@pytest.mark.parametrize("first,second", [
    ([1, 2], [1, 2, 3]),          # JAX: different lengths of list
    ((1, 2), [1, 2]),             # different types
    ({"a": 1}, {"b": 1}),         # different dict keys
    ([1, (2, 3)], [(3, 4), 5]),   # a leaf where a tuple is needed
    (Point(1, 2), (1, 2)),        # namedtuple vs tuple
    (Box(1, "a"), Box(1, "b")),   # different aux data
])
def test_tree_map_structure_mismatch_is_a_pytree_error(first, second):
    with pytest.raises(PytreeError, match="structure") as info:
        tu.tree_map(lambda a, b: a, first, second)
    assert isinstance(info.value, ValueError)  # as in JAX


def test_mismatch_message_shows_both_structures():
    with pytest.raises(PytreeError, match=r"\{'a': \*\}.*\{'b': \*\}"):
        tu.tree_map(lambda a, b: a, {"a": 1}, {"b": 1})


def test_unflatten_with_the_wrong_number_of_leaves():
    treedef = tu.tree_structure([1, 2])
    with pytest.raises(ValueError, match="2 leaves, but 1"):
        tu.tree_unflatten(treedef, [1])
    with pytest.raises(ValueError, match="2 leaves, but 3"):
        tu.tree_unflatten(treedef, [1, 2, 3])


def test_unregistered_objects_are_leaves_but_not_valid_transform_inputs():
    class Opaque:
        pass

    thing = Opaque()
    assert tu.tree_leaves([thing]) == [thing]
    with pytest.raises(TypeError, match="Opaque.*not a valid jaxlite type"):
        jaxlite.grad(lambda o: 1.0)(thing)
