"""Conversions from vecproof's results and positions to the Language Server Protocol's types.

Positions, diagnostics, hovers, symbols, completion items, quick fixes and semantic tokens.

The position rules, stated once:

- vecproof: `Span(line, col, end_line, end_col)`, 1-based lines and columns, counted in characters
  (Python `str` indices, i.e. Unicode code points), the end exclusive.
- LSP: `Position(line, character)`, 0-based lines; `character` counts code units of the position
  encoding agreed at initialisation — UTF-16 unless the client offers UTF-8 or UTF-32 (pygls takes
  the client's first choice among those) — the end exclusive too.
- Lines are separated by `\\n`, `\\r\\n` or `\\r` in both (the checker reads `\\r\\n` and `\\r` as `\\n`).

So LSP line = line - 1, and character = the length, in code units, of the line's text before
column `col`. Characters beyond the basic multilingual plane are one column, two UTF-16 units and
four UTF-8 bytes. A position outside the text (a line past the end, a character past the end of its
line, or inside a character's code units) is clamped to the nearest place in the text.
"""

from __future__ import annotations

from lsprotocol import types as lsp

from ...diagnostics import Diagnostic, Severity, Span
from . import queries
from .tokens import classify, lex

UTF8, UTF16, UTF32 = "utf-8", "utf-16", "utf-32"


class Positions:
    """Position conversions for one text under one position encoding."""

    def __init__(self, text: str, encoding: str = UTF16):
        self.lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        self.encoding = str(getattr(encoding, "value", encoding) or UTF16).lower()

    def units(self, s: str) -> int:
        """The length of `s` in code units of the position encoding."""
        if s.isascii() or self.encoding == UTF32:
            return len(s)
        if self.encoding == UTF8:
            return len(s.encode("utf-8"))
        return len(s) + sum(1 for ch in s if ord(ch) > 0xFFFF)

    def position(self, line: int, col: int) -> lsp.Position:
        """vecproof (line, col) -> LSP Position."""
        line = min(max(line, 1), len(self.lines))
        text = self.lines[line - 1]
        col = min(max(col, 1), len(text) + 1)
        return lsp.Position(line - 1, self.units(text[: col - 1]))

    def range(self, span: Span) -> lsp.Range:
        start, end = self.position(span.line, span.col), self.position(span.end_line, span.end_col)
        if (end.line, end.character) < (start.line, start.character):
            end = start
        return lsp.Range(start, end)

    def location(self, position: lsp.Position) -> tuple[int, int]:
        """LSP Position -> vecproof (line, col), clamped into the text."""
        if position.line >= len(self.lines):
            return len(self.lines), len(self.lines[-1]) + 1
        text = self.lines[max(position.line, 0)]
        want, used = max(position.character, 0), 0
        for k, ch in enumerate(text):
            used += self.units(ch)
            if used > want:
                return position.line + 1, k + 1
        return position.line + 1, len(text) + 1


# ---- diagnostics -----------------------------------------------------------------------------------

_SEVERITY = {Severity.ERROR: lsp.DiagnosticSeverity.Error, Severity.WARNING: lsp.DiagnosticSeverity.Warning,
             Severity.NOTE: lsp.DiagnosticSeverity.Information}


def diagnostic(d: Diagnostic, pos: Positions, fixes=()) -> lsp.Diagnostic:
    """A vecproof diagnostic: its message followed by its detail (the counterexample, hints); the
    code (VP201…); in `data`, the counterexample as values and the quick fixes as text edits."""
    message = "\n".join([d.message, *(line.strip() for line in d.detail if line.strip())])
    data = {}
    if d.counterexample is not None:
        data["counterexample"] = _json(d.counterexample)
    if fixes:
        data["fixes"] = [{"title": f.title, "range": _plain_range(pos.range(f.span)), "newText": f.text}
                         for f in fixes]
    return lsp.Diagnostic(range=pos.range(d.span), message=message, severity=_SEVERITY[d.level],
                          code=d.code.id, source="vecproof", data=data or None)


