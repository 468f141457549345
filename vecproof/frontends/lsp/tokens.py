"""A tolerant lexer for .vproof text: what each word is, for highlighting and hover.

It accepts any text (half-typed, unbalanced, not parsed at all) and mirrors the terminals of
grammar/vproof.lark; the keywords are read from the grammar itself.

Kinds: keyword, theorem (a name after theorem/lemma), rule (a name after `by`), builtin (sum, Σ,
delta, δ, grad, ∇, D, dot, norm, normF, tr), operator (including d/∂ of a derivative and the d of
`dx`), number, comment, name (any other identifier; `classify` says what the declarations make it).
Positions are vecproof's: 1-based line and column in characters, end exclusive.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ...diagnostics import Span
from ...elaboration.scope import BUILTINS as _DECLARED_BUILTINS

BUILTINS = frozenset(_DECLARED_BUILTINS | {"∇"})

_TOKEN = re.compile(r"""
    (?P<comment>\#[^\n]*)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*|[Σδ∇∂])
  | (?P<number>[0-9]+)
  | (?P<operator>\|\||\.\.|[=+\-*/^ᵀ²‖])
  | (?P<punct>[,;:()\[\]])
  | (?P<newline>\n)
  | (?P<space>[^\S\n]+)
  | (?P<other>.)
""", re.VERBOSE)
_DERIVATIVE_FOLLOWS = re.compile(r"[^\S\n]*[(/]")


@lru_cache(maxsize=1)
def keywords() -> frozenset:
    """The words the grammar spells out ("layout", "theorem", "qed", …), from the grammar file."""
    from ...syntax.grammar import grammar_text

    return frozenset(re.findall(r'"([a-z]{2,})"', grammar_text()))


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    line: int
    col: int

    @property
    def span(self) -> Span:
        return Span(self.line, self.col, self.line, self.col + len(self.text))

    def holds(self, line: int, col: int) -> bool:
        """Whether the cursor at (line, col) touches this token (just after its end counts)."""
        return line == self.line and self.col <= col <= self.col + len(self.text)


def lex(text: str) -> list[Token]:
    """Every significant token of `text` (no spaces or line breaks), in order."""
    kw = keywords()
    out: list[Token] = []
    line, line_start = 1, 0
    prev = None  # the previous significant token
    cite = None  # in a citation: "want" a rule name (after `by` or a comma), or "have" one
    for m in _TOKEN.finditer(text):
        kind, s = m.lastgroup, m.group()
        col = m.start() - line_start + 1
        if kind == "newline":
            line, line_start = line + 1, m.end()
            continue
        if kind == "space":
            continue
        if kind == "word":
            kind = "rule" if cite == "want" and s not in kw else _word_kind(s, prev, kw, text, m.end())
            if kind == "wrt":  # `dx` / `∂X` after `/`: the derivative's d, then the variable
                out.append(Token("operator", s[0], line, col))
                prev = Token("name", s[1:], line, col + 1)
                out.append(prev)
                continue
        if kind == "punct":
            kind = "operator"
        tok = Token(kind, s, line, col)
        if kind != "comment":
            if kind == "keyword" and s == "by":
                cite = "want"
            elif kind == "rule":
                cite = "have"
            else:
                cite = "want" if cite == "have" and s == "," else None
            prev = tok
        out.append(tok)
    return out


def _word_kind(s: str, prev: Token | None, kw, text: str, end: int) -> str:
    if prev is not None and prev.kind == "keyword" and prev.text in ("theorem", "lemma"):
        return "theorem"
    if s in kw:
        return "keyword"
    if s in ("d", "∂") and _DERIVATIVE_FOLLOWS.match(text, end):
        return "operator"
    if s == "∂" or s == "_F" or (s == "T" and prev is not None and prev.text == "^"):
        return "operator"
    if prev is not None and prev.text == "/" and len(s) > 1 and s[0] == "d":
        return "wrt"
    if s in BUILTINS:
        return "builtin"
    return "name"


def token_at(tokens: list[Token], line: int, col: int, kinds=None) -> Token | None:
    """The token under the cursor (preferring one that starts there over one that ends there)."""
    found = None
    for t in tokens:
        if t.line > line:
            break
        if t.holds(line, col) and (kinds is None or t.kind in kinds):
            if t.col <= col < t.col + len(t.text):
                return t
            found = found or t
    return found


def classify(tok: Token, scope, theorem_names=()) -> tuple[str, bool]:
    """What a token is once the declarations are known, and whether it is where the name is
    declared: ("dim" | "index" | "var" | "const" | "func" | "theorem" | tok.kind, declared)."""
    if tok.kind == "theorem":
        return "theorem", True
    if tok.kind != "name":
        return tok.kind, False
    got = scope.names.get(tok.text) if scope is not None else None
    if got is not None:
        return got.what, (got.span.line, got.span.col) == (tok.line, tok.col)
    if tok.text in theorem_names:
        return "theorem", False
    return "name", False
