"""Regressions for the "Trust" issue's input items, through `check_text` as a user's file would go:
chained powers, size-1 dimensions in derivatives, huge counterexample numbers, control characters."""

import pytest

from vecproof import check_text
from harness import code_set as _codes



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


# ---- item 5: a power of a power written without parentheses is refused, not read as (c^2)^3 ----------

POWERS = """layout denominator
dim n
var c : scalar
var x : vector(n)
const A : matrix(n, n)
theorem t: {lhs} = {rhs}
proof: {lhs} = {rhs} by algebra
qed
"""


@pytest.mark.parametrize("chained", ["c^2^3", "c²^3", "c^2²", "c²²", "(c)^2^3", "x[1]^2^3", "c^2^3^4"])
def test_chained_power_is_refused_with_a_position(chained):
    r = check_text(POWERS.replace("dim n", "dim n = 2").format(lhs=chained, rhs="c^6"))
    [d] = r.diagnostics
    assert d.code.id == "VP001" and (d.span.line, d.span.col) == (6, 12)
    assert "parentheses" in d.message and not any(t.status == "proved" for t in r.theorems)


def test_chained_power_message_names_both_readings():
    [d] = check_text(POWERS.format(lhs="c^2^3", rhs="c^6")).diagnostics
    assert "(c^2)^3 = c^6" in d.message and "c^(2^3) = c^8" in d.message


@pytest.mark.parametrize("lhs, rhs", [
    ("(c^2)^3", "c^6"), ("(c²)^3", "c^6"), ("(c^2)²", "c^4"), ("A^T^T", "A"), ("(A^2)^T", "A^T^2"),
    ("‖x‖^2", "x^T x"), ("x^T A x", "x^T A^T x"),
])
def test_parenthesised_powers_and_transposes_still_work(lhs, rhs):
    r = check_text(POWERS.format(lhs=lhs, rhs=rhs))
    assert _codes(r) == set() and r.theorems[0].status == "proved", [d.message for d in r.diagnostics]


# ---- item 8: numbers past Python's 4,300-digit printing limit ------------------------------------------

BIG = "9" * 100
HUGE = f"""var c : scalar
theorem big: ({BIG} c)^64 = 0
proof: ({BIG} c)^64 = 0 by algebra
qed
theorem ok: c = c
proof: c = c by algebra
qed
"""


def test_a_huge_counterexample_is_reported_abbreviated():
    r = check_text(HUGE)
    assert {"VP201", "VP207"} <= _codes(r) and "VP902" not in _codes(r) and not r.passed()
    assert [t.status for t in r.theorems] == ["failed", "proved"]
    step = next(d for d in r.diagnostics if d.code.id == "VP201")
    assert "(6,400 digits)" in step.detail[-1] and step.counterexample["left"].endswith("(6,400 digits)")
    assert step.counterexample["left"].startswith("9999…0001")


def test_a_number_that_fits_is_shown_in_full():
    r = check_text(f"var c : scalar\ntheorem t: {BIG} c = 0\nproof: {BIG} c = 0 by algebra\nqed\n")
    step = next(d for d in r.diagnostics if d.code.id == "VP201")
    assert step.counterexample["left"] == BIG and f"= {BIG}," in step.detail[-1]


def test_a_huge_summation_bound_is_reported_not_an_internal_error():
    product = "*".join([BIG] * 50)
    r = check_text(f"dim n\nindex i : n\nvar x : vector(n)\ntheorem t: sum(i = 1 - {product}..n, x[i]) = 0\n"
                   "proof: 0 qed\n")
    assert "VP103" in _codes(r) and "VP902" not in _codes(r)
    assert "(5,000 digits)" in next(d.message for d in r.diagnostics if d.code.id == "VP103")