def diagnostics(checked, encoding) -> list[lsp.Diagnostic]:
    pos = Positions(checked.text, encoding)
    fixes = _fixes_by_diagnostic(checked)
    return [diagnostic(d, pos, fixes.get(n, ())) for n, d in enumerate(checked.result.diagnostics)]


def pending(names, pos: Positions) -> lsp.Diagnostic:
    """The diagnostic of a partial result: which theorems (`names`, syntax Idents) are not checked
    yet, at the first of them; `data.pending` lists them all."""
    shown = ", ".join(i.name for i in names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    return lsp.Diagnostic(range=pos.range(names[0].span), message=f"checking: not checked yet: {shown}",
                          severity=lsp.DiagnosticSeverity.Information, source="vecproof",
                          data={"pending": [i.name for i in names]})


def _fixes_by_diagnostic(checked) -> dict[int, list]:
    out: dict[int, list] = {}
    for f in checked.fixes:
        if f.diagnostic is not None:
            out.setdefault(f.diagnostic, []).append(f)
    return out


def _json(value):
    """Plain JSON data: numbers other than int and float (a Fraction, say) become text."""
    if isinstance(value, dict):
        return {str(k): _json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json(v) for v in value]
    return value if value is None or isinstance(value, (str, int, float, bool)) else str(value)


def _plain_range(r: lsp.Range) -> dict:
    return {"start": {"line": r.start.line, "character": r.start.character},
            "end": {"line": r.end.line, "character": r.end.character}}


# ---- requests ----------------------------------------------------------------------------------------


def hover(h: queries.Hover | None, pos: Positions, markdown: bool) -> lsp.Hover | None:
    if h is None:
        return None
    kind = lsp.MarkupKind.Markdown if markdown else lsp.MarkupKind.PlainText
    text = h.markdown if markdown else h.markdown.replace("```vproof\n", "").replace("```\n", "").replace("```", "")
    return lsp.Hover(contents=lsp.MarkupContent(kind=kind, value=text), range=pos.range(h.span))


def location(uri: str, span: Span | None, pos: Positions) -> lsp.Location | None:
    return None if span is None else lsp.Location(uri=uri, range=pos.range(span))


def symbols(found: list[queries.Symbol], pos: Positions, uri: str, hierarchical: bool):
    if hierarchical:
        return [lsp.DocumentSymbol(name=s.name, kind=lsp.SymbolKind.Function, range=pos.range(s.span),
                                   selection_range=pos.range(s.name_span), detail=f"{s.kind}: {s.detail}".strip(": "))
                for s in found]
    return [lsp.SymbolInformation(name=s.name, kind=lsp.SymbolKind.Function,
                                  location=lsp.Location(uri, pos.range(s.span)), container_name=s.kind)
            for s in found]


_COMPLETION_KIND = {
    "rule": lsp.CompletionItemKind.Function, "keyword": lsp.CompletionItemKind.Keyword,
    "builtin": lsp.CompletionItemKind.Function, "dim": lsp.CompletionItemKind.TypeParameter,
    "index": lsp.CompletionItemKind.Variable, "var": lsp.CompletionItemKind.Variable,
    "const": lsp.CompletionItemKind.Constant, "func": lsp.CompletionItemKind.Function,
    "fn": lsp.CompletionItemKind.Function, "snippet": lsp.CompletionItemKind.Snippet, "theorem": lsp.CompletionItemKind.Reference,
}


def completions(found: list[queries.Completion], snippets: bool, markdown: bool) -> lsp.CompletionList:
    items = []
    for c in found:
        doc = None
        if c.documentation:
            doc = lsp.MarkupContent(kind=lsp.MarkupKind.Markdown if markdown else lsp.MarkupKind.PlainText,
                                    value=c.documentation)
        item = lsp.CompletionItem(label=c.label, kind=_COMPLETION_KIND.get(c.kind), detail=c.detail or None,
                                  documentation=doc)
        if c.kind == "snippet":
            if snippets:
                item.insert_text, item.insert_text_format = c.snippet, lsp.InsertTextFormat.Snippet
            else:
                item.insert_text = _plain(c.snippet)
        items.append(item)
    return lsp.CompletionList(is_incomplete=False, items=items)


def _plain(snippet: str) -> str:
    """A snippet without its placeholders: ${1:name} -> name, ${4|a,b|} -> a, $0 -> nothing."""
    import re

    out = re.sub(r"\$\{\d+:([^}]*)\}", r"\1", snippet)
    out = re.sub(r"\$\{\d+\|([^,|]*)[^}]*\}", r"\1", out)
    return re.sub(r"\$\d+", "", out)


def code_actions(uri: str, version: int | None, found: list[queries.Fix], checked, pos: Positions,
                 versioned: bool) -> list[lsp.CodeAction]:
    out, fixes = [], _fixes_by_diagnostic(checked)
    for f in found:
        edit = lsp.TextEdit(range=pos.range(f.span), new_text=f.text)
        if versioned:
            doc = lsp.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version)
            change = lsp.WorkspaceEdit(document_changes=[lsp.TextDocumentEdit(text_document=doc, edits=[edit])])
        else:
            change = lsp.WorkspaceEdit(changes={uri: [edit]})
        if f.diagnostic is None:  # a rewrite of a step that is fine as it is
            out.append(lsp.CodeAction(title=f.title, kind=lsp.CodeActionKind.RefactorRewrite, edit=change))
            continue
        d = diagnostic(checked.result.diagnostics[f.diagnostic], pos, fixes.get(f.diagnostic, ()))  # as published
        out.append(lsp.CodeAction(title=f.title, kind=lsp.CodeActionKind.QuickFix, edit=change, is_preferred=True,
                                  diagnostics=[d]))
    return out


