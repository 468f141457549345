"""Whole files through the library entry point: verdicts, codes, positions, counterexamples."""

import pytest
from proofs import HEAD, QUADRATIC_FORM_GRADIENT

from vecproof.checker import check_bytes, check_text
from harness import assert_codes, codes

QUADRATIC = QUADRATIC_FORM_GRADIENT



def only(result, code):
    found = [d for d in result.diagnostics if d.code.id == code]
    assert found, f"no {code} in {[(d.code.id, d.message) for d in result.diagnostics]}"
    return found[0]


def test_quadratic_form_is_proved_for_all_n_with_its_assumption():
    r = check_text(QUADRATIC)
    assert codes(r) == []
    [t] = r.theorems
    assert t.status == "proved"
    assert t.sizes == ("n",)
    assert t.assumptions == ("A independent of x",)
    assert [s.status for s in t.steps] == ["proved"] * 4
    assert all(s.explained for s in t.steps)


def test_false_step_has_position_and_a_genuine_counterexample():
    text = QUADRATIC.replace("sum(j, A[k,j] x[j]) + sum(i, A[i,k] x[i])", "2 sum(j, A[k,j] x[j])")
    r = check_text(text)
    d = only(r, "VP201")
    assert (d.span.line, d.span.col) == (13, 6)
    detail = "\n".join(d.detail)
    assert "counterexample: n = " in detail
    assert "line before = " in detail and "this line = " in detail
    # the values printed are the values the sides take
    before = int(detail.split("line before = ")[1].split(",")[0])
    after = int(detail.split("this line = ")[1].split()[0])
    assert before != after
    assert r.theorems[0].status == "failed"


def test_sum_of_squares_trap_is_rejected():
    r = check_text(HEAD + "theorem t: sum(i, x[i])^2 = sum(i, x[i]^2) proof: sum(i, x[i])^2 "
                   "= sum(i, x[i]^2) by algebra qed")
    assert "VP201" in codes(r)
    assert "VP207" in codes(r)
    assert r.theorems[0].status == "failed"


def test_layout_slip_is_named():
    r = check_text(HEAD + "theorem t: d(A x)/dx = A proof: d(A x)/dx = A by gradient_def qed")
    d = only(r, "VP201")
    assert any("transposed" in line and "layout denominator" in line for line in d.detail)


def test_layout_is_required_for_gradients():
    r = check_text(HEAD.replace("layout denominator\n", "") + "theorem t: grad(x^T x) = 2 x proof: grad(x^T x) qed")
    assert "VP108" in codes(r)


def test_numerator_layout_makes_the_gradient_a_row():
    text = HEAD.replace("denominator", "numerator") + (
        "theorem t: grad(x^T x) = 2 x^T proof (component k): d(x^T x)/dx[k] "
        "= d/dx[k] sum(i, x[i] x[i]) by expand_sums = sum(i, delta(i,k) x[i] + x[i] delta(i,k)) by product_rule "
        "= 2 x[k] by index_collapse qed")
    assert_codes(text, status={"t": "proved"})
    col = check_text(text.replace("= 2 x^T proof", "= 2 x proof"))
    d = only(col, "VP102")
    assert "1×n" in d.message and "n×1" in d.message
    assert any("transpose" in line for line in d.detail)


def test_unexplained_step_is_a_warning_naming_the_rule_that_explains_it():
    text = QUADRATIC.replace("by index_collapse", "by product_rule")
    r = check_text(text)
    d = only(r, "VP202")
    assert d.level.value == "warning"
    assert "index_collapse" in d.message
    assert r.theorems[0].status == "proved"


def test_algebra_accepts_any_true_step():
    r = check_text(QUADRATIC.replace("by index_collapse", "by algebra"))
    assert codes(r) == []


def test_chain_must_start_and_end_at_the_theorem():
    start = check_text(HEAD + "theorem t: x^T A x = x^T A^T x proof: x^T x = x^T x by algebra qed")
    assert "VP203" in codes(start) and "VP204" in codes(start)
    assert start.theorems[0].status == "failed"


