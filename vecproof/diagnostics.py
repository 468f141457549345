"""Diagnostics as data: a position, a severity, a registered code, a message and optional detail."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


@dataclass(frozen=True, order=True)
class Span:
    """1-based line and column of the first character; end is exclusive (end_col is one past)."""

    line: int
    col: int
    end_line: int
    end_col: int

    @staticmethod
    def point(line: int = 1, col: int = 1) -> "Span":
        return Span(line, col, line, col + 1)

    def moved(self, lines: int, cols: int = 0, on_line: int | None = None) -> "Span":
        """This span `lines` lines further down; an end lying on line `on_line` (before the move) also
        moves `cols` columns right. The one way every caller moves positions (a theorem's results
        cached relative to its start, the editor's re-check after lines were inserted above)."""
        moved = object.__new__(Span)  # the fields, without the frozen dataclass's __init__ (hot path)
        moved.__dict__.update(line=self.line + lines, col=self.col + (cols if self.line == on_line else 0),
                              end_line=self.end_line + lines,
                              end_col=self.end_col + (cols if self.end_line == on_line else 0))
        return moved


@dataclass(frozen=True)
class Code:
    id: str
    name: str
    severity: Severity
    summary: str


CODES: dict[str, Code] = {}


def _code(id: str, name: str, severity: Severity, summary: str) -> Code:
    c = Code(id, name, severity, summary)
    CODES[id] = c
    return c


E = Severity.ERROR
W = Severity.WARNING
# Input
SYNTAX = _code("VP001", "syntax-error", E, "The text does not follow the .vproof grammar.")
UNREADABLE = _code("VP002", "unreadable-file", E, "The file cannot be read as UTF-8 text (binary, or missing).")
EMPTY = _code("VP003", "empty-file", W, "The file is empty (nothing but blank lines and comments): it checks nothing.")
EXPECTATION = _code("VP004", "expectation-unmet", E, "A file declares `# expect: VPnnn` but that code was not reported.")
# Names, shapes, indices
UNKNOWN_NAME = _code("VP101", "unknown-name", E, "A name is used that was never declared.")
SHAPE = _code("VP102", "shape-mismatch", E, "Operand shapes do not fit the operation.")
INDEX_TYPE = _code("VP103", "index-type", E, "An index ranges over a different dimension than its slot.")
DUPLICATE = _code("VP104", "duplicate-declaration", E, "A name is declared twice.")
DECLARATION = _code("VP105", "bad-declaration", E, "A declaration is malformed or inconsistent.")
UNKNOWN_RULE = _code("VP106", "unknown-rule", E, "A step cites a rule that does not exist.")
UNSUPPORTED = _code("VP107", "unsupported", E, "A construct vecproof cannot check (e.g. a numbered index into a symbolic size).")
LAYOUT = _code("VP108", "layout-required", E, "A layout-dependent derivative is used without `layout`.")
WHICH_VARIABLE = _code("VP109", "variable-required", E, "A derivative must name its variable: several are declared.")
STRAY_INDEX = _code("VP110", "stray-index", E, "A line has a free index that the theorem's statement does not have.")
NOT_YET = _code("VP111", "unsupported-construct", E,
                "A mathematical construct outside the language (log, exp, det, inverse, ⊙, abs, …): not supported yet or out of scope.")
UNCITABLE = _code("VP120", "uncitable-theorem", E,
                  "A step cites a theorem that is not proved before it (later, failed, only checked, or itself).")
INSTANTIATION = _code("VP121", "instantiation-refused", E,
                      "A cited theorem's instance is unsound: a condition on its objects, sizes or shapes fails.")
IMPORT = _code("VP122", "import-failed", E, "An imported file is missing or unreadable, or the library has no such file.")
IMPORT_CYCLE = _code("VP123", "import-cycle", E, "Imports lead back to the importing file.")
# Proofs
FALSE_STEP = _code("VP201", "false-step", E, "A step is false: the two sides differ (a counterexample is given).")
UNEXPLAINED = _code("VP202", "rule-does-not-explain", W, "A true step that the cited rule(s) do not explain.")
CHAIN_START = _code("VP203", "chain-start", E, "The proof does not start at the theorem's left side.")
CHAIN_END = _code("VP204", "chain-end", E, "The proof does not end at the theorem's right side.")
NOT_PROVED = _code("VP205", "checked-not-proved", E, "A step outside the decided fragment: checked for some sizes only, not proved.")
UNCITED = _code("VP206", "uncited-step", W, "A step cites no rule.")
FALSE_CLAIM = _code("VP207", "false-theorem", E, "The theorem's statement itself is false.")
CROSS_CHECK_SKIPPED = _code("VP208", "cross-check-skipped", Severity.NOTE,
                            "A step proved by the normal form alone: the exact cross-check was too large to run.")
ALGEBRA_FORBIDDEN = _code("VP209", "algebra-forbidden", E,
                          "In exercise mode, a step cites `algebra` instead of the rules that justify it.")
EMPTY_PROOF = _code("VP210", "empty-proof", E, "A proof with no step: the chain must lead from one side to the other.")
NO_PROOF = _code("VP211", "no-proof", E, "A theorem is stated without a proof (`vecproof derive` can write one).")
# Limits and internal errors
LIMIT = _code("VP901", "resource-limit", E, "Checking stopped at a resource limit.")
INTERNAL = _code("VP902", "internal-error", E, "vecproof's two decision procedures disagreed, or it failed: a bug.")


@dataclass(frozen=True)
class Suggestion:
    """A fix the checker proposes, as data (front ends turn it into edits; none parses messages):
    `cite` — the step follows by `names`; `add-step` — the chain stops short and a last step by
    `names` reaches the theorem's side; `declare` — add the declaration `text`; `instantiate` — replace
    the citation of `names[0]` by `text`, the theorem with its instance written out (`quad[A := B]`)."""

    kind: str
    names: tuple[str, ...] = ()
    text: str = ""


@dataclass(frozen=True)
class Diagnostic:
    span: Span
    code: Code
    message: str
    detail: tuple[str, ...] = field(default=())
    severity: Severity | None = None
    path: str = ""
    counterexample: dict | None = field(default=None, compare=False)
    theorem: int | None = field(default=None, compare=False)  # index in FileResult.theorems, if inside one
    fixes: tuple[Suggestion, ...] = field(default=(), compare=False)

    @property
    def level(self) -> Severity:
        return self.severity or self.code.severity

    def with_path(self, path: str) -> "Diagnostic":
        return replace(self, path=path)

    def in_theorem(self, index: int) -> "Diagnostic":
        return replace(self, theorem=index)
