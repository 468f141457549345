"""Human-readable text output: one diagnostic per block with the source line and a caret."""

from __future__ import annotations

from .diagnostics import Diagnostic, Severity


class TextReport:
    def __init__(self, out, quiet: bool = False):
        self.out = out
        self.quiet = quiet

    def file(self, result, lines: list[str]) -> None:
        for d in sorted(result.diagnostics, key=lambda d: (d.span.line, d.span.col)):
            self.out.write(render(d, lines))
        if result.expectation_met:
            self.out.write(f"{result.path}:1:1: rejected as declared (expect: {', '.join(result.expected)})\n")
            return
        if self.quiet:
            return
        for t in result.theorems:
            if t.status == "proved":
                words = f"for all {', '.join(t.sizes)}" if t.sizes else "for the declared sizes"
                if t.assumptions:
                    words += "; assuming " + "; ".join(t.assumptions)
                self.out.write(f"{result.path}:{t.span.line}:{t.span.col}: proved: {t.kind} {t.name} ({words})\n")
            elif t.status == "unproved":
                self.out.write(f"{result.path}:{t.span.line}:{t.span.col}: not proved: {t.kind} {t.name} "
                               "(some steps were only checked for finitely many sizes)\n")
            else:
                self.out.write(f"{result.path}:{t.span.line}:{t.span.col}: failed: {t.kind} {t.name}\n")

    def summary(self, results, seconds: float) -> None:
        rejected = sum(r.expectation_met for r in results)
        checked = [r for r in results if not r.expectation_met]
        theorems = [t for r in checked for t in r.theorems]
        steps = [s for t in theorems for s in t.steps]
        proved = sum(t.status == "proved" for t in theorems)
        s_proved = sum(s.status == "proved" for s in steps)
        s_false = sum(s.status == "false" for s in steps)
        errors = sum(d.level == Severity.ERROR for r in checked for d in r.diagnostics)
        warnings = sum(d.level == Severity.WARNING for r in checked for d in r.diagnostics)
        files = len(results)
        parts = [
            _count(files, "file") + (f" ({rejected} rejected as declared)" if rejected else ""),
            f"{_count(len(theorems), 'theorem')}: {proved} proved, {len(theorems) - proved} not proved",
            f"{_count(len(steps), 'step')}: {s_proved} proved, {s_false} false",
            f"{_count(errors, 'error')}, {_count(warnings, 'warning')}",
        ]
        self.out.write("; ".join(parts) + f" ({seconds:.2f} s)\n")


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def render(d: Diagnostic, lines: list[str]) -> str:
    head = f"{d.path}:{d.span.line}:{d.span.col}: {d.level.value}[{d.code.id}]: {d.message}\n"
    out = [head]
    if 1 <= d.span.line <= len(lines):
        src = lines[d.span.line - 1].expandtabs(1)
        num = str(d.span.line)
        pad = " " * len(num)
        end = d.span.end_col if d.span.end_line == d.span.line else len(src) + 1
        width = max(1, min(end, len(src) + 1) - d.span.col)
        out.append(f" {num} | {src}\n")
        out.append(f" {pad} | {' ' * (d.span.col - 1)}{'^' * width}\n")
        for line in d.detail:
            out.append(f" {pad} = {line}\n")
    else:
        for line in d.detail:
            out.append(f"    = {line}\n")
    return "".join(out)
