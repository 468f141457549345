"""Helpers shared by the report renderers: ordering, theorem attribution, paths and text hygiene.

Everything here works on the data that survives `serialize.result_to_dict` / `result_from_dict` (no
parse tree, no source text), so a result computed in this process and one received from a worker
process render identically.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path, PurePosixPath
from urllib.parse import quote_from_bytes

from ... import diagnostics as dg
from ...diagnostics import Diagnostic
from ...results import diagnostic_key

# Codes that mean "the file (or theorem) could not be checked", as opposed to "the proof is wrong".
# JUnit reports these as <error>, everything else as <failure>.
CANNOT_CHECK_CODES = frozenset({dg.SYNTAX.id, dg.UNREADABLE.id, dg.LIMIT.id, dg.INTERNAL.id})


def sorted_diagnostics(diags) -> list[Diagnostic]:
    return sorted(diags, key=diagnostic_key)


def full_message(d: Diagnostic) -> str:
    """The message followed by its detail lines (counterexample, hints, assumptions), one per line."""
    return "\n".join([d.message, *d.detail])


def plain_line(d: Diagnostic, path: str) -> str:
    """`path:line:col: severity[code]: message` — the head line of the text report."""
    return f"{path}:{d.span.line}:{d.span.col}: {d.level.value}[{d.code.id}]: {d.message}"


def plain_block(d: Diagnostic, path: str) -> str:
    """The head line and the detail lines indented, as in the text report (without source lines)."""
    return "\n".join([plain_line(d, path), *(f"    {line}" for line in d.detail)])


def verdict_line(t) -> str:
    """The text report's one line per theorem, without the position (TheoremResult.verdict)."""
    return t.verdict()


# --- paths -------------------------------------------------------------------------------------

def _root(root) -> str:
    return os.path.abspath(os.fspath(root)) if root is not None else os.getcwd()


def relative_posix(path: str, root=None) -> str | None:
    """`path` (relative to the working directory, or absolute) relative to `root`, with forward
    slashes; None when it lies outside `root` (or on another drive)."""
    absolute = os.path.abspath(path)
    try:
        rel = os.path.relpath(absolute, _root(root))
    except ValueError:  # another drive (Windows)
        return None
    parts = Path(rel).parts
    if not parts or parts[0] == os.pardir or Path(rel).is_absolute():
        return None
    return PurePosixPath(*parts).as_posix()


def display_path(path: str, root=None) -> str:
    """The path to show to tools that resolve paths against the repository root: relative to `root`
    with forward slashes when it lies inside it, else the path as given (forward slashes)."""
    rel = relative_posix(path, root)
    return rel if rel is not None else path.replace(os.sep, "/")


def artifact_uri(path: str, root=None) -> tuple[str, bool]:
    """(URI, relative?) for a SARIF artifactLocation: a relative reference with forward slashes and
    every byte outside RFC 3986's unreserved set (and `/`) percent-encoded; an absolute `file:` URI
    when the file lies outside `root`. Undecodable file-name bytes (surrogate escapes) are encoded
    as the original bytes."""
    rel = relative_posix(path, root)
    if rel is not None:
        return quote_from_bytes(os.fsencode(rel), safe="/"), True
    absolute = Path(os.path.abspath(path))
    return "file://" + quote_from_bytes(os.fsencode(absolute.as_posix()), safe="/"), False


# --- text hygiene ------------------------------------------------------------------------------

# Kept out of reports as raw characters: lone surrogates (undecodable file-name bytes, which no UTF-8
# writer accepts), and what a terminal showing the report would act on (DEL, C1 controls such as
# CSI) or reorder the text by (bidirectional overrides and isolates, line separators).
_JSON_ESCAPED = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]")
_NOT_XML = re.compile("[^\t\n\r\u0020-\u007e\u00a0-\u061b\u061d-\u200d\u2010-\u2027\u202f-\u2065\u206a-\ud7ff"
                      "\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(s: str) -> str:
    """`s` with every character XML 1.0 does not allow (C0 controls other than tab/LF/CR, lone
    surrogates, U+FFFE/U+FFFF), and DEL, C1 controls and bidirectional controls, replaced by U+FFFD,
    and CR / CRLF as LF."""
    return _NOT_XML.sub("\ufffd", s.replace("\r\n", "\n").replace("\r", "\n"))


def dump_json(data) -> str:
    """JSON text, two-space indented, non-ASCII kept, ending with a newline. A file name with bytes
    that are not UTF-8 arrives as lone surrogates (os.fsdecode): those are written as \\udcXX
    escapes, which JSON allows and which read back to the same string, instead of characters no
    UTF-8 writer accepts; so are DEL, C1 and bidirectional controls, which a terminal showing the
    file would act on (json escapes C0 controls itself). (They can only occur inside strings.)"""
    text = json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False)
    return _JSON_ESCAPED.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"
