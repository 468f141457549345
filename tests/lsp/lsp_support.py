"""Helpers for the language-server tests: documents, positions in each encoding, waiting for
diagnostics. Positions are computed here independently of vecproof.frontends.lsp.convert."""

from __future__ import annotations

import asyncio
import itertools

from lsprotocol import types as lsp
from proofs import HEAD, QUADRATIC_FORM_GRADIENT
from pytest_lsp import LanguageClient

TIMEOUT = 30.0  # seconds: generous, the machine may be busy

# ---- helpers ---------------------------------------------------------------------------------------

_uris = itertools.count(1)


def new_uri(name: str = "doc") -> str:
    return f"file:///tmp/vecproof-lsp-test/{name}-{next(_uris)}.vproof"


def encoding(client: LanguageClient) -> str:
    enc = client.initialized_with.capabilities.position_encoding
    return str(getattr(enc, "value", enc))


def units(s: str, enc: str) -> int:
    """Length of `s` in the code units of `enc` (written independently of vecproof.frontends.lsp.convert)."""
    return {"utf-8": len(s.encode("utf-8")), "utf-16": len(s.encode("utf-16-le")) // 2, "utf-32": len(s)}[enc]


def position(text: str, line0: int, col0: int, enc: str) -> lsp.Position:
    """The LSP position of the character at 0-based (line, column in characters) of `text`."""
    return lsp.Position(line0, units(text.split("\n")[line0][:col0], enc))


def find(text: str, needle: str, enc: str, nth: int = 0, end: bool = False) -> lsp.Position:
    """The LSP position of the nth occurrence of `needle` (of its end with end=True)."""
    at = -1
    for _ in range(nth + 1):
        at = text.index(needle, at + 1)
    if end:
        at += len(needle)
    line0 = text.count("\n", 0, at)
    return position(text, line0, at - (text.rfind("\n", 0, at) + 1), enc)


def index_of(text: str, pos: lsp.Position, enc: str) -> int:
    line = text.split("\n")[pos.line]
    used = 0
    for k, ch in enumerate(line):
        if used >= pos.character:
            return sum(len(x) + 1 for x in text.split("\n")[: pos.line]) + k
        used += units(ch, enc)
    return sum(len(x) + 1 for x in text.split("\n")[: pos.line]) + len(line)


def apply(text: str, edits, enc: str) -> str:
    for e in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        a, b = index_of(text, e.range.start, enc), index_of(text, e.range.end, enc)
        text = text[:a] + e.new_text + text[b:]
    return text


def open_doc(client: LanguageClient, uri: str, text: str, version: int = 1) -> None:
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(lsp.TextDocumentItem(uri, "vproof", version, text)))


def change(client: LanguageClient, uri: str, version: int, text: str) -> None:
    client.text_document_did_change(lsp.DidChangeTextDocumentParams(
        lsp.VersionedTextDocumentIdentifier(uri=uri, version=version),
        [lsp.TextDocumentContentChangeWholeDocument(text=text)]))


def partial(p: lsp.PublishDiagnosticsParams) -> bool:
    """Whether a publication is a partial result (a first check under way: some theorems pending)."""
    return any(isinstance(d.data, dict) and "pending" in d.data for d in p.diagnostics)


async def diagnostics(client: LanguageClient, uri: str, version: int | None = None, after: int = 0):
    """The first final diagnostics published for `uri` (of `version`, if given) after the first
    `after` notifications of the session (partial results are skipped: test_partial.py has them)."""
    async def wait():
        while True:
            for p in client.published[after:]:
                if p.uri == uri and (version is None or p.version == version) and not partial(p):
                    return list(p.diagnostics)
            await asyncio.sleep(0.01)
    return await asyncio.wait_for(wait(), TIMEOUT)


async def until(condition) -> None:
    async def wait():
        while not condition():
            await asyncio.sleep(0.01)
    await asyncio.wait_for(wait(), TIMEOUT)


def published(client: LanguageClient, uri: str) -> list[lsp.PublishDiagnosticsParams]:
    """The final publications for `uri` (partial results left out)."""
    return [p for p in client.published if p.uri == uri and not partial(p)]


def doc(uri: str) -> lsp.TextDocumentIdentifier:
    return lsp.TextDocumentIdentifier(uri=uri)


# Unicode on purpose: in UTF-8 and UTF-16 the columns after ‖x‖² differ from the character count.
NORM = HEAD + """
theorem norm_gradient:
  ∇(‖x‖²) = 2 x
proof (component k):
     ∂(‖x‖²)/∂x[k]
   = ∂(Σ(i, x[i]^2))/∂x[k]            by norm_def
   = Σ(i, 2 x[i] δ(i, k))             by norm_def
   = 2 x[k]                           by index_collapse
qed
"""

QUADRATIC = QUADRATIC_FORM_GRADIENT.replace("theorem quadratic_form_gradient:\n  grad(x^T A x, x)",
                                            "lemma quadratic_form_gradient:\n  grad(x^T A x)")


def big_document(theorems: int = 50, first: int = 2) -> str:
    """`theorems` proofs of four steps each, all different (coefficients first, first + 1, …), so
    a fresh server decides every step: a check that takes a while."""
    parts = [HEAD]
    for t in range(theorems):
        a = first + t
        parts.append(f"""
theorem t{t}:
  grad({a} x^T A x) = {a} (A + A^T) x
proof (component k):
     d({a} x^T A x)/dx[k]
   = d/dx[k] sum(i, sum(j, {a} A[i,j] x[i] x[j]))                   by expand_sums
   = sum(i, sum(j, {a} A[i,j] (delta(i,k) x[j] + x[i] delta(j,k))))  by product_rule
   = {a} sum(j, A[k,j] x[j]) + {a} sum(i, A[i,k] x[i])               by index_collapse
   = {a} (A x)[k] + {a} (A^T x)[k]                                   by matvec_def
qed
""")
    return "".join(parts)
