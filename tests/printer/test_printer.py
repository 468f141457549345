"""The `.vproof` printer of index expressions (vecproof/printer.py): what it prints re-parses and
elaborates to the same expression up to the names of bound indices.

Two sources of expressions: matrix notation drawn by the robustness tests' typed generator
(tests/robustness/typed.py), elaborated — printed back it must give an alpha-equal expression
(its `Fold`s read as their bodies) that the kernel decides equal; and raw kernel terms from
tests/kernel/strategies.py (n-ary sums and products, shadowed binders, numerals, derivatives of
functions) — printed back they must give an expression the kernel decides equal.
`VECPROOF_HYPOTHESIS_EXAMPLES` raises the number of examples.
"""

from __future__ import annotations

import os
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from elaboration.support import declarations, lower
from kernel.strategies import children, expressions
from robustness.typed import EXTRA_X, HEADER, pairs
from vecproof import kernel
from vecproof.checker.check import COL, ROW
from vecproof.kernel import Add, Delta, Deriv, Dim, Entry, Fold, Index, Mul, Num, Obj, Pow, Select, Sum
from vecproof.kernel.terms import alpha_equal, substitute
from vecproof.printer import Printer, show, statement

_ENV = int(os.environ.get("VECPROOF_HYPOTHESIS_EXAMPLES", "0") or 0)


def _settings(default: int):
    return settings(max_examples=_ENV or default, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                           HealthCheck.data_too_large])


def _index_lines(printer: Printer, scope) -> str:
    """Declarations for the index names the printer made up (the file did not declare them)."""
    concrete = {d.dim.size: n for n, d in scope.names.items() if d.what == "dim" and d.dim.size is not None}
    out = []
    for name, dim in printer.used.items():
        if name not in scope.names:
            out.append(f"index {name} : {concrete[dim.size] if dim.name.startswith('#') else dim.name}")
    return "\n".join(out)


def _canon(e, env=None, fresh=None):
    """`e` without `Fold`s, its bound indices renamed b0, b1, … in order (elaboration may reuse a
    fresh name in two places, which alpha_equal conservatively refuses), every concrete dimension
    named by its size (an explicit list's `#2` and a declared `dim c = 2` are the same range)."""
    env = {} if env is None else env
    fresh = iter(range(10**9)) if fresh is None else fresh

    def dim(d):
        return d if d.symbolic else Dim(f"#{d.size}", d.size)

    def slot(s):
        return env.get(s, Index(s.name, dim(s.dim))) if isinstance(s, Index) else s

    def go(x):
        return _canon(x, env, fresh)

    if isinstance(e, Fold):
        return go(e.body)
    if isinstance(e, Entry):
        return Entry(e.obj, tuple(map(slot, e.idx)), tuple((v, tuple(map(slot, d))) for v, d in e.derivs))
    if isinstance(e, Delta):
        return Delta(slot(e.a), slot(e.b))
    if isinstance(e, (Add, Mul)):
        return type(e)(tuple(go(a) for a in e.args))
    if isinstance(e, Pow):
        return Pow(go(e.base), e.exp)
    if isinstance(e, Sum):
        b = Index(f"b{next(fresh)}", dim(e.index.dim))
        return Sum(b, _canon(e.body, {**env, e.index: b}, fresh), e.lo, e.hi)
    if isinstance(e, Deriv):
        return Deriv(e.var, tuple(map(slot, e.idx)), go(e.body))
    if isinstance(e, Select):
        return Select(slot(e.index), tuple(go(o) for o in e.options))
    return e


def _has_fold(e) -> bool:
    return isinstance(e, Fold) or any(_has_fold(k) for k in children(e))


def _round_trip_elaborated(case) -> None:
    layout, with_X, shape, t1, t2 = case
    header = HEADER.format(layout=layout, extra=EXTRA_X if with_X else "")
    scope = declarations(header)
    dims = [scope.names[d].dim for d in shape[1:]]
    for text in (t1, t2):
        _, typed = lower(header, text)
        rows = Index(ROW, dims[0]) if shape[0] in ("V", "M") else None
        cols = Index(COL, dims[-1]) if shape[0] in ("R", "M") else None
        term = typed.comp(rows, cols)
        printer = Printer(scope)
        [printed] = printer.print(term)
        note(f"{text}  ->  {printed}")
        _, back = lower(header + _index_lines(printer, scope), printed)
        back = back.value()
        at = {s: Index(printer.names[s], s.dim) for s in (rows, cols) if s is not None}
        expected = substitute(term, at)
        assert alpha_equal(_canon(expected), _canon(back)), (text, printed)
        if not _has_fold(expected) and alpha_equal(expected, expected):  # alpha_equal applies as it is
            assert alpha_equal(expected, back), (text, printed)
        assert kernel.decide(expected, back).status == "proved", (text, printed)


