"""Check results: per step, per theorem, per file. Plain data; importing this module is light."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from . import diagnostics as dg
from .diagnostics import Diagnostic, Span


@dataclass
class StepResult:
    span: Span
    status: str  # proved | false | checked | error
    verdict: object = None  # the kernel's Verdict, when checked here
    rules: tuple[str, ...] = ()
    explained: bool | None = None
    before: object = None  # the two sides as kernel index expressions (for hover, benchmarks)
    after: object = None
    fixes: tuple = ()  # diagnostics.Suggestion for a step without a diagnostic (a matched instance written out)


@dataclass
class TheoremResult:
    name: str
    kind: str
    span: Span
    status: str  # proved | failed | unproved
    steps: list[StepResult] = field(default_factory=list)
    assumptions: tuple[str, ...] = ()
    sizes: tuple[str, ...] = ()  # the symbolic dimensions the verdict holds for all values of
    theorem: object = field(default=None, compare=False, repr=False)  # the kernel's Theorem, when proved here

    def verdict(self) -> str:
        """The one sentence every front end shows for this theorem: `proved: theorem t (for all n;
        assuming A symmetric)`, `not proved: …` (steps only checked for some sizes) or `failed: …`."""
        if self.status == "proved":
            words = f"for all {', '.join(self.sizes)}" if self.sizes else "for the declared sizes"
            if self.assumptions:
                words += "; assuming " + "; ".join(self.assumptions)
            return f"proved: {self.kind} {self.name} ({words})"
        if self.status == "unproved":
            return f"not proved: {self.kind} {self.name} (some steps were only checked for finitely many sizes)"
        return f"failed: {self.kind} {self.name}"


@dataclass
class FileResult:
    path: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    theorems: list[TheoremResult] = field(default_factory=list)
    unreadable: bool = False
    scope: object = None  # the file's declarations (elaboration.Scope), when checked here
    tree: object = None  # the syntax tree (syntax.ast.File), when checked here
    expected: tuple[str, ...] = ()  # codes a `# expect: VPnnn` header says this file must produce
    depends: tuple[tuple[str, str], ...] = ()  # (location, SHA-256) of every file it imports, directly or not

    @property
    def ok(self) -> bool:
        return not any(d.level == dg.Severity.ERROR for d in self.diagnostics)

    @property
    def expectation_met(self) -> bool:
        """The file declares `# expect:` and is rejected exactly as declared (see `expectation`)."""
        return expectation(self).met

    def passed(self, strict: bool = False) -> bool:
        """A file passes when every theorem is proved and nothing is wrong — or, for a file that
        declares `# expect: VPnnn` (a deliberately wrong proof), when those codes are reported."""
        if self.unreadable:
            return False
        if self.expected:
            return expectation(self).met
        if not self.ok or any(t.status != "proved" for t in self.theorems):
            return False
        return not (strict and any(d.level == dg.Severity.WARNING for d in self.diagnostics))


def undeclarable(code: str) -> bool:
    """Codes a `# expect:` header may not name: vecproof's own VP004 (which an unmet expectation
    produces, so declaring it would satisfy itself) and the VP9xx limits and internal errors (a
    limit or a bug is never the declared way for a proof to fail)."""
    return code == dg.EXPECTATION.id or code.startswith("VP9")


@dataclass(frozen=True)
class Expectation:
    """How a file's diagnostics compare with the codes its `# expect:` header declares."""

    declared: tuple[str, ...]
    missing: tuple[str, ...]  # declared, not reported
    unexpected: tuple[str, ...]  # errors reported whose code was not declared

    @property
    def met(self) -> bool:
        return bool(self.declared) and not self.missing and not self.unexpected


def expectation(result: FileResult) -> Expectation:
    """The one rule for a deliberately wrong file, used by every front end: it is rejected as
    declared when every declared code is reported and no error outside the declared set is. A
    declared warning code exempts nothing: an error elsewhere in the file still fails it."""
    declared = tuple(result.expected)
    got = {d.code.id for d in result.diagnostics if d.code is not dg.EXPECTATION}
    missing = tuple(c for c in declared if c not in got or undeclarable(c))
    unexpected = tuple(sorted({d.code.id for d in result.diagnostics
                               if d.level == dg.Severity.ERROR and d.code.id not in declared}))
    return Expectation(declared, missing, unexpected)


# Codes only the theorem checker emits: a diagnostic with one of these codes belongs to the theorem
# above it even when it lies past the theorem's last step expression (a citation `by …` written on
# the next line, the end of a multi-line step).
THEOREM_CODES = frozenset({
    dg.UNKNOWN_RULE.id, dg.FALSE_STEP.id, dg.UNEXPLAINED.id, dg.CHAIN_START.id, dg.CHAIN_END.id,
    dg.NOT_PROVED.id, dg.UNCITED.id, dg.FALSE_CLAIM.id,
})


def diagnostic_key(d: Diagnostic) -> tuple:
    """A total order on a file's diagnostics: position first, then everything else that is shown."""
    s = d.span
    return (s.line, s.col, s.end_line, s.end_col, d.code.id, d.level.value, d.message, d.detail)


def attribute(result: FileResult) -> tuple[list[Diagnostic], list[list[Diagnostic]]]:
    """Split a file's diagnostics into file-level ones and, per theorem (same order as
    `result.theorems`), the ones inside that theorem. Both lists are sorted.

    Diagnostics the checker tagged with their theorem go there. For untagged ones (results from
    elsewhere): a theorem starts on the line of its name and runs to the end of the line of its last step
    expression (to the next theorem when it has no step); diagnostics with a code only the
    theorem checker emits (`THEOREM_CODES`) belong to the theorem above them wherever they are.
    Everything else — syntax errors, unreadable input, declaration errors, VP004 — is file-level.
    Every front end that shows diagnostics per theorem (report formats, the pytest plugin) uses this.
    """
    theorems = list(result.theorems)
    order = sorted(range(len(theorems)), key=lambda i: (theorems[i].span.line, theorems[i].span.col, i))
    starts = [theorems[i].span.line for i in order]
    per: list[list[Diagnostic]] = [[] for _ in theorems]
    files: list[Diagnostic] = []
    for d in sorted(result.diagnostics, key=diagnostic_key):
        if d.theorem is not None and 0 <= d.theorem < len(theorems):
            per[d.theorem].append(d)  # the checker says which theorem it was checking
            continue
        k = bisect.bisect_right(starts, d.span.line) - 1
        if k < 0:
            files.append(d)
            continue
        t = theorems[order[k]]
        last = max((s.span.end_line for s in t.steps), default=None)
        if last is None or d.span.line <= last or d.code.id in THEOREM_CODES:
            per[order[k]].append(d)
        else:
            files.append(d)
    return files, per
