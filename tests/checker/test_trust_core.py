"""Only the kernel can make a proof pass: the `# expect:` header, chains that do no work, and the
kernel's Theorem value (issue "Trust", items 1 and 3 and "a trusted base that is small")."""

import json
import subprocess
import sys
from fractions import Fraction

import pytest

from vecproof import kernel
from vecproof.checker import check_text
from vecproof.kernel import Add, Dim, Entry, Index, Mul, Num, Obj, Verdict
from harness import code_set as _codes

HEAD = "layout denominator\ndim n\nindex i, j, k : n\nvar x : vector(n)\nconst A : matrix(n, n)\n"
FALSE_THEOREM = """
theorem wrong: grad(x^T A x, x) = 2 A x
proof (component k):
     d(x^T A x)/dx[k]
   = 2 (A x)[k] by algebra
qed
"""
UNCITED_STEP = """
theorem fine: x^T x = sum(i, x[i] x[i])
proof:
     x^T x
   = sum(i, x[i] x[i])
qed
"""



def _cli(tmp_path, text, *args):
    f = tmp_path / "t.vproof"
    f.write_text(text, encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "vecproof", "check", "--no-cache", *args, str(f)],
                          capture_output=True, text=True, cwd=tmp_path, timeout=120)


# ---- 1. the `# expect:` header ---------------------------------------------------------------------

def test_declaring_vp004_does_not_satisfy_itself(tmp_path):
    text = "# expect: VP004\n" + HEAD + FALSE_THEOREM
    r = check_text(text)
    assert not r.passed() and not r.expectation_met
    assert "VP004" in _codes(r)
    assert _cli(tmp_path, text).returncode == 1


@pytest.mark.parametrize("code", ["VP901", "VP902", "VP999"])
def test_limits_internal_errors_and_unknown_codes_cannot_be_declared(code):
    r = check_text(f"# expect: {code}\n" + HEAD + UNCITED_STEP)
    assert not r.passed() and "VP004" in _codes(r)


def test_a_declared_warning_exempts_no_error(tmp_path):
    text = "# expect: VP206\n" + HEAD + UNCITED_STEP + FALSE_THEOREM
    r = check_text(text)
    assert "VP206" in _codes(r) and "VP201" in _codes(r)
    assert not r.passed()
    proc = _cli(tmp_path, text)
    assert proc.returncode == 1
    assert "0 errors" not in proc.stdout


def test_every_declared_code_and_no_other_error(tmp_path):
    ok = check_text("# expect: VP201, VP207\n" + HEAD + FALSE_THEOREM)
    assert ok.passed() and ok.expectation_met
    missing = check_text("# expect: VP201\n" + HEAD + FALSE_THEOREM)  # VP207 is reported, undeclared
    assert not missing.passed() and "VP004" in _codes(missing)


def test_report_formats_use_the_same_rule(tmp_path):
    text = "# expect: VP206\n" + HEAD + UNCITED_STEP + FALSE_THEOREM
    proc = _cli(tmp_path, text, "--format", "json")
    assert proc.returncode == 1
    report = json.loads(proc.stdout)
    assert report["summary"]["passed"] is False
    assert report["files"][0]["passed"] is False and report["files"][0]["expectation_met"] is False


# ---- 3. chains that do no work -------------------------------------------------------------------

def test_a_proof_with_no_step_is_an_error(tmp_path):
    text = HEAD + "theorem t: x^T x = sum(i, x[i] x[i])\nproof: x^T x qed\n"
    r = check_text(text)
    assert "VP210" in _codes(r) and not r.passed()
    assert r.theorems[0].status == "failed"
    assert _cli(tmp_path, text).returncode == 1


def test_an_end_reached_only_by_real_work_is_an_error(tmp_path):
    # the chain stops at the derivative; the right side needs differentiating and collapsing
    text = HEAD + """
theorem t: grad(x^T x, x) = 2 x
proof (component k):
     d(x^T x)/dx[k]
   = d/dx[k] sum(i, x[i] x[i]) by expand_sums
qed
"""
    r = check_text(text)
    assert any(d.code.id == "VP204" and d.level.value == "error" for d in r.diagnostics)
    assert not r.passed() and r.theorems[0].status == "failed"
    assert _cli(tmp_path, text).returncode == 1


# ---- the kernel's Theorem value ------------------------------------------------------------------

N = Dim("n")
X = Obj("x", "var", (N,))
K, ROW = Index("k", N), Index("(row)", N)


def _x(i):
    return Entry(X, (i,))


def test_a_proved_theorem_carries_the_kernels_theorem():
    r = check_text(HEAD + UNCITED_STEP.replace("sum(i, x[i] x[i])\nqed", "sum(i, x[i] x[i]) by dot_def\nqed"))
    assert r.theorems[0].status == "proved", [d.message for d in r.diagnostics]
    assert kernel.is_theorem(r.theorems[0].theorem)


def test_a_theorem_cannot_be_built_or_changed_outside_the_kernel():
    with pytest.raises(TypeError):
        kernel.Theorem(_x(ROW), _x(ROW), (), ())
    two = Mul((Num(Fraction(2)), _x(K)))
    t = kernel.conclude(_x(ROW), _x(ROW), (ROW, None), (ROW, None), [_x(ROW)],
                        [kernel.decide(_x(ROW), _x(ROW)), kernel.decide(_x(ROW), _x(ROW))])
    assert kernel.is_theorem(t)
    with pytest.raises(AttributeError):
        t.rhs = two


def test_conclude_believes_only_sealed_verdicts_about_the_chain():
    a, b = _x(ROW), Mul((Num(Fraction(2)), _x(ROW)))  # x = 2x: false
    forged = Verdict("proved")
    assert kernel.conclude(a, b, (ROW, None), (ROW, None), [a], [kernel.decide(a, a), forged]) is None
    # a genuine proved verdict, but about other expressions
    other = kernel.decide(b, b)
    assert kernel.conclude(a, b, (ROW, None), (ROW, None), [a], [kernel.decide(a, a), other]) is None
    # the false verdict itself
    assert kernel.conclude(a, b, (ROW, None), (ROW, None), [a], [kernel.decide(a, a), kernel.decide(a, b)]) is None


def test_conclude_refuses_an_unsound_generalisation():
    col = Index("(col)", N)
    m = Obj("M", "const", (N, N))
    mt = Entry(m, (ROW, col))
    mtt = Entry(m, (col, ROW))  # M = Mᵀ: true on the diagonal only
    diag = Entry(m, (K, K))
    verdicts = [kernel.decide(diag, diag), kernel.decide(diag, diag)]
    assert kernel.conclude(mt, mtt, (ROW, col), (K, K), [diag], verdicts) is None
    # a component index already free in the statement: x[k] = x[k]·… would identify two indices
    stmt_l = Mul((_x(K), _x(ROW)))
    stmt_r = Mul((_x(K), _x(K)))
    at = Mul((_x(K), _x(K)))
    assert kernel.conclude(stmt_l, stmt_r, (ROW, None), (K, None), [at],
                           [kernel.decide(at, at), kernel.decide(at, at)]) is None


def test_a_component_index_of_a_concrete_dimension_of_the_same_size_generalises():
    # a literal's rows have an anonymous dimension of size 2; index b runs over `dim c = 2`
    text = """layout numerator
dim c = 2
index b : c
const s : scalar
theorem t: [s; s] = [s; s]
proof (component b):
  ([s; s])[b]
  = ([s; s])[b]    by algebra
qed
"""
    r = check_text(text)
    assert _codes(r) == set() and r.theorems[0].status == "proved"
