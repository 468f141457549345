"""Check .vproof text: parse, declare, elaborate, ask the kernel about every step, cite-check rules."""

from __future__ import annotations

import dataclasses
import difflib
import functools
import re
import sys
from fractions import Fraction
from pathlib import Path

from .. import diagnostics as dg
from .. import counterexamples, kernel, rules
from ..diagnostics import Diagnostic, Span
from ..elaboration import ElabError, Elaborator, Scope, Typed, declare, same_dim
from ..kernel import Index, KernelDisagreement, KernelLimit, Verdict
from ..kernel.terms import map_children
from ..literate import extract, is_literate
from ..rules import lemma as match
from ..numtext import SHOWN_DIGITS, number_text
from ..readfile import MAX_FILE_BYTES, Undecodable, decode_source, read_limited
from ..results import FileResult, StepResult, TheoremResult, expectation, undeclarable
from ..syntax import ast
from ..syntax.parser import InputLimit, parse_recovering
from .imports import load_imports
from .lemmas import Citable, Lemma, Refused, preset, show_value, statement, theorem_names

MAX_THEOREMS = 1000  # per file; the rest get VP901

# Elaboration and the kernel recurse over expressions as deep as the syntax tree (≤ MAX_DEPTH).
sys.setrecursionlimit(max(sys.getrecursionlimit(), 12_000))

# Verdicts depend only on the two index expressions (which carry every declaration they use), and
# elaboration is deterministic, so an unchanged step is never decided twice in one process (the
# language server re-checks whole documents on every edit).
_decide = functools.lru_cache(maxsize=8192)(counterexamples.decide)


def _readable(assumptions: tuple[str, ...]) -> tuple[str, ...]:
    """A theorem's assumptions (the union of its steps') as listed to the reader: t ≠ 0 is not listed
    beside t > 0 (one step's log t, another's 1/t), and "b, c, x independent of W" and "x independent
    of W" from two steps are one assumption, with the union of the names, where the first was."""
    out: list = []
    names: dict[str, list[str]] = {}
    for a in assumptions:
        if a.endswith(" ≠ 0") and a[:-4] + " > 0" in assumptions:
            continue
        head, sep, wrt = a.partition(" independent of ")
        if not sep or not all(n.strip().isidentifier() for n in head.split(",") + wrt.split(",")):
            out.append(a)
            continue
        if wrt not in names:
            names[wrt] = []
            out.append((wrt,))  # filled in below, when every name is known
        names[wrt].extend(n.strip() for n in head.split(",") if n.strip() not in names[wrt])
    return tuple(f"{', '.join(sorted(names[a[0]]))} independent of {a[0]}" if type(a) is tuple else a for a in out)


def _plain_name(name: str) -> bool:
    """A name an index may have (not one the kernel reserves for its own bound indices)."""
    return name.isidentifier() and "'" not in name and "~" not in name


def _normal_forms_equal(a, b, budget) -> bool:
    """Whether a − b normalises to 0, for a hint (not a verdict); KernelLimit past `budget`."""
    diff = kernel.Add((a, kernel.Mul((kernel.Num(Fraction(-1)), b))))
    return kernel.Normalizer(kernel.Policy(), kernel.DEFAULT_LIMITS, budget).is_zero(diff)


def check_path(path: str | Path, display: str | None = None, cache=None, *, options=None) -> FileResult:
    """Check one file. Unreadable input (missing, binary, not UTF-8, not a regular file) gives VP002
    (a FIFO or a device is never read); a file over MAX_FILE_BYTES gives VP901 (its excess is never read)."""
    p = Path(path)
    name = display if display is not None else str(path)
    try:
        size = p.stat().st_size
        if size > MAX_FILE_BYTES:
            return _too_large(name, size)
        data = read_limited(p, MAX_FILE_BYTES)
    except OSError as err:
        return _unreadable(name, f"cannot read the file: {err.strerror or err}")
    if len(data) > MAX_FILE_BYTES:  # it grew since the stat
        return _too_large(name, len(data))
    return check_bytes(data, name, cache, options=options)


def check_bytes(data: bytes, path: str = "<input>", cache=None, *, options=None, imported_by: tuple = ()) -> FileResult:
    try:
        text = decode_source(data)
    except Undecodable as bad:
        return _unreadable(path, bad.message, Span.point(bad.line, bad.column))
    return check_text(text, path, cache, options=options, imported_by=imported_by)


def _too_large(path: str, size: int) -> FileResult:
    return FileResult(path, [Diagnostic(Span.point(1, 1), dg.LIMIT, f"the file is {size} bytes; vecproof checks "
                                        f"files of at most {MAX_FILE_BYTES} bytes: split it", path=path)])


def _unreadable(path: str, message: str, span: Span | None = None) -> FileResult:
    d = Diagnostic(span or Span.point(1, 1), dg.UNREADABLE, message, path=path)
    return FileResult(path, [d], unreadable=True)


