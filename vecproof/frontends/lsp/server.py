"""The language server's handlers (pygls 2), one per editor feature.

Each gets the document, asks the library (queries.py, over the checker's results) and converts
(convert.py).

Every handler answers "nothing" rather than fail: half-typed text, positions outside the document,
requests for documents that are not open. Unknown requests get pygls's MethodNotFound error.
Initialisation options: {"debounce": the longest wait, in milliseconds, after a change before checking
(100); the server waits twice what the document's last check cost, within 5 ms and that bound, and
not at all for a lone edit of a document that checks quickly; "partial": milliseconds between the
partial results published while a document opened is first checked (100; 0: after every theorem)}.
"""

from __future__ import annotations

import asyncio
import functools
import logging

from lsprotocol import types as lsp
from pygls import uris
from pygls.capabilities import get_capability
from pygls.exceptions import FeatureRequestError, JsonRpcException
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol

from ... import __version__
from . import convert, queries
from .documents import Documents

log = logging.getLogger(__name__)


class _Protocol(LanguageServerProtocol):
    def structure_message(self, data):
        """pygls 2.1 drops a request whose parameters do not fit the method: answer it with the
        error instead, so that the client does not wait for ever."""
        try:
            return super().structure_message(data)
        except JsonRpcException as err:
            if isinstance(data, dict) and "id" in data and "method" in data:
                self._send_response(data["id"], error=err.to_response_error())
            raise


class VecproofServer(LanguageServer):
    def __init__(self):
        super().__init__("vecproof", __version__, text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental,
                         protocol_cls=_Protocol)
        self.documents = Documents(self.publish)
        self.shutdown_requested = False

    @property
    def encoding(self) -> str:
        return self.workspace.position_encoding or convert.UTF16

    def capable(self, field: str) -> bool:
        return bool(get_capability(self.client_capabilities, field, False))

    def markdown(self, field: str) -> bool:
        return lsp.MarkupKind.Markdown in (get_capability(self.client_capabilities, field, None) or ())

    def publish(self, doc, checked, version, pending=None) -> None:
        """The diagnostics of `checked`; for a partial result, `pending` names the theorems not
        checked yet (said in one more diagnostic, at the first of them)."""
        diagnostics = convert.diagnostics(checked, self.encoding)
        if pending:
            diagnostics.append(convert.pending(pending, convert.Positions(checked.text, self.encoding)))
        self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(
            uri=doc.uri, diagnostics=diagnostics, version=version))

    def report_server_error(self, error, source) -> None:
        # pygls shows these in a pop-up by default; a log line is enough. A failed request has
        # already had its error response (an unknown method, for one).
        if source is not FeatureRequestError:
            self.window_log_message(lsp.LogMessageParams(lsp.MessageType.Error, f"vecproof: {error}"))


server = VecproofServer()


def _safe(default=None):
    """Answer `default` instead of an error response if the handler fails: the editor must keep
    working whatever the text or the request holds. The failure goes to the client's log."""
    def wrap(handler):
        @functools.wraps(handler)
        async def guarded(ls: VecproofServer, params):
            try:
                return await handler(ls, params)
            except Exception as err:
                log.exception("%s failed", handler.__name__)
                ls.window_log_message(lsp.LogMessageParams(
                    lsp.MessageType.Warning, f"vecproof: {handler.__name__} failed: {type(err).__name__}: {err}"))
                return default
        return guarded
    return wrap


# ---- documents ------------------------------------------------------------------------------------


@server.feature(lsp.INITIALIZE)
def initialize(ls: VecproofServer, params: lsp.InitializeParams) -> None:
    options = params.initialization_options
    if isinstance(options, dict) and isinstance(options.get("debounce"), (int, float)):
        ls.documents.delay = max(0.0, float(options["debounce"]) / 1000)
    if isinstance(options, dict) and isinstance(options.get("partial"), (int, float)):
        ls.documents.partial = max(0.0, float(options["partial"]) / 1000)


@server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: VecproofServer, params: lsp.DidOpenTextDocumentParams) -> None:
    doc = params.text_document
    ls.documents.opened(doc.uri, doc.version, doc.text)


@server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: VecproofServer, params: lsp.DidChangeTextDocumentParams) -> None:
    uri = params.text_document.uri
    if uri in ls.documents.open:
        ls.documents.changed(uri, params.text_document.version, ls.workspace.get_text_document(uri).source)


@server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: VecproofServer, params: lsp.DidSaveTextDocumentParams) -> None:
    ls.documents.saved(params.text_document.uri)


@server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: VecproofServer, params: lsp.DidCloseTextDocumentParams) -> None:
    ls.documents.closed(params.text_document.uri)
    ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[]))


@server.feature(lsp.SHUTDOWN)
def shutdown(ls: VecproofServer, params) -> None:
    ls.shutdown_requested = True
    ls.documents.shutdown()


