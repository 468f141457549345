"""Check results: per step, per theorem, per file. Plain data; importing this module is light."""

from __future__ import annotations

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


@dataclass
class TheoremResult:
    name: str
    kind: str
    span: Span
    status: str  # proved | failed | unproved
    steps: list[StepResult] = field(default_factory=list)
    assumptions: tuple[str, ...] = ()
    sizes: tuple[str, ...] = ()  # the symbolic dimensions the verdict holds for all values of


@dataclass
class FileResult:
    path: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    theorems: list[TheoremResult] = field(default_factory=list)
    unreadable: bool = False
    scope: object = None  # the file's declarations (elaboration.Scope), when checked here
    tree: object = None  # the syntax tree (syntax.ast.File), when checked here
    expected: tuple[str, ...] = ()  # codes a `# expect: VPnnn` header says this file must produce

    @property
    def ok(self) -> bool:
        return not any(d.level == dg.Severity.ERROR for d in self.diagnostics)

    @property
    def expectation_met(self) -> bool:
        got = {d.code.id for d in self.diagnostics}
        return bool(self.expected) and all(c in got for c in self.expected)

    def passed(self, strict: bool = False) -> bool:
        """A file passes when every theorem is proved and nothing is wrong — or, for a file that
        declares `# expect: VPnnn` (a deliberately wrong proof), when those codes are reported."""
        if self.unreadable:
            return False
        if self.expected:
            return self.expectation_met
        if not self.ok or any(t.status != "proved" for t in self.theorems):
            return False
        return not (strict and any(d.level == dg.Severity.WARNING for d in self.diagnostics))