def check_text(text: str, path: str = "<input>", cache=None, *, options=None, imported_by: tuple = (),
               progress=None) -> FileResult:
    """Check the text of a whole file. Never raises for any input: problems become diagnostics.

    `cache` (a vecproof.cache.Cache) reuses the verdict of a theorem whose text, and the text of the
    file's declarations, are unchanged since a run of the same vecproof with the same options.
    `options` (a vecproof.options.CheckOptions; default: none set) selects e.g. exercise mode.
    `imported_by`: the files whose imports led here (for cycles); `import "…"` is relative to `path`.
    `progress(result)`, if given, is called after each theorem with the result so far (the file's
    diagnostics and the theorems checked up to then; the same object, completed afterwards)."""
    if options is None:
        from ..options import DEFAULT as options
    if len(text) > MAX_FILE_BYTES:
        return _too_large(path, len(text.encode("utf-8", "surrogatepass")))
    result = FileResult(path)
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if is_literate(path):  # a Markdown post: its ```vproof blocks, at their lines in the post
        text = extract(text)
    expected, where = _expectations(text)
    result.expected = expected
    try:
        _check_into(result, text, path, cache, options, imported_by, progress)
    except RecursionError:
        result.diagnostics.append(Diagnostic(Span.point(1, 1), dg.LIMIT, "the text is nested too deeply to check",
                                             path=path))
    except MemoryError:
        result.diagnostics.append(Diagnostic(Span.point(1, 1), dg.LIMIT, "checking ran out of memory", path=path))
    except Exception as err:  # never a traceback: a failure here is a bug, reported as one
        result.diagnostics.append(Diagnostic(Span.point(1, 1), dg.INTERNAL, f"internal error, please report it: "
                                             f"{type(err).__name__}: {err}", path=path))
    if expected:
        _judge_expectation(result, where, path)
    return result


def _judge_expectation(result: FileResult, where: Span, path: str) -> None:
    """Add VP004 to a file whose `# expect:` header is not met (results.expectation is the rule)."""
    bad = [c for c in result.expected if undeclarable(c) or c not in dg.CODES]
    if bad:
        result.diagnostics.append(Diagnostic(
            where, dg.EXPECTATION, f"`# expect:` cannot declare {', '.join(bad)}: "
            + ("VP004 and the VP9xx limits and internal errors are never the declared way for a proof to fail"
               if all(c in dg.CODES for c in bad) else "there is no such code"), path=path))
        return
    e = expectation(result)
    if e.met:
        return
    got = sorted({d.code.id for d in result.diagnostics}) or ["nothing"]
    why = []
    if e.missing:
        why.append(f"{', '.join(e.missing)} {'was' if len(e.missing) == 1 else 'were'} not reported")
    if e.unexpected:
        why.append(f"{', '.join(e.unexpected)} {'is an error' if len(e.unexpected) == 1 else 'are errors'} "
                   "it does not declare")
    result.diagnostics.append(Diagnostic(
        where, dg.EXPECTATION, f"this file declares `# expect: {', '.join(result.expected)}`, but "
        + " and ".join(why), (f"reported: {', '.join(got)}",), path=path))


_EXPECT = re.compile(r"#\s*expect:\s*(VP\d{3}(?:\s*,\s*VP\d{3})*)\s*$")


def _expectations(text: str) -> tuple[tuple[str, ...], Span]:
    """Codes named by `# expect: VPnnn[, VPnnn]` lines in the file's leading comment block."""
    codes: list[str] = []
    where = Span.point(1, 1)
    for n, line in enumerate(text.split("\n"), 1):
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            break
        m = _EXPECT.match(stripped)
        if m:
            if not codes:
                where = Span(n, 1, n, len(line) + 1)
            codes.extend(c.strip() for c in m.group(1).split(","))
    return tuple(codes), where


def _check_into(result: FileResult, text: str, path: str, cache, options, imported_by: tuple = (),
                progress=None) -> None:
    diags = result.diagnostics
    try:
        parsed = parse_recovering(text)  # after a syntax error: the theorems and declarations that parse
    except RecursionError:
        diags.append(Diagnostic(Span.point(1, 1), dg.LIMIT, "the text is nested too deeply to read", path=path))
        return
    for err in parsed.failures:
        diags.append(Diagnostic(err.span, dg.LIMIT if isinstance(err, InputLimit) else dg.SYNTAX, err.message,
                                err.detail, path=path))
    if parsed.failures and not parsed.tree.items:
        return
    items = []
    for item in parsed.tree.items:
        items.extend(item if isinstance(item, list) else [item])
    tree = ast.File(tuple(items))
    result.tree = None if parsed.failures else tree  # a tree is the whole file's (the LSP relies on it)
    errors: list[Diagnostic] = []
    scope = declare(items, errors)
    result.scope = scope
    diags.extend(e.with_path(path) for e in errors)
    theorems = [i for i in items if isinstance(i, ast.Theorem)]
    if not theorems and not items:
        diags.append(Diagnostic(Span.point(1, 1), dg.EMPTY, "the file is empty: there is nothing to check",
                                path=path))
    seen: dict[str, ast.Theorem] = {}
    citable = Citable()
    stated = theorem_names(theorems)
    for th in theorems:
        citable.refused.setdefault(th.name.name, f"{th.name.name} is stated later (line {th.name.span.line}): "
                                   "only a theorem proved before the step can be cited")
    cited = _cited_here(theorems, stated)
    imports = [i for i in items if isinstance(i, ast.Import)]
    if imports:
        stack = imported_by or (str(Path(path).resolve()),)
        result.depends = load_imports(imports, path, options, stack, citable, diags)
    imported = "\x1f".join(f"{loc}:{digest}" for loc, digest in result.depends)
    if len(theorems) > MAX_THEOREMS:
        extra = theorems[MAX_THEOREMS]
        diags.append(Diagnostic(extra.name.span, dg.LIMIT, f"this file states {len(theorems)} theorems; vecproof "
                                f"checks at most {MAX_THEOREMS} per file: split it (theorems from here on are not "
                                "checked)", path=path))
        theorems = theorems[:MAX_THEOREMS]
    for th in theorems:
        if th.name.name in seen:
            diags.append(Diagnostic(th.name.span, dg.DUPLICATE, f"a theorem named {th.name.name} is already "
                                    f"stated at line {seen[th.name.name].name.span.line}", path=path))
        seen.setdefault(th.name.name, th)
        key = None
        if cache is not None and th.name.name not in cited:  # a cited theorem is checked for its Theorem value
            key = _theorem_key(text, items, th, options, _depends_text(text, th, stated) + imported)
            hit = _from_cache(cache.get(key, "theorem"), th.span, path)
            if hit is not None:
                diags.extend(d.in_theorem(len(result.theorems)) for d in hit[1])
                result.theorems.append(hit[0])
                if progress is not None:
                    progress(result)
                continue
        citable.refused[th.name.name] = f"{th.name.name} cannot cite itself"
        checker = _TheoremChecker(scope, th, path, options, citable, text)
        try:
            res = checker.run()
        except RecursionError:
            checker.emit(th.span, dg.LIMIT, "this theorem is nested too deeply to check")
            res = TheoremResult(th.name.name, th.kind, th.name.span, "failed")
        _record(citable, th, res, scope)
        diags.extend(d.in_theorem(len(result.theorems)) for d in checker.diags)
        result.theorems.append(res)
        if key is not None and not any(d.code in (dg.INTERNAL, dg.LIMIT) for d in checker.diags):
            cache.put(key, "theorem", _to_cache(res, checker.diags, th.span))
        if progress is not None:
            progress(result)


