"""Concrete sizes: a dimension declared `dim n = 32` and used only through index variables is
normalised as a symbolic one (coefficients evaluated at 32), so a step at a large concrete size is
decided without enumerating its entries; a false one gets a counterexample that names a few entries."""

from __future__ import annotations

import pytest

from tests.harness import assert_codes

HEAD = """layout denominator
dim n = {n}
index i, j, k : n
var x : vector(n)
const y : vector(n)
const A : matrix(n, n)
"""

QUAD = """theorem quad: grad(x^T A x, x) = (A + A^T) x
proof (component k): grad(x^T A x, x)[k]
  = d(sum(i, sum(j, x[i] A[i,j] x[j])))/dx[k] by gradient_def, matvec_def, dot_def
  = sum(i, sum(j, delta(i,k) A[i,j] x[j] + x[i] A[i,j] delta(j,k))) by product_rule
  = sum(j, A[k,j] x[j]) + sum(i, x[i] A[i,k]) by index_collapse
  = ((A + A^T) x)[k] by matvec_def
qed
"""


def one_step(lhs: str, rhs: str) -> str:
    return f"theorem t: {lhs} = {rhs}\nproof {lhs}\n  = {rhs} by algebra\nqed\n"


@pytest.mark.parametrize("n", [32])
def test_the_seed_gradient_is_proved_at_a_large_concrete_size(n):
    # at n = 32 this was VP901 (the step budget) and VP208 (cross-check skipped) before
    assert_codes(HEAD.format(n=n) + QUAD, status={"quad": "proved"})


def test_a_false_gradient_at_a_large_size_has_a_short_counterexample():
    result = assert_codes(HEAD.format(n=32) + one_step("grad(x^T A x, x)", "2 A x"), "VP201", "VP207")
    step = next(d for d in result.diagnostics if d.code.id == "VP201")
    assert 1 <= len(step.counterexample["values"]) <= 4, step.counterexample
    assert "every other entry 0" in "\n".join(step.detail)


def test_sizes_are_evaluated_at_the_declared_size():
    assert_codes(HEAD.format(n=32) + one_step("sum(i, 1)", "32"), status={"t": "proved"})
    assert_codes(HEAD.format(n=32) + one_step("sum(i, 1)", "31"), "VP201", "VP207")


def test_below_the_grid_bound_the_entries_are_still_enumerated():
    # x[i] y[j] = x[j] y[i] holds at n = 1 (i = j = 1) and fails from n = 2 on: the symbolic normal
    # form differs, but n = 1 is below the grid's lower bound, so the entries decide
    assert_codes(HEAD.format(n=1) + one_step("x[i] y[j]", "x[j] y[i]"), status={"t": "proved"})
    assert_codes(HEAD.format(n=2) + one_step("x[i] y[j]", "x[j] y[i]"), "VP201", "VP207")


def test_numerals_keep_the_enumeration():
    assert_codes(HEAD.format(n=3) + one_step("x[1] + x[2] + x[3]", "sum(i, x[i])"), status={"t": "proved"})
    assert_codes(HEAD.format(n=3) + one_step("x[1] + x[2]", "sum(i, x[i])"), "VP201", "VP207")


def test_a_huge_concrete_size_is_decided_by_the_normal_form_alone():
    # n = 10⁹ cannot be cross-checked entry by entry: proved, with the skipped cross-check said (VP208)
    text = HEAD.format(n=10**9) + one_step("sum(i, 2 x[i])", "2 sum(k, x[k])")
    assert_codes(text, "VP208", status={"t": "proved"})