@_settings(80)
@given(pairs(max_depth=2))
def test_elaborated_matrix_notation_prints_back_to_itself(case):
    _round_trip_elaborated(case)


@pytest.mark.slow
@_settings(600)
@given(pairs(max_depth=3))
def test_elaborated_matrix_notation_prints_back_to_itself_more(case):
    _round_trip_elaborated(case)


# the objects of tests/kernel/strategies.py, declared
STRATEGY_HEADER = """layout denominator
dim n, m
dim p = 3
index k, l : n
index r : m
index q : p
var x : vector(n)
var Z : matrix(n, m)
var y : vector(p)
const a : vector(n)
const c : vector(m)
const A : matrix(n, n)
const B : matrix(n, m)
const S : matrix(n, n) symmetric
const e : vector(p)
const C : matrix(p, n)
func u(x) : vector(m)
func f(x) : scalar
func w(y) : vector(n)
func G(x) : matrix(n, n) symmetric
"""


def _round_trip_kernel_term(term) -> None:
    scope = declarations(STRATEGY_HEADER)
    printer = Printer(scope)
    [printed] = printer.print(term)
    note(printed)
    _, back = lower(STRATEGY_HEADER + _index_lines(printer, scope), printed)
    assert kernel.decide(term, back.value()).status == "proved", printed


@_settings(120)
@given(expressions(concrete=True, max_nodes=10))
def test_kernel_terms_print_to_text_that_means_the_same(term):
    _round_trip_kernel_term(term)


@pytest.mark.slow
@_settings(800)
@given(expressions(concrete=True, max_nodes=16, max_depth=5))
def test_kernel_terms_print_to_text_that_means_the_same_more(term):
    _round_trip_kernel_term(term)


# ---- the text itself ------------------------------------------------------------------------------

N = Dim("n")
X = Obj("x", "var", (N,))
A = Obj("A", "const", (N, N))
K = Index("k", N)


def num(v):
    return Num(Fraction(v))


def test_bound_indices_get_source_names_that_capture_nothing():
    inner = Sum(Index("i'1", N), Mul((Entry(X, (Index("i'1", N),)), Entry(X, (K,)))))
    term = Sum(Index("i'0", N), Mul((Entry(A, (K, Index("i'0", N))), inner)))
    assert show(term) == "sum(i, A[k,i] sum(i2, x[i2] x[k]))"
    shadow = Sum(Index("k'3", N), Entry(X, (Index("k'3", N),)))  # bound k beside a free k
    assert show(Mul((Entry(X, (K,)), shadow))) == "x[k] sum(k2, x[k2])"


def test_bound_indices_prefer_names_the_file_declares_over_their_dimension():
    scope = declarations("dim n, m\nindex i, j, k : n\nindex p : m\nconst A : matrix(n, n)\nvar x : vector(n)")
    m_bound = Index("j'0", Dim("m"))  # elaboration calls every product's index j, whatever its dimension
    term = Sum(Index("j'1", N), Sum(m_bound, Mul((Entry(A, (K, Index("j'1", N))), Entry(X, (K,))))))
    assert show(term, scope) == "sum(j, sum(p, A[k,j] x[k]))"


def test_signs_quotients_and_grouping_read_as_written():
    a, b = Entry(X, (K,)), Entry(A, (K, K))
    assert show(Add((a, Mul((num(-1), b))))) == "x[k] - A[k,k]"
    assert show(Mul((num(Fraction(1, 2)), Add((a, b))))) == "(x[k] + A[k,k]) / 2"
    assert show(Mul((a, Mul((num(-1), b))))) == "x[k] (-A[k,k])"
    assert show(Mul((a, num(2)))) == "x[k] * 2"
    assert show(Pow(Deriv(X, (K,), Pow(a, 2)), 2)) == "(d(x[k]^2)/dx[k])^2"
    assert show(Select(K, (a, b))) == "[x[k], A[k,k]][k]"
    assert show(Mul((a, Select(K, (a, b))))) == "x[k] * [x[k], A[k,k]][k]"


def test_a_statement_names_its_entry_slots_and_their_ranges():
    scope = declarations("dim n\nindex i, j, k : n\nconst A : matrix(n, n)\nvar x : vector(n)")
    row = Index(ROW, N)
    lhs = Fold("matmul", Sum(Index("j'0", N), Mul((Entry(A, (row, Index("j'0", N))), Entry(X, (Index("j'0", N),))))))
    where, equation = statement(lhs, Entry(X, (row,)), scope)
    assert (where, equation) == ("at row i, for every i in 1..n", "sum(j, A[i,j] x[j]) = x[i]")


def test_a_power_of_a_power_of_a_product_keeps_its_parentheses():
    """Found by the slow run: ((2 s)^2)^2 printed as (2 s)^2^2, which the parser refuses as ambiguous."""
    run = given(st.just(("numerator", False, ("S",), "((2 (s))^2)^2", "(s + s)^2")))(_round_trip_elaborated)
    run()
