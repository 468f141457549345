"""`vecproof check --explain`: under each verdict, the statement as the kernel received it, in index
form, as `.vproof` text that reads back (run as a user runs it: a subprocess)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from vecproof import check_text

DECLS = """layout denominator
dim n
index i, j, k : n
var x : vector(n)
const A : matrix(n, n)
"""

QUADRATIC = DECLS + """
theorem quadratic_form_gradient:
  grad(x^T A x) = (A + A^T) x
proof (component k):
     d(x^T A x)/dx[k]
   = d(sum(i, sum(j, A[i, j] x[i] x[j])))/dx[k]                    by expand_sums
   = sum(i, sum(j, A[i, j] (delta(i, k) x[j] + x[i] delta(j, k))))  by product_rule
   = sum(j, A[k, j] x[j]) + sum(i, A[i, k] x[i])                   by index_collapse
   = (A x)[k] + (A^T x)[k]                                         by matvec_def
qed

theorem whole_vectors:
  A x + A^T x = (A + A^T) x
proof:
     A x + A^T x
   = (A + A^T) x    by algebra
qed
"""

WRONG = DECLS + """
theorem symmetric_without_saying_so:
  grad(x^T A x) = 2 A x
proof (component k):
     d(x^T A x)/dx[k]
   = 2 (A x)[k]    by algebra
qed
"""


def run(*args):
    return subprocess.run([sys.executable, "-m", "vecproof", *args], capture_output=True, text=True)


def _after(out: str, verdict: str) -> list[str]:
    lines = out.splitlines()
    at = next(n for n, line in enumerate(lines) if verdict in line)
    return lines[at + 1:at + 3]


@pytest.fixture(scope="module")
def explained(tmp_path_factory):
    path = tmp_path_factory.mktemp("explain") / "quadratic.vproof"
    path.write_text(QUADRATIC)
    return run("check", "--explain", "--no-cache", str(path))


def test_explain_prints_what_was_proved_under_each_verdict(explained):
    got = explained
    assert got.returncode == 0, got.stdout + got.stderr
    assert _after(got.stdout, "proved: theorem quadratic_form_gradient") == [
        "  as proved, at row k, for every k in 1..n:",
        "    d(sum(j, sum(i, x[i] A[i,j]) x[j]))/dx[k] = sum(j, (A[k,j] + A[j,k]) x[j])",
    ]
    docs = (Path(__file__).resolve().parents[2] / "docs" / "language.md").read_text()
    assert "\n".join(_after(got.stdout, "proved: theorem quadratic_form_gradient")) in docs  # its example
    # a proof of whole vectors: the printer names the row itself, with an index the file declares
    where, equation = _after(got.stdout, "proved: theorem whole_vectors")
    assert where == "  as proved, at row i, for every i in 1..n:"
    assert equation == "    sum(j, A[i,j] x[j]) + sum(j, A[j,i] x[j]) = sum(j, (A[i,j] + A[j,i]) x[j])"


def test_what_explain_prints_is_a_statement_the_checker_reads_back(explained):
    out = explained.stdout
    lhs, rhs = _after(out, "proved: theorem quadratic_form_gradient")[1].strip().split(" = ")
    again = DECLS + f"theorem again:\n  {lhs} = {rhs}\nproof:\n  {lhs}\n  = {rhs}  by algebra\nqed\n"
    result = check_text(again, "again.vproof")
    assert [d.code.id for d in result.diagnostics if d.level.value == "error"] == []
    assert [t.status for t in result.theorems] == ["proved"]


def test_explain_prints_the_statement_of_a_theorem_that_failed(tmp_path):
    path = tmp_path / "wrong.vproof"
    path.write_text(WRONG)
    got = run("check", "--explain", "--no-cache", str(path))
    assert got.returncode == 1
    assert "VP207" in got.stdout  # the statement is false (A is not symmetric)
    assert _after(got.stdout, "failed: theorem symmetric_without_saying_so") == [
        "  as stated (not proved), at row k, for every k in 1..n:",
        "    d(sum(j, sum(i, x[i] A[i,j]) x[j]))/dx[k] = sum(j, 2 A[k,j] x[j])",
    ]


def test_without_explain_the_report_is_unchanged(tmp_path):
    path = tmp_path / "quadratic.vproof"
    path.write_text(QUADRATIC)
    got = run("check", "--no-cache", str(path))
    assert got.returncode == 0
    assert "as proved" not in got.stdout
