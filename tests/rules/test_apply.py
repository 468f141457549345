"""Rule.apply on small terms: each rule rewrites by its own statement and nothing else, and what it
writes is true (the kernel proves the rewritten line equal to the line it came from)."""

from __future__ import annotations

import pytest

from vecproof import kernel, rules
from vecproof.kernel import Fold

from elaboration.support import lower
from .support import same

HEADER = """
layout denominator
dim n, m
index i, j, k, l : n
index p : m
var x : vector(n)
const A : matrix(n, n)
const B : matrix(n, m)
const S : matrix(n, n) symmetric
const c : scalar
const y : vector(n)
func u(x) : vector(m)
"""


def expr(text: str):
    return lower(HEADER, text)[1].comp(None, None)


def rewrite(rule: str, before: str):
    return rules.lookup(rule).apply(expr(before))


# (rule, a line, what the rule writes for it, up to bookkeeping)
CASES = [
    ("matvec_def", "(A x)[k]", "sum(i, A[k, i] x[i])"),
    ("matmul_def", "(A B)[k, p]", "sum(i, A[k, i] B[i, p])"),
    ("dot_def", "x^T y", "sum(i, x[i] y[i])"),
    ("expand_sums", "x^T A x + tr(A)", "sum(i, sum(j, x[i] A[i, j] x[j])) + sum(i, A[i, i])"),
    ("norm_def", "||x||^2", "sum(i, x[i]^2)"),
    ("trace_def", "tr(A)", "sum(i, A[i, i])"),
    ("trace_def", "tr(A A)", "sum(i, (A A)[i, i])"),  # the argument's product stays folded
    ("gradient_def", "grad(x^T y)[k]", "d(x^T y)/dx[k]"),
    ("jacobian_def", "D(u)[p, k]", "d(u[p])/dx[k]"),
    ("product_rule", "d(c x[i] x[j])/dx[k]", "c delta(i, k) x[j] + c x[i] delta(j, k)"),
    ("product_rule", "d(sum(i, x[i]^3))/dx[k]", "sum(i, 3 x[i]^2 delta(i, k))"),
    ("product_rule", "d(d(x[i] x[i])/dx[k])/dx[l]", "2 delta(i, k) delta(i, l)"),
    ("product_rule", "d(c + y[i])/dx[k]", "0"),
    ("index_collapse", "sum(i, delta(i, k) x[i])", "x[k]"),
    ("index_collapse", "sum(i, A[i, j] (delta(i, k) x[j] + x[i] delta(j, k)))",
     "A[k, j] x[j] + sum(i, A[i, j] x[i] delta(j, k))"),
    ("index_collapse", "sum(i, c)", "n c"),
    ("index_collapse", "sum(i, sum(k, delta(i, k) x[k]))", "sum(i, x[i])"),
    ("delta_collapse", "sum(j, delta(k, j) A[j, l])", "A[k, l]"),
    ("symmetry", "S[j, i] x[j]", "S[i, j] x[j]"),
]


@pytest.mark.parametrize("rule, before, after", CASES, ids=[f"{r}:{b}" for r, b, _ in CASES])
def test_apply_rewrites_by_the_rule_and_the_result_is_true(rule, before, after):
    got = rewrite(rule, before)
    assert got is not None
    assert same(got, expr(after)), got
    assert kernel.decide(expr(before), got).proved


def test_product_rule_writes_the_derivative_of_a_function_as_its_jacobian_entry():
    got = rewrite("product_rule", "d(u[p] c)/dx[k]")
    assert _tags(got) == set() and "Deriv" not in repr(got)
    assert kernel.decide(got, expr("D(u)[p, k] c")).proved


def test_a_definition_unfolds_only_its_own_notation():
    got = rewrite("trace_def", "tr(A A)")
    assert not same(got, expr("sum(i, sum(j, A[i, j] A[j, i]))"))  # the product is still folded
    assert _tags(got) == {"matmul"}
    assert _tags(rewrite("expand_sums", "tr(A A)")) == set()


@pytest.mark.parametrize("rule, line", [
    ("trace_def", "x^T y"), ("norm_def", "tr(A)"), ("matvec_def", "||x||^2"), ("jacobian_def", "grad(c)[k]"),
    ("product_rule", "x[k] c"), ("index_collapse", "sum(i, x[i] y[i]) delta(j, k)"),
    ("symmetry", "S[i, j] A[j, i]"), ("algebra", "x[k] + x[k]"),
])
def test_apply_is_none_where_the_rule_has_nothing_to_rewrite(rule, line):
    assert rewrite(rule, line) is None


def test_every_rule_and_alias_has_an_apply_that_a_caller_can_use():
    for name in rules.names():
        assert callable(rules.lookup(name).apply)


def _tags(e, out=None) -> set:
    out = set() if out is None else out
    if isinstance(e, Fold):
        out.add(e.tag)
    for kid in getattr(e, "args", ()) + tuple(x for x in (getattr(e, "body", None), getattr(e, "base", None)) if x):
        _tags(kid, out)
    return out
