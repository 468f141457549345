"""`--format json`: `serialize.report_to_dict` as JSON (schema: docs/schema/report.schema.json)."""

from __future__ import annotations

import dataclasses

from ...serialize import report_to_dict
from ._common import dump_json, sorted_diagnostics


def render(results, *, seconds: float | None = None, root=None, strict: bool = False) -> str:
    """The report, two-space indented, keys in the documented order, ending with a newline. `root`
    and `strict` do not change it: paths are kept as given, and `summary.passed` is the non-strict
    verdict (per-file data lets a reader apply --strict)."""
    # report_to_dict orders a file's diagnostics by start position only; order ties (two
    # diagnostics at one position) completely, so the output never depends on the order in which
    # the checker or a worker process happened to produce them.
    ordered = [dataclasses.replace(r, diagnostics=sorted_diagnostics(r.diagnostics)) for r in results]
    return dump_json(report_to_dict(ordered, seconds))
