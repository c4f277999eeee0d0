"""Planning ``einsum`` at trace time, from the subscripts and the operands' shapes alone.

``plan_einsum(subscripts, shapes, optimize)`` parses the subscripts, picks an order of
pairwise contractions and spells the whole computation as a tuple of steps over a list of
operands. As in opt_einsum, a contraction removes its operands from the list and appends
its result, so a path ``[(0, 1), (0, 1)]`` means "the first two, then the rest". Steps:

* ``Squeeze(k, shape)``: operand ``k`` reshaped to drop size-1 axes that broadcast against
  a longer axis of the same label elsewhere;
* ``Diagonal(k, axes, keep)``: operand ``k`` with ``axes`` (one label, repeated) zeroed off
  their diagonal, then summed over all of them, or all but the first (``keep``);
* ``Sum(k, axes)``: operand ``k`` summed over labels no other operand and not the output has;
* ``Contract(path_entry, dimension_numbers)``: one ``dot_general`` of the one or two
  operands at ``path_entry`` (a single operand is just moved to the end);
* ``Transpose(permutation)``: the final operand into the output's axis order.

Labels are strings: one character each, as written, except that ellipsis axes are called
``"...0"`` (the last), ``"...1"`` and so on, counted from the right as they broadcast.
Plans are memoised: a jitted function or a loop meets the same shapes again and again.
"""

from __future__ import annotations

import math
import operator
from typing import Any, Sequence

import attrs

from ..core.cache import memoize

Term = tuple[str, ...]
_SYMBOLS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
PATH_OPTIMIZERS = frozenset({"auto", "auto-hq", "greedy", "optimal", "eager", "opportunistic",
                             "branch-1", "branch-2", "branch-all", "dp", "dynamic-programming",
                             "random-greedy", "random-greedy-128"})


@attrs.frozen
class Squeeze:
    operand: int
    shape: tuple[int, ...]


@attrs.frozen
class Diagonal:
    operand: int
    axes: tuple[int, ...]
    keep: bool


@attrs.frozen
class Sum:
    operand: int
    axes: tuple[int, ...]


@attrs.frozen
class Contract:
    path_entry: tuple[int, ...]
    dimension_numbers: Any  # None when path_entry names a single operand


@attrs.frozen
class Transpose:
    permutation: tuple[int, ...]


@attrs.frozen
class Plan:
    """The steps of one einsum, the contraction path they follow, and the label sizes."""

    steps: tuple[Any, ...]
    path: tuple[tuple[int, ...], ...]
    inputs: tuple[Term, ...]
    output: Term
    sizes: tuple[tuple[str, int], ...]


# ---------------------------------------------------------------- parsing


def symbol(i: int) -> str:
    """The label opt_einsum gives the integer ``i`` of the sublist form."""
    i = operator.index(i)
    if i < 0:
        raise ValueError(f"einsum: sublist labels must be non-negative integers, got {i}")
    return _SYMBOLS[i] if i < len(_SYMBOLS) else chr(i + 140)


def sublists_to_subscripts(args: Sequence[Any]) -> tuple[str, list[Any]]:
    """``einsum(x, [0, 1], y, [1, 2], [0, 2])`` as a subscripts string and its operands."""
    operands, sublists = list(args[0::2]), list(args[1::2])
    output = None
    if len(args) % 2:
        output = operands.pop()
    terms = [_sublist_term(s) for s in sublists]
    subscripts = ",".join(terms)
    return (subscripts if output is None else subscripts + "->" + _sublist_term(output)), operands


def _sublist_term(sublist: Any) -> str:
    try:
        return "".join("..." if item is Ellipsis else symbol(item) for item in sublist)
    except TypeError:
        raise TypeError("For this input type lists must contain either Ellipsis or hashable "
                        "and comparable object (e.g. int, str).") from None


def parse(subscripts: str, ndims: Sequence[int]) -> tuple[tuple[Term, ...], Term]:
    """The labels of each operand and of the output; an implicit output is the ellipsis axes
    followed by the labels used once, in sorted order (as NumPy and opt_einsum have it)."""
    subscripts = subscripts.replace(" ", "")
    inputs, arrow, output = subscripts.partition("->")
    if "-" in inputs + output or ">" in inputs + output:
        raise ValueError("Subscripts can only contain one '->'.")
    texts = inputs.split(",")
    if len(texts) != len(ndims):
        raise ValueError(f"Number of einsum subscripts, {len(texts)}, must be equal to the "
                         f"number of operands, {len(ndims)}.")
    terms = tuple(_term(text, ndim, k)
                  for k, (text, ndim) in enumerate(zip(texts, ndims, strict=True)))
    ellipsis = max((sum(label.startswith("...") for label in t) for t in terms), default=0)
    if arrow:
        return terms, _output_term(output, terms, ellipsis)
    counts: dict[str, int] = {}
    for label in (label for t in terms for label in t if not label.startswith("...")):
        counts[label] = counts.get(label, 0) + 1
    singles = sorted(label for label, count in counts.items() if count == 1)
    return terms, _ellipsis_labels(ellipsis) + tuple(singles)


