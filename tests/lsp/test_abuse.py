"""The server under abuse (issue: trust and robustness): 1,000 random edits — half-typed text,
deleted brackets, garbage bytes, pasted fragments — interleaved with requests at random and
out-of-range positions, on open and on closed documents. Nothing crashes, every request is
answered, and the final diagnostics equal a fresh `check_text` of the final text. The default run
makes a tenth of the edits; the full 1,000 are marked slow (tests/sizes.py)."""

from __future__ import annotations

import asyncio
import random
from pathlib import Path

import pytest
from lsp_support import change, diagnostics, doc, new_uri, open_doc, published
from lsprotocol import types as lsp
from sizes import SIZES, scaled

from vecproof.checker import check_text

pytestmark = [pytest.mark.asyncio(loop_scope="module")]

EXAMPLE = (Path(__file__).resolve().parents[2] / "examples" / "000_vector_derivatives.vproof").read_text(
    encoding="utf-8")
FRAGMENTS = ["sum(i, ", ")", "[", "]", " by ", "product_rule", " = ", "d(", ")/dx[k]", "∇", "‖", "ᵀ", "qed",
             "theorem t: ", "\n", "\t", "#", "δ(i,", "x[", "𝔸", "\x00", "\r\n", "lemma", ":", "^T", "² "]
EDITS = 1000


def _mutate(rng: random.Random, text: str) -> str:
    if not text or rng.random() < 0.02:
        return EXAMPLE if rng.random() < 0.5 else ""
    a = rng.randrange(len(text) + 1)
    b = min(len(text), a + rng.randrange(0, 12))
    kind = rng.random()
    if kind < 0.4:
        return text[:a] + rng.choice(FRAGMENTS) + text[b:]
    if kind < 0.7:
        return text[:a] + text[b:]
    if kind < 0.85:
        return text[:a] + "".join(rng.choice("()[]=,:;+-*/^_‖∂") for _ in range(rng.randrange(1, 5))) + text[a:]
    return text[:a] + text[a:b][::-1] + text[b:]


def _pos(rng: random.Random, text: str) -> lsp.Position:
    lines = text.split("\n")
    line = rng.randrange(len(lines) + 3)
    col = rng.randrange((len(lines[line]) if line < len(lines) else 0) + 5)
    return lsp.Position(line=line, character=col)


@pytest.mark.parametrize("size", SIZES)
async def test_random_edits_and_requests_never_break_the_server(client, size):
    rng = random.Random(2026)
    uri, closed = new_uri("abuse"), new_uri("abuse-closed")
    text = EXAMPLE
    open_doc(client, uri, text)
    open_doc(client, closed, "dim n\n")
    client.text_document_did_close(lsp.DidCloseTextDocumentParams(doc(closed)))
    version = 1
    for k in range(scaled(EDITS, size)):
        text = _mutate(rng, text)
        version += 1
        change(client, uri, version, text)
        await asyncio.sleep(0.003)  # a fast typist, not a flood: the server checks as the text settles
        if k % 10 == 0:
            target = uri if rng.random() < 0.8 else closed
            p = _pos(rng, text)
            which = rng.randrange(5)
            if which == 0:
                request = client.text_document_hover_async(lsp.HoverParams(doc(target), p))
            elif which == 1:
                request = client.text_document_completion_async(lsp.CompletionParams(doc(target), p))
            elif which == 2:
                request = client.text_document_definition_async(lsp.DefinitionParams(doc(target), p))
            elif which == 3:
                request = client.text_document_document_symbol_async(lsp.DocumentSymbolParams(doc(target)))
            else:
                q = _pos(rng, text)
                start, end = sorted((p, q), key=lambda x: (x.line, x.character))
                request = client.text_document_code_action_async(lsp.CodeActionParams(
                    doc(target), lsp.Range(start, end), lsp.CodeActionContext(diagnostics=[])))
            try:
                await asyncio.wait_for(request, 15)
            except asyncio.TimeoutError:
                raise AssertionError(f"edit {k}: request {which} at {p} on {target} was never answered") from None
    # the last version's diagnostics are exactly a fresh check's
    got = await diagnostics(client, uri, version=version)
    expected = check_text(text.replace("\r\n", "\n"), "x.vproof").diagnostics
    assert sorted(d.code for d in got) == sorted(d.code.id for d in expected)
    assert [p.version for p in published(client, uri)][-1] == version
    # and the server still answers
    h = await client.text_document_hover_async(lsp.HoverParams(doc(uri), lsp.Position(0, 0)))
    assert h is None or h.contents
