"""The inverse, the determinant and the log-determinant of a declared matrix (docs/language.md,
"Inverses and determinants"): whole files through check_text, asserted on codes, verdicts and the
assumptions the verdicts list; the counterexamples name the matrix X where the sides differ."""

import subprocess
import sys

import pytest

from tests.harness import assert_codes, codes
from vecproof.checker import check_text

HEAD = """layout {layout}
dim n
index i, j, k, l, p, q : n
var X : matrix(n, n) invertible
const A, B : matrix(n, n)
const C : matrix(n, n) invertible
const a, b : vector(n)
"""

T_HEAD = """dim n
index i, j, k, l : n
var t : scalar
func Y(t) : matrix(n, n) invertible
"""


def file(body: str, layout: str = "denominator", head: str = HEAD) -> str:
    return (head.format(layout=layout) if "{layout}" in head else head) + body


def one_step(lhs: str, rhs: str, rules: str) -> str:
    return f"theorem t:\n  {lhs} = {rhs}\nproof:\n  {lhs}\n  = {rhs} by {rules}\nqed\n"


def theorem_of(result):
    [t] = result.theorems
    return t


# ---- proved for all n ------------------------------------------------------------------------------

PROVED = [
    # inverse_def, both orders and every spelling
    ("X inv(X)", "I(n)", "matmul_def, inverse_def, identity_def"),
    ("X^-1 X", "I(n)", "matmul_def, inverse_def, identity_def"),
    ("X⁻¹ X a", "a", "matmul_def, inverse_def, index_collapse"),
    ("(X^T)^-1 X^T", "I(n)", "matmul_def, inverse_def, identity_def"),
    ("sum(j, X[i, j] inv(X)[j, k])", "delta(i, k)", "inverse_def"),
    ("det(inv(X)) det(X)", "1", "inverse_def"),
    ("det(X⁻¹) det(X^T)", "1", "inverse_def"),
    # the derivative laws, entry by entry
    ("d(inv(X)[i, k])/dX[p, q]", "-inv(X)[i, p] inv(X)[q, k]", "product_rule, inverse_derivative, index_collapse"),
    ("d(det(X))/dX[p, q]", "det(X) inv(X)[q, p]", "product_rule, det_derivative, index_collapse"),
    ("d(logdet(X))/dX[p, q]", "inv(X)[q, p]", "product_rule, logdet_derivative, index_collapse"),
    ("d(log(det(X)))/dX[p, q]", "inv(X)[q, p]", "product_rule, logdet_derivative, index_collapse"),
    ("d(det(inv(X)))/dX[p, q]", "-det(inv(X)) inv(X)[q, p]", "product_rule, det_derivative, index_collapse"),
    # whole matrices, in both layouts (the Matrix Cookbook's (49), (57), (61), (63))
    ("d(det(X))/dX", "det(X) inv(X)^T", "algebra"),
    ("d(logdet(X))/dX", "X⁻¹ᵀ", "algebra"),
    ("d(a^T inv(X) b)/dX", "-inv(X)^T a b^T inv(X)^T", "algebra"),
    ("d(tr(A inv(X) B))/dX", "-(inv(X) B A inv(X))^T", "algebra"),
    ("inv(C) C inv(C)", "inv(C)", "algebra"),
]


@pytest.mark.parametrize("lhs, rhs, rules", PROVED)
def test_identities_of_inverses_and_determinants_are_proved_for_all_n(lhs, rhs, rules):
    r = check_text(file(one_step(lhs, rhs, rules)))
    assert codes(r) == [] and theorem_of(r).status == "proved"


@pytest.mark.parametrize("lhs, rhs", [
    ("d(logdet(X))/dX", "X⁻¹"),  # the transpose of denominator layout, written in numerator layout
    ("d(det(X))/dX", "det(X) inv(X)"),
])
def test_numerator_layout_has_no_transpose(lhs, rhs):
    r = check_text(file(one_step(lhs, rhs, "algebra"), layout="numerator"))
    assert codes(r) == [] and theorem_of(r).status == "proved"