def test_partial_range_is_checked_not_proved():
    text = HEAD + ("theorem t: x[k] = x[k] proof: x[k] = sum(i = 1..n-1, delta(i, k) x[i]) by index_collapse "
                   "= x[k] by index_collapse qed")
    r = check_text(text)
    assert "VP201" in codes(r)  # false: at k = n the sum misses x[n]
    true_partial = HEAD + ("theorem t: x[k] = x[k] proof: x[k] = x[k] + sum(i = 1..n-1, x[i]) - "
                           "sum(i = 1..n-1, x[i]) by algebra = x[k] by algebra qed")
    r = check_text(true_partial)
    d = only(r, "VP205")
    assert "not proved" in d.message
    assert r.theorems[0].status == "unproved"


def test_symmetric_assumption_is_stated():
    text = """layout denominator
dim n
index i, j, k : n
var x : vector(n)
const S : matrix(n, n) symmetric
theorem t: grad(x^T S x) = 2 S x
proof (component k):
  d(x^T S x)/dx[k]
  = sum(j, S[k,j] x[j]) + sum(i, S[i,k] x[i]) by expand_sums, product_rule, index_collapse
  = 2 (S x)[k] by matvec_def, symmetry
qed
"""
    r = check_text(text)
    assert codes(r) == []
    assert "S symmetric" in r.theorems[0].assumptions
    unsym = check_text(text.replace(" symmetric\n", "\n"))
    assert "VP201" in codes(unsym)


def test_constant_function_is_an_assumption_of_the_verdict():
    text = """layout numerator
dim n, m
index i : m
index k : n
var x : vector(n)
func u(x) : vector(m)
const v : vector(m)
theorem t: grad(u^T v) = v^T D(u)
proof (component k):
  d(u^T v)/dx[k]
  = sum(i, D(u)[i, k] v[i]) by expand_sums, product_rule, jacobian_def
  = (v^T D(u))[k] by matmul_def
qed
"""
    r = check_text(text)
    assert r.theorems[0].status == "proved"
    assert "v independent of x" in r.theorems[0].assumptions


@pytest.mark.parametrize(
    "body, code",
    [
        ("theorem t: y = x proof: x qed", "VP101"),
        ("theorem t: A x = x^T proof: A x qed", "VP102"),
        ("dim m\nindex p : m\ntheorem t: x[p] = x[p] proof: x[p] qed", "VP103"),
        ("dim n\n", "VP104"),
        ("theorem t: x = x proof: x = x by magic qed", "VP106"),
        ("theorem t: x[1] = x[1] proof: x[1] qed", "VP107"),
        ("theorem t: x = x proof: x = x by algebra = x qed", "VP206"),
        ("theorem t: x = x proof: x = x qed", "VP206"),
        ("theorem t: x = x proof x = qed", "VP001"),
    ],
)
def test_input_errors_have_codes_and_positions(body, code):
    r = check_text(HEAD + body)
    d = only(r, code)
    assert d.span.line >= 1 and d.span.col >= 1
    assert d.message


def test_unknown_name_suggests_a_close_one():
    d = only(check_text(HEAD + "theorem t: xx = x proof: x qed"), "VP101")
    assert "did you mean 'x'" in d.message


def test_binary_empty_and_invalid_utf8_input():
    assert codes(check_bytes(b"\x00\x01\x02")) == ["VP002"]
    bad = check_bytes(b"dim n\n\xff\xfe")
    assert codes(bad) == ["VP002"] and bad.diagnostics[0].span.line == 2
    assert codes(check_text("")) == ["VP003"]
    assert codes(check_text("# just a comment\n")) == ["VP003"]


def test_crlf_and_tabs_are_accepted():
    assert_codes(QUADRATIC.replace("\n", "\r\n").replace("   ", "\t"), status={"quadratic_form_gradient": "proved"})


