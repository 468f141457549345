"""Each definition explains its own definition applied to any argument (issue "First contact"):
tr(A X B) unfolded to a sum of diagonal entries, ‖A X B − C‖_F² written as a double sum. A rule
still does not explain a step it has no part in."""

from __future__ import annotations

from vecproof import check_text

HEAD = """
layout denominator
dim n, m, p, q
index a, i : n
index j : q
index k, k2 : m
index l, l2 : p
const A : matrix(n, m)
var X : matrix(m, p)
const B : matrix(p, n)
const E : matrix(p, q)
const C : matrix(n, q)
"""


def codes(body: str) -> list[str]:
    result = check_text(HEAD + body)
    assert all(t.status == "proved" for t in result.theorems), [d.message for d in result.diagnostics]
    return [d.code.id for d in result.diagnostics]


def test_trace_def_explains_the_trace_of_a_product():
    assert codes("""
theorem t: tr(A X B) = sum(a, (A X B)[a, a])
proof:
     tr(A X B)
   = sum(a, (A X B)[a, a])    by trace_def
qed
""") == []


def test_trace_def_explains_the_trace_of_a_product_written_out():
    assert codes("""
theorem t: tr(A X B) = sum(a, sum(k, sum(l, A[a, k] X[k, l] B[l, a])))
proof:
     tr(A X B)
   = sum(a, sum(k, sum(l, A[a, k] X[k, l] B[l, a])))    by trace_def
qed
""") == []


def test_norm_def_explains_a_frobenius_norm_written_as_a_double_sum():
    assert codes("""
theorem t: ||A X E - C||_F^2 = sum(i, sum(j, (sum(k, sum(l, A[i, k] X[k, l] E[l, j])) - C[i, j])^2))
proof:
     ||A X E - C||_F^2
   = sum(i, sum(j, (sum(k, sum(l, A[i, k] X[k, l] E[l, j])) - C[i, j])^2))   by norm_def
qed
""") == []


def test_trace_def_does_not_explain_a_product_rule_step():
    assert codes("""
theorem t: d(tr(A X B))/dX[k, l] = sum(a, sum(k2, sum(l2, A[a, k2] delta(k2, k) delta(l2, l) B[l2, a])))
proof:
     d(tr(A X B))/dX[k, l]
   = sum(a, sum(k2, sum(l2, A[a, k2] delta(k2, k) delta(l2, l) B[l2, a])))   by trace_def
qed
""") == ["VP202"]


def test_a_definition_whose_notation_stays_does_not_explain_unfolding_inside_it():
    # the trace inside the gradient is unfolded, the gradient is not: trace_def's step, not gradient_def's
    step = """
theorem t: grad(tr(A X B))[k, l] = grad(sum(a, (A X B)[a, a]))[k, l]
proof:
     grad(tr(A X B))[k, l]
   = grad(sum(a, (A X B)[a, a]))[k, l]    by RULE
qed
"""
    assert codes(step.replace("RULE", "gradient_def")) == ["VP202"]
    assert codes(step.replace("RULE", "trace_def")) == []
