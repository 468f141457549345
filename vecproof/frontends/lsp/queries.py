"""Hover, definitions, symbols, completion and quick fixes, answered from the checker's results.

Positions are vecproof's (1-based, in characters). No LSP here: convert.py turns these answers into
protocol types.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from dataclasses import dataclass

from ... import diagnostics as dg
from ... import rules
from ...diagnostics import Span
from ...checker.imports import imported
from ...printer import Printer, explanation
from ...syntax import ast
from .recheck import Checked, text_of
from .tokens import BUILTINS, classify, keywords, lex, token_at

BUILTIN_DOCS = {
    "sum": "`sum(i, E)` / `Σ(i, E)`: Σ over the full range of index i; `sum(i = 1..n, E)` with bounds.",
    "delta": "`delta(i, k)` / `δ(i, k)`: the Kronecker delta.",
    "grad": "`grad(E)`, `grad(E, x)` / `∇(E)`, `∇ E`: the gradient (follows the layout).",
    "hess": "`hess(f)`, `hess(f, x)` / `∇²f`: the Hessian, hess(f, x)[i,j] = ∂²f/∂x[i]∂x[j].",
    "D": "`D(u)`, `D(u, x)`: the Jacobian, always m×n: D(u)[i,j] = ∂u[i]/∂x[j].",
    "dot": "`dot(u, v)`: the inner product uᵀv.",
    "norm": "`norm(x)^2` / `‖x‖²`: the squared Euclidean norm.",
    "normF": "`normF(X)^2` / `‖X‖_F²`: the squared Frobenius norm.",
    "tr": "`tr(A)`: the trace.",
    "exp": "`exp(E)`: the exponential, entrywise; exp′ = exp (rule chain_rule).",
    "log": "`log(E)`: the natural logarithm, entrywise; log′(t) = 1/t; the verdict assumes t > 0.",
    "sqrt": "`sqrt(E)`: the square root, entrywise; sqrt′(t) = 1/(2 sqrt(t)); the verdict assumes t > 0.",
    "sigmoid": "`sigmoid(E)` / `σ(E)`: the logistic sigmoid 1/(1 + exp(−t)), entrywise; σ′ = σ(1 − σ).",
    "tanh": "`tanh(E)`: the hyperbolic tangent, entrywise; tanh′ = 1 − tanh².",
    "softmax": "`softmax(x)[i] = exp(x[i]) / Σ_j exp(x[j])` for a column vector x (rule softmax_def).",
    "logsumexp": "`logsumexp(x) = log Σ_j exp(x[j])` for a column vector x (rule logsumexp_def).",
    "diag": "`diag(v)`: the diagonal matrix of a column vector, diag(v)[i,j] = δ(i,j) v[i] (rule diag_def).",
}
BUILTIN_DOCS.update({"Σ": BUILTIN_DOCS["sum"], "δ": BUILTIN_DOCS["delta"], "∇": BUILTIN_DOCS["grad"],
                     "σ": BUILTIN_DOCS["sigmoid"]})


@dataclass(frozen=True)
class Hover:
    span: Span
    markdown: str


@dataclass(frozen=True)
class Symbol:
    name: str
    kind: str  # theorem | lemma
    detail: str
    span: Span
    name_span: Span


@dataclass(frozen=True)
class Completion:
    label: str
    kind: str  # rule | theorem | keyword | builtin | dim | index | var | const | func | snippet
    detail: str = ""
    documentation: str = ""  # markdown
    snippet: str = ""  # for kind "snippet": LSP snippet syntax


@dataclass(frozen=True)
class Cited:
    """A theorem a step may name: its statement (.vproof text), its verdict, and where it is stated
    (`path`: its file, "" for this document; `span`: its name there; `text`: that file's text)."""

    name: str
    kind: str
    statement: str
    verdict: str
    proved: bool
    path: str
    span: Span
    text: str


@dataclass(frozen=True)
class Place:
    """Where a definition is: `span` in the file `path` ("" for this document), whose text is `text`."""

    path: str
    span: Span
    text: str


@dataclass(frozen=True)
class Fix:
    """A quick fix for the diagnostic at `diagnostic` (its index in the file's diagnostics; None for
    a rewrite of a step that has none, offered where `span` is): replace `span` (a point span,
    start == end, inserts) by `text`."""

    diagnostic: int | None
    title: str
    span: Span
    text: str


# ---- hover ----------------------------------------------------------------------------------------


def hover(checked: Checked, line: int, col: int, scope=None) -> Hover | None:
    """On a rule name its statement; on a declared name its declaration; on a theorem's name its
    statement, its verdict and the statement in index form; on a step its status and both sides in
    index form (`.vproof` text from vecproof.printer). `scope`: the declarations to use when
    `checked` has none (its text did not parse)."""
    cite = cite_at(checked, line, col)
    if cite is not None and cite.name in checked.citable:
        return Hover(cite.span, _cited_text(checked.citable[cite.name]))
    tokens = lex(checked.text)
    tok = token_at(tokens, line, col, kinds=("rule", "name", "theorem", "builtin"))
    scope = checked.result.scope or scope
    if tok is not None:
        what, _ = classify(tok, scope, {t.name.name for t in checked.theorems})
        if what == "rule":
            return Hover(tok.span, _rule_text(tok.text))
        if what in ("dim", "index", "var", "const", "func", "fn"):
            d = scope.names[tok.text]
            return Hover(tok.span, f"```vproof\n{d.text}\n```\ndeclared at line {d.span.line}")
        if what == "theorem":
            th = next((t for t in checked.theorems if t.name.name == tok.text), None)
            if th is not None:
                return Hover(tok.span, _theorem_text(checked, th))
        if what == "builtin" and tok.text in BUILTIN_DOCS:
            return Hover(tok.span, BUILTIN_DOCS[tok.text])
    found = step_at(checked, line, col)
    if found is not None:
        th, k, step, sr = found
        return Hover(step.span, _step_text(checked, th, k, step, sr))
    return None


def cite_at(checked: Checked, line: int, col: int) -> ast.Ident | None:
    """The theorem or rule name a step cites at the position (`lib.quad` as one name)."""
    for th in checked.theorems:
        if th.span.line <= line <= th.span.end_line:
            for step in th.proof.steps:
                for c in step.cites:
                    sp = c.name.span
                    if sp.line == line and sp.col <= col <= sp.end_col:
                        return c.name
    return None


def _cited_text(c: Cited) -> str:
    where = f"{c.path.rsplit('/', 1)[-1]}:{c.span.line}" if c.path else f"line {c.span.line}"
    return f"**{c.kind}** `{c.name}`\n```vproof\n{c.statement}\n```\nstated at {where}\n\n{c.verdict}"


def _rule_text(name: str) -> str:
    rule = rules.lookup(name)
    if rule is None:
        close = difflib.get_close_matches(name, rules.names(), n=1)
        return f"there is no rule named `{name}`" + (f"; did you mean `{close[0]}`?" if close else "")
    alias = f" (`{name}` is another name for `{rule.name}`)" if rule.name != name else ""
    also = ", ".join(f"`{a}`" for a in rules.aliases_of(rule.name))
    return f"**rule** `{rule.name}`{alias}\n\n{rule.statement}" + (f"\n\nalso cited as {also}" if also else "")


def _theorem_text(checked: Checked, th: ast.Theorem) -> str:
    statement = f"{text_of(checked.text, th.lhs.span)} = {text_of(checked.text, th.rhs.span)}"
    out = f"**{th.kind}** `{th.name.name}`\n```vproof\n{statement}\n```"
    tr = next((r for r in checked.result.theorems if r.span == th.name.span), None)
    if tr is not None:
        out += f"\n\n{tr.verdict()}"
        lines = explanation(checked.result, tr)
        if lines:
            out += f"\n\n{lines[0]}\n```vproof\n{lines[1].strip()}\n```"
    return out


def _for_all(sizes, assumptions) -> str:
    """What a proved step holds for: ` for all n; assuming …`."""
    out = f" for all {', '.join(sizes)}" if sizes else ""
    if assumptions:
        out += "; assuming " + "; ".join(assumptions)
    return out


def step_at(checked: Checked, line: int, col: int):
    """(theorem, index, ast.Step, StepResult or None) of the step whose text holds the position."""
    pos = (line, col)
    for th in checked.theorems:
        if not (th.span.line <= line <= th.span.end_line):
            continue
        for k, step in enumerate(th.proof.steps):
            if (step.span.line, step.span.col) <= pos <= (step.span.end_line, step.span.end_col):
                return th, k, step, _step_result(checked, th, step)
    return None


def _step_result(checked: Checked, th: ast.Theorem, step: ast.Step):
    for tr in checked.result.theorems:
        if tr.span == th.name.span:
            return next((sr for sr in tr.steps if sr.span == step.expr.span), None)
    return None


def _step_text(checked: Checked, th: ast.Theorem, k: int, step: ast.Step, sr) -> str:
    cited = ", ".join(f"`{i.name}`" for i in step.rules) or "no rule"
    head = f"step {k + 1} of {th.kind} `{th.name.name}`, by {cited}"
    if sr is None:
        return head + "\n\nnot checked"
    status = {"proved": "proved", "false": "false", "checked": "checked for some sizes only, not proved",
              "error": "not checked (an error above)"}.get(sr.status, sr.status)
    out = f"**{status}** — {head}"
    if sr.explained is False:
        out += " (true, but the cited rule does not explain it)"
    v = sr.verdict
    if v is not None and sr.status == "proved":
        out += _for_all(v.dims, v.assumptions)
    for d in checked.result.diagnostics:
        if d.span == step.expr.span and d.counterexample is not None:
            out += "\n\n" + "\n".join(line.strip() for line in d.detail if line.strip())
            break
    if sr.before is not None and sr.after is not None:
        before, after = Printer(checked.result.scope).print(sr.before, sr.after)
        out += f"\n\nline before, in index form:\n```vproof\n{before}\n```\nthis line:\n```vproof\n{after}\n```"
    return out


# ---- citable theorems ------------------------------------------------------------------------------


def citable(checked: Checked) -> dict[str, Cited]:
    """Every theorem a step of `checked` may name, by the name it is cited as: this document's, and
    those of the files it imports, qualified (`lib.quad`) and bare while only one file states the name.
    Reads and checks the imported files (from the checker's memo when unchanged): off the event loop."""
    out: dict[str, Cited] = {}
    tree = checked.result.tree
    if tree is None:
        return out
    bare: dict[str, list[Cited]] = {}
    for item in tree.items:
        if not isinstance(item, ast.Import):
            continue
        found = imported(item, checked.result.path)
        if found is None:
            continue
        path, text, loaded = found
        for th, res in _stated(loaded.result.tree, loaded.result.theorems):
            c = _cited(f"{loaded.qualifier}.{th.name.name}", th, res, text, path)
            out[c.name] = c
            bare.setdefault(th.name.name, []).append(c)
    for name, found in bare.items():
        if len(found) == 1:
            out[name] = dataclasses.replace(found[0], name=name)
    for th, res in _stated(tree, checked.result.theorems):
        out.setdefault(th.name.name, _cited(th.name.name, th, res, checked.text, ""))
    return out


def _stated(tree, results):
    """(ast.Theorem, its TheoremResult or None) for every theorem of a file, first of a name only."""
    by_span = {r.span: r for r in results}
    seen = set()
    for th in (i for i in (tree.items if tree is not None else ()) if isinstance(i, ast.Theorem)):
        if th.name.name not in seen:
            seen.add(th.name.name)
            yield th, by_span.get(th.name.span)


def _cited(name: str, th: ast.Theorem, res, text: str, path: str) -> Cited:
    statement = f"{' '.join(text_of(text, th.lhs.span).split())} = {' '.join(text_of(text, th.rhs.span).split())}"
    proved = res is not None and res.status == "proved"
    verdict = res.verdict() if res is not None else f"not checked: {th.kind} {th.name.name}"
    return Cited(name, th.kind, statement, verdict, proved, path, th.name.span, text)


# ---- definitions and symbols ------------------------------------------------------------------------


def definition(checked: Checked, line: int, col: int) -> Place | None:
    """Where the name under the cursor is declared: a declaration, or a theorem (also when cited, in
    this document or an imported file); on an import, the file it imports."""
    cite = cite_at(checked, line, col)
    if cite is not None and cite.name in checked.citable:
        c = checked.citable[cite.name]
        return Place(c.path, c.span, c.text)
    for item in checked.result.tree.items if checked.result.tree is not None else ():
        if isinstance(item, ast.Import) and _inside(item.span, line, col):
            found = imported(item, checked.result.path)
            return Place(found[0], Span.point(1, 1), found[1]) if found is not None else None
    tok = token_at(lex(checked.text), line, col, kinds=("rule", "name", "theorem"))
    if tok is None:
        return None
    scope = checked.result.scope
    if scope is not None and tok.text in scope.names:
        return Place("", scope.names[tok.text].span, checked.text)
    th = next((t for t in checked.theorems if t.name.name == tok.text), None)
    return Place("", th.name.span, checked.text) if th is not None else None


def _inside(span: Span, line: int, col: int) -> bool:
    return (span.line, span.col) <= (line, col) <= (span.end_line, span.end_col)


def symbols(checked: Checked) -> list[Symbol]:
    """The theorems and lemmas, in order, each with its verdict."""
    status = {r.span: r.status for r in checked.result.theorems}
    return [Symbol(th.name.name, th.kind, status.get(th.name.span, ""), th.span, th.name.span)
            for th in checked.theorems]


# ---- completion -----------------------------------------------------------------------------------

_CITING = re.compile(r"\bby\s+(?:[A-Za-z_][\w.]*(?:\[[^\]\n]*\])?\s*,\s*)*(?:[A-Za-z_][\w.]*)?$")
_DECLARATION = re.compile(r"^\s*(dim|index|var|const|func)\s+(.*)$", re.MULTILINE)


def completions(text: str, line: int, col: int, scope=None, cited=None) -> list[Completion]:
    """After `by`: the rules and the theorems a step there may cite (`cited`: the last known
    Checked.citable; proved, and stated before the theorem at `line` or imported). Elsewhere:
    declared names, keywords, built-ins and a theorem skeleton. `text` is the document as it is now
    (it need not parse); `scope` the last known declarations."""
    lines = text.split("\n")
    if not 1 <= line <= len(lines):
        return []
    before = lines[line - 1][: col - 1]
    if "#" in before:
        return []
    if _CITING.search(before):
        out = [Completion(name, "rule", "rule" if r.name == name else f"rule (another name for {r.name})",
                          r.statement) for name in rules.names() if (r := rules.lookup(name))]
        return out + [Completion(c.name, "theorem", c.statement, _cited_text(c))
                      for c in _citable_at(cited or {}, lines, line) if rules.lookup(c.name) is None]
    out = [Completion(name, kind, detail) for name, (kind, detail) in sorted(_declared(text, scope).items())]
    out += [Completion(w, "keyword") for w in sorted(keywords())]
    out += [Completion(b, "builtin", "built-in", BUILTIN_DOCS.get(b, "")) for b in sorted(BUILTINS)]
    out += [Completion(kind, "snippet", f"{kind} skeleton", f"a {kind} with a proof to fill in", _skeleton(kind))
            for kind in ("theorem", "lemma")]
    return out


def _citable_at(cited: dict, lines: list[str], line: int) -> list[Cited]:
    """The proved theorems of `cited` that a step at `line` may cite: imported, or stated above the
    `theorem`/`lemma` line the step belongs to."""
    start = next((n for n in range(line, 0, -1) if re.match(r"\s*(theorem|lemma)\b", lines[n - 1])), 0)
    return [c for c in cited.values() if c.proved and (c.path or c.span.line < start)]


def _declared(text: str, scope) -> dict[str, tuple[str, str]]:
    names: dict[str, tuple[str, str]] = {}
    if scope is not None:
        names.update({n: (d.what, d.text) for n, d in scope.names.items()})
    for m in _DECLARATION.finditer(text):  # also what was typed since the last successful parse
        kind, rest = m.group(1), m.group(2).split("#")[0]
        if kind in ("dim", "index"):
            found = re.findall(r"[A-Za-z_]\w*", re.split(r":|=", rest)[0] if kind == "index" else
                               re.sub(r"=\s*\d+", "", rest))
        else:
            found = re.findall(r"^\s*([A-Za-z_]\w*)", rest)
        for n in found:
            names.setdefault(n, (kind, f"{kind} {n}"))
    return names


def _skeleton(kind: str) -> str:
    choice = ",".join(rules.RULES)
    return (f"{kind} ${{1:name}}:\n  ${{2:left}} = ${{3:right}}\nproof:\n     ${{2:left}}\n"
            f"   = ${{3:right}}    by ${{4|{choice}|}}\nqed\n$0")


# ---- quick fixes ----------------------------------------------------------------------------------

def derive_proof(checked: Checked, n: int) -> list[Fix]:
    """For a theorem without a proof (VP211, diagnostic `n`): the proof `vecproof derive` writes for
    it, inserted after its statement; derive checked it with the unchanged checker. Empty when derive
    has none, or when it needs an index declaration elsewhere in the file (`vecproof derive` adds it)."""
    from ...derive.file import derive_text

    d = checked.result.diagnostics[n]
    th = next((t for t in checked.theorems if t.name.span == d.span and t.proof.missing), None)
    if th is None:
        return []
    plan = derive_text(checked.text).plans.get(th.name.name)
    if plan is None or plan.needs:
        return []
    end = Span(th.span.end_line, th.span.end_col, th.span.end_line, th.span.end_col)
    return [Fix(n, "Derive the proof (checked by vecproof)", end, "\n" + plan.text())]


NEXT = "vecproof_next_steps"  # the name of the theorem derive is asked to prove: last line = right side


def derive_next_steps(checked: Checked, n: int) -> list[Fix]:
    """For a chain that stops short (VP204, diagnostic `n`) where no one rule reaches the right side:
    the steps `vecproof derive` writes from the chain's last line to the theorem's right side. derive
    proves them as a theorem of their own (last line = right side at the proof's components), in the
    file's declarations, and the unchanged checker checks that theorem; empty where it finds none."""
    from ...derive.file import derive_text
    from ...elaboration import declare
    from ...kernel import free_slots

    d = checked.result.diagnostics[n]
    if any(f.kind == "add-step" and len(f.names) == 1 for f in d.fixes) or d.theorem is None:
        return []  # one rule does it in one step: the plain quick fix
    th = next((t for t in checked.theorems if t.span.line <= d.span.line <= t.span.end_line), None)
    tr = checked.result.theorems[d.theorem]
    if th is None or not th.proof.steps or not tr.steps or tr.steps[-1].after is None:
        return []
    last = th.proof.steps[-1]
    rhs = " ".join(text_of(checked.text, th.rhs.span).split())
    comp = th.proof.component or ()
    if comp:
        where = ", ".join(i.name for i in comp)
        rhs = f"{rhs}[{where}]" if isinstance(th.rhs, ast.Name) else f"({rhs})[{where}]"
    errors: list = []
    scope = declare([i for i in checked.result.tree.items if not isinstance(i, ast.Theorem)], errors)
    free = {i.name: i.dim for i in free_slots(tr.steps[-1].after)}
    decls = [f"index {c.name} : {free[c.name].name}" for c in comp
             if c.name not in scope.names and c.name in free and free[c.name].name]
    lhs = " ".join(text_of(checked.text, last.expr.span).split())
    lines = checked.text.split("\n")
    for other in checked.theorems:  # the declarations alone: derive then checks one small theorem
        lines[other.span.line - 1:other.span.end_line] = [""] * (other.span.end_line - other.span.line + 1)
    temp = "\n".join(lines).rstrip("\n") + "\n\n" + "".join(x + "\n" for x in decls) + \
        f"theorem {NEXT}:\n  {lhs} = {rhs}\n"
    plan = derive_text(temp).plans.get(NEXT)
    if plan is None or plan.component or len(plan.lines) < 2:
        return []
    line_text = checked.text.split("\n")[last.span.line - 1]
    indent = line_text[: len(line_text) - len(line_text.lstrip())] or "   "
    at = Span(last.span.end_line, last.span.end_col, last.span.end_line, last.span.end_col)
    steps = "".join(f"\n{indent}= {line}    by {cite}" for line, cite in zip(plan.lines[1:], plan.cites))
    return [Fix(n, f"Derive the missing steps ({len(plan.cites)}, checked by vecproof)", at, steps)]


def fixes(checked: Checked) -> list[Fix]:
    """Quick fixes for the diagnostics of `checked`: cite the rule that explains a step (VP202,
    VP206), cite a theorem with the instance that explains the step (VP202), correct a misspelt rule
    (VP106), add the missing last step of a chain that stops short (VP204), declare an index (VP101);
    and, for a step explained by a theorem whose instance matching found, write that instance out.
    What to propose comes from the checker's suggestions (Diagnostic.fixes, StepResult.fixes),
    never from the wording of a message."""
    out: list[Fix] = []
    steps = {}  # the span a VP202/VP206 diagnostic or a step result points at -> (theorem, step)
    for th in checked.theorems:
        for step in th.proof.steps:
            steps[step.expr.span] = (th, step)
            if step.rules:
                first, last = step.rules[0].span, step.rules[-1].span
                steps[Span(first.line, first.col, last.end_line, last.end_col)] = (th, step)
    for n, d in enumerate(checked.result.diagnostics):
        try:
            for suggestion in d.fixes:
                if suggestion.kind == "declare":
                    out += _declare(checked, n, suggestion.text)
                elif suggestion.kind == "add-step":
                    out += _add_last_step(checked, n, d, suggestion.names)
                elif suggestion.kind == "instantiate" and d.span in steps:
                    out += _instantiate(n, steps[d.span][1], suggestion, "Cite {} instead")
            if d.code in (dg.UNEXPLAINED, dg.UNCITED) and d.span in steps:
                out += _cite(checked, n, d, *steps[d.span])
            elif d.code == dg.UNKNOWN_RULE:
                close = difflib.get_close_matches(text_of(checked.text, d.span), list(rules.RULES), n=3)
                out += [Fix(n, f"Cite {c}", d.span, c) for c in close]
        except Exception:  # a fix is a convenience: never let one break the diagnostics
            continue
    for tr in checked.result.theorems:
        for sr in tr.steps:
            for suggestion in sr.fixes:
                if suggestion.kind == "instantiate" and sr.span in steps:
                    out += _instantiate(None, steps[sr.span][1], suggestion, "Make the instantiation explicit: {}")
    return out


def _instantiate(n: int | None, step: ast.Step, suggestion, title: str) -> list[Fix]:
    """The step's citation of `suggestion.names[0]` replaced by the citation with its instance."""
    cite = next((c for c in step.cites if c.name.name == suggestion.names[0]), None)
    return [] if cite is None else [Fix(n, title.format(suggestion.text), cite.span, suggestion.text)]


def _declare(checked: Checked, n: int, text: str) -> list[Fix]:
    """The declaration `text` inserted after the file's declarations."""
    decls = [i for i in (checked.result.tree.items if checked.result.tree else ()) if not isinstance(i, ast.Theorem)]
    line = max((i.span.end_line for i in decls), default=0) + 1
    return [Fix(n, f"Declare {text}", Span(line, 1, line, 1), text + "\n")]


def _cite(checked: Checked, n: int, d, th: ast.Theorem, step: ast.Step) -> list[Fix]:
    sr = _step_result(checked, th, step)
    if sr is None or sr.before is None or sr.after is None:
        return []
    fix = next((f.names for f in d.fixes if f.kind == "cite"), ())
    names = ", ".join(fix) if fix else "algebra"
    if d.code == dg.UNCITED:
        end = step.expr.span
        return [Fix(n, f"Cite {names}", Span(end.end_line, end.end_col, end.end_line, end.end_col), f" by {names}")]
    first, last = (step.cites[0].span, step.cites[-1].span) if step.cites else (d.span, d.span)
    return [Fix(n, f"Cite {names} instead", Span(first.line, first.col, last.end_line, last.end_col), names)]


def _add_last_step(checked: Checked, n: int, d, names: tuple[str, ...]) -> list[Fix]:
    th = next((t for t in checked.theorems if t.span.line <= d.span.line <= t.span.end_line), None)
    if th is None:
        return []
    last = th.proof.steps[-1].span if th.proof.steps else th.proof.first.span
    rhs = " ".join(text_of(checked.text, th.rhs.span).split())
    comp = th.proof.component
    if comp:
        where = ", ".join(i.name for i in comp)
        rhs = f"{rhs}[{where}]" if isinstance(th.rhs, ast.Name) else f"({rhs})[{where}]"
    line_text = checked.text.split("\n")[last.line - 1]
    indent = line_text[: len(line_text) - len(line_text.lstrip())] or "   "
    at = Span(last.end_line, last.end_col, last.end_line, last.end_col)
    return [Fix(n, f"Add the last step: = {rhs} by {', '.join(names)}", at,
                f"\n{indent}= {rhs}    by {', '.join(names)}")]


__all__ = ["Cited", "Completion", "Fix", "Hover", "Place", "Symbol", "citable", "cite_at", "completions", "derive_next_steps",
           "definition", "fixes", "hover", "step_at", "symbols"]