def _record(citable: Citable, th: ast.Theorem, res: TheoremResult, scope) -> None:
    """Make a theorem citable once the kernel proved it; else remember why it cannot be cited."""
    name = th.name.name
    if name in citable.proved:
        return  # a second theorem of the same name (VP104): the first one stands
    if res.status == "proved" and kernel.is_theorem(res.theorem):
        citable.add(name, Lemma(name, res.theorem, scope, th.name.span))
        return
    citable.refused[name] = (f"{name} was only checked for some sizes, not proved, so it cannot be cited"
                             if res.status == "unproved" else f"{name} was not proved (its proof failed), so it "
                             "cannot be cited")


def _cited_here(theorems, stated: dict) -> set[str]:
    """The names of this file's theorems that some step cites."""
    return {i.name for th in theorems for st in th.proof.steps for i in st.rules if i.name in stated}


def _depends_text(text: str, th: ast.Theorem, stated: dict) -> str:
    """The text of every theorem of this file that `th` cites, directly or through another one: its
    verdict depends on theirs."""
    out, todo, seen = [], [th], {th.name.name}
    while todo:
        for st in todo.pop().proof.steps:
            for i in st.rules:
                dep = stated.get(i.name)
                if dep is not None and i.name not in seen:
                    seen.add(i.name)
                    out.append(_slice(text, dep.span))
                    todo.append(dep)
    return "\x1f".join(out)


# ---- the per-theorem result cache ---------------------------------------------------------------------


def _slice(text: str, span: Span) -> str:
    lines = text.split("\n")
    if span.line == span.end_line:
        return lines[span.line - 1][span.col - 1:span.end_col - 1]
    out = [lines[span.line - 1][span.col - 1:]] + lines[span.line:span.end_line - 1]
    out.append(lines[span.end_line - 1][:span.end_col - 1])
    return "\n".join(out)


def _theorem_key(text: str, items, th: ast.Theorem, options, depends: str = "") -> str:
    from ..cache import key

    decls = [_slice(text, i.span) for i in items if not isinstance(i, ast.Theorem)]
    return key("theorem", options.cache_key(), "\x1f".join(decls), _slice(text, th.span), depends)


def _shift(span: Span, base: Span, sign: int, col0: int) -> Span:
    """Move a span between absolute positions and positions relative to a theorem's start."""
    return span.moved(sign * (base.line - 1), sign * (col0 - 1), base.line if sign < 0 else 1)


def _to_cache(res: TheoremResult, diags, base: Span) -> dict:
    from ..serialize import diagnostic_to_dict, theorem_to_dict

    rel = TheoremResult(res.name, res.kind, _shift(res.span, base, -1, base.col), res.status,
                        [StepResult(_shift(st.span, base, -1, base.col), st.status, None, st.rules, st.explained)
                         for st in res.steps], res.assumptions, res.sizes)
    return {"theorem": theorem_to_dict(rel),
            "diagnostics": [diagnostic_to_dict(Diagnostic(_shift(d.span, base, -1, base.col), d.code, d.message,
                                                          d.detail, d.severity, "", d.counterexample))
                            for d in diags]}


def _from_cache(data, base: Span, path: str):
    if data is None:
        return None
    from ..serialize import diagnostic_from_dict, theorem_from_dict

    try:
        t = theorem_from_dict(data["theorem"])
        ds = [diagnostic_from_dict(d, path) for d in data["diagnostics"]]
    except (KeyError, TypeError, ValueError):
        return None  # corrupt: check again (and the fresh result is written over it)
    t = TheoremResult(t.name, t.kind, _shift(t.span, base, 1, base.col), t.status,
                      [StepResult(_shift(st.span, base, 1, base.col), st.status, None, st.rules, st.explained)
                       for st in t.steps], t.assumptions, t.sizes)
    ds = [Diagnostic(_shift(d.span, base, 1, base.col), d.code, d.message, d.detail, d.severity, path,
                     d.counterexample) for d in ds]
    return t, ds


ROW = "(row)"
COL = "(col)"