@pytest.mark.parametrize("lhs, rhs, rules", [
    ("d(inv(Y))/dt", "-inv(Y) d(Y)/dt inv(Y)", "product_rule, inverse_derivative, matmul_def"),
    ("d(det(Y))/dt", "det(Y) tr(inv(Y) d(Y)/dt)", "product_rule, det_derivative, trace_def, matmul_def"),
    ("d(logdet(Y))/dt", "tr(inv(Y) d(Y)/dt)", "product_rule, logdet_derivative, trace_def, matmul_def"),
    ("d(d(inv(Y))/dt)/dt", "2 inv(Y) d(Y)/dt inv(Y) d(Y)/dt inv(Y) - inv(Y) d(d(Y)/dt)/dt inv(Y)", "algebra"),
])
def test_derivatives_by_a_scalar_of_a_matrix_function(lhs, rhs, rules):
    r = check_text(file(one_step(lhs, rhs, rules), head=T_HEAD))
    assert codes(r) == [] and theorem_of(r).status == "proved"


def test_verdicts_list_invertibility_and_a_positive_determinant():
    r = check_text(file(one_step("d(logdet(X))/dX", "X⁻¹ᵀ", "algebra")))
    assert set(theorem_of(r).assumptions) >= {"X invertible", "det X > 0"}
    r = check_text(file(one_step("d(a^T inv(X) b)/dX", "-inv(X)^T a b^T inv(X)^T", "algebra")))
    assert "X invertible" in theorem_of(r).assumptions and "det X > 0" not in theorem_of(r).assumptions
    r = check_text(file(one_step("det(X^T)", "det(X)", "algebra")))  # det alone assumes nothing
    assert theorem_of(r).status == "proved" and not any("X" in a for a in theorem_of(r).assumptions)


SYM_HEAD = """layout denominator
dim n
index i, j, k : n
var x : vector(n)
var t : scalar
const S : matrix(n, n) symmetric invertible
func P(t) : matrix(n, n) symmetric invertible
"""


@pytest.mark.parametrize("lhs, rhs, rules, proved", [
    ("sum(j, S[j, i] inv(S)[k, j])", "delta(i, k)", "inverse_def", True),  # S and S⁻¹ read either way round
    ("inv(S)^T", "inv(S)", "symmetry", True),
    ("grad(x^T inv(S) x, x)", "2 inv(S) x", "algebra", True),  # the Gaussian's quadratic form
    ("d(logdet(P))/dt", "tr(inv(P) d(P)/dt)", "algebra", True),
    ("grad(x^T inv(S) x, x)", "inv(S) x", "algebra", False),
    ("d(logdet(P))/dt", "2 tr(inv(P) d(P)/dt)", "algebra", False),
])
def test_a_symmetric_invertible_matrix_has_a_symmetric_inverse(lhs, rhs, rules, proved):
    r = check_text(file(one_step(lhs, rhs, rules), head=SYM_HEAD))
    if not proved:
        assert "VP201" in codes(r)
        return
    assert codes(r) == [] and theorem_of(r).status == "proved"
    assert {"S symmetric", "S invertible"} <= set(theorem_of(r).assumptions) or \
        {"P symmetric", "P invertible"} <= set(theorem_of(r).assumptions)


# ---- false, with a counterexample at an exact invertible matrix --------------------------------------