# ---- semantic tokens -------------------------------------------------------------------------------

TOKEN_TYPES = ["keyword", "function", "macro", "type", "parameter", "variable", "comment", "number", "operator"]
TOKEN_MODIFIERS = ["declaration", "readonly", "defaultLibrary"]
LEGEND = lsp.SemanticTokensLegend(token_types=TOKEN_TYPES, token_modifiers=TOKEN_MODIFIERS)
_TYPE_OF = {  # what the lexer and the declarations say -> (token type, modifiers)
    "keyword": ("keyword", ()), "theorem": ("function", ()), "rule": ("macro", ()),
    "builtin": ("function", ("defaultLibrary",)), "dim": ("type", ()), "index": ("parameter", ()),
    "var": ("variable", ()), "const": ("variable", ("readonly",)), "func": ("function", ()),
    "fn": ("function", ()), "name": ("variable", ()), "comment": ("comment", ()), "number": ("number", ()), "operator": ("operator", ()),
}


def semantic_tokens(text: str, scope, theorem_names, encoding) -> lsp.SemanticTokens:
    """Every token of the text, classified, in the relative encoding (line delta, start delta,
    length, type, modifiers) with lengths and starts in the position encoding's code units."""
    pos = Positions(text, encoding)
    data: list[int] = []
    last_line, last_start = 0, 0
    for tok in lex(text):
        what, declared = classify(tok, scope, theorem_names)
        kind, mods = _TYPE_OF.get(what, ("variable", ()))
        bits = sum(1 << TOKEN_MODIFIERS.index(m) for m in mods) | (1 if declared else 0)
        start = pos.position(tok.line, tok.col)
        length = pos.units(tok.text)
        if start.line != last_line:
            last_start = 0
        data += [start.line - last_line, start.character - last_start, length, TOKEN_TYPES.index(kind), bits]
        last_line, last_start = start.line, start.character
    return lsp.SemanticTokens(data=data)