class _TheoremChecker:
    def __init__(self, scope: Scope, th: ast.Theorem, path: str, options, citable: Citable | None = None,
                 text: str = ""):
        self.scope = scope
        self.th = th
        self.path = path
        self.options = options
        self.citable = citable if citable is not None else Citable()
        self.text = text
        self.used: list = []  # (lemma, the names its instance renames) for each lemma that explained a step
        self.el = Elaborator(scope)
        self.diags: list[Diagnostic] = []
        self.allowed: set | None = None  # the free indices of the statement at the proof's components
        self.local: dict = {}  # a proof's undeclared component indices, by name: ranging over the statement's slots

    def emit(self, span: Span, code: dg.Code, message: str, *detail: str, cex=None) -> None:
        self.diags.append(Diagnostic(span, code, message, tuple(detail), path=self.path,
                                     counterexample=_cex_data(cex)))

    def elab(self, node: ast.Node) -> Typed | None:
        try:
            return self.el.expr(node, self.local)
        except ElabError as err:
            d = err.diagnostic
            if d.code is dg.UNKNOWN_NAME and any(x.code is d.code and x.message == d.message for x in self.diags):
                return None  # said once per theorem (an undeclared index used on every line, say)
            self.diags.append(d.with_path(self.path))
            return None

    # -------------------------------------------------------------------------------------------
    def run(self) -> TheoremResult:
        """Check every link of the proof, say what is wrong, and ask the kernel to conclude the
        theorem from the verdicts. The theorem is proved only if the kernel makes a Theorem and
        nothing here found an error: this code can refuse a proof, never make one."""
        th = self.th
        res = TheoremResult(th.name.name, th.kind, th.name.span, "failed")
        if th.proof.missing:  # its sides are still elaborated, so that a wrong name is reported as well
            for side in (th.lhs, th.rhs):
                self.elab(side)
            self.emit(th.name.span, dg.NO_PROOF, f"theorem '{th.name.name}' has no proof; `vecproof derive FILE` "
                      "can write one")
            return res
        failed = False
        lhs, rhs = self.elab(th.lhs), self.elab(th.rhs)
        if lhs is not None and rhs is not None and not (same_dim(lhs.rows, rhs.rows) and same_dim(lhs.cols, rhs.cols)):
            hint = self.el._transpose_hint(lhs, rhs)
            self.emit(th.rhs.span, dg.SHAPE, f"the two sides of {th.name.name} have different shapes: "
                      f"{lhs.shape} and {rhs.shape}", *hint)
            lhs = rhs = None
        if lhs is None or rhs is None:
            failed = True
        comp = self.components(lhs, th.proof)
        if comp is not None and th.proof.component is not None and rhs is not None:
            comp = self.check_component_free(lhs, rhs, comp)
        if comp is None:
            failed = True
        chain_nodes = [th.proof.first] + [s.expr for s in th.proof.steps]
        chain = [self.chain_expr(n, lhs, comp) for n in chain_nodes]
        # the statement with generic entry slots, and as the proof compares it (at its components)
        slots = (Index(ROW, lhs.rows) if lhs is not None and lhs.rows is not None else None,
                 Index(COL, lhs.cols) if lhs is not None and lhs.cols is not None else None)
        stmt = (lhs.comp(*slots), rhs.comp(*slots)) if lhs is not None and rhs is not None else None
        at = (None, None)
        if stmt is not None and comp is not None:
            at = comp
            sides = (kernel.instantiate(stmt[0], slots, at), kernel.instantiate(stmt[1], slots, at))
        else:
            sides = (None, None)

        if sides[0] is not None and sides[1] is not None:
            self.allowed = kernel.free_slots(kernel.Add(sides))
            for node, line in zip(chain_nodes, chain):
                if line is not None and self.stray_indices(node, line):
                    failed = True
        # endpoints: the chain must start at the left side and end at the right side
        unproved = False
        ends = []
        if sides[0] is not None and chain[0] is not None:
            ends.append((dg.CHAIN_START, sides[0], chain[0], th.proof.first.span, "starts from", "left"))
        if sides[1] is not None and chain[-1] is not None:
            ends.append((dg.CHAIN_END, sides[1], chain[-1], chain_nodes[-1].span, "ends at", "right"))
        ends_wrong = False
        end_verdicts = {}
        for code, side, line, span, verb, which in ends:
            v = self.decide(side, line, span)
            end_verdicts[which] = v
            if v is None:
                failed = True
            elif v.status == "checked":
                unproved = True
                self.emit(span, dg.NOT_PROVED, f"{_checked_at(v)} only, not proved, that this line "
                          f"is the {which} side: {_display(v.reason)}")
            elif v.status == "false":
                failed = ends_wrong = True
                self.emit(span, code, f"the proof {verb} an expression that is not the {which} side of "
                          f"{th.name.name}{self.component_words()}",
                          *self.verdict_detail(v, f"{which} side", "this line"), cex=v.counterexample)
            else:
                self.check_endpoint_gap(code, side, line, span, which)
        if not th.proof.steps:
            failed = True
            self.emit(th.proof.first.span, dg.EMPTY_PROOF, f"the proof of {th.name.name} has no step: write the "
                      "chain from the left side to the right side, one `= … by rule` line per step")
        # steps
        any_false = False
        step_verdicts = []
        for k, step in enumerate(th.proof.steps):
            before, after = chain[k], chain[k + 1]
            cited = self.cited_rules(step)
            if before is None or after is None:
                failed = True
                step_verdicts.append(None)
                res.steps.append(StepResult(step.expr.span, "error", rules=tuple(i.name for i in step.rules)))
                continue
            v = self.decide(before, after, step.expr.span)
            step_verdicts.append(v)
            sr = StepResult(step.expr.span, "error" if v is None else v.status, v,
                            tuple(i.name for i in step.rules), before=before, after=after)
            res.steps.append(sr)
            if v is None:
                failed = True
                continue
            if v.status == "false":
                any_false = True
                failed = True
                self.emit(step.expr.span, dg.FALSE_STEP, "this step is false: it does not equal the line before",
                          *self.verdict_detail(v, "line before", "this line", before, after),
                          *self.symmetry_citation(cited, before, after), cex=v.counterexample)
                continue
            if v.status == "checked":
                unproved = True
                self.emit(step.expr.span, dg.NOT_PROVED,
                          f"{_checked_at(v)} only, not proved: {_display(v.reason)}", *v.notes)
                continue
            for text in v.notes:
                self.emit(step.expr.span, dg.CROSS_CHECK_SKIPPED, f"proved by the normal form; {text}")
            self.check_citation(step, cited, before, after, sr)
        if (any_false or ends_wrong) and sides[0] is not None and sides[1] is not None:
            v = self.decide(sides[0], sides[1], th.name.span)
            if v is not None and v.status == "false":
                self.emit(th.name.span, dg.FALSE_CLAIM, f"the statement of {th.name.name} is itself false",
                          *self.verdict_detail(v, "left side", "right side", sides[0], sides[1]),
                          cex=v.counterexample)
        theorem = None
        if stmt is not None and None not in chain:
            verdicts = [end_verdicts.get("left"), *step_verdicts, end_verdicts.get("right")]
            theorem = kernel.conclude(stmt[0], stmt[1], slots, at, chain, verdicts)
        if any(d.level == dg.Severity.ERROR and d.code not in (dg.NOT_PROVED,) for d in self.diags):
            failed = True
        if theorem is None and not failed and not unproved:  # every link proved, yet no theorem: a bug
            failed = True
            self.emit(th.name.span, dg.INTERNAL, f"internal error, please report it: every step of {th.name.name} "
                      "was proved but the kernel did not conclude the theorem from them")
        res.theorem = theorem
        if theorem is not None and not failed:
            res.status = "proved"
            res.assumptions, res.sizes = _readable(theorem.assumptions), theorem.dims
            for lem, names in self.used:  # assumptions travel from the lemmas cited, in the names of the instance
                for a in _readable(lem.theorem.assumptions):
                    a = re.sub(r"[A-Za-z_][A-Za-z0-9_]*", lambda m: names.get(m.group(), m.group()), a)
                    if a not in res.assumptions and f"{a} (in {lem.name})" not in res.assumptions:
                        res.assumptions += (f"{a} (in {lem.name})",)
        else:
            res.status = "failed" if failed or not unproved else "unproved"
        return res

    def stray_indices(self, node: ast.Node, line) -> bool:
        """A line with a free index the statement does not have (a bound index left over after a
        collapse, say `2 x[i]` for `2 x[k]`) is an error naming it. True when there is one."""
        stray = sorted(i.name for i in kernel.free_slots(line) - self.allowed if i.name not in (ROW, COL))
        if not stray:
            return False
        names = ", ".join(stray)
        have = sorted(i.name for i in self.allowed if i.name not in (ROW, COL))
        self.emit(node.span, dg.STRAY_INDEX, f"index {names} is free in this line, but the statement of "
                  f"{self.th.name.name} has no free {names}"
                  + (f" (its free {'index is' if len(have) == 1 else 'indices are'} {', '.join(have)})" if have else ""),
                  "a bound index left over after a collapse? every index in a line must be summed over, or be "
                  "one the theorem is about")
        return True

    def component_words(self) -> str:
        comp = self.th.proof.component
        if comp:
            return f" (component {', '.join(i.name for i in comp)})"
        return ""

    # -------------------------------------------------------------------------------------------
    def components(self, lhs: Typed | None, proof: ast.Proof):
        """The (row, col) slots at which the proof compares entries, or None after an error."""
        if lhs is None:
            return None
        comp = proof.component
        if comp is None:
            return (Index(ROW, lhs.rows) if lhs.rows is not None else None,
                    Index(COL, lhs.cols) if lhs.cols is not None else None)
        dims = [d for d in (lhs.rows, lhs.cols) if d is not None]
        if len(comp) != len(dims):
            want = "no component" if not dims else f"{len(dims)} component index(es)"
            self.emit(comp[0].span, dg.SHAPE, f"the theorem's sides are {lhs.shape}: the proof needs {want}, "
                      f"not {len(comp)}")
            return None
        slots = []
        for ident, dim in zip(comp, dims):
            d = self.scope.names.get(ident.name)
            if d is None and ident.name not in self.local and _plain_name(ident.name):
                # an undeclared component index ranges over the slot it names, in this proof only
                self.local[ident.name] = Index(ident.name, dim)
                slots.append(self.local[ident.name])
                continue
            if d is None or d.what != "index":
                self.emit(ident.span, dg.INDEX_TYPE if d else dg.UNKNOWN_NAME,
                          f"'{ident.name}' is not a declared index variable{self.scope.suggest(ident.name) if d is None else ''}")
                return None
            if not same_dim(d.index.dim, dim):
                self.emit(ident.span, dg.INDEX_TYPE, f"index {ident.name} ranges over {d.index.dim.name}, but "
                          f"the theorem's {'rows' if dim is lhs.rows else 'columns'} range over {dim.name}")
                return None
            slots.append(d.index)
        if len(slots) == 2 and slots[0] == slots[1]:
            # (k, k) would prove only the diagonal entries: the theorem is about every (i, j).
            self.emit(comp[1].span, dg.INDEX_TYPE, f"the two component indices must be different: ({comp[0].name}, "
                      f"{comp[1].name}) covers only the diagonal entries, not every entry")
            return None
        it = iter(slots)
        return (next(it) if lhs.rows is not None else None, next(it) if lhs.cols is not None else None)

    def check_component_free(self, lhs: Typed, rhs: Typed, comp):
        """A component index must not already be free in the statement: `theorem: x[k] y = …` with
        `proof (component k)` would identify the two k's and prove only part of the claim."""
        whole = (Index(ROW, lhs.rows) if lhs.rows is not None else None,
                 Index(COL, lhs.cols) if lhs.cols is not None else None)
        free = kernel.free_slots(kernel.Add((lhs.comp(*whole), rhs.comp(*whole))))
        for ident, idx in zip(self.th.proof.component, [s for s in comp if s is not None]):
            if idx in free:
                self.emit(ident.span, dg.INDEX_TYPE, f"index {ident.name} is already free in the statement of "
                          f"{self.th.name.name}; name the component with another index")
                return None
        return comp

    def chain_expr(self, node: ast.Node, lhs: Typed | None, comp):
        t = self.elab(node)
        if t is None:
            return None
        if self.th.proof.component is not None:
            if not t.scalar:
                self.emit(node.span, dg.SHAPE, f"a componentwise proof compares scalars; this line is {t.shape}")
                return None
            return t.value()
        if lhs is None or comp is None:
            return None
        if not (same_dim(t.rows, lhs.rows) and same_dim(t.cols, lhs.cols)):
            hint = self.el._transpose_hint(t, lhs)
            self.emit(node.span, dg.SHAPE, f"this line is {t.shape}, but the theorem is about {lhs.shape}", *hint)
            return None
        return t.comp(*comp)

    def decide(self, a, b, span: Span) -> Verdict | None:
        try:
            return _decide(a, b)
        except KernelLimit as err:
            self.emit(span, dg.LIMIT, f"checking stopped at a limit: {_display(str(err))}")
        except KernelDisagreement as err:
            self.emit(span, dg.INTERNAL, f"internal error, please report it: {_display(str(err))}")
        except RecursionError:
            self.emit(span, dg.LIMIT, "checking stopped at a limit: the expression is nested too deeply")
        except MemoryError:
            self.emit(span, dg.LIMIT, "checking stopped at a limit: out of memory")
        except Exception as err:  # never a traceback: a failure here is a bug, reported as one
            self.emit(span, dg.INTERNAL, f"internal error, please report it: {type(err).__name__}: {err}")
        return None

    def check_endpoint_gap(self, code, side, line, span: Span, which: str) -> None:
        """The chain's end must match the theorem's side by definitions and bookkeeping alone; if
        it takes real work (differentiating, collapsing), the proof stops short: an error that says
        which rules would close the gap."""
        try:
            if rules.explains(rules.DEFINITIONS, side, line) is not False:
                return
            fix = rules.suggest(line, side, base=rules.DEFINITIONS)
        except Exception:
            return
        words = "stops short of" if which == "right" else "does not start from"
        how = f" the {which} side is reached only by {', '.join(fix)}" if fix else f" the {which} side differs"
        step = f"; add the step `= … by {', '.join(fix)}`" if which == "right" and fix else ""
        fixes = (dg.Suggestion("add-step", tuple(fix)),) if which == "right" and fix else ()
        self.diags.append(Diagnostic(span, code, f"the proof {words} the {which} side of {self.th.name.name}:"
                                     f"{how}{step}", path=self.path, fixes=fixes))

    def cited_rules(self, step: ast.Step):
        """The rules and lemmas (as (Cite, Lemma)) a step cites; an unknown or uncitable name is an error."""
        out = []
        cites = step.cites or tuple(ast.Cite(i, (), i.span) for i in step.rules)
        for cite in cites:
            ident = cite.name
            r = rules.lookup(ident.name)
            if r is not None and cite.bindings:
                self.emit(cite.span, dg.UNCITABLE, f"{ident.name} is a rule: only a cited theorem takes an "
                          "instantiation `[name := value]`")
                continue
            lem = self.citable.proved.get(ident.name) if r is None else None
            why = self.citable.why_not(ident.name) if r is None and lem is None else None
            if lem is not None:
                out.append((cite, lem))
            elif why is not None:
                self.emit(ident.span, dg.UNCITABLE, why)
            elif r is None:
                close = difflib.get_close_matches(ident.name, rules.names() + list(self.citable.proved), n=1,
                                                  cutoff=0.7)
                self.emit(ident.span, dg.UNKNOWN_RULE, f"there is no rule named '{ident.name}'"
                          + (f"; did you mean '{close[0]}'?" if close else ""),
                          "rules: " + ", ".join(rules.RULES))
            else:
                out.append(r)
        return out

    def check_citation(self, step: ast.Step, cited, before, after, sr: StepResult) -> None:
        """A true step should cite rules that explain it (VP202) and cite some (VP206): warnings, or
        errors in exercise mode, where citing the catch-all `algebra` is an error too (VP209)."""
        exercise = self.options.exercise
        level = dg.Severity.ERROR if exercise else None
        if not step.rules:
            fix = rules.suggest(before, after)
            self.diags.append(Diagnostic(step.expr.span, dg.UNCITED, "this step is true but cites no rule" + (
                f"; it follows by {', '.join(fix)}" if fix else
                "; no single rule explains it: split the step" if exercise else "; cite `algebra` if no rule fits"),
                severity=level, path=self.path, fixes=(dg.Suggestion("cite", tuple(fix)),) if fix else ()))
            return
        if exercise:
            banned = [i for i in step.rules if (r := rules.lookup(i.name)) is not None and r.catch_all]
            if banned:
                fix = rules.suggest(before, after)
                if rules.explains((), before, after) is True:  # bookkeeping, which every rule includes
                    how = "; it only rearranges terms: merge it into the step before or after it"
                elif fix:
                    how = f"; it follows by {', '.join(fix)}"
                else:
                    how = "; no single rule explains it: split the step"
                for ident in banned:
                    self.emit(ident.span, dg.ALGEBRA_FORBIDDEN, f"in exercise mode a step may not cite "
                              f"`{ident.name}`: name the rules that justify it{how}")
                return
        if len(cited) != len(step.rules):
            return
        lemmas = [c for c in cited if isinstance(c, tuple)]
        cited = [c for c in cited if not isinstance(c, tuple)]
        if lemmas:
            ok, fix = self.explained_by_lemmas(lemmas, cited, before, after)
            if ok is None:
                return  # an instantiation was refused: said already
            sr.explained = ok
            if ok:
                sr.fixes = (fix,) if fix is not None else ()
            else:
                names = ", ".join(i.name for i in step.rules)
                span = Span(step.rules[0].span.line, step.rules[0].span.col,
                            step.rules[-1].span.end_line, step.rules[-1].span.end_col)
                self.diags.append(Diagnostic(
                    span, dg.UNEXPLAINED, f"this step is true, but {names} does not explain it: no subterm of "
                    "either line is an instance of a side of the cited theorem whose replacement by the other side "
                    "gives the other line" + (f"; it follows by {fix.text}" if fix is not None else ""),
                    severity=level, path=self.path, fixes=(fix,) if fix is not None else ()))
            return
        ok = rules.explains(cited, before, after)
        sr.explained = ok
        if ok is False:
            fix = rules.suggest(before, after)
            names = ", ".join(r.name for r in cited)
            message = f"this step is true, but {names} does not explain it"
            if fix:
                message += f"; it follows by {', '.join(fix)}"
            elif exercise:
                message += "; no single rule explains it: split the step"
            else:
                message += "; no single rule explains it: split the step, or cite `algebra`"
            span = Span(step.rules[0].span.line, step.rules[0].span.col,
                        step.rules[-1].span.end_line, step.rules[-1].span.end_col)
            self.diags.append(Diagnostic(span, dg.UNEXPLAINED, message, self.symmetry_citation(cited, before, after),
                                         severity=level, path=self.path,
                                         fixes=(dg.Suggestion("cite", tuple(fix)),) if fix else ()))

    def explained_by_lemmas(self, lemmas, plain, before, after) -> tuple[bool | None, dg.Suggestion | None]:
        """Whether one cited lemma, instantiated (explicitly, or by matching), turns one line into the
        other by replacing one subterm (or every occurrence of it), up to the bookkeeping and the other
        rules cited. None after a refused instantiation (VP121, said here). With it, the citation with
        its instance written out (an `instantiate` suggestion) when matching found the instance, or
        when the step is not explained by the instance given but is by another."""
        def judge(x, y):
            return rules.explains(plain, x, y) is True

        refusals = []
        for cite, lem in lemmas:
            try:
                given = preset(lem, cite, self.el, self.symmetric, lambda node: _slice(self.text, node.span))
            except Refused as err:
                self.emit(err.span, dg.INSTANTIATION, err.message)
                return None, None
            refuse = self.refuser(lem, given)
            inst, why = match.explains_by(lem.sides, before, after, given, judge, refuse)
            if inst is not None:
                self.used.append((lem, match.renamed(inst)))
                return True, None if cite.bindings else self.instantiation(cite, lem, inst)
            refusals.extend((cite, w) for w in why)
        if refusals:
            cite, why = refusals[0]
            self.emit(cite.name.span, dg.INSTANTIATION, f"the instance of {cite.name.name} that would explain "
                      f"this step is refused: {why}")
            return None, None
        for cite, lem in lemmas:  # an instance given that does not fit: is there one that does?
            if cite.bindings:
                none = match.Instance()
                inst, _ = match.explains_by(lem.sides, before, after, none, judge, self.refuser(lem, none))
                if inst is not None:
                    return False, self.instantiation(cite, lem, inst)
        return False, None

    def refuser(self, lem: Lemma, given):
        """refuse(inst): why an instance of `lem` is unsound (a sentence), or None; the objects the
        citation gave (`given`) were checked already."""
        stmt = statement(lem)

        def refuse(inst):
            for obj, value in inst.objects.items():
                if obj not in given.objects:
                    why = match.refusal(obj, value, inst, stmt, self.symmetric, lambda v, obj=obj: show_value(obj, v))
                    if why is not None:
                        return why
            return None
        return refuse

    def instantiation(self, cite: ast.Cite, lem: Lemma, inst) -> dg.Suggestion | None:
        """The citation `NAME[A := …, n := …]` with the instance written in this file's names."""
        def known(name, what):
            d = self.scope.names.get(name)
            return d is not None and d.what == what

        given = match.bindings(inst, list(lem.scope.names), known)
        if not given:
            return None
        text = f"{cite.name.name}[{', '.join(f'{n} := {v}' for n, v in given)}]"
        return dg.Suggestion("instantiate", (cite.name.name,), text)

    def symmetric(self, a, b) -> bool:
        """Whether the kernel proves a = b (for the symmetry of an instantiated object)."""
        try:
            return _decide(a, b).status == "proved"
        except Exception:  # a refusal, never a traceback
            return False

    # -------------------------------------------------------------------------------------------
    def verdict_detail(self, v: Verdict, left: str, right: str, a=None, b=None) -> tuple[str, ...]:
        out = []
        cx = v.counterexample
        if cx is not None:
            where = [f"{n} = {s}" for n, s in cx.sizes]
            entry = [f"{n} = {val}" for n, val in cx.free if n not in (ROW, COL)]
            pos = [f"{'row' if n == ROW else 'column'} {val}" for n, val in sorted(
                (p for p in cx.free if p[0] in (ROW, COL)), key=lambda p: p[0] != ROW)]
            head = ", ".join(where + entry) or "the declared sizes"
            if pos:
                head += f", at entry ({', '.join(pos)})"
            out.append(f"counterexample: {head}")
            if cx.values:
                rest = ", every other entry 0" if cx.rest_zero else ""
                out.append("  with " + ", ".join(f"{n} = {val}" for n, val in cx.values) + rest)
            elif cx.rest_zero:
                out.append("  with every entry 0")
            eq = "≈" if getattr(cx, "approximate", False) else "="
            out.append(f"  {left} {eq} {_value(cx, cx.lhs)}, {right} {eq} {_value(cx, cx.rhs)}")
            if getattr(cx, "approximate", False):
                out.append("  (exp, log, sqrt, σ and tanh evaluated in interval arithmetic: the two sides' "
                           "intervals are disjoint)")
        else:
            out.extend(v.notes)
        if a is not None and b is not None:
            hint = self.factor_hint(v, a, b, left, right)
            if hint:
                out.append(hint)
            # a transposed side already says what symmetry would (A = Aᵀ): only one of the two
            hint = self.transpose_hint(a, b) or self.symmetry_hint(a, b)
            if hint:
                out.append(hint)
        if v.assumptions:
            out.append("assuming " + "; ".join(v.assumptions))
        return tuple(out)

    def transpose_hint(self, a, b) -> str | None:
        """The layout note when a = b would hold with two free indices exchanged. The search spends
        what is left of the step's budget after deciding a = b (one budget per step), and gives up
        without a hint when that runs out."""
        try:
            budget = kernel.Budget(kernel.DEFAULT_LIMITS.step_work - _decide(a, b).work)
            free = sorted(i for i in kernel.free_slots(kernel.Add((a, b)))
                          if self.allowed is None or i in self.allowed)  # not a stray index: no layout there
            for i, j in ((i, j) for i in free for j in free if i < j and i.dim == j.dim):
                if _normal_forms_equal(a, kernel.substitute(b, {i: j, j: i}), budget):
                    return self.el.layout_note(
                        "it would hold with one side transposed"
                        + ("" if {i.name, j.name} == {ROW, COL} else f" (indices {i.name} and {j.name} exchanged)"))
        except Exception:  # a hint must never break a report
            return None
        return None

    def factor_hint(self, v: Verdict, a, b, left: str, right: str) -> str | None:
        """`the line before is 2 times this line` when the counterexample's ratio holds everywhere."""
        cx = v.counterexample
        if cx is None or not cx.lhs or not cx.rhs or cx.lhs == cx.rhs:
            return None
        ratio = Fraction(cx.lhs) / Fraction(cx.rhs)
        try:
            if _decide(a, kernel.Mul((kernel.Num(ratio), b))).status == "proved":
                return f"the sides differ by a constant factor: {left} = {_num(ratio)} × ({right})"
        except Exception:  # a hint must never break a report
            return None
        return None

    def symmetry_citation(self, cited, a, b) -> tuple[str, ...]:
        """`by symmetry` for a step with no object declared symmetric: say which are not."""
        if not any(isinstance(r, rules.Rule) and r.name == "symmetry" for r in cited):
            return ()
        objs = kernel.objects_in(kernel.Add((a, b)))
        if any(o.symmetric for o in objs):
            return ()
        square = sorted(o.name for o in objs if len(o.dims) == 2 and o.dims[0] == o.dims[1])
        if not square:
            return ("`symmetry` applies to matrices declared symmetric, and this step has none",)
        return (f"`symmetry` applies to matrices declared symmetric: {', '.join(square)} "
                f"{'is' if len(square) == 1 else 'are'} not declared symmetric",)

    def symmetry_hint(self, a, b) -> str | None:
        """`it would hold if B were declared symmetric` when it would."""
        square = sorted({o for o in kernel.objects_in(kernel.Add((a, b)))
                         if o.kind == "const" and not o.symmetric and len(o.dims) == 2 and o.dims[0] == o.dims[1]},
                        key=lambda o: o.name)
        for o in square[:4]:
            try:
                sym = {o: dataclasses.replace(o, symmetric=True)}
                if _decide(_with_objects(a, sym), _with_objects(b, sym)).status == "proved":
                    return (f"it would hold if {o.name} were symmetric: declare it `symmetric` if it is "
                            f"(then the verdict assumes {o.name} symmetric)")
            except Exception:  # a hint must never break a report
                return None
        return None


