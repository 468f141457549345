"""derive over a whole file: write a proof under every theorem that has none, then hand the file to
the unchanged checker; a proof it does not prove is withdrawn and reported as a bug (VP902)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from .. import diagnostics as dg
from ..checker import check_text
from ..diagnostics import Diagnostic
from ..elaboration import declare
from ..syntax import ast
from ..syntax.parser import ParseFailure, parse
from .generate import CannotDerive, Deriver, Plan
from .lemmas import known_theorems, lemma_plan

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
    plans, fallback = _plan_all(text, items, out, path)
    if not plans:
        return out
    # a component index needs no declaration, and a sum's index takes its range from its uses: the
    # proofs go in without index declarations where they check without them (the file keeps its
    # declarations as they are); the others keep the declarations they need
    checked = None  # the check of exactly the text the loop below would check first, when already done
    if any(plan.needs for _, plan in plans):
        bare = [(th, replace(plan, needs={})) for th, plan in plans]
        result = check_text(_insert(text, bare), path)
        failed = _failed(result, bare)
        plans = [(th, plan if th.name.name in failed else replace(plan, needs={})) for th, plan in plans]
        checked = None if failed else result
    # the generator is untrusted: the file goes through the checker, and only what it proves is kept;
    # a proof citing a theorem that does not check gives way to the proof by components
    for attempt in range(2):
        result = checked if attempt == 0 and checked is not None else check_text(_insert(text, plans), path)
        failed = _failed(result, plans)
        retry = [th for th, _ in plans if th.name.name in failed and th.name.name in fallback]
        if attempt or not retry:
            break
        plans = [(th, fallback.pop(th.name.name) if th in retry else plan) for th, plan in plans]
    for th, plan in list(plans):
        name = th.name.name
        if name not in failed:
            out.proved.append(name)
            out.plans[name] = plan
            continue
        out.diagnostics.append(Diagnostic(th.name.span, dg.INTERNAL, f"{NOT_CHECKED}: the proof of {name}",
                                          tuple(failed[name][:3]), path=path))
        plans.remove((th, plan))
    out.text = _insert(text, plans) if plans else text
    return out


def _failed(result, plans) -> dict[str, list[str]]:
    """The derived theorems the checker did not prove, each with what it said."""
    status = {t.name: t.status for t in result.theorems}
    said: dict[str, list[str]] = {}
    for d in result.diagnostics:
        if d.theorem is not None and d.level != dg.Severity.NOTE:
            said.setdefault(result.theorems[d.theorem].name, []).append(d.message)
    return {th.name.name: said.get(th.name.name, []) for th, _ in plans
            if status.get(th.name.name) != "proved" or th.name.name in said}


def _plan_all(text: str, items: list, out: Derivation, path: str) -> tuple[list, dict]:
    """A plan for every theorem without a proof (citing a theorem where one applies), and the proof
    by components to fall back on for those."""
    errors: list = []
    scope = declare(items, errors)
    deriver = Deriver(scope, text)
    try:
        known = known_theorems(items, text, path)
    except Exception:  # citing is a refinement: without it, every proof goes by components
        known = []
    plans, fallback = [], {}
    for th in items:
        if not isinstance(th, ast.Theorem) or not th.proof.missing:
            continue
        try:
            plan = deriver.plan(th.lhs, th.rhs)
        except CannotDerive as why:
            plan, reason = None, str(why)
        except Exception as err:  # never a traceback: derive failing is a bug, reported as one
            out.diagnostics.append(Diagnostic(th.name.span, dg.INTERNAL, f"internal error in derive, please "
                                              f"report it: {type(err).__name__}: {err}"))
            continue
        try:
            cited = lemma_plan(deriver, th.lhs, th.rhs, known, th.span.line)
        except Exception:
            cited = None
        if cited is not None:
            plans.append((th, cited))
            if plan is not None:
                fallback[th.name.name] = plan
        elif plan is not None:
            plans.append((th, plan))
        else:
            out.underived[th.name.name] = reason
    return plans, fallback


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
