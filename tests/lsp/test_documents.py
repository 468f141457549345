"""Documents changing and closing while they are being checked, on a fresh server (cold caches, so
a 200-step document takes a second or more to check): what is published, and when."""

from __future__ import annotations

import asyncio

import pytest
from lsp_support import NORM, big_document, change, diagnostics, doc, new_uri, open_doc, published, until
from lsprotocol import types as lsp

pytestmark = [pytest.mark.filterwarnings("error::pytest_lsp.LspSpecificationWarning")]

BUSY = 0.3  # seconds after opening: the big document's check (well over a second cold) is under way


@pytest.mark.asyncio
async def test_a_result_for_an_older_version_is_never_published(fresh):
    uri = new_uri("race")
    open_doc(fresh, uri, big_document(50))
    await asyncio.sleep(BUSY)
    wrong = NORM.replace("= 2 x[k]       ", "= 3 x[k]       ")
    change(fresh, uri, 2, wrong)  # arrives while version 1 is being checked
    got = await diagnostics(fresh, uri, version=2)
    assert "VP201" in {d.code for d in got}
    await asyncio.sleep(0.3)
    assert [p.version for p in published(fresh, uri)] == [2]  # version 1's result was dropped


@pytest.mark.asyncio
async def test_a_document_closed_while_it_is_checked_gets_no_diagnostics(fresh):
    uri, other = new_uri("closed"), new_uri("other")
    open_doc(fresh, uri, big_document(50, first=100))
    await asyncio.sleep(BUSY)
    fresh.text_document_did_close(lsp.DidCloseTextDocumentParams(doc(uri)))
    open_doc(fresh, other, NORM)  # checked after the big one: by then that check has ended
    assert {d.code for d in await diagnostics(fresh, other)} == {"VP202"}
    assert [list(p.diagnostics) for p in published(fresh, uri)] == [[]]  # only the clearing on close
    h = await fresh.text_document_hover_async(lsp.HoverParams(doc(other), lsp.Position(0, 2)))
    assert h is None or h.contents  # still answering
    assert await fresh.text_document_hover_async(lsp.HoverParams(doc(uri), lsp.Position(0, 2))) is None


@pytest.mark.asyncio
async def test_reopening_a_document_mid_check_publishes_only_the_new_text(fresh):
    uri = new_uri("reopened")
    open_doc(fresh, uri, big_document(50, first=200))
    await asyncio.sleep(BUSY)
    fresh.text_document_did_close(lsp.DidCloseTextDocumentParams(doc(uri)))
    open_doc(fresh, uri, NORM)  # the same URI and version number, another text
    await until(lambda: len(published(fresh, uri)) >= 2)
    await asyncio.sleep(0.3)
    assert [{d.code for d in p.diagnostics} for p in published(fresh, uri)] == [set(), {"VP202"}]


def test_the_debounce_adapts_to_what_a_check_costs():
    from vecproof.frontends.lsp.documents import MIN_DELAY, debounce

    assert debounce(0.1, 0.0) == MIN_DELAY  # nothing known yet: the shortest wait
    assert debounce(0.1, 0.015) == 0.03  # a 15 ms check: wait 30 ms, not 100
    assert debounce(0.1, 0.5) == 0.1  # a costly check: the client's bound
    assert debounce(0.0, 0.5) == 0.0  # a client that asked for no wait gets none
    assert debounce(0.1, 0.015, quiet=2.0) == 0.0  # a lone edit after a pause, cheap to check: at once
    assert debounce(0.1, 0.015, quiet=0.05) == 0.03  # a keystroke in a burst waits
    assert debounce(0.1, 0.3, quiet=2.0) == 0.1  # a costly check is not started on every lone keystroke
