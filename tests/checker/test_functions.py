"""Scalar and elementwise functions and the chain rule (issue "Beyond polynomials"): exp, log, sqrt,
sigmoid, tanh, division by scalars, softmax and logsumexp, declared scalar functions — whole files
through check_text, asserted on codes, verdicts and the assumptions a verdict lists."""

from pathlib import Path

import pytest

from harness import assert_codes, codes
from vecproof.checker import check_text

HEAD = """layout denominator
dim n
index i, j, k : n
var x : vector(n)
var t : scalar
const a, b : vector(n)
const c : scalar
func f, g : scalar -> scalar
"""


def step(lhs: str, rhs: str, rule: str = "chain_rule", component: str = "") -> str:
    proof = f"proof (component {component}):" if component else "proof:"
    return HEAD + f"theorem t1:\n  {lhs} = {rhs}\n{proof}\n  {lhs}\n  = {rhs} by {rule}\nqed\n"


def verdict(src: str):
    [th] = check_text(src).theorems
    return th


PROVED = [
    ("d(exp(t))/dt", "exp(t)"),
    ("d(exp(c t))/dt", "c exp(c t)"),
    ("d(log(t))/dt", "1/t"),
    ("d(sqrt(t))/dt", "1/(2 sqrt(t))"),
    ("d(sigmoid(t))/dt", "sigmoid(t) (1 - sigmoid(t))"),
    ("d(σ(t))/dt", "σ(t) - σ(t)^2"),
    ("d(tanh(t))/dt", "1 - tanh(t)^2"),
    ("d(1/t)/dt", "-1/t^2"),
    ("d(log(sigmoid(t)))/dt", "1 - sigmoid(t)"),  # 1/σ · σ(1 − σ): an atom cancels its reciprocal
    ("d(f(g(t)))/dt", "f'(g(t)) g'(t)"),
    ("d(f'(t))/dt", "f''(t)"),
    ("d(f(t^2))/dt", "2 t f'(t^2)"),
    ("d(exp(f(t)))/dt", "exp(f(t)) f'(t)"),
]


@pytest.mark.parametrize("lhs, rhs", PROVED)
def test_derivative_laws_and_the_chain_rule_are_proved(lhs, rhs):
    r = assert_codes(step(lhs, rhs), status={"t1": "proved"})
    assert r.theorems[0].status == "proved"


def test_gradient_of_logsumexp_is_softmax_for_all_n():
    src = HEAD + """theorem lse: grad(logsumexp(x), x) = softmax(x)
proof (component k):
    d(logsumexp(x))/dx[k]
  = d(log(sum(j, exp(x[j]))))/dx[k]                     by logsumexp_def
  = sum(j, exp(x[j]) delta(j, k)) / sum(j, exp(x[j]))  by chain_rule
  = exp(x[k]) / sum(j, exp(x[j]))                       by index_collapse
  = softmax(x)[k]                                       by softmax_def
qed
"""
    r = assert_codes(src, status={"lse": "proved"})
    assert r.theorems[0].sizes == ("n",)
    # bound indices are named i, j, … in order in an assumption, so that one written twice is listed once
    assert any(a.endswith("> 0") and "Σ_i exp(x[i])" in a for a in r.theorems[0].assumptions)


def test_the_denominator_assumption_is_stated_in_the_users_terms():
    th = verdict(step("d(1/(1 + exp(-t)))/dt", "exp(-t)/(1 + exp(-t))^2"))
    assert th.status == "proved"
    assert "1 + exp(-t) ≠ 0" in th.assumptions  # the wording is the feature


def test_entrywise_application_to_a_vector():
    th = verdict(step("d(sum(i, exp(x)[i]))/dx[k]", "exp(x[k])", rule="chain_rule, index_collapse",
                      component=""))
    assert th.status == "proved"


