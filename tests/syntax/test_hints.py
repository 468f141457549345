"""Habits from NumPy, MATLAB, Python and LaTeX: a VP001 whose message gives the vecproof spelling,
at the offending character, with what the grammar expected as a detail line; the table of habits
in docs/language.md is the code's table."""

import subprocess
import sys
from pathlib import Path

import pytest

from vecproof import check_text
from vecproof.syntax.hints import HABITS, markdown_table

ROOT = Path(__file__).resolve().parents[2]

HEADER = """layout denominator
dim n
index i, k : n
var x : vector(n)
const A : matrix(n, n)
const u : vector(n)
const v : vector(n)
func f(x) : scalar
"""

# (the habit as the table writes it, an expression showing it, the text the error must point at)
CASES = [
    ("x'", "x' A x", "'"),
    ("x.'", "x.' A x", "."),
    ("x.T", "x.T A x", "."),
    ("np.dot(u, v)", "np.dot(u, v)", "."),
    ("x.sum()", "x.sum()", "."),
    ("A.dot(x)", "x^T A.dot(x)", "."),
    ("A .* x", "x^T (A .* x)", "."),
    ("x.^2", "x.^2", "."),
    ("A.x", "x^T A.x", "."),
    ("A @ x", "x^T A @ x", "@"),
    ("x**2", "x[i]**2", "*2"),
    (r"\nabla f", r"\nabla f", "\\"),
    (r"\partial", r"\partial f / \partial x", "\\"),
    (r"\frac{a}{b}", r"\frac{1}{2} f", "\\"),
    (r"\sum", r"\sum_i x[i]", "\\"),
    (r"\cdot", r"u^T \cdot v", "\\"),
    (r"x^\top", r"x^\top A x", "\\"),
    (r"\delta_{ik}", r"\delta_{ik}", "\\"),
    (r"\|x\|^2", r"\|x\|^2", "\\"),
    (r"\left(", r"\left( x^T x \right)", "\\"),
    ("sum_{i=1}^n", "sum_{i=1}^n x[i]", "{"),
    ("x_{i}", "x_{i} x[i]", "{"),
    ("x^{T}", "x^{T} A x", "{"),
    ("∑", "∑(i, x[i])", "∑"),
    ("u · v", "u · v", "·"),
    ("x⊤", "x⊤ A x", "⊤"),
    ("2 ‖x‖", "2 ‖x‖^2", "‖"),
]


def test_every_habit_in_the_table_is_tested():
    assert [c[0] for c in CASES] == [h.written for h in HABITS]


@pytest.mark.parametrize("written, expr, at", CASES, ids=[c[0] for c in CASES])
def test_a_habit_gets_the_vecproof_spelling_at_the_offending_character(written, expr, at):
    line = f"theorem t: {expr} = x^T x"
    r = check_text(HEADER + line + "\nproof:\n  x^T x\nqed\n")
    [d] = r.diagnostics
    [habit] = [h for h in HABITS if h.written == written]
    assert d.code.id == "VP001"
    assert d.message == habit.message() and habit.hint in d.message  # the wording is the feature
    assert (d.span.line, d.span.col) == (HEADER.count("\n") + 1, line.index(at) + 1)
    assert len(d.detail) == 1 and "expected" in d.detail[0]  # the grammar's list, kept as detail


def test_a_plain_syntax_error_keeps_its_message_and_has_no_detail():
    r = check_text(HEADER + "theorem t: x = = x proof: x qed\n")
    [d] = r.diagnostics
    assert d.code.id == "VP001" and d.message.startswith("unexpected '='") and d.detail == ()


def test_second_derivative_written_as_two_divisions_says_how_to_write_it():
    lhs = "d(x^T A x)/dx[i]/dx[k]"
    r = check_text(HEADER + f"theorem t: {lhs} = A[i,k] + A[k,i]\nproof:\n  {lhs}\n"
                   "  = A[i,k] + A[k,i] by product_rule\nqed\n")
    assert {d.code.id for d in r.diagnostics} == {"VP107"}
    assert all("d(d(E)/dx[l])/dx[k]" in d.message for d in r.diagnostics)
    nested = "d(d(x^T A x)/dx[i])/dx[k]"
    r = check_text(HEADER + f"theorem t: {nested} = A[i,k] + A[k,i]\nproof:\n  {nested}\n"
                   "  = A[i,k] + A[k,i] by algebra\nqed\n")
    assert r.theorems[0].status == "proved" and not r.diagnostics


def test_second_derivative_by_two_partials_is_a_syntax_error_that_says_how_to_write_it():
    r = check_text(HEADER + "theorem t: ∂(x^T A x)/∂x[i]/∂x[k] = A[i,k] + A[k,i]\nproof:\n  A[i,k] + A[k,i]\nqed\n")
    [d] = r.diagnostics
    assert d.code.id == "VP001" and "∂(∂(E)/∂x[l])/∂x[k]" in d.message
    assert (d.span.line, d.span.col) == (9, 29)


def test_the_cli_shows_the_hint_and_the_expected_list(tmp_path):
    f = tmp_path / "habit.vproof"
    f.write_text(HEADER + "theorem t: x' A x = x^T A x\nproof:\n  x^T A x\nqed\n", encoding="utf-8")
    p = subprocess.run([sys.executable, "-m", "vecproof", "check", f.name], capture_output=True, text=True,
                       cwd=tmp_path)
    assert p.returncode == 1
    assert "habit.vproof:9:13: error[VP001]: `x'` is MATLAB notation; write x^T or xᵀ for the transpose" in p.stdout
    assert "expected" in p.stdout


def test_the_docs_table_is_the_codes_table():
    doc = (ROOT / "docs" / "language.md").read_text(encoding="utf-8")
    assert "## Coming from NumPy, MATLAB or LaTeX" in doc
    assert markdown_table() in doc, ("docs/language.md's habits table differs from vecproof.syntax.hints: paste "
                                     "the output of python -c 'from vecproof.syntax.hints import markdown_table; "
                                     "print(markdown_table())'")
