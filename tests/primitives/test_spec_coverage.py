"""The spec table covers every primitive, and agrees with what each primitive declares."""

import pytest

from . import spec

ROW_IDS = [row.id for row in spec.ROWS]


def has_transpose_rule(prim):
    """Linear primitives fill the transpose slot; others hold a stub that raises."""
    rule = prim.transpose
    return not (getattr(rule, "not_linear", False) or getattr(rule, "missing", False))


def test_every_primitive_has_a_row():
    covered = {row.prim for row in spec.ROWS} | set(spec.NOT_IN_TABLE)
    missing = [p.name for p in spec.all_primitives() if p not in covered]
    assert not missing, f"add rows to tests/primitives/spec.py for: {missing}"


def test_primitives_left_out_of_the_table_have_no_rows():
    assert not {row.prim for row in spec.ROWS} & set(spec.NOT_IN_TABLE)


def test_row_ids_are_unique():
    assert len(set(ROW_IDS)) == len(ROW_IDS)


def test_the_scan_finds_the_known_families():
    names = {p.name for p in spec.all_primitives()}
    assert {"add", "sin", "select_n", "reduce_max", "dot_general", "pad", "iota",
            "broadcast_in_dim", "add_any"} <= names


@pytest.mark.parametrize("row", spec.ROWS, ids=ROW_IDS)
def test_row_is_consistent_with_the_primitive(row):
    ops, params = row.example()
    diff = set(row.diff or ())
    assert all(0 <= i < len(ops) for i in diff | set().union(*row.linear))
    assert set().union(*row.linear) <= diff, "a linear operand is differentiable"
    if row.linear:
        assert has_transpose_rule(row.prim), f"{row.prim} has linear rows but no transpose rule"
    assert row.example(seed=1)[1] == params, "params must not depend on the seed"


def test_every_linear_primitive_has_a_transpose_row():
    with_rows = {row.prim for row in spec.ROWS if row.linear}
    missing = [p.name for p in spec.all_primitives()
               if has_transpose_rule(p) and p not in with_rows and p not in spec.NOT_IN_TABLE]
    assert not missing, f"linear primitives without a row giving their linear operands: {missing}"