# ---- requests -------------------------------------------------------------------------------------


@server.feature(lsp.TEXT_DOCUMENT_HOVER)
@_safe()
async def hover(ls: VecproofServer, params: lsp.HoverParams):
    doc = await ls.documents.current(params.text_document.uri)
    if doc is None or doc.checked is None:
        return None
    pos = convert.Positions(doc.checked.text, ls.encoding)
    scope = doc.parsed.result.scope if doc.parsed is not None else None  # while the text does not parse
    found = queries.hover(doc.checked, *pos.location(params.position), scope)
    return convert.hover(found, pos, ls.markdown("text_document.hover.content_format"))


@server.feature(lsp.TEXT_DOCUMENT_COMPLETION)
@_safe()
async def completion(ls: VecproofServer, params: lsp.CompletionParams):
    doc = ls.documents.open.get(params.text_document.uri)
    if doc is None:
        return None
    pos = convert.Positions(doc.text, ls.encoding)
    scope = doc.parsed.result.scope if doc.parsed is not None else None
    cited = doc.parsed.citable if doc.parsed is not None else None
    found = queries.completions(doc.text, *pos.location(params.position), scope, cited)
    return convert.completions(found, ls.capable("text_document.completion.completion_item.snippet_support"),
                               ls.markdown("text_document.completion.completion_item.documentation_format"))


@server.feature(lsp.TEXT_DOCUMENT_DEFINITION)
@_safe()
async def definition(ls: VecproofServer, params: lsp.DefinitionParams):
    doc = await ls.documents.current(params.text_document.uri)
    if doc is None or doc.parsed is None:
        return None
    known = doc.checked if doc.checked is not None and doc.checked.result.tree is not None else doc.parsed
    pos = convert.Positions(known.text, ls.encoding)
    found = queries.definition(known, *pos.location(params.position))
    if found is None:
        return None
    if not found.path:
        return convert.location(doc.uri, found.span, pos)
    return convert.location(uris.from_fs_path(found.path), found.span, convert.Positions(found.text, ls.encoding))


@server.feature(lsp.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
@_safe(default=[])
async def document_symbol(ls: VecproofServer, params: lsp.DocumentSymbolParams):
    doc = await ls.documents.current(params.text_document.uri)
    if doc is None or doc.parsed is None:
        return []
    pos = convert.Positions(doc.parsed.text, ls.encoding)
    return convert.symbols(queries.symbols(doc.parsed), pos, doc.uri,
                           ls.capable("text_document.document_symbol.hierarchical_document_symbol_support"))


@server.feature(lsp.TEXT_DOCUMENT_CODE_ACTION,
                lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix,
                                                         lsp.CodeActionKind.RefactorRewrite]))
@_safe(default=[])
async def code_action(ls: VecproofServer, params: lsp.CodeActionParams):
    doc = await ls.documents.current(params.text_document.uri)
    if doc is None or doc.checked is None or doc.checked_version != doc.version:
        return []  # an edit computed for another version of the text would land in the wrong place
    pos = convert.Positions(doc.checked.text, ls.encoding)
    want = (pos.location(params.range.start), pos.location(params.range.end))
    diags = doc.checked.result.diagnostics
    found = [f for f in doc.checked.fixes if _overlaps(f.span if f.diagnostic is None else diags[f.diagnostic].span,
                                                       *want)]
    checked = doc.checked
    for n, d in enumerate(diags):  # derive, off the event loop, on request: a proof, or a chain's missing steps
        derive = {"VP211": queries.derive_proof, "VP204": queries.derive_next_steps}.get(d.code.id)
        if derive is not None and _overlaps(d.span, *want):
            found += await asyncio.get_running_loop().run_in_executor(ls.documents.pool, derive, checked, n)
    if doc.checked is not checked or doc.checked_version != doc.version:
        return []  # the text changed while derive ran
    return convert.code_actions(doc.uri, doc.version, found, doc.checked, pos,
                                ls.capable("workspace.workspace_edit.document_changes"))


def _overlaps(span, start, end) -> bool:
    return (span.line, span.col) <= end and start <= (span.end_line, span.end_col)


@server.feature(lsp.TEXT_DOCUMENT_SEMANTIC_TOKENS_FULL, convert.LEGEND)
@_safe(default=lsp.SemanticTokens(data=[]))
async def semantic_tokens(ls: VecproofServer, params: lsp.SemanticTokensParams):
    doc = ls.documents.open.get(params.text_document.uri)
    if doc is None:
        return lsp.SemanticTokens(data=[])
    known = doc.parsed
    scope = known.result.scope if known is not None else None
    names = {t.name.name for t in known.theorems} if known is not None else set()
    return convert.semantic_tokens(doc.text, scope, names, ls.encoding)
