"""Check a document again after an edit, parsing and checking only the theorem the edit falls in.

`check_text` parses the whole file on every call: about 0.1 s for a 200-step document, most of the
budget of an editor's round trip. Deciding is already memoised by the checker (a step whose two
sides are unchanged is never decided twice in a process), so what is left to save is the parse and
the elaboration of the theorems the edit did not touch.

`recheck(text, path, previous)` returns what `check_text(text, path)` returns — the same
diagnostics in the same order, the same theorem results, syntax tree and declarations — and takes
a short path only when that holds by construction:

- no file the previous version imports has changed since (else nothing is reused, not even for
  the same text);
- the previous version parsed, has no `# expect:` header, no `\\r`, and no two theorems share a name
  (a duplicate's message names another theorem's line), and no step cites a theorem by its name
  (today an unknown rule; should citing lemmas become a rule, theorems would depend on each other);
- the edit (the text between the longest common prefix and suffix of the two versions) lies inside
  one theorem, after its `theorem`/`lemma` keyword and before its final `qed`, and nothing else
  starts on the line where that theorem ends (so later items move by whole lines only);
- the new text with every other theorem blanked out (spaces, line breaks kept, so every position is
  unchanged) parses into the same declarations and exactly one theorem spanning the edited region.

Then declarations and the edited theorem come from checking that blanked text, and every other
theorem keeps its previous results, moved down or up by the number of lines the edit added or
removed (their messages name no line numbers). Anything else is checked in full.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import re
from dataclasses import dataclass, field

from ... import diagnostics as dg
from ...checker import check_text, imports
from ...diagnostics import Diagnostic, Span
from ...literate import is_literate
from ...results import FileResult, TheoremResult
from ...syntax import ast


@dataclass
class Checked:
    """One text and what the checker says about it (plus the quick fixes found for it)."""

    text: str
    result: FileResult
    fixes: list = field(default_factory=list)  # queries.Fix, computed off the event loop
    citable: dict = field(default_factory=dict)  # name -> queries.Cited, computed off the event loop
    incremental: bool = False  # whether `recheck` took the short path (for tests and benchmarks)

    @property
    def theorems(self) -> list[ast.Theorem]:
        tree = self.result.tree
        return [i for i in tree.items if isinstance(i, ast.Theorem)] if tree is not None else []


def recheck(text: str, path: str, previous: Checked | None = None, progress=None) -> Checked:
    """What check_text(text, path) says, reusing `previous` (a check of an earlier text) where an
    edit inside one theorem leaves the rest of the file unchanged. `progress` goes to check_text
    when the whole file is checked."""
    if previous is not None and not imports.unchanged(previous.result.depends):
        previous = None  # an imported file changed: every verdict may have, checked in full
    if previous is not None:
        if text == previous.text:
            return previous
        try:
            quick = _one_theorem(previous, text, path)
        except Exception:  # the short path is an optimisation: any surprise means a full check
            quick = None
        if quick is not None:
            return quick
    return Checked(text, check_text(text, path, progress=progress))


# ---- a first look -----------------------------------------------------------------------------------

_STATED = re.compile(r"^(?:theorem|lemma)[ \t]+([A-Za-z_][A-Za-z0-9_]*)", re.MULTILINE)
_QED = re.compile(r"^[ \t]*qed\b[^\n]*", re.MULTILINE)
_NOT_ALONE = (dg.SYNTAX, dg.UNKNOWN_RULE, dg.UNCITABLE, dg.INTERNAL, dg.LIMIT)


def first_look(text: str, path: str, at_least: int) -> tuple[FileResult, list[ast.Ident]] | None:
    """A long document's first theorem checked on its own, without parsing the rest: the result of
    checking the text with every later theorem blanked out (positions kept), and those theorems'
    names (pending). None when the text states fewer than `at_least` theorems (at the start of a
    line) or does not split so: the blanked text must parse into the declarations and that one
    theorem, which must cite nothing it lacks there (a later theorem, say)."""
    stated = list(_STATED.finditer(text))
    if len(stated) < at_least or is_literate(path):
        return None
    starts = _line_starts(text)
    pieces, last, names = [], 0, []
    for k, m in enumerate(stated[1:], 1):
        end = _QED.search(text, m.end())
        if end is None or (k + 1 < len(stated) and end.end() > stated[k + 1].start()):
            return None
        pieces += [text[last:m.start()], _blank(text[m.start():end.end()])]
        last = end.end()
        line = bisect.bisect_right(starts, m.start(1))
        col = m.start(1) - starts[line - 1] + 1
        names.append(ast.Ident(m.group(1), Span(line, col, line, col + len(m.group(1)))))
    pieces.append(text[last:])
    result = check_text("".join(pieces), path)
    theorems = [i for i in result.tree.items if isinstance(i, ast.Theorem)] if result.tree is not None else []
    if len(theorems) != 1 or len(result.theorems) != 1 or theorems[0].name.name != stated[0].group(1):
        return None
    if any(d.code in _NOT_ALONE for d in result.diagnostics):
        return None
    return result, names


# ---- the short path -------------------------------------------------------------------------------


def _one_theorem(prev: Checked, text: str, path: str) -> Checked | None:
    old, res = prev.text, prev.result
    if res.tree is None or res.expected or "\r" in text or "\r" in old:
        return None
    if any(d.code in (dg.INTERNAL, dg.LIMIT) for d in res.diagnostics):
        return None
    theorems = prev.theorems
    names = [t.name.name for t in theorems]
    if len(theorems) != len(res.theorems) or len(set(names)) != len(names):
        return None
    p = _common_prefix(old, text)
    s = _common_suffix(old, text, p)
    old_end, delta = len(old) - s, len(text) - len(old)
    old_starts = _line_starts(old)
    spans = [(_offset(old_starts, t.span.line, t.span.col), _offset(old_starts, t.span.end_line, t.span.end_col))
             for t in theorems]
    target = next((k for k, (a, b) in enumerate(spans)
                   if a + len(theorems[k].kind) <= p and old_end <= b - len("qed")), None)
    if target is None:
        return None
    b = spans[target][1]
    line_end = old.find("\n", b)
    after = old[b:] if line_end < 0 else old[b:line_end]
    if after.strip() and not after.lstrip().startswith("#"):
        return None
    lines = text.count("\n", p, old_end + delta) - old.count("\n", p, old_end)

    # the new text with every other theorem blanked out: the same positions, one theorem to check
    pieces, last = [], 0
    for k, (x, y) in enumerate(spans):
        if k == target:
            continue
        if k > target:
            x, y = x + delta, y + delta
        pieces += [text[last:x], _blank(text[x:y])]
        last = y
    pieces.append(text[last:])
    part = check_text("".join(pieces), path)
    if part.tree is None or part.expected or len(part.theorems) != 1:
        return None
    if any(d.code in (dg.INTERNAL, dg.LIMIT) for d in part.diagnostics):
        return None
    new_items = [i for i in part.tree.items if isinstance(i, ast.Theorem)]
    decls = [i for i in part.tree.items if not isinstance(i, ast.Theorem)]
    if len(new_items) != 1 or len(decls) != len(res.tree.items) - len(theorems):
        return None
    new = new_items[0]
    new_starts = _line_starts(text)
    if ((new.span.line, new.span.col) != (theorems[target].span.line, theorems[target].span.col)
            or _offset(new_starts, new.span.end_line, new.span.end_col) != b + delta
            or (new.name.name != names[target] and new.name.name in names)):
        return None
    # the edited theorem is checked alone: only when it cites no theorem and no theorem cites it
    cited = {i.name for t in theorems for step in t.proof.steps for i in step.rules}
    if cited & {names[target], new.name.name} or {i.name for st in new.proof.steps for i in st.rules} & {*names}:
        return None

    # assemble: declarations and the edited theorem from `part`, the others from `prev`, moved
    def moved(k: int) -> bool:
        return k > target and lines != 0

    tree_theorems = [new if k == target else (_move_node(t, lines) if moved(k) else t)
                     for k, t in enumerate(theorems)]
    results = [part.theorems[0] if k == target else (_move_result(r, lines) if moved(k) else r)
               for k, r in enumerate(res.theorems)]
    items = sorted(decls + tree_theorems, key=lambda i: (i.span.line, i.span.col))
    per_theorem = _by_theorem(res.diagnostics, theorems)
    inside_new = _by_theorem(part.diagnostics, [new])
    diags = list(inside_new[None])  # the declarations' diagnostics, in the order the checker gives
    for k in range(len(theorems)):
        if k == target:
            diags += inside_new[0]
        else:
            diags += [_move_diag(d, lines) for d in per_theorem[k]] if moved(k) else per_theorem[k]
    result = FileResult(path, diags, results, scope=part.scope, tree=ast.File(tuple(items)))
    return Checked(text, result, incremental=True)


def _common_prefix(a: str, b: str) -> int:
    lo, hi = 0, min(len(a), len(b))
    while lo < hi:  # binary search over slice comparisons (done in C): fast on long texts
        mid = (lo + hi + 1) // 2
        if a[:mid] == b[:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _common_suffix(a: str, b: str, prefix: int) -> int:
    lo, hi = 0, min(len(a), len(b)) - prefix
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[len(a) - mid:] == b[len(b) - mid:]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def text_of(text: str, span: Span) -> str:
    """The text a span covers."""
    starts = _line_starts(text)
    return text[_offset(starts, span.line, span.col):_offset(starts, span.end_line, span.end_col)]


@functools.lru_cache(maxsize=8)  # text_of is called per theorem on the same few texts (citable names)
def _line_starts(text: str) -> list[int]:
    """The offset of every line's first character (shared: do not modify)."""
    starts = [0]
    at = text.find("\n")
    while at >= 0:
        starts.append(at + 1)
        at = text.find("\n", at + 1)
    return starts


