"""`--format github`: GitHub Actions workflow commands that become annotations on the run and on
the pull request's changed lines.

    ::error file=examples/a.vproof,line=15,col=6,endLine=15,endColumn=22,title=VP201::MESSAGE

One line per diagnostic (error → ::error, warning → ::warning, note → ::notice). The message is the
diagnostic's message followed by its detail lines (counterexample, hints), joined with newlines.
Escaping follows the runner: in the message % → %25, CR → %0D, LF → %0A; in property values also
: → %3A and , → %2C. `file` is relative to `root` with forward slashes (the runner resolves it
against the workspace). `col`/`endColumn` are sent only for single-line spans (GitHub documents
them for single-line annotations only); `endColumn` is the last column of the span (inclusive).

Other control characters (C0, DEL, C1), bidirectional overrides and isolates, line separators and
undecodable file-name bytes become U+FFFD.

Files rejected as declared (`# expect: VPnnn` and the codes were reported) are left out: they pass,
and annotating their deliberate errors would flag a green run.
"""

from __future__ import annotations

import re

from ...diagnostics import Severity
from ._common import display_path, full_message, sorted_diagnostics

COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "notice"}

# Control characters other than TAB/LF/CR (which the escaping covers) would reach the log raw (an
# ESC or a C1 CSI starts a terminal sequence there; U+202E reverses what follows); lone surrogates
# (undecodable file-name bytes) cannot be written as UTF-8. All become U+FFFD.
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069"
                     "\ud800-\udfff]")


def _safe(s: str) -> str:
    return _UNSAFE.sub("\ufffd", s)


def escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(s: str) -> str:
    return escape_data(s).replace(":", "%3A").replace(",", "%2C")


def annotation(d, path: str) -> str:
    s = d.span
    if s.end_line == s.line:
        props = [("file", path), ("line", str(s.line)), ("col", str(s.col)), ("endLine", str(s.end_line)),
                 ("endColumn", str(max(s.col, s.end_col - 1))), ("title", d.code.id)]
    else:
        props = [("file", path), ("line", str(s.line)), ("endLine", str(s.end_line)), ("title", d.code.id)]
    head = ",".join(f"{k}={escape_property(_safe(v))}" for k, v in props)
    return f"::{COMMAND[d.level]} {head}::{escape_data(_safe(full_message(d)))}"


def render(results, *, seconds: float | None = None, root=None, strict: bool = False) -> str:
    lines = []
    for r in results:
        if r.expectation_met:
            continue
        path = display_path(r.path, root)
        lines.extend(annotation(d, path) for d in sorted_diagnostics(r.diagnostics))
    return "".join(line + "\n" for line in lines)
