"""The newcomer's checklist of docs/language.md: every spelling it gives parses and elaborates. Each
is put in a one-step theorem `E = E` under the declarations the section names, which must be proved
with no diagnostic at all (no VP001 syntax error, VP101 unknown name, VP107 unsupported, …)."""

import re
from pathlib import Path

import pytest

from vecproof import check_text

LANGUAGE = Path(__file__).resolve().parents[2] / "docs" / "language.md"
DECLARATIONS = """layout {layout}
dim n, m
index i, j, k : n
index p : m
{variable}
const y : vector(n)
const A : matrix(n, n)
const B : matrix(n, n)
const c : scalar
"""
VECTOR = "var x : vector(n)\nfunc u(x) : vector(m)"
MATRIX = "var X : matrix(n, n)"


def _spellings() -> list[str]:
    """The code spans of the checklist table's last two columns ('write', 'or, in Unicode')."""
    text = LANGUAGE.read_text(encoding="utf-8")
    section = text.split("## Newcomer's checklist\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ") and not line.startswith("| you mean")]
    out = []
    for row in rows:
        cells = re.split(r"(?<!\\)\|", row)[1:-1]
        assert len(cells) == 4, row
        for cell in cells[2:]:
            out += [s.replace("\\|", "|") for s in re.findall(r"`([^`]+)`", cell)]
    return out


SPELLINGS = _spellings()


def _file(spelling: str) -> str:
    if spelling.startswith("layout "):  # a declaration, not an expression: a gradient needs it
        return DECLARATIONS.format(layout=spelling.split()[1], variable=VECTOR) + _theorem("grad(x^T x)")
    variable = MATRIX if "X" in spelling else VECTOR
    return DECLARATIONS.format(layout="denominator", variable=variable) + _theorem(spelling)


def _theorem(e: str) -> str:
    return f"\ntheorem spelling:\n  {e} = {e}\nproof:\n     {e}\n   = {e}    by algebra\nqed\n"


def test_the_checklist_covers_what_people_type_first():
    assert len(SPELLINGS) >= 40
    for s in ["x^T", "norm(x)^2", "x[i]", "sum(i, x[i] y[i])", "delta(i, k)", "d(x^T x)/dx[k]", "grad(x^T x)",
              "tr(A)", "D(u)", "layout denominator", "layout numerator"]:
        assert s in SPELLINGS, s


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_spelling_parses_and_elaborates(spelling):
    r = check_text(_file(spelling), "checklist.vproof")
    assert [(d.code.id, d.message) for d in r.diagnostics] == []
    assert [t.status for t in r.theorems] == ["proved"]
