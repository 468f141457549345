"""The exact check's guarantees: `find_point` always finds a point where a nonzero polynomial is
nonzero (never "none found", which used to be read as "equal"), and a product the step's budget
cannot pay for is refused before it starts."""

from __future__ import annotations

import time
from functools import reduce

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy import QQ
from sympy.polys.rings import PolyElement, PolyRing

from vecproof.kernel import Budget
from vecproof.counterexamples.polynomial import Evaluator, eval_at, find_point
from vecproof.kernel.grid import GridLimit
from vecproof.kernel.terms import Dim, Entry, Index, Mul, Obj, Pow, Sum

RING = PolyRing(["a", "b", "c", "d"], QQ)
GENS = RING.gens
PLENTY = 10**9


def nonzero_at(p, vals) -> bool:
    return eval_at(p, vals, Budget(PLENTY)) != 0


def vanishing_factor():
    """(g − c) for a generator g and a small integer c: products of these vanish on many small points."""
    return st.tuples(st.sampled_from(range(len(GENS))), st.integers(-12, 12)).map(
        lambda gc: GENS[gc[0]] - gc[1])


def sparse_polynomial():
    term = st.tuples(st.integers(-5, 5), st.lists(st.integers(0, 3), min_size=len(GENS), max_size=len(GENS)))

    def build(terms):
        p = RING.zero
        for c, exps in terms:
            m = RING(c)
            for g, k in zip(GENS, exps):
                m *= g ** k
            p += m
        return p

    return st.lists(term, min_size=1, max_size=5).map(build)


@st.composite
def nonzero_polynomials(draw):
    p = draw(sparse_polynomial().filter(bool))
    for f in draw(st.lists(vanishing_factor(), max_size=30)):
        p *= f
    return p


@settings(max_examples=300, deadline=None, database=None)
@given(nonzero_polynomials())
def test_find_point_returns_a_point_where_the_polynomial_is_nonzero(p):
    vals = find_point(p, Budget(PLENTY))
    assert nonzero_at(p, vals)
    degree = max(sum(m) for m in p.monoms())
    assert all(abs(v) <= max(3, degree + 1) for v in vals.values())


def roots(g, values, times=RING.one):
    """times · Π (g − v) over `values`."""
    return reduce(lambda acc, v: acc * (g - v), values, times)


@pytest.mark.parametrize("name, p", [
    ("zero on -12..12", roots(GENS[0], range(-12, 13))),
    ("(a-1)…(a-9) b^5", roots(GENS[0], range(1, 10), GENS[1] ** 5)),
    ("zero on every point of {0, 1, 2, 3}^4",
     roots(GENS[0], range(4)) * roots(GENS[1], range(4)) * roots(GENS[2], range(4)) * roots(GENS[3], range(4))),
])
def test_find_point_where_every_small_point_is_a_root(name, p):
    vals = find_point(p, Budget(PLENTY))
    assert nonzero_at(p, vals), name


def test_find_point_keeps_the_readable_first_choice_when_it_works():
    assert find_point(GENS[0] * GENS[1] - GENS[2], Budget(PLENTY)) == {0: 1, 1: 2, 2: 3}


def test_a_single_huge_product_is_refused_before_it_starts(monkeypatch):
    n = Dim("n")
    i, j = Index("i", n), Index("j", n)
    x, y = Obj("x", "var", (n,)), Obj("y", "const", (n,))
    # (Σ x)^4 (Σ y)^4 at n = 20: two factors of 8,855 terms, 78 million pairs of monomials
    expr = Mul((Pow(Sum(i, Entry(x, (i,))), 4), Pow(Sum(j, Entry(y, (j,))), 4)))
    budget = Budget(20_000_000)
    largest = []
    real_mul = PolyElement.__mul__

    def mul(a, b):
        if isinstance(b, PolyElement):
            largest.append(len(a) * len(b))
        return real_mul(a, b)

    monkeypatch.setattr(PolyElement, "__mul__", mul)
    ev = Evaluator([expr], {n: 20}, budget)
    start = time.perf_counter()
    with pytest.raises(GridLimit):
        ev.value(expr, {})
    assert max(largest) < 1_000_000  # the factors were built; their product never started
    assert budget.spent > budget.units
    assert time.perf_counter() - start < 30  # a hang detector: the product alone takes minutes
