"""Recovery from syntax errors at theorem and declaration boundaries: an error hides no other
theorem (each is still checked), a missing `qed` is reported where its proof ends, and the file
still fails."""

import subprocess
import sys

import pytest

from vecproof import check_text
from vecproof.syntax import ParseFailure, parse

HEADER = """layout denominator
dim n
index i, j, k : n
var x : vector(n)
const A : matrix(n, n)
const c : scalar
"""  # 6 lines


def theorem(name: str, end: str = "qed") -> str:
    """A 5-line theorem that is proved (4 without its `qed`)."""
    return f"theorem {name}: x^T A x = x^T A^T x\nproof:\n     x^T A x\n   = x^T A^T x   by algebra   # ok\n{end}\n"


def codes(r) -> list[str]:
    return [d.code.id for d in r.diagnostics]


def verdicts(r) -> dict[str, str]:
    return {t.name: t.status for t in r.theorems}


def test_a_missing_qed_in_the_first_of_three_theorems_is_reported_where_its_proof_ends():
    r = check_text(HEADER + theorem("a", end="") + "\n" + theorem("b") + theorem("c"))
    assert codes(r) == ["VP001"]
    [d] = r.diagnostics
    assert (d.span.line, d.span.col) == (10, len("   = x^T A^T x   by algebra") + 1)  # after the last step
    assert "qed" in d.message and d.theorem is None
    assert verdicts(r) == {"b": "proved", "c": "proved"}
    assert r.tree is None  # the tree is only ever the whole file's


def test_a_missing_qed_at_the_end_of_the_file_is_reported_where_the_proof_ends():
    r = check_text(HEADER + theorem("a") + theorem("b", end="") + "\n\n# the end\n")
    [d] = r.diagnostics
    assert d.code.id == "VP001" and "qed" in d.message and (d.span.line, d.span.col) == (15, 28)
    assert verdicts(r) == {"a": "proved"}


def test_parse_still_raises_and_places_a_missing_qed_where_the_proof_ends():
    with pytest.raises(ParseFailure) as err:
        parse(HEADER + theorem("a", end="") + theorem("b"))
    assert (err.value.span.line, err.value.span.col) == (10, 28) and "qed" in err.value.message


def test_an_empty_last_step_before_qed_is_not_a_missing_qed():
    r = check_text(HEADER + "theorem a: x = x\nproof:\n  x\n  = qed\n" + theorem("b"))
    [d] = r.diagnostics
    assert d.code.id == "VP001" and "no `qed`" not in d.message and (d.span.line, d.span.col) == (10, 8)
    assert verdicts(r) == {"b": "proved"}


def test_an_error_inside_a_declaration_hides_only_that_declaration():
    text = HEADER.replace("const c : scalar", "const c : scalar(n)") + theorem("a") + \
        "theorem b: c x = x c\nproof:\n  c x\n  = x c by algebra\nqed\n"
    r = check_text(text)
    assert codes(r)[0] == "VP001" and r.diagnostics[0].span.line == 6
    assert set(codes(r)) == {"VP001", "VP101"}  # b uses c, whose declaration did not parse
    assert all(d.span.line >= 12 for d in r.diagnostics if d.code.id == "VP101")
    assert verdicts(r) == {"a": "proved", "b": "failed"}


def test_an_error_in_the_last_theorem_leaves_the_others_checked():
    r = check_text(HEADER + theorem("a") + theorem("b") + "theorem c: x = x\nproof:\n  x\n  = x' by algebra\nqed\n")
    [d] = r.diagnostics
    assert d.code.id == "VP001" and (d.span.line, d.span.col) == (20, 6)
    assert verdicts(r) == {"a": "proved", "b": "proved"}


def test_every_failing_theorem_is_reported_and_the_others_keep_their_verdicts():
    false = "theorem f: x^T A x = x^T x\nproof:\n  x^T A x\n  = x^T x by algebra\nqed\n"
    r = check_text(HEADER + "theorem z: x =\n" + false + theorem("a", end="") + theorem("b"))
    assert codes(r) == ["VP001", "VP001", "VP201", "VP207"]
    unfinished, no_qed = r.diagnostics[:2]
    assert (unfinished.span.line, unfinished.span.col) == (7, 15) and "unfinished" in unfinished.message
    assert (no_qed.span.line, no_qed.span.col) == (16, 28) and "qed" in no_qed.message
    assert verdicts(r) == {"f": "failed", "b": "proved"}
    assert r.diagnostics[2].theorem == 0  # in f, the first theorem checked


def test_a_file_with_a_syntax_error_still_fails_and_shows_the_other_verdicts(tmp_path):
    (tmp_path / "three.vproof").write_text(HEADER + theorem("a", end="") + theorem("b") + theorem("c"),
                                           encoding="utf-8")
    p = subprocess.run([sys.executable, "-m", "vecproof", "check", "three.vproof"], capture_output=True, text=True,
                       cwd=tmp_path)
    assert p.returncode == 1
    assert "three.vproof:10:28: error[VP001]: this proof has no `qed`" in p.stdout
    assert "proved: theorem b" in p.stdout and "proved: theorem c" in p.stdout


def test_one_declaration_line_may_name_several_objects():
    from vecproof.checker import check_text

    text = ("layout denominator\ndim m, n\nindex i, k : n\nvar x : vector(n)\nconst a, b : vector(n)\n"
            "func u(x), v(x) : vector(m)\nconst S, T : matrix(n, n) symmetric\n"
            "theorem t: a^T x + b^T x = x^T (a + b) proof: a^T x + b^T x = x^T (a + b) by algebra qed\n")
    r = check_text(text)
    assert not r.diagnostics and r.theorems[0].status == "proved"
    objs = {name: r.scope.names[name].obj for name in ("a", "b", "u", "v", "S", "T")}
    assert objs["a"].kind == objs["b"].kind == "const" and objs["u"].kind == objs["v"].kind == "func"
    assert objs["u"].depends_on == objs["v"].depends_on == "x" and objs["S"].symmetric and objs["T"].symmetric
    twice = check_text(text.replace("const a, b :", "const a, a :"))
    assert "VP104" in codes(twice)  # a name declared twice on one line is a duplicate like any other
