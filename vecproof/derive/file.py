"""derive over a whole file: write a proof under every theorem that has none, then hand the file to
the unchanged checker; a proof it does not prove is withdrawn and reported as a bug (VP902)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import diagnostics as dg
from ..checker import check_text
from ..diagnostics import Diagnostic
from ..elaboration import declare
from ..syntax import ast
from ..syntax.parser import ParseFailure, parse
from .generate import CannotDerive, Deriver, Plan

NOT_CHECKED = "derive produced a proof that does not check; please report"


@dataclass
class Derivation:
    """What `derive_text` did: the new text, the theorems it proved, those it could not (name → why),
    and the problems of the file itself or of derive (diagnostics)."""

    text: str
    proved: list[str] = field(default_factory=list)
    underived: dict[str, str] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    plans: dict[str, Plan] = field(default_factory=dict)

    @property
    def broken(self) -> bool:
        """derive wrote a proof the checker refused (a bug in derive), or the file does not parse."""
        return any(d.level == dg.Severity.ERROR for d in self.diagnostics)


def _items(text: str) -> list:
    items = []
    for item in parse(text).items:
        items.extend(item if isinstance(item, list) else [item])
    return items


def derive_text(text: str, path: str = "<input>") -> Derivation:
    """`text` with a checked proof under every theorem that has none (where derive finds one)."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    try:
        items = _items(text)
    except ParseFailure as err:
        return Derivation(text, diagnostics=[Diagnostic(err.span, dg.SYNTAX, err.message, err.detail, path=path)])
    out = Derivation(text)
    plans = _plan_all(text, items, out)
    if not plans:
        return out
    new = _insert(text, plans)
    # the generator is untrusted: the file goes through the checker, and only what it proves is kept
    result = check_text(new, path)
    status = {t.name: t.status for t in result.theorems}
    bad = {result.theorems[d.theorem].name for d in result.diagnostics
           if d.theorem is not None and d.level != dg.Severity.NOTE}
    for th, plan in list(plans):
        name = th.name.name
        if status.get(name) == "proved" and name not in bad:
            out.proved.append(name)
            out.plans[name] = plan
        else:
            why = [d.message for d in result.diagnostics if d.theorem is not None
                   and result.theorems[d.theorem].name == name]
            out.diagnostics.append(Diagnostic(th.name.span, dg.INTERNAL, f"{NOT_CHECKED}: the proof of {name}",
                                              tuple(why[:3]), path=path))
            plans.remove((th, plan))
    out.text = _insert(text, plans) if plans else text
    return out


def _plan_all(text: str, items: list, out: Derivation) -> list:
    errors: list = []
    scope = declare(items, errors)
    deriver = Deriver(scope, text)
    plans = []
    for th in items:
        if not isinstance(th, ast.Theorem) or not th.proof.missing:
            continue
        try:
            plans.append((th, deriver.plan(th.lhs, th.rhs)))
        except CannotDerive as why:
            out.underived[th.name.name] = str(why)
        except Exception as err:  # never a traceback: derive failing is a bug, reported as one
            out.diagnostics.append(Diagnostic(th.name.span, dg.INTERNAL, f"internal error in derive, please "
                                              f"report it: {type(err).__name__}: {err}"))
    return plans


def _insert(text: str, plans: list) -> str:
    """`text` with each plan's proof after its theorem, and the index declarations the proofs need
    (once) before the first theorem that needs them."""
    lines = text.split("\n")
    needs: dict = {}
    first_line = None
    for th, plan in plans:
        for name, dim in plan.needs.items():
            needs.setdefault(name, dim)
            first_line = th.span.line if first_line is None else min(first_line, th.span.line)
    events = [((th.span.end_line, th.span.end_col), plan) for th, plan in plans]
    if needs:
        by_dim: dict = {}
        for name, dim in needs.items():
            by_dim.setdefault(dim.name, []).append(name)
        decl = [f"index {', '.join(names)} : {dim}  # declared by vecproof derive" for dim, names in by_dim.items()]
        events.append(((first_line, 0), decl))
    for (line_no, col), what in sorted(events, key=lambda e: e[0], reverse=True):  # from the end: no shifts
        if isinstance(what, list):
            lines[line_no - 1:line_no - 1] = what
            continue
        line = lines[line_no - 1]
        lines[line_no - 1] = line[:col - 1]
        rest = line[col - 1:]
        lines[line_no:line_no] = what.text().split("\n") + ([rest] if rest.strip() else [])
    return "\n".join(lines)