def _ellipsis_labels(n: int) -> Term:
    return tuple(f"...{n - 1 - i}" for i in range(n))


def _split_ellipsis(text: str) -> tuple[str, str] | None:
    if "." not in text:
        return None
    before, dots, after = text.partition("...")
    if not dots or "." in before + after:
        raise ValueError("Invalid Ellipses.")
    return before, after


def _term(text: str, ndim: int, k: int) -> Term:
    parts = _split_ellipsis(text)
    n_labels = len(text) if parts is None else len(text) - 3
    if (parts is None and n_labels != ndim) or n_labels > ndim:
        raise ValueError(f"Einstein sum subscript '{text}' does not contain the correct number "
                         f"of indices for operand {k}.")
    if parts is None:
        return tuple(text)
    return tuple(parts[0]) + _ellipsis_labels(ndim - n_labels) + tuple(parts[1])


def _output_term(text: str, terms: Sequence[Term], ellipsis: int) -> Term:
    parts = _split_ellipsis(text)
    labels = tuple(text) if parts is None else (
        tuple(parts[0]) + _ellipsis_labels(ellipsis) + tuple(parts[1]))
    seen = {label for t in terms for label in t}
    for label in labels:
        if labels.count(label) > 1:
            raise ValueError(f"Output character '{label}' appeared more than once in the output.")
        if label not in seen and not label.startswith("..."):
            raise ValueError(f"Output character '{label}' did not appear in the input")
    return labels


def label_sizes(terms: Sequence[Term], shapes: Sequence[tuple[int, ...]]) -> dict[str, int]:
    """Each label's size; a size-1 axis broadcasts against a longer one of the same label."""
    sizes: dict[str, int] = {}
    for k, (term, shape) in enumerate(zip(terms, shapes, strict=True)):
        for label, n in zip(term, shape, strict=True):
            seen = sizes.get(label, 1)
            if n != 1 and seen != 1 and n != seen:
                name = "..." if label.startswith("...") else label
                raise ValueError(f"Size of label '{name}' for operand {k} ({n}) does not match "
                                 f"previous terms ({seen}).")
            sizes[label] = n if seen == 1 else seen
    return sizes


# ---------------------------------------------------------------- planning


@memoize(512)
def plan_einsum(subscripts: str, shapes: tuple[tuple[int, ...], ...], optimize: Any) -> Plan:
    """The steps computing ``einsum(subscripts, *operands)`` for operands of ``shapes``.

    ``optimize`` is a path (a tuple of tuples of operand positions), False (contract left to
    right), or True / a path optimizer's name (a greedy order: every name means greedy here).
    """
    inputs, output = parse(subscripts, [len(s) for s in shapes])
    sizes = label_sizes(inputs, shapes)
    steps: list[Any] = []
    terms = [_squeeze(k, term, shape, sizes, steps) for k, (term, shape) in
             enumerate(zip(inputs, shapes, strict=True))]
    for k in range(len(terms)):
        terms[k] = _reduce_alone(k, terms, output, steps)
    path = _choose_path(terms, sizes, output, optimize)
    for entry in path:
        steps.append(_contraction(entry, terms, output))
    if terms[0] != output:
        steps.append(Transpose(tuple(terms[0].index(label) for label in output)))
    return Plan(tuple(steps), path, inputs, output, tuple(sizes.items()))


def _squeeze(k: int, term: Term, shape: tuple[int, ...], sizes: dict[str, int],
             steps: list[Any]) -> Term:
    keep = [n != 1 or sizes[label] == 1 for label, n in zip(term, shape, strict=True)]
    if all(keep):
        return term
    steps.append(Squeeze(k, tuple(n for n, kept in zip(shape, keep, strict=True) if kept)))
    return tuple(label for label, kept in zip(term, keep, strict=True) if kept)


def _reduce_alone(k: int, terms: list[Term], output: Term, steps: list[Any]) -> Term:
    """Take diagonals of repeated labels and sum out labels that only operand ``k`` has."""
    elsewhere = set(output).union(*(t for i, t in enumerate(terms) if i != k))
    term = terms[k]
    for label in dict.fromkeys(term):
        axes = tuple(i for i, other in enumerate(term) if other == label)
        if len(axes) > 1:
            keep = label in elsewhere
            steps.append(Diagonal(k, axes, keep))
            drop = set(axes[1:] if keep else axes)
            term = tuple(other for i, other in enumerate(term) if i not in drop)
    alone = tuple(i for i, label in enumerate(term) if label not in elsewhere)
    if alone:
        steps.append(Sum(k, alone))
        term = tuple(label for i, label in enumerate(term) if i not in alone)
    return term


