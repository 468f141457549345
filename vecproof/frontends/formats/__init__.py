"""Machine-readable reports for `vecproof check --format json|junit|sarif|github` (docs/formats.md).

Each renderer is a pure function of the check results: no printing, no file IO; the same results
give byte-identical text. They read only what survives `serialize.result_to_dict`, so results from
worker processes render exactly like results computed in this one.

    render(fmt, results, *, seconds=None, root=None, strict=False) -> str

`results` are `vecproof.checker.FileResult`s in the order to report them, with paths as the user
gave them (relative to the working directory, or absolute). `root` is the directory that file
locations in SARIF, GitHub annotations and JUnit class names are made relative to (default: the
working directory). `seconds` is the wall time to report (JSON summary, JUnit total). `strict`
makes warnings fail JUnit testcases, as `--strict` makes them fail the run.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from . import github, json_report, junit, sarif

Renderer = Callable[..., str]

FORMATS: dict[str, Renderer] = {
    "json": json_report.render,
    "junit": junit.render,
    "sarif": sarif.render,
    "github": github.render,
}


def render(fmt: str, results: list, *, seconds: float | None = None, root: str | Path | None = None,
           strict: bool = False) -> str:
    """The report in format `fmt` (a key of FORMATS) as text ending with a newline (empty for a
    `github` report with nothing to annotate). Raises ValueError for an unknown format."""
    try:
        renderer = FORMATS[fmt]
    except KeyError:
        raise ValueError(f"unknown report format {fmt!r}; choose from {', '.join(FORMATS)}") from None
    return renderer(list(results), seconds=seconds, root=root, strict=strict)


__all__ = ["FORMATS", "render"]