@pytest.mark.parametrize("lhs, rhs, head", [
    ("d(logdet(X))/dX", "X⁻¹", HEAD),  # the missing transpose
    ("d(inv(Y))/dt", "-inv(Y) inv(Y) d(Y)/dt", T_HEAD),  # commuted: −X⁻² dX/dt
    ("d(det(X))/dX", "inv(X)^T", HEAD),  # the det factor forgotten
    ("inv(X)", "X^T", HEAD),
    ("X inv(X) X", "X^T", HEAD),  # X and X⁻¹ both left after contracting
    ("sum(j, X[i, j] a[j] inv(X)[j, k])", "a[i] delta(i, k)", HEAD),  # j is not only the contracted index
])
def test_false_steps_have_a_counterexample_naming_the_matrix(lhs, rhs, head):
    r = check_text(file(one_step(lhs, rhs, "algebra"), head=head))
    assert "VP201" in codes(r) and theorem_of(r).status == "failed"
    [d] = [d for d in r.diagnostics if d.code.id == "VP201"]
    shown = "\n".join(d.detail)
    assert "counterexample" in shown and ("X[1,1] =" in shown or "Y[1,1] =" in shown)  # the values are the feature


def test_a_counterexample_names_the_derivative_by_a_scalar_without_an_empty_index():
    r = check_text(file(one_step("d(inv(Y))/dt", "-inv(Y) inv(Y) d(Y)/dt", "algebra"), head=T_HEAD))
    [d] = [d for d in r.diagnostics if d.code.id == "VP201"]
    assert "∂Y[1,1]/∂t =" in "\n".join(d.detail)  # the wording is the feature: ∂t, not ∂t[]


def test_det_times_trace_of_inverse_is_n_only_at_n_1():
    # det(X)·tr(X⁻¹) is the trace of the adjugate: n at n = 1 and not at n = 2 (the size-grid trap)
    r = check_text(file(one_step("det(X) tr(inv(X))", "n", "algebra")))
    assert "VP201" in codes(r) and theorem_of(r).status == "failed"
    [d] = [d for d in r.diagnostics if d.code.id == "VP201"]
    assert any("n = 2" in line or "n = 3" in line for line in d.detail)


def test_the_counterexample_to_a_log_det_step_has_a_positive_determinant():
    r = check_text(file(one_step("d(logdet(X))/dX[p, q]", "inv(X)[p, q]", "algebra")))
    assert "VP201" in codes(r)


# ---- checked, not proved: outside what the laws decide ----------------------------------------------

def test_entries_written_out_are_checked_not_proved():
    # with entries named by numerals the sums are written out, so no contraction is left to rewrite:
    # the difference that remains has no counterexample, and that is "checked", never "proved" or "false"
    head = "dim n = 2\nvar X : matrix(n, n) invertible\n"
    r = check_text(head + one_step("X[1, 1] inv(X)[1, 1] + X[1, 2] inv(X)[2, 1]", "1", "algebra"))
    assert codes(r) == ["VP205"] and theorem_of(r).status != "proved"


def test_a_concrete_size_used_through_indices_is_proved():
    # X X⁻¹ = I at n = 2: decided as for a symbolic size (the contraction law holds at every size), then
    # cross-checked at random invertible 2×2 matrices
    head = "dim n = 2\nvar X : matrix(n, n) invertible\n"
    r = check_text(head + one_step("X inv(X)", "I(n)", "algebra"))
    assert codes(r) == [] and theorem_of(r).status == "proved"


def test_a_log_det_value_with_no_exact_counterexample_is_checked_not_false():
    # the search draws X with det X = 1, where log det X = 0 holds: the sides differ elsewhere, but
    # no exact point is found, so the step is "checked", and the detail says why
    r = check_text(file(one_step("logdet(X)", "0", "algebra")))
    assert codes(r) == ["VP205"] and theorem_of(r).status != "proved"
    [d] = r.diagnostics
    assert "n ∈ {1, 2}" in d.message and any("Inverses and determinants" in line for line in d.detail)


# ---- rules: the laws are cited by name ----------------------------------------------------------------

def test_the_inverse_of_a_constant_has_derivative_zero_by_the_product_rule_alone():
    assert_codes(file(one_step("d(a^T inv(C) b)/dX[p, q]", "0", "product_rule")), status={"t": "proved"})


