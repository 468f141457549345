"""pytest plugin: collect `.vproof` files, one test item per theorem.

Installed with vecproof (entry point `pytest11`, name `vecproof`), so `pytest` checks every `*.vproof`
file it collects — the same directories, `testpaths`, `--ignore` and `norecursedirs` as Python tests.

- One item per theorem, named after it (`proofs/grad.vproof::quadratic_form_gradient`); a failure
  reads like `vecproof check`: `path:line:col: error[VP201]: …`, the source line with a caret, and
  the counterexample.
- One item for the whole file (named after the file) when the file cannot be checked theorem by
  theorem — unreadable, a syntax error, no theorem — or when it declares `# expect: VPnnn` (it passes
  when that code is reported), and one beside the theorems' when a declaration outside every
  theorem is wrong (a duplicate name, say).
- Warnings (VP202, VP206) fail an item only with `vecproof_strict = true`; a theorem that is only
  checked for some sizes (VP205) fails.
- Exercise mode (the working is checked: citing `algebra`, an unexplained or uncited step are errors)
  with the ini option `vecproof_exercise = true`, or `exercise = true` in the `[tool.vecproof]` table
  of pyproject.toml; when both are set, the ini option wins.
- Markdown posts (opt-in, ini option `vecproof_markdown = true`): the ```vproof blocks of every `*.md`
  file that has any are checked like a `.vproof` file, one item per theorem, at the post's lines.
- Switch it off with the ini option `vecproof = false` or with `--no-vecproof` (or `-p no:vecproof`).
- Items carry the marker `vecproof`: `-m vecproof`, `-m "not vecproof"`.

Collection only outlines each file (`vecproof.checker.outline`: cheap and deterministic, so pytest-xdist
workers collect the same items);
the check runs once per file per process, when the first of its items runs.

This module imports only pytest and the standard library at import time: it is loaded by every
pytest run in an environment where vecproof is installed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

SUFFIX = ".vproof"
_NAMES = ("vecproof", "vecproof.frontends.pytest_plugin")  # entry-point name, module name


# ---- registration, options ------------------------------------------------------------------------


def pytest_plugin_registered(plugin, plugin_name, manager):
    """This module can be registered under its entry-point name (`vecproof`, automatically) or its
    module name (`-p vecproof.frontends.pytest_plugin`, `pytest_plugins = [...]`); pluggy refuses the same
    module twice under two names. Once it is registered under one, block the other so the second
    registration is skipped instead of failing."""
    if plugin is not sys.modules.get(__name__) or plugin_name not in _NAMES:
        return
    for other in _NAMES:
        if other != plugin_name and manager.get_plugin(other) is None and not manager.is_blocked(other):
            manager.set_blocked(other)


def pytest_addoption(parser):
    group = parser.getgroup("vecproof", "vecproof proof files (*.vproof)")
    group.addoption("--no-vecproof", action="store_true", dest="no_vecproof", default=False,
                    help="do not collect .vproof files")
    parser.addini("vecproof", type="bool", default=True,
                  help="collect .vproof files and check every theorem as a test (default: true)")
    parser.addini("vecproof_markdown", type="bool", default=False,
                  help="also check the ```vproof blocks of Markdown files (*.md, *.markdown) that have any, "
                  "one test per theorem (default: false)")
    parser.addini("vecproof_strict", type="bool", default=False,
                  help="warnings in .vproof files (e.g. VP202 rule does not explain a step) fail the test")
    parser.addini("vecproof_exercise", type="bool", default=None,
                  help="exercise mode: citing `algebra`, unexplained and uncited steps are errors "
                  "(default: [tool.vecproof] exercise in pyproject.toml, else false)")


_OPTIONS = pytest.StashKey[object]()


def pytest_configure(config):
    config.addinivalue_line("markers", "vecproof: a theorem (or file) of a .vproof proof file, checked by vecproof")
    if _enabled(config):
        config.stash[_OPTIONS] = _check_options(config)


def _check_options(config):
    """CheckOptions for this run: `vecproof_exercise` from the ini file when it is set, else
    `exercise` from [tool.vecproof] (found from where pytest was started, as `vecproof check` does)."""
    from ..options import CheckOptions, ConfigError, read_table

    exercise = config.getini("vecproof_exercise")
    if not isinstance(exercise, bool):  # unset (pytest 8 gives [] for an unset option without default)
        try:
            table, _ = read_table(Path(config.invocation_params.dir))
        except ConfigError as err:
            raise pytest.UsageError(f"vecproof: {err}") from None
        exercise = table.get("exercise", False)
    return CheckOptions(exercise=exercise)


def _enabled(config) -> bool:
    return bool(config.getini("vecproof")) and not config.getoption("no_vecproof", False)


def pytest_collect_file(file_path, parent):
    if not _enabled(parent.config):
        return None
    if file_path.suffix == SUFFIX or (file_path.suffix.lower() in MARKDOWN and parent.config.getini("vecproof_markdown")
                                      and _has_blocks(file_path)):
        return VproofFile.from_parent(parent, path=file_path)
    return None


MARKDOWN = (".md", ".markdown")


def _has_blocks(path: Path) -> bool:
    """Whether a Markdown file has a ```vproof block (a post without one is not a proof file)."""
    from ..literate import blocks
    from ..readfile import MAX_FILE_BYTES, read_limited

    try:
        return bool(blocks(read_limited(path, MAX_FILE_BYTES).decode("utf-8-sig", "replace")))
    except OSError:
        return False


# ---- collection -------------------------------------------------------------------------------------


class VproofFailure(Exception):
    """A .vproof item failed; the argument is the report text (compiler style)."""


class VproofFile(pytest.File):
    """A .vproof file. Collection parses it; the check (`result()`) runs once, when first needed."""

    def collect(self):
        from ..checker.outline import outline

        self._data = self._read()
        self._result = None
        self._lines: list[str] = []
        plan = outline(self._data, literate=self.path.suffix.lower() in MARKDOWN)
        self._declarations_item = plan.declaration_errors
        if plan.whole is not None:
            yield VproofItem.from_parent(self, name=self.path.name, kind="file", theorem=None)
            return
        if plan.declaration_errors:
            yield VproofItem.from_parent(self, name=self.path.name, kind="declarations", theorem=None)
        seen: set[str] = set()
        for th in plan.theorems:
            name = th.name
            if name in seen:  # a duplicate theorem name (VP104): keep node ids distinct
                name = f"{name}[line{th.name_span.line}]"
            seen.add(name)
            yield VproofItem.from_parent(self, name=name, kind="theorem", theorem=th)

    def _read(self) -> bytes | None:
        from ..readfile import MAX_FILE_BYTES, read_limited

        try:  # a larger file than the checker's limit is one item, which the checker refuses (VP901)
            data = read_limited(self.path, MAX_FILE_BYTES)
        except OSError:  # missing, unreadable, a FIFO or a device: the checker says which
            return None
        return data if len(data) <= MAX_FILE_BYTES else None

    # -- the check, once per file per process -----------------------------------------------------------
    def result(self):
        if self._result is None:
            from ..checker import check_bytes, check_path

            display = _display_path(self.path, self.config)
            options = self.config.stash[_OPTIONS]
            if self._data is None:
                res = check_path(self.path, display=display, options=options)
            else:
                res = check_bytes(self._data, display, options=options)
            self._lines = _source_lines(self._data)
            self._data = None
            self._result = res
        return self._result

    @property
    def lines(self) -> list[str]:
        self.result()
        return self._lines

class VproofItem(pytest.Item):
    # Some plugins assume every item has `funcargs` (pytest-lsp 1.0's runtest wrapper returns
    # without yielding otherwise, which breaks every non-Python item); we have no fixtures.
    funcargs: dict = {}

    def __init__(self, *, kind: str, theorem, **kw):
        super().__init__(**kw)
        self.kind = kind  # theorem | file | declarations
        self.theorem = theorem  # the checker.outline.TheoremHead, for kind == theorem
        self.add_marker("vecproof")

    def reportinfo(self):
        if self.kind == "theorem":
            return self.path, self.theorem.name_span.line - 1, f"{self.theorem.kind} {self.theorem.name}"
        return self.path, 0, f"vecproof file {self.path.name}"

    def runtest(self):
        file: VproofFile = self.parent
        res = file.result()
        strict = bool(self.config.getini("vecproof_strict"))
        verdict = self._theorem_verdict if self.kind == "theorem" else self._file_verdict
        failed, shown, footer = verdict(res, strict)
        if failed:
            raise VproofFailure(_render_all(shown, file.lines) + footer)
        warnings_ = [d for d in shown if _level(d) == "warning"]
        if warnings_:  # shown with -rP, and in the junit XML's system-out
            self.add_report_section("call", "vecproof warnings", _render_all(warnings_, file.lines))

    def _theorem_verdict(self, res, strict: bool):
        """Fails when the theorem is not proved, or a diagnostic inside it is an error (a warning,
        when strict); the report shows every diagnostic inside the theorem."""
        from ..results import attribute

        th = self.theorem
        file: VproofFile = self.parent
        outside, per = attribute(res)
        index = next((k for k, t in enumerate(res.theorems) if t.name == th.name and t.span.line == th.name_span.line),
                     None)
        found = None if index is None else res.theorems[index]
        shown = [] if index is None else per[index]
        if not file._declarations_item:  # no item of its own for errors outside every theorem (an
            # internal error at 1:1, say): they fail every theorem rather than pass silently
            shown = [d for d in outside if _level(d) == "error"] + shown
        if res.unreadable or res.expected:  # the file changed since it was collected
            shown = list(res.diagnostics)
        where = f"{res.path}:{th.name_span.line}:{th.name_span.col}"
        failed = _fails(shown, strict) or found is None or found.status != "proved"
        if found is None:
            footer = f"{where}: failed: {th.kind} {th.name} (not checked)\n"
        elif found.status != "proved":
            footer = f"{where}: {found.verdict()}\n"
        else:  # proved, but an error (or a warning, when strict) lies inside it
            footer = f"{where}: failed: {th.kind} {th.name}\n"
        return failed, shown, footer

    def _file_verdict(self, res, strict: bool):
        where = f"{res.path}:1:1"
        if self.kind == "declarations":
            from ..results import attribute

            shown = attribute(res)[0]
            return _fails(shown, strict), shown, f"{where}: failed: declarations outside the theorems\n"
        shown = list(res.diagnostics)
        if res.expected:  # deliberately wrong: passes when the declared codes are reported
            got = ", ".join(sorted({d.code.id for d in res.diagnostics})) or "nothing"
            return (not res.expectation_met, shown,
                    f"{where}: failed: the file declares `# expect: {', '.join(res.expected)}`; reported: {got}\n")
        failed = (_fails(shown, strict) or res.unreadable or any(t.status != "proved" for t in res.theorems)
                  or any(d.code.id == "VP003" for d in shown))  # an empty file checks nothing: it fails
        return failed, shown, f"{where}: failed: {self.path.name}\n"

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, VproofFailure):
            return str(excinfo.value.args[0])
        return super().repr_failure(excinfo, style=style)


# ---- helpers ------------------------------------------------------------------------------------------


def _level(d) -> str:
    return d.level.value


def _fails(diagnostics, strict: bool) -> bool:
    return any(_level(d) == "error" or (strict and _level(d) == "warning") for d in diagnostics)


def _render_all(diags, lines) -> str:
    from .report import render

    return "".join(render(d, lines) for d in sorted(diags, key=lambda d: (d.span.line, d.span.col)))


def _source_lines(data: bytes | None) -> list[str]:
    if data is None:
        return []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return []
    if "\x00" in text:
        return []
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _display_path(path: Path, config) -> str:
    """The path as failures show it: relative to where pytest was started, as `vecproof check` does."""
    try:
        rel = os.path.relpath(path, config.invocation_params.dir)
    except ValueError:  # another drive (Windows)
        return str(path)
    return str(path) if rel.startswith(".." + os.sep + "..") else rel
