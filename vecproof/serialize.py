"""Check results as plain JSON data: the `--format json` report, the result cache, and the channel
from worker processes. `result_from_dict(result_to_dict(r))` keeps everything a report shows."""

from __future__ import annotations

from . import __version__
from . import diagnostics as dg
from .diagnostics import Diagnostic, Severity, Span
from .results import FileResult, StepResult, TheoremResult

SCHEMA_VERSION = 1


def span_to_dict(s: Span) -> dict:
    return {"start": {"line": s.line, "column": s.col}, "end": {"line": s.end_line, "column": s.end_col}}


def span_from_dict(d: dict) -> Span:
    return Span(int(d["start"]["line"]), int(d["start"]["column"]), int(d["end"]["line"]), int(d["end"]["column"]))


def diagnostic_to_dict(d: Diagnostic) -> dict:
    out = {
        "code": d.code.id,
        "name": d.code.name,
        "severity": d.level.value,
        "message": d.message,
        "detail": list(d.detail),
        "range": span_to_dict(d.span),
    }
    if d.counterexample is not None:
        out["counterexample"] = d.counterexample
    if d.theorem is not None:
        out["theorem"] = d.theorem
    return out


def diagnostic_from_dict(d: dict, path: str) -> Diagnostic:
    code = dg.CODES[d["code"]]
    sev = Severity(d["severity"])
    theorem = d.get("theorem")
    return Diagnostic(span_from_dict(d["range"]), code, str(d["message"]), tuple(str(x) for x in d["detail"]),
                      None if sev == code.severity else sev, path, d.get("counterexample"),
                      theorem if isinstance(theorem, int) else None)


def result_to_dict(r) -> dict:
    return {
        "path": r.path,
        "passed": r.passed(),
        "unreadable": r.unreadable,
        "expected": list(r.expected),
        "expectation_met": r.expectation_met,
        "diagnostics": [diagnostic_to_dict(d) for d in sorted(r.diagnostics, key=lambda d: (d.span.line, d.span.col))],
        "theorems": [theorem_to_dict(t) for t in r.theorems],
    }


def theorem_to_dict(t) -> dict:
    return {
        "name": t.name,
        "kind": t.kind,
        "status": t.status,
        "range": span_to_dict(t.span),
        "assumptions": list(t.assumptions),
        "sizes": list(t.sizes),
        "steps": [
            {"range": span_to_dict(s.span), "status": s.status, "rules": list(s.rules), "explained": s.explained}
            for s in t.steps
        ],
    }


def theorem_from_dict(d: dict):
    steps = [StepResult(span_from_dict(s["range"]), s["status"], None, tuple(s["rules"]), s["explained"])
             for s in d["steps"]]
    return TheoremResult(d["name"], d["kind"], span_from_dict(d["range"]), d["status"], steps,
                         tuple(d["assumptions"]), tuple(d["sizes"]))


def result_from_dict(d: dict):
    path = d["path"]
    return FileResult(
        path,
        [diagnostic_from_dict(x, path) for x in d["diagnostics"]],
        [theorem_from_dict(t) for t in d["theorems"]],
        unreadable=bool(d["unreadable"]),
        expected=tuple(d["expected"]),
    )


def summarize(results) -> dict:
    """Counts over a run, shared by every report. Files rejected as declared (`# expect:`) count as
    files only: their theorems and diagnostics are the expected failure, not the run's."""
    checked = [r for r in results if not r.expectation_met]
    theorems = [t for r in checked for t in r.theorems]
    steps = [s for t in theorems for s in t.steps]
    summary = {
        "files": len(results),
        "rejected_as_declared": sum(r.expectation_met for r in results),
        "theorems": len(theorems),
        "proved": sum(t.status == "proved" for t in theorems),
        "failed": sum(t.status == "failed" for t in theorems),
        "unproved": sum(t.status == "unproved" for t in theorems),
        "steps": len(steps),
        "steps_proved": sum(s.status == "proved" for s in steps),
        "steps_false": sum(s.status == "false" for s in steps),
        "errors": sum(d.level == Severity.ERROR for r in checked for d in r.diagnostics),
        "warnings": sum(d.level == Severity.WARNING for r in checked for d in r.diagnostics),
        "passed": all(r.passed() for r in results),
    }
    return summary


def report_to_dict(results, seconds: float | None = None) -> dict:
    """The whole `--format json` report (see docs/schema/report.schema.json)."""
    summary = summarize(results)
    out = {"schema_version": SCHEMA_VERSION, "tool": {"name": "vecproof", "version": __version__},
           "summary": summary, "files": [result_to_dict(r) for r in results]}
    if seconds is not None:
        out["summary"]["seconds"] = round(seconds, 3)
    return out