def test_division_clears_closed_denominators():
    th = verdict(step("(a^T x) / (b^T x) + 1", "(a^T x + b^T x) / (b^T x)", rule="algebra"))
    assert th.status == "proved" and any("≠ 0" in a for a in th.assumptions)


# ---- false steps: a genuine counterexample, stated ------------------------------------------------------

def test_sigma_prime_is_not_sigma_squared():
    r = check_text(step("d(sigmoid(t))/dt", "sigmoid(t)^2"))
    assert "VP201" in codes(r) and "VP207" in codes(r)
    [d, *_] = [d for d in r.diagnostics if d.code.id == "VP201"]
    assert any(line.startswith("  with t = ") for line in d.detail)  # the point is stated
    assert any("interval" in line for line in d.detail)


def test_the_chain_rules_factors_in_the_wrong_order_are_false():
    r = check_text(step("d(f(g(t)))/dt", "g'(f(t)) f'(t)"))
    assert "VP201" in codes(r)
    [d, *_] = [d for d in r.diagnostics if d.code.id == "VP201"]
    assert any("f′(" in line or "g′(" in line for line in d.detail)  # the function values at the point


@pytest.mark.parametrize("fn", ["f", "exp"])
def test_sum_of_f_is_not_f_of_sum_trap(fn):
    """Σᵢ f(xᵢ) = f(Σⱼ xⱼ) holds at n = 1 only: never proved, false with a counterexample at n = 2."""
    r = check_text(step(f"sum(i, {fn}(x[i]))", f"{fn}(sum(j, x[j]))", rule="algebra"))
    assert "VP201" in codes(r)
    [d, *_] = [d for d in r.diagnostics if d.code.id == "VP201"]
    assert d.detail[0].startswith("counterexample: n = 2")


# ---- no counterexample found: checked, not proved (VP205) --------------------------------------------------

@pytest.mark.parametrize("lhs, rhs", [("exp(t) exp(c)", "exp(t + c)"), ("log(exp(t) exp(c))", "t + c")])
def test_true_identities_outside_the_normal_form_are_checked_not_proved(lhs, rhs):
    r = check_text(step(lhs, rhs, rule="algebra"))
    assert "VP205" in codes(r) and "VP201" not in codes(r)
    assert verdict(step(lhs, rhs, rule="algebra")).status != "proved"


# ---- refused ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("decl", ["func h : matrix(n, n) -> scalar", "func h(x) : scalar -> scalar",
                                  "const h : scalar -> scalar", "func h : scalar -> vector(n)"])
def test_only_functions_of_a_scalar_or_vector_to_a_scalar_are_declared_with_an_arrow(decl):
    r = check_text(HEAD + decl + "\n")
    assert "VP105" in codes(r)


def test_primes_need_a_declared_scalar_function():
    r = check_text(step("d(a'(t))/dt", "0"))
    assert "VP001" not in codes(r) and r.theorems[0].status != "proved"


@pytest.mark.parametrize("name", ["abs", "relu", "sign"])
def test_nondifferentiable_functions_stay_out(name):
    assert "VP111" in codes(check_text(step(f"d({name}(t))/dt", "0")))


def test_a_builtin_function_name_cannot_be_declared():
    assert "VP104" in codes(check_text(HEAD.replace("const c : scalar", "const exp : scalar")))


def test_a_reciprocal_of_a_sum_cancels_inside_a_sum_over_samples():
    """r·u = 1 for u = 1 − σ(…) with a bound index: the logistic loss's second half."""
    src = step("d(sum(i, log(1 - sigmoid(a[i] t))))/dt", "-sum(i, a[i] sigmoid(a[i] t))")
    assert verdict(src).status == "proved"
    assert "1 − sigmoid(a[i] t) > 0" in verdict(src).assumptions


