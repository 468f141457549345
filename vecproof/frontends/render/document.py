"""A checked file as a document: prose, declaration sentences and theorems with their proof chains,
each step marked with what the checker concluded. The emitters (markdown, latex, html) only lay it out."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ... import diagnostics as dg
from ...syntax import ast
from .tex import Style, TexPrinter, _name


@dataclass(frozen=True)
class Math:
    tex: str


@dataclass
class Prose:
    """A paragraph of the file's comments, or a sentence mixing words (str) and inline Math."""

    parts: list


@dataclass
class Step:
    tex: str
    rules: tuple[str, ...]
    status: str  # proved | false | checked | error (results.StepResult.status)
    note: str = ""  # the comment written on the step's lines
    bindings: tuple[str, ...] = ()  # per cited name, the TeX of its instantiation (`A := S`), or ""


@dataclass
class Problem:
    where: str  # "step 3", "the first line", "" (the theorem)
    code: str
    message: str
    detail: tuple[str, ...]


@dataclass
class Theorem:
    kind: str
    name: str
    statement: str
    component: str  # "" or the TeX of the proof's component indices
    first: str
    steps: list[Step]
    status: str  # proved | failed | unproved
    verdict: str  # TheoremResult.verdict()
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # full-line comments inside the proof
    lines: tuple[int, int] = (0, 0)


@dataclass
class Document:
    blocks: list  # Prose | Theorem, in file order; each with .lines when it came from a place in the file
    lines: list[tuple[int, int]] = field(default_factory=list)


STATUS_WORDS = {"false": "false", "checked": "checked for some sizes only", "error": "not checked"}
_RULER = re.compile(r"^[-=*#~_ ]*$")


def build(result, text: str, style: Style = Style()) -> Document:
    """The document of a checked file (`result` from check_text of `text`, which must have parsed)."""
    printer = TexPrinter(result.scope, style)
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    items = list(result.tree.items)
    theorems = [i for i in items if isinstance(i, ast.Theorem)]
    checked = dict(zip((id(t) for t in theorems), enumerate(result.theorems)))
    placed: list[tuple[int, object, tuple[int, int]]] = []  # (first line, block, line range)
    inside: set[int] = set()
    run: list = []

    def close_run():
        if run:
            span = (run[0].span.line, run[-1].span.end_line)
            placed.append((span[0], _declarations(run, printer), span))
            run.clear()

    for item in items:
        if isinstance(item, ast.Theorem):
            close_run()
            index, res = checked.get(id(item), (None, None))
            block = _theorem(item, res, index, result.diagnostics, printer, lines)
            inside.update(range(item.span.line, item.span.end_line + 1))
            placed.append((item.span.line, block, block.lines))
        else:
            run.append(item)
    close_run()
    for start, end, paragraph in _comment_paragraphs(lines, inside):
        placed.append((start, Prose([paragraph]), (start, end)))
    placed.sort(key=lambda p: p[0])
    return Document([p[1] for p in placed], [p[2] for p in placed])


# ---- declarations -----------------------------------------------------------------------------------


def _declarations(items, printer: TexPrinter) -> Prose:
    """`Let x ∈ ℝⁿ be a variable, A ∈ ℝᵐˣⁿ a constant (independent of x), …; indices i, j range over 1, …, n.`"""
    variables = [i for i in items if isinstance(i, ast.ObjectDecl) and i.kind == "var"]
    groups = {"var": [], "const": [], "func": [], "fn": []}
    for item in items:
        if isinstance(item, ast.ObjectDecl):
            groups["fn" if item.result is not None else item.kind].append(item)
    parts: list = []
    clauses = []
    for kind, one, many in (("var", "a variable", "variables"), ("const", "a constant", "constants"),
                            ("func", "a function", "functions"),
                            ("fn", "a differentiable function", "differentiable functions")):
        objs = groups[kind]
        if not objs:
            continue
        words = one if len(objs) == 1 else many
        if kind == "const" and variables:
            words += " (independent of " + " and ".join("$" for _ in variables) + ")"
        if kind == "func":
            words += " of $"
        clauses.append(([_member(o, printer) for o in objs], words, kind, objs))
    if clauses:
        parts.append("Let ")
        for n, (maths, words, kind, objs) in enumerate(clauses):
            if n:
                parts.append(", and " if n == len(clauses) - 1 else ", ")
            _join(parts, maths)
            parts.append(" be " if n == 0 else " ")
            _words(parts, words, [Math(printer.name(v.name.name)) for v in variables] if kind == "const" else
                   [Math(printer.name(o.depends.name)) for o in objs if o.depends][:1])
        parts.append(". ")
    dims = [i for i in items if isinstance(i, ast.DimDecl) and i.size is not None]
    if dims:
        parts.append("The sizes are ")
        _join(parts, [Math(f"{_name(d.name.name)} = {d.size}") for d in dims])
        parts.append(". ")
    indices = [i for i in items if isinstance(i, ast.IndexDecl)]
    for n, decl in enumerate(indices):
        parts.append("Indices: " if n == 0 else "; ")
        names = ", ".join(_name(x.name) for x in decl.names)
        parts.append(Math(rf"{names} \in \{{1, \dots, {_name(decl.dim.name)}\}}"))
    if indices:
        parts.append(". ")
    layouts = [i for i in items if isinstance(i, ast.LayoutDecl)]
    if layouts:
        parts.append(f"Derivatives are written in {layouts[-1].kind} layout. ")
    imports = [i.module or i.path for i in items if isinstance(i, ast.Import)]
    if imports:
        parts.append("The proofs build on " + _listed(imports) + ". ")
    if parts and isinstance(parts[-1], str):
        parts[-1] = parts[-1].rstrip()
    return Prose(parts)


