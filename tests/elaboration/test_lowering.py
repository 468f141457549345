"""Elaboration lowers matrix notation to the index form docs/language.md describes.

Each case elaborates source text (as the checker does) and prints the entry it lowers to with the
`.vproof` printer, so these are tests of the printer too: the expected text is what a user reads
under `vecproof check --explain`. The derivative cases pin the layouts: the shape of the result and
which index of the entry is the variable's (docs/language.md, "Derivatives and layout").
"""

from __future__ import annotations

import pytest

from vecproof.printer import Printer

from .support import lower

VECTOR = """layout {layout}
dim n, m
dim p = 3
index i, j, k : n
index r, s : m
index q : p
var x : vector(n)
const A : matrix(n, n)
const B : matrix(n, n)
const C : matrix(n, m)
const a : scalar
const b : scalar
const c : scalar
const e : vector(p)
func u(x) : vector(m)
func f(x) : scalar
"""

MATRIX = """layout {layout}
dim n, m
index i, j, k : n
index r, s : m
var X : matrix(n, m)
func g(X) : scalar
"""


def index_form(header: str, expr: str, at: tuple[str, ...] = (), layout: str = "denominator"):
    """(shape, entry): the shape `expr` elaborates to and its entry at the declared indices `at`
    (row first; none for a scalar), printed."""
    scope, typed = lower(header.format(layout=layout), expr)
    names = iter(at)
    row = scope.names[next(names)].index if typed.rows is not None else None
    col = scope.names[next(names)].index if typed.cols is not None else None
    return typed.shape, Printer(scope).print(typed.comp(row, col))[0]


@pytest.mark.parametrize("expr, at, shape, entry", [
    ("x^T A x", (), "a scalar", "sum(j, sum(i, x[i] A[i,j]) x[j])"),
    ("A x", ("k",), "n×1", "sum(j, A[k,j] x[j])"),
    ("x^T A", ("k",), "1×n", "sum(j, x[j] A[j,k])"),
    ("‖x‖^2", (), "a scalar", "sum(i, x[i]^2)"),
    ("‖C‖_F^2", (), "a scalar", "sum(i, sum(r, C[i,r]^2))"),
    ("tr(A B)", (), "a scalar", "sum(j, sum(i, A[j,i] B[i,j]))"),
    ("dot(x, x) / 2 - a", (), "a scalar", "sum(j, x[j] x[j]) / 2 - a"),
    ("(A - B)^T x", ("k",), "n×1", "sum(j, (A[j,k] - B[j,k]) x[j])"),
    ("[a, b, c][q]", (), "a scalar", "[a, b, c][q]"),
    ("[a; b; c][q]", (), "a scalar", "[a, b, c][q]"),
    ("[a, b, c][2]", (), "a scalar", "b"),
    ("e^T * [a; b; c]", (), "a scalar", "sum(q, e[q] * [a, b, c][q])"),
    ("d(u[r])/dx[k]", (), "a scalar", "d(u[r])/dx[k]"),
])
def test_matrix_notation_lowers_to_sums_of_entries(expr, at, shape, entry):
    assert index_form(VECTOR, expr, at) == (shape, entry)


@pytest.mark.parametrize("layout, shape", [("denominator", "n×1"), ("numerator", "1×n")])
@pytest.mark.parametrize("expr, entry", [
    ("grad(f)", "d(f)/dx[k]"),
    ("d(f)/dx", "d(f)/dx[k]"),
    ("d(x^T A x)/dx", "d(sum(j, sum(i, x[i] A[i,j]) x[j]))/dx[k]"),
])
def test_the_gradient_by_a_vector_is_a_column_or_a_row_by_the_layout(layout, shape, expr, entry):
    assert index_form(VECTOR, expr, ("k",), layout) == (shape, entry)


def test_the_derivative_of_a_vector_by_a_vector_is_the_jacobian_or_its_transpose():
    # numerator: m×n, entry (i, j) = ∂u[i]/∂x[j]; denominator: n×m, entry (i, j) = ∂u[j]/∂x[i]
    assert index_form(VECTOR, "d(u)/dx", ("r", "k"), "numerator") == ("m×n", "d(u[r])/dx[k]")
    assert index_form(VECTOR, "d(u)/dx", ("k", "r"), "denominator") == ("n×m", "d(u[r])/dx[k]")


@pytest.mark.parametrize("layout", ["numerator", "denominator"])
def test_the_jacobian_does_not_follow_the_layout(layout):
    assert index_form(VECTOR, "D(u)", ("r", "k"), layout) == ("m×n", "d(u[r])/dx[k]")
    assert index_form(VECTOR, "D(f)", ("k",), layout) == ("1×n", "d(f)/dx[k]")


@pytest.mark.parametrize("expr", ["grad(g)", "d(g)/dX"])
def test_the_gradient_by_a_matrix_is_the_matrix_or_its_transpose_by_the_layout(expr):
    # X is n×m: denominator n×m with entry (i, r) = ∂g/∂X[i,r]; numerator m×n, entry (r, i) the same
    assert index_form(MATRIX, expr, ("i", "r"), "denominator") == ("n×m", "d(g)/dX[i,r]")
    assert index_form(MATRIX, expr, ("r", "i"), "numerator") == ("m×n", "d(g)/dX[i,r]")
