"""The norm itself, not squared: ‖x‖ = sqrt(Σ x[i]²), ‖X‖_F, norm(x), and their powers — whole files
through check_text, asserted on codes, verdicts and the assumptions listed."""

from harness import assert_codes, codes
from vecproof.checker import check_text

HEAD = """layout denominator
dim m, n
index i, k, l : n
index p : m
var x : vector(n)
var X : matrix(m, n)
const a : vector(n)
const A : matrix(m, n)
"""


def theorem(lhs: str, rhs: str, rules: str, component: str = "") -> str:
    """One theorem proved in one step; with a component index, the step is between entries."""
    proof = f"proof (component {component}):" if component else "proof:"
    first, last = (f"({lhs})[{component}]", f"({rhs})[{component}]") if component else (lhs, rhs)
    return HEAD + f"theorem t1:\n  {lhs} = {rhs}\n{proof}\n  {first}\n  = {last} by {rules}\nqed\n"


def only_theorem(src: str):
    [th] = check_text(src).theorems
    return th


def test_the_gradient_of_the_norm_is_the_unit_vector_assuming_x_nonzero():
    th = only_theorem(theorem("grad(‖x‖, x)", "x / ‖x‖", "gradient_def, norm_def, chain_rule, product_rule, "
                                                         "index_collapse", "k"))
    assert th.status == "proved"
    assert th.assumptions == ("Σ_i (x[i])^2 > 0",)  # sqrt(…) ≠ 0 follows from it and is not listed


def test_every_spelling_of_the_norm_means_the_same():
    for spelling in ("norm(x)", "||x||", "‖x‖"):
        assert_codes(theorem(spelling, "sqrt(sum(i, x[i]^2))", "norm_def"))
    assert_codes(theorem("normF(X)", "‖X‖_F", "algebra"))
    assert_codes(theorem("‖X‖_F", "sqrt(sum(p, sum(i, X[p, i]^2)))", "norm_def"))


def test_the_norm_times_itself_is_the_squared_norm_and_powers_agree():
    assert_codes(theorem("‖x‖ * ‖x‖", "‖x‖^2", "algebra"))
    assert_codes(theorem("‖x‖^4", "(x^T x)^2", "norm_def, dot_def"))
    assert_codes(theorem("‖x‖^3", "‖x‖ * ‖x‖^2", "algebra"))
    assert_codes(theorem("grad(‖x‖^3, x)", "3 * ‖x‖ x", "gradient_def, norm_def, chain_rule, product_rule, "
                                                           "index_collapse", "k"))


def test_a_false_norm_step_has_a_genuine_counterexample():
    src = theorem("grad(‖x - a‖, x)", "x - a", "gradient_def, norm_def, chain_rule, product_rule, index_collapse", "k")
    r = check_text(src)
    assert "VP201" in codes(r)
    [d] = [d for d in r.diagnostics if d.code.id == "VP201"]
    assert d.counterexample is not None
    # the sum of entries is not the norm: at x = (−2), ‖x‖ = 2 ≠ −2
    r = check_text(theorem("‖x‖", "sum(i, x[i])", "norm_def"))
    assert "VP201" in codes(r)


def test_the_norm_of_a_matrix_needs_F_and_a_norm_after_an_expression_needs_a_star():
    r = check_text(theorem("‖A‖", "sqrt(sum(p, sum(i, A[p, i]^2)))", "norm_def"))
    assert "VP107" in codes(r)
    assert any("‖X‖_F or normF(X)" in d.message for d in r.diagnostics), [d.message for d in r.diagnostics]
    r = check_text(theorem("2 ‖x‖", "‖x‖ + ‖x‖", "algebra"))
    assert codes(r)[0] == "VP001"
    assert "2 * ‖x‖" in r.diagnostics[0].message


def test_the_hessian_of_the_norm():
    assert_codes(theorem("d(d(‖x‖)/dx[k])/dx[l]", "delta(k, l) / ‖x‖ - x[k] x[l] / ‖x‖^3",
                         "norm_def, chain_rule, product_rule, index_collapse"))


def test_one_assumption_written_with_other_bound_names_is_listed_once():
    src = HEAD.replace("index p : m", "index p, r : m\nindex q, s : n") + """
theorem t1:
  grad(‖X‖_F, X) = X / ‖X‖_F
proof (component (p, q)):
     grad(‖X‖_F, X)[p, q]
   = d(sqrt(sum(r, sum(s, X[r, s]^2))))/dX[p, q]     by gradient_def, norm_def
   = X[p, q] / sqrt(sum(r, sum(s, X[r, s]^2)))       by chain_rule, product_rule, index_collapse
   = (X / ‖X‖_F)[p, q]                               by norm_def
qed
"""
    th = only_theorem(src)
    assert th.status == "proved"
    assert th.assumptions == ("Σ_i Σ_j (X[i,j])^2 > 0",), th.assumptions