def _member(o: ast.ObjectDecl, printer: TexPrinter) -> Math:
    dims = [_name(d.name) for d in o.shape.dims]
    space = r"\mathbb{R}" + ("^{" + r" \times ".join(dims) + "}" if dims else "")
    head = printer.name(o.name.name)
    if o.result is not None:  # `func f : scalar -> scalar`, `func F : vector(m) -> scalar`
        return Math(rf"{head} : {space} \to \mathbb{{R}}")
    if o.depends is not None:
        head += rf"\left({printer.name(o.depends.name)}\right)"
    return Math(f"{head} \\in {space}" + (r" \text{ symmetric}" if o.symmetric else ""))


def _join(parts: list, maths: list) -> None:
    for n, m in enumerate(maths):
        if n:
            parts.append(" and " if n == len(maths) - 1 else ", ")
        parts.append(m)


def _listed(words: list[str]) -> str:
    """`a`, `a and b`, `a, b and c`."""
    return ", ".join(words[:-1]) + " and " + words[-1] if len(words) > 1 else words[0]


def _words(parts: list, words: str, maths: list) -> None:
    """`words` with each `$` replaced by the next of `maths`."""
    pieces = words.split("$")
    for n, piece in enumerate(pieces):
        if piece:
            parts.append(piece)
        if n < len(pieces) - 1 and n < len(maths):
            parts.append(maths[n])


# ---- theorems -----------------------------------------------------------------------------------------


def _theorem(th: ast.Theorem, res, index, diagnostics, printer: TexPrinter, lines: list[str]) -> Theorem:
    results = res.steps if res is not None else []
    statuses = [r.status for r in results] + ["error"] * (len(th.proof.steps) - len(results))
    steps = [Step(printer.expr(s.expr), tuple(r.name for r in s.rules), st, _note(lines, s.span),
                  tuple(", ".join(printer.binding(b) for b in c.bindings) for c in s.cites))
             for s, st in zip(th.proof.steps, statuses)]
    comp = th.proof.component
    block = Theorem(th.kind, th.name.name, printer.equation(th.lhs, th.rhs),
                    ", ".join(_name(i.name) for i in comp) if comp else "", printer.expr(th.proof.first), steps,
                    res.status if res is not None else "failed",
                    res.verdict() if res is not None else f"not checked: {th.kind} {th.name.name}",
                    lines=(th.span.line, th.span.end_line))
    where = {s.expr.span: f"step {n}" for n, s in enumerate(th.proof.steps, 1)}
    where[th.proof.first.span] = "the first line"
    for d in diagnostics:
        if d.theorem == index and index is not None and d.level != dg.Severity.NOTE:
            block.problems.append(Problem(where.get(d.span, ""), d.code.id, d.message, d.detail))
    for n in range(th.span.line, th.span.end_line + 1):
        line = lines[n - 1] if n <= len(lines) else ""
        if line.strip().startswith("#") and not _RULER.match(line.strip()):
            block.notes.append(line.strip()[1:].strip())
    return block


def _note(lines: list[str], span) -> str:
    """The comments written after code on the lines of a step."""
    notes = []
    for n in range(span.line, span.end_line + 1):
        code, hash_, comment = (lines[n - 1] if n <= len(lines) else "").partition("#")
        if hash_ and code.strip():
            notes.append(comment.strip())
    return "; ".join(dict.fromkeys(notes))


# ---- comments ---------------------------------------------------------------------------------------


def _comment_paragraphs(lines: list[str], inside: set[int]):
    """Runs of full-line comments outside theorems as (first line, last line, text); a `#` line with
    nothing else, a ruler (`# ----`) or a non-comment line ends a paragraph."""
    out, run, start = [], [], 0
    for n, line in enumerate(lines + [""], 1):
        s = line.strip()
        body = s[1:].strip() if s.startswith("#") else None
        if body and n not in inside and not _RULER.match(body) and not _EXPECT.match(s):
            if not run:
                start = n
            run.append(("\n" if body.startswith(("- ", "* ")) and run else "") + body)
            continue
        if run:
            out.append((start, n - 1, " ".join(run).replace(" \n", "\n")))
            run = []
    return out


_EXPECT = re.compile(r"#\s*expect:")
