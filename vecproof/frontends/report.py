"""Human-readable text output: one diagnostic per block with the source line and a caret;
optionally coloured (rich Text objects, never markup, so `[i,j]` in proof text stays as written)."""

from __future__ import annotations

import re

from ..diagnostics import Diagnostic

# Characters that a terminal acts on or that reorder what it shows, which the user's text (names,
# source lines, file names) can carry: C0 and C1 controls (ESC, BEL, CR, CSI…), DEL, bidirectional
# overrides and isolates (U+202E…), line/paragraph separators, and lone surrogates (file-name
# bytes that are not UTF-8, which no UTF-8 writer accepts).
UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]")


def visible(text: str) -> str:
    """`text` with every UNSAFE character written as a visible escape (\\x1b, \\u202e)."""
    return UNSAFE.sub(_escape, text)


def _escape(m: re.Match) -> str:
    code = ord(m.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


_LEVEL_STYLE = {"error": "bold red", "warning": "bold yellow", "note": "bold cyan"}


class TextReport:
    def __init__(self, out, quiet: bool = False, color: bool = False, explain: bool = False,
                 verbose: bool = False, strict: bool = False):
        self.out = out
        self.quiet = quiet
        self.verbose = verbose  # also show the diagnostics of files rejected as declared
        self.strict = strict
        self.explain = explain
        self._console = None
        if color:
            from rich.console import Console

            self._console = Console(file=out, force_terminal=True, highlight=False, soft_wrap=True,
                                    emoji=False, markup=False)

    # -- output ------------------------------------------------------------------------------------
    def _line(self, text: str, kind: str = "plain", level: str = "") -> None:
        text = visible(text)
        if self._console is None:
            self.out.write(text + "\n")
            return
        from rich.text import Text

        t = Text(text)
        if kind == "head":
            head_end = text.find(f": {level}[")
            t.stylize("bold", 0, max(0, head_end))
            start = head_end + 2
            t.stylize(_LEVEL_STYLE.get(level, "bold"), start, start + len(level))
            code_end = text.find("]:", start)
            t.stylize("dim", start + len(level), code_end + 1)
            t.stylize("bold", code_end + 2)
        elif kind == "source":
            bar = text.find("|")
            t.stylize("blue", 0, bar + 1)
        elif kind == "caret":
            bar = text.find("|")
            t.stylize("blue", 0, bar + 1)
            t.stylize(_LEVEL_STYLE.get(level, "bold"), bar + 1)
        elif kind == "detail":
            eq = text.find("=")
            t.stylize("cyan", 0, eq + 1)
        elif kind in ("proved", "failed", "unproved", "rejected"):
            style = {"proved": "green", "failed": "bold red", "unproved": "yellow", "rejected": "cyan"}[kind]
            colon = text.find(": ")
            t.stylize("bold", 0, colon)
            word_end = text.find(":", colon + 2)
            t.stylize(style, colon + 2, word_end if word_end > 0 else len(text))
        elif kind == "summary":
            t.stylize("bold")
        self._console.print(t)

    def diagnostic(self, d: Diagnostic, lines: list[str]) -> None:
        level = d.level.value
        block = render(d, lines).rstrip("\n").split("\n")
        self._line(block[0], "head", level)
        for text in block[1:]:
            stripped = text.lstrip()
            if stripped.startswith("= ") or stripped == "=":
                self._line(text, "detail")
            elif "|" in text and text.split("|", 1)[1].strip(" ^") == "" and "^" in text:
                self._line(text, "caret", level)
            else:
                self._line(text, "source")

    def file(self, result, lines: list[str]) -> None:
        """A file's diagnostics and one verdict line per theorem. A file rejected exactly as its
        `# expect:` header declares is one line; its diagnostics are shown with `verbose`."""
        rejected = result.expectation_met
        if not rejected or self.verbose:
            for d in sorted(result.diagnostics, key=lambda d: (d.span.line, d.span.col)):
                self.diagnostic(d, lines)
        if rejected:
            if not self.quiet:
                self._line(f"{result.path}:1:1: rejected as declared (expect: {', '.join(result.expected)})",
                           "rejected")
            return
        if self.quiet:
            return
        for t in result.theorems:
            where = f"{result.path}:{t.span.line}:{t.span.col}"
            self._line(f"{where}: {t.verdict()}", t.status if t.status in ("proved", "unproved") else "failed")
            if self.explain:
                from ..printer import explanation

                for text in explanation(result, t):
                    self._line("  " + text)

    def summary(self, results, seconds: float) -> None:
        from ..serialize import summarize

        c = summarize(results)
        rejected = c["rejected_as_declared"]
        parts = [
            _count(c["files"], "file") + (f" ({rejected} rejected as declared)" if rejected else ""),
            f"{_count(c['theorems'], 'theorem')}: {c['proved']} proved, {c['theorems'] - c['proved']} not proved",
            f"{_count(c['steps'], 'step')}: {c['steps_proved']} proved, {c['steps_false']} false",
            f"{_count(c['errors'], 'error')}, {_count(c['warnings'], 'warning')}",
        ]
        self._line("; ".join(parts) + f" ({seconds:.2f} s)", "summary")
        failing = [r for r in results if not r.passed(strict=self.strict)]
        if failing:
            self._line(f"failed: {_failure_reasons(failing, self.strict)}", "summary")


def _failure_reasons(failing, strict: bool) -> str:
    """What failed the run, in a few words per kind: `2 files with errors; 1 file with warnings
    (--strict)`; unreadable files and unmet `# expect:` headers are named as such."""
    from .. import diagnostics as dg

    kinds: dict[str, int] = {}
    for r in failing:
        if r.unreadable:
            kind = "unreadable"
        elif r.expected:
            kind = "not rejected as its `# expect:` header declares"
        elif not r.ok:
            kind = "with errors"
        elif any(t.status != "proved" for t in r.theorems):
            kind = "with theorems not proved"
        elif strict and any(d.level == dg.Severity.WARNING for d in r.diagnostics):
            kind = "with warnings (--strict)"
        else:
            kind = "with nothing to check"
        kinds[kind] = kinds.get(kind, 0) + 1
    return "; ".join(f"{_count(n, 'file')} {kind}" for kind, n in kinds.items())


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def render(d: Diagnostic, lines: list[str]) -> str:
    """One diagnostic as plain text: `path:line:col: level[code]: message`, the source line, a caret
    under the span, and the detail lines (counterexample, hints). Control characters from the user's
    text are shown as escapes (`visible`); the caret stays under the characters it marks."""
    head = visible(f"{d.path}:{d.span.line}:{d.span.col}: {d.level.value}[{d.code.id}]: {d.message}") + "\n"
    out = [head]
    if 1 <= d.span.line <= len(lines):
        src = lines[d.span.line - 1].expandtabs(1)
        num = str(d.span.line)
        pad = " " * len(num)
        end = d.span.end_col if d.span.end_line == d.span.line else len(src) + 1
        before = len(visible(src[:d.span.col - 1])) + max(0, d.span.col - 1 - len(src))
        width = max(1, len(visible(src[d.span.col - 1:min(end, len(src) + 1) - 1])))
        out.append(f" {num} | {visible(src)}\n")
        out.append(f" {pad} | {' ' * before}{'^' * width}\n")
        for line in d.detail:
            out.append(f" {pad} = {visible(line)}\n")
    else:
        for line in d.detail:
            out.append(f"    = {visible(line)}\n")
    return "".join(out)
