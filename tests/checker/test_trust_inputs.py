"""Regressions for the "Trust" issue's input items, through `check_text` as a user's file would go:
chained powers, size-1 dimensions in derivatives, huge counterexample numbers, control characters."""

import pytest

from vecproof import check_text


def _codes(r):
    return {d.code.id for d in r.diagnostics}


# ---- item 7: a dimension of concrete size 1 in gradients, Jacobians and whole-variable derivatives ----

SIZE1 = """layout {layout}
dim l = 1
dim n
var x : vector(l)
var X : matrix(l, n)
var Z : matrix(l, l)
const a : vector(n)
theorem t: {lhs} = {rhs}
proof: {lhs} = {rhs} by algebra
qed
"""


@pytest.mark.parametrize("layout", ["numerator", "denominator"])
@pytest.mark.parametrize("deriv, right, wrong", [
    ("grad(x[1]^2, x)", "2 x[1]", "3 x[1]"),
    ("d(x[1]^2)/dx", "2 x[1]", "3 x[1]"),
    ("D(x[1]^2, x)", "2 x[1]", "3 x[1]"),
    ("D(3 x, x)", "3", "4"),
    ("d(3 x)/dx", "3", "4"),
    ("grad(Z[1,1]^2, Z)", "2 Z[1,1]", "Z[1,1]"),
])
def test_size1_derivative_against_a_scalar(layout, deriv, right, wrong):
    for lhs, rhs in ((right, deriv), (deriv, right)):
        r = check_text(SIZE1.format(layout=layout, lhs=lhs, rhs=rhs))
        assert _codes(r) == set() and r.theorems[0].status == "proved", [d.message for d in r.diagnostics]
    r = check_text(SIZE1.format(layout=layout, lhs=wrong, rhs=deriv))
    assert "VP201" in _codes(r) and "VP902" not in _codes(r)


def test_size1_matrix_gradient_against_a_row():
    r = check_text(SIZE1.format(layout="denominator", lhs="a^T", rhs="grad(X[1,:] a, X)"))
    assert _codes(r) == set() and r.theorems[0].status == "proved", [d.message for d in r.diagnostics]
