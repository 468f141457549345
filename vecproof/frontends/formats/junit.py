"""`--format junit`: JUnit XML (the Ant/Jenkins/Surefire dialect that CI servers read).

    <testsuites name="vecproof" tests=… failures=… errors=… [time=…]>
      <testsuite name="PATH" tests=… failures=… errors=… skipped="0">    one per file
        <testcase classname="dir.sub.file" name="THEOREM">              one per theorem
          <failure type="VP201" message="…">diagnostics</failure>       failed or unproved theorem
          <system-out>verdict line, warnings</system-out>
        </testcase>
        <testcase classname="dir.sub.file" name="file.vproof">          file-level problems
          <error type="VP001" message="…">…</error>                     could not be checked
        </testcase>

- classname: the path relative to `root`, without `.vproof`, `/` → `.` (so a CI server shows the
  directory as the package and the file as the class).
- A theorem fails when it is not proved or an error lies inside it. Failures caused by "could not
  check" codes (VP001 syntax, VP002 unreadable, VP901 limit, VP902 internal) are <error>, others
  <failure>. The body lists every diagnostic as `path:line:col: severity[code]: message` plus the
  detail lines (counterexample, hints).
- Problems outside every theorem (syntax errors, unreadable files, declaration errors, VP004) go
  to one extra testcase named after the file; a file with no theorem gets that testcase too.
- A file rejected as declared (`# expect: VPnnn`, codes reported) is one passing testcase named
  after the file, with the diagnostics in its <system-out> and the codes in a property.
- With `strict`, warnings fail their testcase as `vecproof check --strict` fails the file.
- Output validates against Jenkins' junit-10.xsd: no attributes beyond it (no file/line on
  testcases, no skipped on <testsuites>), no timestamps or host names (deterministic). Characters
  XML 1.0 forbids are replaced by U+FFFD.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET

from ... import __version__
from ...diagnostics import Severity
from ...results import attribute
from ._common import (
    CANNOT_CHECK_CODES,
    plain_block,
    relative_posix,
    sorted_diagnostics,
    verdict_line,
    xml_safe,
)

SUFFIX = ".vproof"


def classname(path: str, root=None) -> str:
    rel = relative_posix(path, root)
    if rel is None:
        rel = path.replace(os.sep, "/").lstrip("/")
    if rel.endswith(SUFFIX) and len(rel) > len(SUFFIX):
        rel = rel[: -len(SUFFIX)]
    return rel.replace("/", ".")


def _el(parent, tag: str, text: str | None = None, **attrs: str):
    e = ET.SubElement(parent, tag, {k: xml_safe(v) for k, v in attrs.items()})
    if text is not None:
        e.text = xml_safe(text)
    return e


def _fail(case, diags, fallback_code: str, fallback_message: str, body: str) -> str:
    """Add <failure> (or <error>, when a "could not check" code is among `diags`, the diagnostics
    that fail the testcase; the first is the headline). Returns the tag."""
    if diags:
        code = diags[0].code.id
        message = f"{code}: {diags[0].message}" + (f" (and {len(diags) - 1} more)" if len(diags) > 1 else "")
    else:
        code, message = fallback_code, fallback_message
    tag = "error" if any(d.code.id in CANNOT_CHECK_CODES for d in diags) else "failure"
    _el(case, tag, body, message=message, type=code)
    return tag


def _blocks(diags, path: str) -> list[str]:
    return [plain_block(d, path) for d in diags]


def _failing(diags, strict: bool):
    bad = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
    return [d for d in diags if d.level in bad]


def _out(case, lines: list[str]) -> None:
    _el(case, "system-out", "\n".join(lines) + "\n")


def _suite(parent, r, root, strict: bool) -> tuple[int, int, int]:
    suite = _el(parent, "testsuite", name=r.path)
    cls = classname(r.path, root)
    base = os.path.basename(r.path.rstrip("/\\")) or r.path
    if r.expected:
        _el(_el(suite, "properties"), "property", name="vecproof.expect", value=", ".join(r.expected))
    tags: list[str | None] = []
    if r.expectation_met:
        case = _el(suite, "testcase", classname=cls, name=base)
        _out(case, [f"rejected as declared (expect: {', '.join(r.expected)})",
                    *_blocks(sorted_diagnostics(r.diagnostics), r.path)])
        tags.append(None)
        return _finish(suite, tags)

    file_diags, per_theorem = attribute(r)
    for t, diags in zip(r.theorems, per_theorem):
        case = _el(suite, "testcase", classname=cls, name=t.name)
        failing = _failing(diags, strict)
        if failing or t.status != "proved":
            if t.status == "unproved" and not failing:
                fallback = ("VP205", f"not proved: {t.kind} {t.name}")
            else:
                fallback = ("failed", f"failed: {t.kind} {t.name}")
            tags.append(_fail(case, failing, *fallback, "\n".join(_blocks(diags, r.path)) or verdict_line(t)))
            _out(case, [verdict_line(t)])
        else:
            tags.append(None)
            _out(case, [verdict_line(t), *_blocks(diags, r.path)])

    if file_diags or not r.theorems:
        case = _el(suite, "testcase", classname=cls, name=base)
        failing = _failing(file_diags, strict)
        if failing:
            tags.append(_fail(case, failing, "", "", "\n".join(_blocks(file_diags, r.path))))
        else:
            tags.append(None)
            _out(case, _blocks(file_diags, r.path) or ["no theorem in this file"])
    return _finish(suite, tags)


def _finish(suite, tags: list[str | None]) -> tuple[int, int, int]:
    counts = (len(tags), tags.count("failure"), tags.count("error"))
    for name, n in zip(("tests", "failures", "errors"), counts):
        suite.set(name, str(n))
    suite.set("skipped", "0")
    return counts


def render(results, *, seconds: float | None = None, root=None, strict: bool = False) -> str:
    top = ET.Element("testsuites", {"name": "vecproof"})
    totals = [0, 0, 0]
    for r in results:
        for i, n in enumerate(_suite(top, r, root, strict)):
            totals[i] += n
    top.set("tests", str(totals[0]))
    top.set("failures", str(totals[1]))
    top.set("errors", str(totals[2]))
    if seconds is not None:
        top.set("time", f"{max(0.0, seconds):.3f}")
    ET.indent(top, space="  ")
    body = ET.tostring(top, encoding="unicode", short_empty_elements=True)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<!-- vecproof {__version__} -->\n{body}\n'