def test_frobenius_sum_with_wrong_range_is_caught_even_though_it_holds_when_sizes_agree():
    text = """layout denominator
dim n, m
index i : n
index j : m
var X : matrix(n, m)
theorem t: normF(X)^2 = sum(i, sum(j, X[i,j]^2))
proof: normF(X)^2 = sum(i, sum(j, X[i,j]^2)) by norm_def qed
"""
    assert codes(check_text(text)) == []
    wrong = text.replace("index j : m", "index j : m\nindex jj : n").replace(
        "= sum(i, sum(j, X[i,j]^2)) by", "= sum(i, sum(jj, X[i,jj]^2)) by")
    assert "VP103" in codes(check_text(wrong))


def test_a_scalar_inside_folded_notation_is_bookkeeping():
    text = """layout denominator
dim n, m
index k : n
index p : m
var x : vector(n)
const B : matrix(m, n)
theorem t: d(2 B x)/dx = 2 B^T
proof (component (k, p)):
  (d(2 B x)/dx)[k, p]
  = d(2 (B x)[p])/dx[k] by gradient_def
  = 2 B[p, k] by matvec_def, product_rule, index_collapse
qed
"""
    r = check_text(text)
    assert codes(r) == []
    assert r.theorems[0].status == "proved"


def test_component_indices_must_differ_or_only_the_diagonal_would_be_proved():
    # found by tests/robustness: `proof (component (k, k))` proved A = A^T from its diagonal
    r = check_text(HEAD + "theorem t: A = A^T proof (component (k, k)): A[k, k] = (A^T)[k, k] by algebra qed")
    assert "VP103" in codes(r)
    assert r.theorems[0].status == "failed"
    ok = check_text(HEAD + "theorem t: A = A^T proof (component (j, k)): A[j, k] = (A^T)[j, k] by algebra qed")
    assert "VP201" in codes(ok) or "VP204" in codes(ok)
    assert ok.theorems[0].status == "failed"


def test_a_component_index_already_free_in_the_statement_is_refused():
    # d(x[k]^2/2)/dx is the vector with entries δ(r,k) x[k], not x; its entry k does equal x[k], so
    # naming the component k (already free in the statement) would "prove" the false theorem.
    text = HEAD + ("theorem t: d(x[k]^2 / 2)/dx = x proof (component k): d(x[k]^2 / 2)/dx[k] "
                   "= x[k] by product_rule qed")
    r = check_text(text)
    assert "VP103" in codes(r) and r.theorems[0].status == "failed"
    renamed = check_text(text.replace("proof (component k): d(x[k]^2 / 2)/dx[k]", "proof (component j): "
                                      "d(x[k]^2 / 2)/dx[j]").replace("= x[k] by", "= x[j] by"))
    assert "VP201" in codes(renamed) and renamed.theorems[0].status == "failed"


UNDECLARED_COMPONENT = """layout denominator
dim m, n
var x : vector(n)
const A : matrix(m, n)

theorem linear_map:
  d(A x)/dx = A^T
proof (component (k, p)):
     (d(A x)/dx)[k, p]
   = d((A x)[p])/dx[k]                  by gradient_def
   = d(sum(j, A[p, j] x[j]))/dx[k]      by matvec_def
   = sum(j, A[p, j] delta(j, k))        by product_rule
   = A[p, k]                            by index_collapse
   = (A^T)[k, p]                        by algebra
qed
"""


def test_a_component_index_need_not_be_declared():
    # k ranges over the rows of the statement (n), p over its columns (m), in this proof only
    r = assert_codes(UNDECLARED_COMPONENT, status={"linear_map": "proved"})
    assert r.theorems[0].sizes == ("m", "n")


def test_an_undeclared_component_index_used_in_a_slot_of_another_size_is_an_index_error():
    src = UNDECLARED_COMPONENT.replace("   = A[p, k]                            by index_collapse\n",
                                       "   = A[k, p]                            by index_collapse\n")
    assert "VP103" in codes(check_text(src))


def test_a_component_named_like_a_variable_is_still_refused():
    src = UNDECLARED_COMPONENT.replace("proof (component (k, p)):", "proof (component (x, p)):")
    r = check_text(src)
    assert any(d.code.id == "VP103" and "'x' is not a declared index variable" in d.message for d in r.diagnostics)
