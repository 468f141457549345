"""The shipped library (vecproof/library/): proved step by step with no warning in exercise mode, importable
as `vecproof.NAME`, listed by `vecproof library`, and docs/library.md is what the listing generates."""

import subprocess
import sys
from pathlib import Path

import pytest

from vecproof import check_text
from vecproof.checker import check_bytes
from vecproof.checker.imports import library_files
from vecproof.libraryindex import entries, markdown
from vecproof.options import CheckOptions

ROOT = Path(__file__).resolve().parents[1]
FILES = library_files()


def test_the_library_has_the_promised_files():
    assert {"forms", "norms", "traces", "products", "determinants", "inverses", "softmax"} <= set(FILES)


@pytest.mark.parametrize("name", sorted(FILES))
def test_every_library_result_is_proved_with_no_diagnostic_in_exercise_mode(name):
    data = FILES[name].read_bytes()
    r = check_bytes(data, f"vecproof/library/{name}.vproof", options=CheckOptions(exercise=True))
    assert [(d.code.id, d.span.line, d.message) for d in r.diagnostics] == []
    assert r.theorems and all(t.status == "proved" for t in r.theorems)
    for t in r.theorems:
        assert all("algebra" not in s.rules for s in t.steps), t.name
        assert all(s.explained is True for s in t.steps), t.name


def test_a_user_file_builds_on_the_library():
    text = """import vecproof.forms
import vecproof.norms
layout denominator
dim m
var y : vector(m)
const M : matrix(m, m)

theorem t:
  grad(y^T M y, y) + grad(‖y‖², y) = (M + M^T) y + 2 y
proof:
     grad(y^T M y, y) + grad(‖y‖², y)
   = (M + M^T) y + grad(‖y‖², y)       by forms.quadratic_form_gradient
   = (M + M^T) y + 2 y                 by squared_norm_gradient
qed
"""
    r = check_text(text, "t.vproof", options=CheckOptions(exercise=True))
    assert [d.code.id for d in r.diagnostics] == []
    assert r.theorems[0].status == "proved"


def test_a_user_file_builds_on_the_library_beyond_polynomials():
    # the softmax and determinant results, cited by matching (z for x, W for X), with their assumptions
    r = check_text("""import vecproof.softmax
import vecproof.determinants
layout denominator
dim n
index i, j, k, p, q : n
var z : vector(n)
var W : matrix(n, n) invertible

theorem logsumexp_again:
  grad(logsumexp(z), z) = softmax(z)
proof:
     grad(logsumexp(z), z)
   = softmax(z)                               by softmax.logsumexp_gradient
qed
""", "user.vproof")
    assert [t.status for t in r.theorems] == ["proved"], [d.message for d in r.diagnostics]
    assert not r.diagnostics
    assert any("exp" in a for a in r.theorems[0].assumptions)


def test_vecproof_library_lists_every_result_with_its_statement():
    r = subprocess.run([sys.executable, "-m", "vecproof", "library"], capture_output=True, text=True)
    assert r.returncode == 0
    for e in entries():
        assert f"{e.name}: {e.statement}" in r.stdout
    for name in FILES:
        assert f"import vecproof.{name}" in r.stdout


def test_docs_library_md_is_current():
    assert (ROOT / "docs" / "library.md").read_text(encoding="utf-8") == markdown(), \
        "docs/library.md is stale: run `python -m vecproof.libraryindex docs/library.md`"