@pytest.mark.parametrize("lhs, rhs, rules", [
    ("sum(j, X[i, j] inv(X)[j, k])", "delta(i, k)", "index_collapse"),
    ("d(inv(X)[i, k])/dX[p, q]", "-inv(X)[i, p] inv(X)[q, k]", "product_rule, index_collapse"),
    ("d(det(X))/dX[p, q]", "det(X) inv(X)[q, p]", "product_rule, inverse_derivative, index_collapse"),
    ("d(logdet(X))/dX[p, q]", "inv(X)[q, p]", "product_rule, det_derivative, index_collapse"),
])
def test_a_law_that_is_not_cited_does_not_explain_the_step(lhs, rhs, rules):
    assert_codes(file(one_step(lhs, rhs, rules)), "VP202", status={"t": "proved"})


# ---- refused with a positioned sentence -----------------------------------------------------------------

@pytest.mark.parametrize("decl, expr, code", [
    ("", "inv(A)", "VP105"),  # A is not declared invertible
    ("", "logdet(A)", "VP105"),
    ("", "inv(A B)", "VP111"),  # the inverse of an expression: not yet
    ("", "det(A + B)", "VP111"),
    ("", "det A", "VP107"),  # a function is applied with parentheses
    ("const v : vector(n) invertible\n", "a", "VP105"),  # only a square matrix is invertible
    ("", "inv(a)", "VP102"),
    ("", "A^-2", "VP111"),
])
def test_what_is_not_supported_is_refused_with_a_code(decl, expr, code):
    r = check_text(file(decl + one_step(expr, expr, "algebra")))
    assert code in codes(r) and "VP101" not in codes(r)


def test_det_is_still_a_name_a_file_may_declare():
    r = check_text(file("const det : scalar\n" + one_step("det a", "a det", "algebra")))
    assert codes(r) == [] and theorem_of(r).status == "proved"


# ---- front ends: the atoms are printed back in the language and rendered ------------------------------

def run_cli(tmp_path, *args):
    src = tmp_path / "inv.vproof"
    src.write_text(file(one_step("d(logdet(X))/dX[p, q] + d(det(X))/dX[p, q]",
                                 "inv(X)[q, p] + det(X) inv(X)[q, p]", "algebra")), encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "vecproof", *args, str(src)], capture_output=True, text=True,
                          timeout=120)


def test_explain_prints_the_index_form_with_inv_det_and_logdet(tmp_path):
    out = run_cli(tmp_path, "check", "--no-cache", "--explain")
    assert out.returncode == 0
    assert "d(logdet(X))/dX[p,q]" in out.stdout and "det(X) inv(X)[q,p]" in out.stdout  # the text is the feature


def test_latex_renders_the_inverse_and_the_determinant(tmp_path):
    src = tmp_path / "inv.vproof"
    src.write_text(file(one_step("det(X⁻¹) det(X)", "1", "inverse_def")), encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "vecproof", "render", str(src), "--to", "latex"],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and r"\det\left(\mathbf{X}^{-1}\right)" in out.stdout


def test_a_function_of_a_log_determinant_is_checked_never_an_internal_error():
    # exp(logdet X) = det X is true but neither law set knows it: the counterexample search meets
    # intervals (exp) and exact rationals (X⁻¹) together, which must skip the point, not crash (was VP902)
    r = check_text(file(one_step("d(exp(logdet(X)))/dX[p, q]", "det(X) inv(X)[q, p]", "algebra")))
    assert codes(r) == ["VP205"], [d.message for d in r.diagnostics]
    assert "checked for sizes" in r.diagnostics[0].message
def test_a_negative_power_says_to_write_a_product_of_inverses():
    r = check_text(file(one_step("X^-2", "X^-2", "algebra")))
    [d, *_] = [d for d in r.diagnostics if d.code.id == "VP111"]
    assert "X⁻¹ X⁻¹" in d.message  # the advice is the feature
