"""Exercise mode (CheckOptions(exercise=True)): the working is checked, not just the result."""

import pytest

from vecproof.cache import Cache
from vecproof.checker import check_bytes, check_text
from vecproof.diagnostics import Severity
from vecproof.options import CheckOptions
from harness import assert_codes, codes

EXERCISE = CheckOptions(exercise=True)

HEAD = """layout denominator
dim n
index i, k : n
var x : vector(n)
const B : matrix(n, n)
"""

PROOF = HEAD + """
theorem squared_norm_gradient:
  grad(‖x‖²) = 2 x
proof (component k):
     d(‖x‖²)/dx[k]
   = d(sum(i, x[i]^2))/dx[k]            by norm_def
   = sum(i, 2 x[i] delta(i, k))         by product_rule
   = 2 x[k]                             by index_collapse
qed
"""
STEP = "   = sum(i, 2 x[i] delta(i, k))         by product_rule\n"
CITES_ALGEBRA = PROOF.replace(STEP, STEP.replace("by product_rule", "by algebra"))
UNEXPLAINED = PROOF.replace(STEP, STEP.replace("by product_rule", "by norm_def"))
UNCITED = PROOF.replace(STEP, STEP.replace("by product_rule", ""))
# a pure rearrangement (renaming the bound index) cited as algebra
REARRANGES = (HEAD + """
theorem linear_map:
  grad(x^T B^T x) = (B + B^T) x
proof (component k):
     d(x^T B^T x)/dx[k]
   = d/dx[k] sum(i, sum(j, B[j,i] x[i] x[j]))                   by expand_sums
   = sum(i, sum(j, B[j,i] (delta(i,k) x[j] + x[i] delta(j,k))))  by product_rule
   = sum(j, B[j,k] x[j]) + sum(i, B[k,i] x[i])                   by index_collapse
   = sum(i, B[i,k] x[i]) + sum(i, B[k,i] x[i])                   by algebra
   = ((B + B^T) x)[k]                                            by matvec_def
qed
""").replace("index i, k : n", "index i, j, k : n")



def test_a_fully_cited_proof_is_proved_in_exercise_mode():
    assert_codes(PROOF, status={"squared_norm_gradient": "proved"}, options=EXERCISE)


def test_citing_algebra_passes_normally_and_fails_in_exercise_mode():
    normal = check_text(CITES_ALGEBRA)
    assert codes(normal) == [] and normal.passed()
    r = check_text(CITES_ALGEBRA, options=EXERCISE)
    assert codes(r) == ["VP209"] and not r.passed()
    [d] = r.diagnostics
    assert d.level == Severity.ERROR and (d.span.line, d.span.col) == (12, 44)
    assert "it follows by product_rule" in d.message
    assert r.theorems[0].status == "failed"


def test_algebra_cited_beside_other_rules_is_still_forbidden():
    text = PROOF.replace(STEP, STEP.replace("by product_rule", "by product_rule, algebra"))
    assert codes(check_text(text)) == []
    assert codes(check_text(text, options=EXERCISE)) == ["VP209"]


def test_a_pure_rearrangement_cited_as_algebra_is_told_to_merge():
    assert codes(check_text(REARRANGES)) == []
    [d] = check_text(REARRANGES, options=EXERCISE).diagnostics
    assert d.code.id == "VP209" and "only rearranges" in d.message


def test_an_unexplained_step_is_a_warning_normally_and_an_error_in_exercise_mode():
    normal = check_text(UNEXPLAINED)
    assert codes(normal, Severity.WARNING) == ["VP202"] and normal.passed() and not normal.passed(strict=True)
    r = check_text(UNEXPLAINED, options=EXERCISE)
    assert codes(r, Severity.ERROR) == ["VP202"] and not r.passed()
    assert r.theorems[0].status == "failed"


def test_an_uncited_step_is_a_warning_normally_and_an_error_in_exercise_mode():
    normal = check_text(UNCITED)
    assert codes(normal, Severity.WARNING) == ["VP206"] and normal.passed()
    r = check_text(UNCITED, options=EXERCISE)
    assert codes(r, Severity.ERROR) == ["VP206"] and not r.passed()
    assert "algebra" not in r.diagnostics[0].message  # not advised to cite what is forbidden


def test_check_bytes_passes_the_options_on():
    assert codes(check_bytes(CITES_ALGEBRA.encode(), "a.vproof", options=EXERCISE)) == ["VP209"]


@pytest.mark.parametrize("first, then", [(None, EXERCISE), (EXERCISE, None)])
def test_a_verdict_cached_in_one_mode_is_not_served_to_the_other(tmp_path, first, then):
    cache = Cache(tmp_path / "c", secret=b"k" * 32)
    check_text(CITES_ALGEBRA, "a.vproof", cache, options=first)
    again = check_text(CITES_ALGEBRA, "a.vproof", cache, options=then)
    assert cache.hits == 0
    assert codes(again) == (["VP209"] if then else [])
    check_text(CITES_ALGEBRA, "a.vproof", cache, options=then)
    assert cache.hits == 1  # but each mode's verdict is reused by that mode
