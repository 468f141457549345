"""What a file will be checked as, found without checking it: its theorems (name, kind, position)
or the reason it is one unit. Cheap and deterministic (it parses and reads the declarations, nothing
more), so a front end can list a file's theorems before the check runs — the pytest plugin collects
one item per theorem this way, identically in every xdist worker."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..diagnostics import Span
from ..readfile import MAX_FILE_BYTES, Undecodable, decode_source

# Loose on purpose: any `# expect:` line in the leading comments makes the file one unit; whether the
# header is well-formed is the checker's call (FileResult.expected).
_EXPECT_HINT = re.compile(r"#\s*expect\s*:")


@dataclass(frozen=True)
class TheoremHead:
    name: str
    kind: str  # theorem | lemma
    span: Span  # the whole theorem
    name_span: Span


@dataclass(frozen=True)
class Outline:
    """`whole` is why the file is one unit ("unreadable", "binary", "not UTF-8", "expect", "syntax",
    "no theorem") or None; then `theorems` lists its theorems and `declaration_errors` says whether a
    declaration outside them is wrong."""

    whole: str | None
    theorems: tuple[TheoremHead, ...] = ()
    declaration_errors: bool = False


def outline(data: bytes | None, literate: bool = False) -> Outline:
    """The outline of a file's bytes (None: it could not be read); `literate`: a Markdown post, whose
    ```vproof blocks are the file (vecproof.literate). Never raises."""
    if data is None or len(data) > MAX_FILE_BYTES:
        return Outline("unreadable")
    try:
        text = decode_source(data)
    except Undecodable:
        return Outline("binary" if b"\x00" in data else "not UTF-8")
    if literate:
        from ..literate import extract

        text = extract(text)
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            break
        if _EXPECT_HINT.match(stripped):
            return Outline("expect")
    try:
        from ..syntax import ast, parse

        tree = parse(text)
    except Exception:  # ParseFailure, RecursionError, anything: the check will say what it is
        return Outline("syntax")
    items = []
    for item in tree.items:
        items.extend(item if isinstance(item, list) else [item])
    theorems = tuple(TheoremHead(i.name.name, i.kind, i.span, i.name.span) for i in items if isinstance(i, ast.Theorem))
    if not theorems:
        return Outline("no theorem")
    errors: list = []
    try:
        from ..elaboration import declare

        declare(items, errors)
    except Exception:
        errors.append(None)
    return Outline(None, theorems, bool(errors))