def _pair_labels(a: Term, b: Term, needed: set[str], output: Term) -> tuple[Term, ...]:
    """Batch, contracted, a-only and b-only labels of a product of terms ``a`` and ``b``;
    shared labels still ``needed`` (by the output or another operand) are batch labels."""
    shared = [label for label in a if label in b]
    batch = sorted((label for label in shared if label in needed),
                   key=lambda label: output.index(label) if label in output
                   else len(output) + a.index(label))
    contracted = tuple(label for label in shared if label not in needed)
    return (tuple(batch), contracted, tuple(label for label in a if label not in b),
            tuple(label for label in b if label not in a))


def _needed(terms: Sequence[Term], output: Term, entry: Sequence[int]) -> set[str]:
    return set(output).union(*(t for i, t in enumerate(terms) if i not in entry))


def _contraction(entry: tuple[int, ...], terms: list[Term], output: Term) -> Contract:
    """The step contracting ``terms`` at ``entry``; updates ``terms`` in place."""
    if len(entry) == 1:
        terms.append(terms.pop(entry[0]))
        return Contract(entry, None)
    i, j = entry
    a, b = terms[i], terms[j]
    batch, contracted, a_free, b_free = _pair_labels(a, b, _needed(terms, output, entry), output)
    if batch + a_free + b_free != output and batch + b_free + a_free == output:
        (i, a, a_free), (j, b, b_free) = (j, b, b_free), (i, a, a_free)  # no transpose after
    numbers = ((tuple(a.index(label) for label in contracted),
                tuple(b.index(label) for label in contracted)),
               (tuple(a.index(label) for label in batch), tuple(b.index(label) for label in batch)))
    for k in sorted(entry, reverse=True):
        terms.pop(k)
    terms.append(batch + a_free + b_free)
    return Contract((i, j), numbers)


def _choose_path(terms: list[Term], sizes: dict[str, int], output: Term,
                 optimize: Any) -> tuple[tuple[int, ...], ...]:
    if len(terms) == 1:
        return ((0,),)
    if optimize is False:
        return ((0, 1),) * (len(terms) - 1)
    if optimize is True or isinstance(optimize, str):
        if optimize is not True and optimize not in PATH_OPTIMIZERS:
            raise KeyError(f"Path optimizer '{optimize}' not found, valid options are "
                           f"{set(PATH_OPTIMIZERS)}.")
        return greedy_path(tuple(terms), tuple(sizes.items()), output)
    return _checked_path(optimize, len(terms))


def _checked_path(path: Any, n: int) -> tuple[tuple[int, ...], ...]:
    entries = tuple(tuple(operator.index(i) for i in entry) for entry in path
                    if entry != "einsum_path")
    for entry in entries:
        if len(entry) > 2:
            raise NotImplementedError(
                "jax.numpy.einsum does not support simultaneous contraction of 3 or more "
                "operands. Typically this means you've passed an unsupported path to the "
                "einsum optimize parameter.")
        if not entry or len(set(entry)) != len(entry) or not all(0 <= i < n for i in entry):
            raise ValueError(f"einsum: path entry {entry} does not name distinct operands "
                             f"among the {n} left")
        n -= len(entry) - 1
    if n != 1:
        raise ValueError(f"einsum: the path {list(entries)} leaves {n} operands, not one")
    return entries


@memoize(512)
def greedy_path(terms: tuple[Term, ...], sizes: tuple[tuple[str, int], ...],
                output: Term) -> tuple[tuple[int, int], ...]:
    """opt_einsum's greedy order: repeatedly contract the pair sharing a label whose result
    frees the most memory (ties: fewer multiplications, then the first pair); once no pair
    shares a label, take outer products of the two smallest operands."""
    size = dict(sizes)
    terms_left, path = list(terms), []
    while len(terms_left) > 1:
        best = None
        for i in range(len(terms_left)):
            for j in range(i + 1, len(terms_left)):
                a, b = terms_left[i], terms_left[j]
                if not set(a) & set(b):
                    continue
                needed = _needed(terms_left, output, (i, j))
                batch, contracted, a_free, b_free = _pair_labels(a, b, needed, output)
                result = batch + a_free + b_free
                removed = _count(result, size) - _count(a, size) - _count(b, size)
                key = (removed, _count(result + contracted, size), i, j)
                best = key if best is None or key < best else best
        if best is None:
            order = sorted(range(len(terms_left)), key=lambda k: _count(terms_left[k], size))
            i, j = sorted(order[:2])
        else:
            i, j = best[2:]
        path.append((i, j))
        _contraction((i, j), terms_left, output)
    return tuple(path)


def _count(term: Term, size: dict[str, int]) -> int:
    return math.prod(size[label] for label in term)


def flop_count(plan: Plan) -> tuple[int, int]:
    """Multiply-adds of the one-loop-nest evaluation and of the plan's pairwise path."""
    size = dict(plan.sizes)
    naive = _count(tuple(size), size) * max(len(plan.inputs) - 1, 1)
    terms, optimized = list(plan.inputs), 0
    for entry in plan.path:
        if len(entry) == 2:
            optimized += _count(tuple(set(terms[entry[0]]) | set(terms[entry[1]])), size)
        _contraction(entry, terms, plan.output)
    return naive, optimized
