"""The cross-check's smaller size grid (`grid.anchored_bounds`: D_τ counts only the bound indices that
sit in no entry of a term) finds every difference that the structural grid (`grid_bounds`) finds:
on random pairs of expressions and random corruptions, checked with the independent reference
evaluator (tests/kernel/reference.py), and on the traps of docs/reliability.md."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import assume, note
from hypothesis import strategies as st

from vecproof.kernel.grid import anchored_bounds, grid_bounds
from vecproof.kernel.terms import Delta, Deriv, Entry, Index, Mul, Num, Obj, Pow, Sum, children

from .checks import difference, grid_points
from .reference import dims_of, first_difference, size_points
from .strategies import AV, N, X, corrupted, expressions, show
from .test_properties import _affordable, kernel_property


def anchored_points(lhs, rhs) -> list[dict]:
    diff = difference(lhs, rhs)
    per_dim = {}
    for d, (n, deg) in anchored_bounds(diff, grid_bounds(diff)).items():
        start = max(n, 1)
        per_dim[d] = list(range(start, start + deg + 1))
    for d in dims_of(lhs) | dims_of(rhs):
        per_dim.setdefault(d, [1, 2, 3])
    return size_points(per_dim)


MAX_DEGREE = 6  # the reference expands polynomials: a random power of a sum can make one example take minutes


def degree(e) -> int:
    """A bound on the total degree of `e` in the entries (what the reference's expansion grows with)."""
    t = type(e)
    if t is Entry:
        return 1
    if t is Pow:
        return e.exp * degree(e.base)
    if t is Mul:
        return sum(degree(a) for a in e.args)
    return max((degree(c) for c in children(e)), default=0)


def same_answer(lhs, rhs) -> None:
    full = first_difference(lhs, rhs, grid_points(lhs, rhs))
    small = first_difference(lhs, rhs, anchored_points(lhs, rhs))
    assert (full is None) == (small is None), (show(lhs), show(rhs), full, small)


@kernel_property(600, st.data())
def test_anchored_grid_sees_every_corruption(data):
    e = data.draw(expressions(concrete=data.draw(st.booleans(), label="concrete")), label="e")
    e2, what = data.draw(corrupted(e), label="corruption")
    assume(e2 is not None)
    note(f"e  = {show(e)}\ne' = {show(e2)}\ncorruption: {what}")
    assume(_affordable(e, e2) and max(degree(e), degree(e2)) <= MAX_DEGREE)
    same_answer(e, e2)


@kernel_property(600, st.data())
def test_anchored_grid_sees_every_difference_of_random_expressions(data):
    e1 = data.draw(expressions(concrete=False, max_nodes=8), label="lhs")
    e2 = data.draw(expressions(concrete=False, max_nodes=8), label="rhs")
    note(f"lhs = {show(e1)}\nrhs = {show(e2)}")
    assume(_affordable(e1, e2) and max(degree(e1), degree(e2)) <= MAX_DEGREE)
    same_answer(e1, e2)


i, j, k = Index("i", N), Index("j", N), Index("k", N)


def x(idx):
    return Entry(X, (idx,))


def test_unused_bound_index_keeps_its_degree():
    # Σ_iΣ_j x_j = 2 Σ_j x_j holds at n = 2 only: i is in no entry, so D stays 1
    lhs, rhs = Sum(i, Sum(j, x(j))), Mul((Num(Fraction(2)), Sum(j, x(j))))
    diff = difference(lhs, rhs)
    assert anchored_bounds(diff, grid_bounds(diff))[N] == (2, 1)
    same_answer(lhs, rhs)


def test_delta_only_and_differentiated_indices_are_not_anchored():
    xv = Obj("x", "var", (N,))
    # ∂/∂x_k Σ_i x_i = Σ_i δ_ik: i is in an entry of the variable differentiated by, so not anchored
    e = Deriv(xv, (k,), Sum(i, Entry(xv, (i,))))
    assert anchored_bounds(e, grid_bounds(e))[N][1] == 1
    e = Sum(i, Sum(j, Delta(i, j)))
    assert anchored_bounds(e, grid_bounds(e))[N][1] == 2


def test_entries_anchor_a_chain_of_products():
    # tr(A B C) - tr(C A B): every bound index in an entry, one size suffices
    A, B, C = (Obj(name, "const", (N, N)) for name in "ABC")
    h = Index("h", N)
    lhs = Sum(i, Sum(j, Sum(h, Mul((Entry(A, (i, j)), Entry(B, (j, h)), Entry(C, (h, i)))))))
    rhs = Sum(i, Sum(j, Sum(h, Mul((Entry(C, (i, j)), Entry(A, (j, h)), Entry(B, (h, i)))))))
    diff = difference(lhs, rhs)
    assert anchored_bounds(diff, grid_bounds(diff))[N] == (3, 0)
    same_answer(lhs, rhs)
    same_answer(Pow(Sum(i, Entry(AV, (i,))), 2), Sum(i, Pow(Entry(AV, (i,)), 2)))
