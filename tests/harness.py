"""The shared harness for checker tests: check a text as a user's file and compare what vecproof
reports, by code. Tests assert on codes (VPnnn) and statuses, not on wording, unless the wording is
the feature.

    result = assert_codes(src, "VP201")            # exactly these codes (as a multiset), in any order
    assert_codes(src, status={"t": "failed"})      # no diagnostic at all, and theorem t failed
    codes(result)                                  # the sorted list of codes reported
"""

from __future__ import annotations

from collections import Counter

from vecproof.checker import check_text


def codes(result, level=None) -> list[str]:
    """The codes a result reports, sorted (with repeats); only those of `level` when given."""
    return sorted(d.code.id for d in result.diagnostics if level is None or d.level == level)


def code_set(result) -> set[str]:
    return {d.code.id for d in result.diagnostics}


def assert_codes(src: str, *expected: str, status: dict[str, str] | None = None, options=None):
    """Check `src` and assert that the reported codes are exactly `expected` (a multiset) and, when
    given, that each named theorem has the given status. Returns the FileResult."""
    result = check_text(src, options=options)
    got = Counter(d.code.id for d in result.diagnostics)
    shown = [(d.code.id, d.span.line, d.message) for d in result.diagnostics]
    assert got == Counter(expected), f"expected {sorted(expected)}, reported {shown}"
    if status is not None:
        actual = {t.name: t.status for t in result.theorems}
        assert actual == {**actual, **status} and set(status) <= set(actual), f"statuses {actual}, expected {status}"
    return result
