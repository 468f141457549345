"""Citing a theorem where one applies: a theorem with a proof, earlier in the file or imported, whose
left side becomes the derived theorem's left side by renaming its objects and sizes. The proof is then
the theorem's right side, renamed, `by` that theorem, and a last step by a definition or symmetry when
the stated right side is written differently.

Untrusted like the rest of derive: the checker proves the citation (matching the instance itself), or
derive falls back to the proof by components.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import rules
from ..elaboration import ElabError, Elaborator, Scope, declare, same_dim
from ..kernel import Entry, Index, KernelLimit, Obj
from ..rules import lemma as match
from ..syntax import ast
from ..syntax.parser import ParseFailure, parse
from .generate import CannotDerive, Deriver, Plan, source_of

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
FINISH = ["symmetry", "matvec_def", "matmul_def", "dot_def", "expand_sums", "norm_def", "trace_def",
          "identity_def", "diag_def", "hadamard_def"]


@dataclass
class Known:
    """A theorem a step may cite: how it is cited, its file's declarations, its two sides."""

    cite: str
    scope: Scope
    lhs: ast.Node
    rhs_text: str
    line: int  # where it is stated in the derived file (0 for an imported one)


def _theorems(text: str) -> tuple[list, Scope]:
    items = []
    for item in parse(text).items:
        items.extend(item if isinstance(item, list) else [item])
    return items, declare(items, [])


def known_theorems(items: list, text: str, path: str) -> list[Known]:
    """The theorems with a proof in `items` (the file's, read from `text`) and in the files it imports."""
    from ..checker.imports import locate

    lines = text.split("\n")
    scope = declare(items, [])
    out = [Known(th.name.name, scope, th.lhs, source_of(lines, th.rhs.span), th.span.line)
           for th in items if isinstance(th, ast.Theorem) and not th.proof.missing]
    for imp in (i for i in items if isinstance(i, ast.Import)):
        found = locate(imp, path)
        if isinstance(found, str):
            continue
        try:
            other = found[1]().decode("utf-8")
            their, their_scope = _theorems(other)
        except (OSError, ValueError, ParseFailure):
            continue
        other_lines = other.split("\n")
        out += [Known(f"{found[2]}.{th.name.name}", their_scope, th.lhs, source_of(other_lines, th.rhs.span), 0)
                for th in their if isinstance(th, ast.Theorem) and not th.proof.missing]
    return out


def lemma_plan(deriver: Deriver, lhs_node: ast.Node, rhs_node: ast.Node | None, known: list[Known],
               line: int) -> Plan | None:
    """A proof citing one of `known` (stated before `line`), or None when none applies by renaming."""
    try:
        lhs = deriver.el.expr(lhs_node)
    except ElabError:
        return None
    slots = (Index("(row)", lhs.rows) if lhs.rows is not None else None,
             Index("(col)", lhs.cols) if lhs.cols is not None else None)
    target = lhs.comp(*slots)
    lhs_text = source_of(deriver.lines_of_source, lhs_node.span)
    found: list[Plan] = []
    for k in known:
        if k.line >= line:
            continue
        try:
            theirs = Elaborator(k.scope).expr(k.lhs)
        except ElabError:
            continue
        if (theirs.rows is None) != (lhs.rows is None) or (theirs.cols is None) != (lhs.cols is None):
            continue
        pattern = theirs.comp(Index("(row)", theirs.rows) if theirs.rows is not None else None,
                              Index("(col)", theirs.cols) if theirs.cols is not None else None)
        inst = match.match(pattern, target, match.Instance())
        names = _renames(inst) if inst is not None else None
        if names is None:
            continue
        middle = _NAME.sub(lambda m: names.get(m.group(), m.group()), k.rhs_text)
        chain, cites = [lhs_text, middle], [k.cite]
        if rhs_node is not None:
            rhs_text = source_of(deriver.lines_of_source, rhs_node.span)
            if rhs_text != middle:
                finish = _cite_whole(deriver, middle, rhs_text, slots)
                if finish is None:
                    continue
                if finish == "":  # the same up to bookkeeping: the right side as stated, by the theorem
                    chain[-1] = rhs_text
                else:
                    chain.append(rhs_text)
                    cites.append(finish)
        elif _cite_whole(deriver, lhs_text, middle, slots, rules_=[]) is None:
            continue  # the renamed statement does not read back under these declarations
        found.append(Plan((), chain, cites, "", middle if rhs_node is None else None, {}))
    # the fewest steps, then the shortest right side (the most specific theorem), then the first
    return min(found, key=lambda p: (len(p.lines), len(p.lines[-1])), default=None)


def _renames(inst: match.Instance) -> dict[str, str] | None:
    """The instance as a renaming of names (objects, variables, sizes), or None when an object stands
    for more than another object."""
    out: dict[str, str] = {}
    for obj, value in inst.objects.items():
        if isinstance(value, Obj):
            out[obj.name] = value.name
            continue
        params, body = value
        if not (isinstance(body, Entry) and body.idx == params and not body.derivs):
            return None
        out[obj.name] = body.obj.name
    for a, b in inst.dims.items():
        if a.name != b.name:
            if not b.symbolic:
                return None
            out[a.name] = b.name
    return out


def _cite_whole(deriver: Deriver, before: str, after: str, slots, rules_=None) -> str | None:
    """The rule (of FINISH) that explains the whole-object step from `before` to `after`, "" when they
    differ by bookkeeping alone, or None; with `rules_=[]`, only whether `after` reads back with the
    shape of `before` ("" if so)."""
    try:
        a = deriver.el.expr(parse(f"theorem derive_line: {before} = 0").items[0].lhs)
        b = deriver.el.expr(parse(f"theorem derive_line: {after} = 0").items[0].lhs)
    except (ParseFailure, ElabError, IndexError):
        return None
    if not (same_dim(a.rows, b.rows) and same_dim(a.cols, b.cols)):
        return None
    if rules_ == []:
        return ""
    x, y = a.comp(*slots), b.comp(*slots)
    if deriver.bookkeeping(x, y):
        return ""
    for name in FINISH:
        try:
            if rules.explains([rules.RULES[name]], x, y):
                return name
        except KernelLimit:
            return None
    return None


__all__ = ["CannotDerive", "Known", "known_theorems", "lemma_plan"]
