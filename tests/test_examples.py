"""Every example is proved without a warning; every bad example produces the code it declares."""

import re
from pathlib import Path

import pytest

from vecproof.checker import check_path

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
GOOD = sorted(p for p in EXAMPLES.rglob("*.vproof") if "bad" not in p.relative_to(EXAMPLES).parts)
BAD = sorted((EXAMPLES / "bad").glob("*.vproof"))


def test_there_are_examples():
    assert len(GOOD) >= 2
    assert len(BAD) >= 10


@pytest.mark.parametrize("path", GOOD, ids=lambda p: p.name)
def test_example_is_proved(path):
    r = check_path(path)
    assert [(d.code.id, d.span.line, d.message) for d in r.diagnostics] == []
    assert r.theorems, "an example without theorems"
    assert [t.status for t in r.theorems] == ["proved"] * len(r.theorems)


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.name)
def test_bad_example_produces_exactly_its_declared_codes(path):
    first = path.read_text(encoding="utf-8", errors="replace").splitlines()[0]
    m = re.fullmatch(r"# expect: (VP\d{3}(?:, VP\d{3})*)", first.strip())
    assert m, f"{path.name} must start with '# expect: VPnnn[, VPnnn]'"
    declared = set(m.group(1).split(", "))
    r = check_path(path)
    got = {d.code.id for d in r.diagnostics}
    assert declared <= got, f"{path.name}: expected {sorted(declared)}, got {sorted(got)}"
    errors = {d.code.id for d in r.diagnostics if d.level.value == "error"}
    assert errors <= declared, f"{path.name}: errors it does not declare: {sorted(errors - declared)}"
    assert r.expectation_met and r.passed()
    if declared - {"VP202", "VP206", "VP003"}:
        assert any(t.status != "proved" for t in r.theorems) or not r.ok