def test_explain_prints_applications_as_the_language_writes_them():
    import subprocess
    import sys
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "f.vproof"
        path.write_text(step("d(f(g(t)))/dt", "f'(g(t)) g'(t)") + "theorem t2: 1/t = 1/t proof: 1/t = 1/t by algebra qed\n",
                        encoding="utf-8")
        run = subprocess.run([sys.executable, "-m", "vecproof", "check", str(path), "--explain", "--no-cache"],
                             capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "f'(g(t)) g'(t)" in run.stdout and "1/(t)" in run.stdout


def test_division_by_an_expression_that_is_zero_is_never_proved_nor_false():
    r = check_text(step("t/(t - t)", "1/(t - t)", rule="algebra"))
    assert "VP205" in codes(r) and "VP201" not in codes(r) and "VP902" not in codes(r)


def test_a_false_step_with_a_fractional_constant_gets_its_interval_counterexample():
    """Found by the mutation suite: constants are compiled before the interval context existed."""
    r = check_text(step("d(exp(t) / 2)/dt", "exp(t)", rule="chain_rule"))
    assert "VP201" in codes(r) and "VP902" not in codes(r)


def test_render_states_a_scalar_functions_signature():
    import subprocess
    import sys

    path = Path(__file__).resolve().parents[2] / "examples" / "bad" / "chain_rule_wrong_order.vproof"
    run = subprocess.run([sys.executable, "-m", "vecproof", "render", str(path), "--to", "markdown"],
                         capture_output=True, text=True)
    assert r"$f : \mathbb{R} \to \mathbb{R}$" in run.stdout and "functions of ." not in run.stdout
    path = path.parents[1] / "ml" / "chain_rule.vproof"
    run = subprocess.run([sys.executable, "-m", "vecproof", "render", str(path), "--to", "markdown"],
                         capture_output=True, text=True)
    assert r"$F : \mathbb{R}^{m} \to \mathbb{R}$" in run.stdout  # scalar-valued: not bold


# ---- the entrywise product and diag ----------------------------------------------------------------

def test_entrywise_product_and_diag_unfold_by_their_definitions():
    src = HEAD + """theorem t1: diag(a) b = a ⊙ b
proof (component k):
  (diag(a) b)[k]
  = sum(i, delta(k, i) a[k] b[i]) by matvec_def, diag_def
  = (a ⊙ b)[k] by index_collapse, hadamard_def
qed
"""
    assert_codes(src, status={"t1": "proved"})


def test_the_entrywise_product_is_not_the_inner_product():
    r = check_text(HEAD + "theorem t1: sum(i, (a ⊙ b)[i]) = a[k] b[k]\nproof: sum(i, (a ⊙ b)[i])\n"
                          "  = a[k] b[k] by hadamard_def\nqed\n")
    assert "VP201" in codes(r)


@pytest.mark.parametrize("expr", ["a ⊙ c", "diag(c)", "diag(a^T)"])
def test_entrywise_product_and_diag_check_shapes(expr):
    assert "VP102" in codes(check_text(HEAD + f"theorem t1: {expr} = {expr}\nproof: {expr}\n  = {expr} by algebra\nqed\n"))


# ---- declared functions of a vector: F : ℝᵐ → ℝ and the chain rule through u(x) -------------------------

VECTOR_HEAD = """layout denominator
dim m, n
index j : m
index k, l : n
var x : vector(n)
func u(x) : vector(m)
func F : vector(m) -> scalar
func G : vector(n) -> scalar
const A : matrix(m, n)
"""


def test_the_chain_rule_through_a_vector_function_is_proved_for_all_sizes():
    src = VECTOR_HEAD + """theorem t1: grad(F(u), x) = D(u)^T F'(u)
proof (component k):
  d(F(u))/dx[k]
  = sum(j, F'(u)[j] d(u[j])/dx[k]) by chain_rule
  = (D(u)^T F'(u))[k] by jacobian_def, matvec_def
qed
"""
    r = assert_codes(src, status={"t1": "proved"})
    assert r.theorems[0].sizes == ("m", "n") and "F differentiable" in r.theorems[0].assumptions


def test_the_jacobian_untransposed_is_false_with_the_gradient_at_the_point():
    src = VECTOR_HEAD.replace("func u(x) : vector(m)", "func u(x) : vector(n)").replace(
        "func F : vector(m) -> scalar", "func F : vector(n) -> scalar")
    r = check_text(src + "theorem t1: grad(F(u), x) = D(u) F'(u)\nproof (component k):\n  d(F(u))/dx[k]\n"
                         "  = (D(u) F'(u))[k] by chain_rule, jacobian_def, matvec_def\nqed\n")
    [d, *_] = [d for d in r.diagnostics if d.code.id == "VP201"]
    assert any("F′[" in line for line in d.detail)  # ∇F's entries at the counterexample


def test_the_hessian_of_a_declared_vector_function_is_symmetric_under_its_assumption():
    src = VECTOR_HEAD + """theorem t1: hess(G(x), x) = G''(x)^T
proof:
  hess(G(x), x)
  = G''(x)^T by hessian_def, chain_rule
qed
"""
    r = assert_codes(src, status={"t1": "proved"})
    assert "G twice continuously differentiable" in r.theorems[0].assumptions


@pytest.mark.parametrize("arg", ["A x", "x", "u + u"])
def test_a_vector_function_applies_to_a_declared_vector_of_its_size(arg):
    r = check_text(VECTOR_HEAD + f"theorem t1: F({arg}) = F({arg})\nproof: F({arg})\n  = F({arg}) by algebra\nqed\n")
    assert {"VP107", "VP102"} & set(codes(r)) or "VP111" in codes(r)


@pytest.mark.parametrize("expr, assumed", [("log(0)", "0 > 0"), ("sqrt(-1)", "-1 > 0"), ("t / (t - t)", "t − t ≠ 0")])
def test_a_step_that_is_the_same_expression_still_lists_the_domain_it_assumes(expr, assumed):
    # a = a is proved at once (reflexivity), but where a is undefined the verdict must say what it
    # assumes: before, log(0) = log(0) was "proved" with no assumption at all
    th = verdict(step(expr, expr, "algebra"))
    assert th.status == "proved" and assumed in th.assumptions, th.assumptions


def test_the_reciprocal_of_a_function_value_is_written_with_a_slash():
    # `^-1` is a matrix inverse: on sigmoid(t) it said "'sigmoid' is not declared"
    result = check_text(step("sigmoid(t)^-1", "sigmoid(t)^-1", "algebra"))
    assert {d.code.id for d in result.diagnostics} == {"VP111"}
    assert all("1/(sigmoid(" in d.message for d in result.diagnostics)


def test_a_theorem_lists_t_positive_once_not_also_t_nonzero():
    # d(log t)/dt assumes t > 0 (log), and its right side 1/t assumes t ≠ 0: the theorem lists the stronger
    th = verdict(step("d(log(t))/dt", "1/t"))
    assert th.status == "proved"
    assert "t > 0" in th.assumptions and "t ≠ 0" not in th.assumptions, th.assumptions
    assert th.verdict().endswith("assuming t > 0)"), th.verdict()


def test_log_and_exp_are_inverse_functions():
    th = verdict(step("log(exp(t))", "t", "algebra"))
    assert th.status == "proved" and th.assumptions == ()  # exp(t) > 0 always: not listed
    th = verdict(step("exp(log(t))", "t", "algebra"))
    assert th.status == "proved" and th.assumptions == ("t > 0",)
    th = verdict(step("d(log(exp(c x^T a)))/dx[k]", "c a[k]", "chain_rule, dot_def, product_rule, index_collapse"))
    assert th.status == "proved"
    # not by accident: twice the argument is false, with a genuine counterexample
    r = check_text(step("log(exp(t))", "2 t", "algebra"))
    assert "VP201" in codes(r)
    # exp of a sum of logs is not merged: VP205, neither proved nor false
    r = check_text(step("exp(log(t) + log(t))", "t^2", "algebra"))
    assert "VP205" in codes(r)
