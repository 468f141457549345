"""derive --expr: differentiate one expression under given (or default) declarations, and state the
result as a theorem with its proof, checked before it is shown."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .. import diagnostics as dg
from ..checker import check_text
from ..diagnostics import Diagnostic
from ..elaboration import declare
from ..syntax import ast
from ..syntax.parser import ParseFailure
from .file import NOT_CHECKED, _items
from .generate import CannotDerive, Deriver
from .lemmas import known_theorems, lemma_plan

# The declarations --expr assumes without --decls; only those of names the expression uses are written.
DEFAULT_LAYOUT = "layout denominator"
DEFAULT_DIMS = "dim n"
DEFAULT_INDICES = "index i, j, k, l, p, q : n"
DEFAULT_OBJECTS = (
    ("var", "x", "vector(n)"), ("var", "X", "matrix(n, n) invertible"),
    *(("const", v, "vector(n)") for v in ("a", "b", "c", "u", "v", "w", "y", "z")),
    *(("const", m, "matrix(n, n)") for m in ("A", "B", "C", "M")),
    ("const", "S", "matrix(n, n) symmetric"), ("const", "t", "scalar"),
)
DEFAULTS_HELP = ("layout denominator; dim n; index i, j, k, l, p, q : n; var x : vector(n); "
                 "var X : matrix(n, n) invertible; "
                 "const a, b, c, u, v, w, y, z : vector(n); const A, B, C, M : matrix(n, n); "
                 "const S : matrix(n, n) symmetric; const t : scalar")


@dataclass
class ExprDerivation:
    """The theorem derive states (with its declarations when they are the defaults), or why not."""

    text: str | None
    reason: str = ""
    diagnostics: list[Diagnostic] = field(default_factory=list)


def default_declarations(expr: str) -> str:
    """The default declarations of the names `expr` uses (the layout, dimension and indices always)."""
    used = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", expr))
    lines = [DEFAULT_LAYOUT, DEFAULT_DIMS, DEFAULT_INDICES]
    lines += [f"{kind} {name} : {shape}" for kind, name, shape in DEFAULT_OBJECTS if name in used]
    return "\n".join(lines) + "\n"


def derive_expression(expr: str, declarations: str | None = None, name: str = "derived") -> ExprDerivation:
    """The theorem `expr = …` with its proof, derive's right side in matrix notation where there is one.
    `declarations`: the text of a file whose declarations apply (its theorems are ignored); None for the
    defaults, which are then printed above the theorem."""
    if "\n" in expr or "#" in expr:
        return ExprDerivation(None, "the expression must be one line, without comments")
    shown = declarations is None
    decls = default_declarations(expr) if declarations is None else declarations
    try:
        every = _items(decls)
    except ParseFailure as err:
        return ExprDerivation(None, f"the declarations do not parse: line {err.span.line}: {err.message}")
    items = [i for i in every if not isinstance(i, ast.Theorem)]
    drop = {n for i in every if isinstance(i, ast.Theorem) for n in range(i.span.line, i.span.end_line + 1)}
    header = "\n".join(line for n, line in enumerate(decls.split("\n"), 1) if n not in drop).rstrip() + "\n"
    statement = f"theorem {name}: {expr} = {expr}"
    try:
        th = _items(statement)[0]
    except (ParseFailure, IndexError) as err:
        return ExprDerivation(None, f"the expression does not parse: {getattr(err, 'message', err)}")
    errors: list = []
    scope = declare(items, errors)
    if errors:
        return ExprDerivation(None, f"the declarations are wrong: {errors[0].message}")
    deriver = Deriver(scope, statement)
    try:
        plan = deriver.plan(th.lhs, None)
    except CannotDerive as why:
        return ExprDerivation(None, str(why))
    if not any(r in c for c in plan.cites for r in ("product_rule", "chain_rule")):
        return ExprDerivation(None, f"{expr} takes no derivative: write grad(f, x), d(f)/dx, hess(f, x) or D(u)")
    candidates = [plan]
    try:  # a theorem of an imported file that applies is cited first (the declarations' own are not kept)
        known = [k for k in known_theorems(items, decls, "<decls>") if k.line == 0]
        cited = lemma_plan(deriver, th.lhs, None, known, th.span.line)
    except Exception:
        cited = None
    if cited is not None:
        candidates.insert(0, cited)
    # the generator is untrusted: the theorem goes through the checker with its declarations; with the
    # defaults, first without their index declarations (a component index and a sum's index need none)
    headers = [header]
    if shown:
        headers.insert(0, "".join(line + "\n" for line in header.split("\n") if line and line != DEFAULT_INDICES))
    for plan in candidates:
        text = _theorem_text(plan, name, expr)
        for head in headers:
            result = check_text(head + text, "<derive>")
            problems = [d.message for d in result.diagnostics if d.level != dg.Severity.NOTE]
            if result.theorems and result.theorems[-1].status == "proved" and not problems:
                return ExprDerivation((head + "\n" if shown else "") + text)
    why = tuple(problems[:3])
    return ExprDerivation(None, NOT_CHECKED, [Diagnostic(dg.Span.point(1, 1), dg.INTERNAL, NOT_CHECKED, why)])


def _theorem_text(plan, name: str, expr: str) -> str:
    """The index declarations the proof needs, then the theorem `expr = …` with its proof."""
    by_dim: dict = {}
    for n, d in plan.needs.items():
        by_dim.setdefault(d.name, []).append(n)
    index_decls = "".join(f"index {', '.join(names)} : {dim}\n" for dim, names in by_dim.items())
    if plan.rhs is not None:
        return f"{index_decls}theorem {name}:\n  {expr} = {plan.rhs}\n{plan.text()}\n"
    at = f"[{', '.join(plan.component)}]" if plan.component else ""  # no matrix form: stated at an entry
    lhs = plan.lines[0]
    plan.component = ()
    return (f"{index_decls}# no matrix form: the theorem is stated at an entry{' ' + at if at else ''}\n"
            f"theorem {name}:\n  {lhs} = {plan.lines[-1]}\n{plan.text()}\n")