def _with_objects(e, sub: dict):
    """`e` with the declared objects in `sub` replaced in its entries (the kernel's traversal)."""
    if isinstance(e, kernel.Entry):
        return dataclasses.replace(e, obj=sub.get(e.obj, e.obj))
    return map_children(e, lambda child: _with_objects(child, sub))


def _checked_at(v: Verdict) -> str:
    """Where a "checked" verdict was checked: "checked for sizes n ∈ {1, 2}" or "checked at the declared sizes"."""
    if not v.sizes or v.sizes == "the declared sizes":
        return "checked at the declared sizes"
    return f"checked for sizes {v.sizes}"


def _cex_data(cx) -> dict | None:
    """A counterexample as plain data (for reports and editors); every number in it can be written
    as JSON (an integer too long for that becomes its abbreviated text)."""
    if cx is None:
        return None

    def safe(v: int):
        return v if abs(v) < 10 ** SHOWN_DIGITS else number_text(v)

    out = {
        "sizes": {n: safe(v) for n, v in cx.sizes},
        "indices": {("row" if n == ROW else "column" if n == COL else n): safe(v) for n, v in cx.free},
        "values": {n: safe(v) for n, v in cx.values},
        "left": _num(cx.lhs),
        "right": _num(cx.rhs),
    }
    if getattr(cx, "approximate", False):
        out["approximate"] = True
    return out


def _display(text: str) -> str:
    """Strip the suffixes that make bound index names fresh (i'3, j~12) from a message."""
    return re.sub(r"([A-Za-z_][A-Za-z0-9_]*)(?:['~][0-9]+)+", r"\1", text)


def _value(cx, q) -> str:
    """A side's value in a counterexample: exact, or rounded (`0.104994`) when only an interval is known."""
    return f"{float(q):.6g}" if getattr(cx, "approximate", False) else _num(q)


def _num(q) -> str:
    """A counterexample value as text; never raises, whatever its size (huge ones are abbreviated)."""
    return number_text(Fraction(q))
