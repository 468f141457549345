"""`--format sarif`: SARIF 2.1.0 for code-scanning uploads (GitHub `upload-sarif`, Azure DevOps, IDE
viewers).

- One run; `tool.driver` is vecproof with one rule (reportingDescriptor) per diagnostic code that
  occurs, sorted by code: id `VP201`, name `false-step`, short and full description from
  `vecproof.diagnostics.CODES`, default level from the code's severity.
- One result per diagnostic: ruleId, ruleIndex, level (error / warning / note), message.text (the
  message, then the detail lines, plain text joined with newlines), one location with
  `artifactLocation.uri` relative to `root` (forward slashes, percent-encoded, `uriBaseId`
  `%SRCROOT%`) and a 1-based region. vecproof spans and SARIF regions agree: columns are 1-based
  and `endColumn` is one past the last character; `columnKind` is `unicodeCodePoints`.
- `partialFingerprints["vecproof/v1"]`: a hash of file, code and message plus an occurrence number,
  so a result keeps its identity when lines move. `properties` carry the theorem (when the
  diagnostic lies inside one) and the counterexample data.
- Diagnostics of a file rejected as declared (`# expect: VPnnn`, codes reported) carry an in-source
  suppression: they are the point of the example, not problems.
- A file outside `root` gets an absolute `file:` URI (code scanning cannot place such a result).
"""

from __future__ import annotations

import hashlib

from ... import __version__
from ...diagnostics import Code
from ...results import attribute
from ._common import artifact_uri, dump_json, full_message, sorted_diagnostics

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SRCROOT = "%SRCROOT%"
FINGERPRINT = "vecproof/v1"


def rule(c: Code) -> dict:
    return {
        "id": c.id,
        "name": c.name,
        "shortDescription": {"text": c.summary},
        "fullDescription": {"text": f"{c.id} {c.name}: {c.summary}"},
        "defaultConfiguration": {"level": c.severity.value},
        "help": {"text": f"{c.summary} See the diagnostic codes in docs/language.md."},
    }


def region(span) -> dict:
    line = max(1, span.line)
    col = max(1, span.col)
    end_line = max(line, span.end_line)
    end_col = max(1, span.end_col)
    if end_line == line:
        end_col = max(col, end_col)
    return {"startLine": line, "startColumn": col, "endLine": end_line, "endColumn": end_col}


def _results(results, root):
    """(diagnostic, uri, relative?, theorem name or None, suppression or None) in output order."""
    for r in results:
        uri, relative = artifact_uri(r.path, root)
        _, per_theorem = attribute(r)
        owner = {id(d): t.name for t, ds in zip(r.theorems, per_theorem) for d in ds}
        suppression = None
        if r.expectation_met:
            suppression = {"kind": "inSource",
                           "justification": f"rejected as declared: the file declares `# expect: "
                                            f"{', '.join(r.expected)}`"}
        for d in sorted_diagnostics(r.diagnostics):
            yield d, uri, relative, owner.get(id(d)), suppression


def render(results, *, seconds: float | None = None, root=None, strict: bool = False) -> str:
    items = list(_results(results, root))
    codes = {d.code.id: d.code for d, *_ in items}
    rule_ids = sorted(codes)
    index = {c: i for i, c in enumerate(rule_ids)}
    seen: dict[str, int] = {}
    out = []
    for d, uri, relative, theorem, suppression in items:
        location = {"uri": uri, "uriBaseId": SRCROOT} if relative else {"uri": uri}
        key = hashlib.sha256("\0".join((uri, d.code.id, d.message)).encode("utf-8", "surrogatepass")).hexdigest()
        seen[key] = seen.get(key, 0) + 1
        res = {
            "ruleId": d.code.id,
            "ruleIndex": index[d.code.id],
            "level": d.level.value,
            "message": {"text": full_message(d)},
            "locations": [{"physicalLocation": {"artifactLocation": location, "region": region(d.span)}}],
            "partialFingerprints": {FINGERPRINT: f"{key[:32]}:{seen[key]}"},
        }
        props = {}
        if theorem is not None:
            props["theorem"] = theorem
        if d.counterexample is not None:
            props["counterexample"] = d.counterexample
        if props:
            res["properties"] = props
        if suppression is not None:
            res["suppressions"] = [dict(suppression)]
        out.append(res)
    log = {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "vecproof",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": [rule(codes[c]) for c in rule_ids],
            }},
            "columnKind": "unicodeCodePoints",
            "results": out,
        }],
    }
    return dump_json(log)
