"""The kernel's one traversal (`children`, `map_children`, `slots`, `map_slots` in kernel/terms.py):
every walker of the kernel goes through it, so it must know every field of every term kind.

Instances are built from each term class's dataclass fields, so a new kind of term fails here until
the traversal is taught its sub-expressions and its index slots; and the binder semantics the
walkers rely on (a Σ binds its index in its body, not in its range) are pinned."""

from __future__ import annotations

import dataclasses
import inspect
from fractions import Fraction

import pytest

from vecproof.kernel import terms
from vecproof.kernel.terms import (
    Add, Delta, Dim, Entry, Expr, Index, Mul, Num, Obj, Size, Sum, binders, children, free_slots,
    map_children, map_slots, node_count, slots, substitute, walk,
)

N = Dim("n")
X = Obj("x", "var", (N,))
A = Obj("A", "const", (N, N))

TERM_KINDS = sorted(
    (c for _, c in inspect.getmembers(terms, inspect.isclass) if issubclass(c, Expr) and c is not Expr),
    key=lambda c: c.__name__,
)
BINDERS = {(Sum, "index")}  # fields that bind an index rather than hold a slot


class _Sample:
    """Distinct values for fields, by annotation: every sub-expression and every index different."""

    def __init__(self):
        self.count = 0

    def index(self) -> Index:
        self.count += 1
        return Index(f"i{self.count}", N)

    def expr(self) -> Expr:
        return Entry(X, (self.index(),))

    def value(self, annotation: str):
        makers = {
            "Expr": self.expr,
            "Expr | None": self.expr,
            "tuple[Expr, ...]": lambda: (self.expr(), self.expr()),
            "Slot": self.index,
            "Index": self.index,
            "tuple[Slot, ...]": lambda: (self.index(), self.index()),
            "tuple[tuple[Obj, tuple[Slot, ...]], ...]": lambda: ((X, (self.index(),)), (X, (self.index(),))),
            "Obj": lambda: A,
            "Dim": lambda: N,
            "Fraction": lambda: Fraction(3),
            "int": lambda: 2,
            "str": lambda: "tag",
        }
        if annotation not in makers:
            raise AssertionError(f"teach this test to build a field of type {annotation!r}")
        return makers[annotation]()


def build(kind):
    sample = _Sample()
    return kind(**{f.name: sample.value(f.type) for f in dataclasses.fields(kind)})


def _found(value, want) -> list:
    """The values of type `want` in a field, looking into tuples (not into expressions)."""
    if isinstance(value, want):
        return [value]
    if isinstance(value, tuple):
        return [x for v in value for x in _found(v, want)]
    return []


def field_exprs(e: Expr) -> list[Expr]:
    return [x for f in dataclasses.fields(e) for x in _found(getattr(e, f.name), Expr)]


def field_slots(e: Expr) -> list[Index]:
    return [x for f in dataclasses.fields(e) if (type(e), f.name) not in BINDERS
            for x in _found(getattr(e, f.name), Index)]


def test_every_term_kind_is_found():
    names = {k.__name__ for k in TERM_KINDS}
    assert {"Num", "Size", "Entry", "Delta", "Add", "Mul", "Pow", "Sum", "Deriv", "Fold", "Select"} <= names


@pytest.mark.parametrize("kind", TERM_KINDS, ids=lambda k: k.__name__)
def test_children_are_every_sub_expression(kind):
    e = build(kind)
    assert children(e) == tuple(field_exprs(e))
    assert list(walk(e)) == [e, *children(e)]
    assert node_count(e) == 1 + len(children(e))


@pytest.mark.parametrize("kind", TERM_KINDS, ids=lambda k: k.__name__)
def test_map_children_round_trips(kind):
    e = build(kind)
    assert map_children(e, lambda kid: kid) == e
    marks = {kid: Num(Fraction(k + 10)) for k, kid in enumerate(children(e))}
    marked = map_children(e, marks.__getitem__)
    assert children(marked) == tuple(marks.values())
    back = {m: kid for kid, m in marks.items()}
    assert map_children(marked, back.__getitem__) == e


@pytest.mark.parametrize("kind", TERM_KINDS, ids=lambda k: k.__name__)
def test_slots_are_every_index_slot(kind):
    e = build(kind)
    assert slots(e) == tuple(field_slots(e))
    assert map_slots(e, lambda s: s) == e
    renamed = {s: Index(s.name + "'", s.dim) for s in slots(e)}
    moved = map_slots(e, renamed.__getitem__)
    assert slots(moved) == tuple(renamed.values())
    assert children(moved) == children(e)


@pytest.mark.parametrize("kind", TERM_KINDS, ids=lambda k: k.__name__)
def test_substitute_and_free_slots_see_every_field(kind):
    e = build(kind)
    inside = {s for kid in children(e) for s in free_slots(kid)}
    bound = {getattr(e, name) for k, name in BINDERS if k is kind}
    assert free_slots(e) == (set(slots(e)) | inside) - bound
    sub = {s: 1 for s in free_slots(e)}
    assert free_slots(substitute(e, sub)) == set()


def test_a_sum_binds_its_index_in_the_body_not_the_range():
    i, j, k = (Index(name, N) for name in "ijk")
    body = Mul((Entry(X, (i,)), Entry(A, (i, k))))
    lo = Delta(i, k)  # a range mentioning the index: the outer i, not the bound one
    s = Sum(i, body, lo, Size(N))
    assert free_slots(s) == {i, k}
    assert binders(Add((s, Sum(j, Sum(i, lo))))) == [i, j, i]
    got = substitute(s, {i: j, k: 2})
    assert got == Sum(i, Mul((Entry(X, (i,)), Entry(A, (i, 2)))), Delta(j, 2), Size(N))