def _offset(starts: list[int], line: int, col: int) -> int:
    return starts[line - 1] + col - 1


def _blank(s: str) -> str:
    return "\n".join(" " * len(line) for line in s.split("\n"))


def _by_theorem(diags, theorems) -> dict:
    """Diagnostics grouped by the theorem whose span holds their start (None: declarations)."""
    starts = [(t.span.line, t.span.col) for t in theorems]
    out: dict = {None: []}
    out.update({k: [] for k in range(len(theorems))})
    for d in diags:
        at = (d.span.line, d.span.col)
        k = bisect.bisect_right(starts, at) - 1
        inside = k >= 0 and at < (theorems[k].span.end_line, theorems[k].span.end_col)
        out[k if inside else None].append(d)
    return out


def _move_diag(d: Diagnostic, lines: int) -> Diagnostic:
    return dataclasses.replace(d, span=d.span.moved(lines))


def _move_result(r: TheoremResult, lines: int) -> TheoremResult:
    steps = [dataclasses.replace(st, span=st.span.moved(lines)) for st in r.steps]
    return dataclasses.replace(r, span=r.span.moved(lines), steps=steps)


_FIELDS: dict[type, tuple[str, ...] | None] = {}


def _move_node(node, lines: int):
    """A syntax tree node with every span in it moved by `lines` lines."""
    if isinstance(node, Span):
        return node.moved(lines)
    if isinstance(node, tuple):
        return tuple(_move_node(x, lines) for x in node)
    cls = type(node)
    if cls not in _FIELDS:
        _FIELDS[cls] = tuple(f.name for f in dataclasses.fields(cls)) if dataclasses.is_dataclass(cls) else None
    names = _FIELDS[cls]
    if names is None:
        return node
    moved = object.__new__(cls)  # as in Span.moved: the syntax tree's dataclasses are frozen
    moved.__dict__.update({n: _move_node(getattr(node, n), lines) for n in names})
    return moved
