"""Partial results while a document opened is first checked (a fresh server, cold caches): the
diagnostics of the theorems checked so far are published before the rest is checked, with the
names of those still pending, and the final publication is the whole check's."""

from __future__ import annotations

import pytest
from lsp_support import big_document, diagnostics, new_uri, open_doc, partial
from lsprotocol import types as lsp

from vecproof import check_text

pytestmark = [pytest.mark.filterwarnings("error::pytest_lsp.LspSpecificationWarning")]


@pytest.mark.asyncio
@pytest.mark.parametrize("partials", [0], indirect=True)
async def test_the_first_theorems_are_published_before_the_rest_and_the_final_result_replaces_them(partials):
    eager = partials  # a partial result after every theorem
    uri = new_uri("partial")
    good = big_document(6)
    text = good.replace("   = 2 (A x)[k] + 2 (A^T x)[k]", "   = 2 (A x)[k] + 3 (A^T x)[k]", 1)  # t0: a false step
    assert text != good
    open_doc(eager, uri, text)
    final = await diagnostics(eager, uri, version=1)
    mine = [p for p in eager.published if p.uri == uri]
    assert not partial(mine[-1]) and [p.version for p in mine] == [1] * len(mine)
    partials = mine[:-1]
    assert len(partials) == 5 and all(partial(p) for p in partials)  # after t0 … t4; t5 is the last
    for n, p in enumerate(partials):
        [marker] = [d for d in p.diagnostics if isinstance(d.data, dict) and "pending" in d.data]
        assert marker.data["pending"] == [f"t{k}" for k in range(n + 1, 6)]
        assert marker.severity == lsp.DiagnosticSeverity.Information
        assert marker.range.start.line == text.split("\n").index(f"theorem t{n + 1}:")
        checked = [d for d in p.diagnostics if d is not marker]
        assert "VP201" in {d.code for d in checked}  # t0's false step, shown before the rest is checked
        assert [(d.code, d.range) for d in checked] == [(d.code, d.range) for d in final][:len(checked)]
    expected = check_text(text, "/tmp/vecproof-lsp-test/partial.vproof").diagnostics
    assert [d.code for d in final] == [d.code.id for d in expected]


@pytest.mark.asyncio
@pytest.mark.parametrize("partials", [3_600_000], indirect=True)
async def test_a_long_document_shows_its_first_theorem_before_the_rest_is_parsed(partials):
    fresh = partials  # no partial result but the first look: one, at t0
    uri = new_uri("first-look")
    text = big_document(12).replace("   = 2 (A x)[k] + 2 (A^T x)[k]", "   = 2 (A x)[k] + 3 (A^T x)[k]", 1)
    open_doc(fresh, uri, text)
    final = await diagnostics(fresh, uri, version=1)
    [first, last] = [p for p in fresh.published if p.uri == uri]
    assert partial(first) and first.version == 1 and not partial(last)
    [marker] = [d for d in first.diagnostics if isinstance(d.data, dict) and "pending" in d.data]
    assert marker.data["pending"] == [f"t{k}" for k in range(1, 12)]
    checked = [(d.code, d.range) for d in first.diagnostics if d is not marker]
    assert "VP201" in {code for code, _ in checked} and checked == [(d.code, d.range) for d in final][:len(checked)]
    assert [d.code for d in final] == [d.code.id for d in check_text(text, "first-look.vproof").diagnostics]
