"""The `vecproof` command: compiler-style diagnostics, reports for CI, and exit codes 0 / 1 / 2."""

from __future__ import annotations

import argparse
import glob
import os
import sys
import time
from pathlib import Path

from .. import __version__
from ..options import COLORS, FORMATS

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE: what a shell reports for cat or grep whose reader went away
SKIP_DIRS = {".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", ".vecproof_cache",
             ".pytest_cache", ".mypy_cache", ".tox", ".nox"}


def run() -> None:
    """The console entry point: main(), then exit without the interpreter's slow teardown. When the
    reader of the output goes away (`vecproof check … | head -1`), stop quietly with status 141.
    Under a profiler or a tracer (`python -m cProfile -m vecproof`, coverage) the exit is the ordinary
    one, so that they can write what they measured."""
    try:
        code = main()
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        code = EXIT_BROKEN_PIPE  # nothing more can be written; os._exit flushes nothing
    if sys.getprofile() is not None or sys.gettrace() is not None:
        sys.exit(code)
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    given = sys.argv[1:] if argv is None else argv
    if given[:1] == ["lsp"] and set(given[1:]) <= {"--stdio"}:
        return _lsp()  # before building the parser, which imports what only `check` and `render` use
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return EXIT_USAGE if exit_.code not in (0, None) else EXIT_OK
    if args.command == "check":
        return _check(args)
    if args.command == "rules":
        return _rules()
    if args.command == "library":
        from ..libraryindex import text

        sys.stdout.write(text())
        return EXIT_OK
    if args.command == "lsp":
        return _lsp()
    if args.command == "render":
        from .render.command import run

        return run(args)
    if args.command == "derive":
        from .derive_command import run

        return run(args)
    parser.print_help(sys.stderr)
    return EXIT_USAGE


def _parser() -> argparse.ArgumentParser:
    from ..batch import default_jobs

    p = argparse.ArgumentParser(prog="vecproof", description="Check calculational proofs of vector and "
                                "matrix calculus written in .vproof files.")
    p.add_argument("--version", action="version", version=f"vecproof {__version__}")
    sub = p.add_subparsers(dest="command")
    c = sub.add_parser(
        "check", help="check .vproof files, directories and globs",
        description="Check every theorem in the given files (directories are searched for *.vproof; "
        "quoted globs such as 'proofs/**/*.vproof' are expanded). Exit status: 0 all proved, 1 a proof "
        "failed, 2 usage error or unreadable input, 141 the output's reader went away (a closed pipe). "
        "Defaults for the options come from the [tool.vecproof] table of the nearest pyproject.toml that has "
        "one; options given here override it.")
    c.add_argument("paths", nargs="+", metavar="PATH", help="a .vproof file, a directory or a glob")
    c.add_argument("-q", "--quiet", action="store_true", help="print only problems and the summary")
    c.add_argument("-v", "--verbose", action="store_true",
                   help="also print the diagnostics of files rejected as their `# expect:` header declares")
    c.add_argument("--strict", action=argparse.BooleanOptionalAction, default=None,
                   help="treat warnings (e.g. unexplained steps) as failures")
    c.add_argument("--exercise", action=argparse.BooleanOptionalAction, default=None,
                   help="check the working, not just the result: citing `algebra` (VP209), a step the cited "
                   "rules do not explain (VP202) and a step citing no rule (VP206) are errors")
    c.add_argument("-j", "--jobs", type=int, default=None, metavar="N",
                   help=f"worker processes (default: the number of cores, here {default_jobs()})")
    c.add_argument("--format", choices=FORMATS, default=None, help="report format (default: text)")
    c.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE instead of standard output")
    c.add_argument("--cache-dir", metavar="DIR", default=None,
                   help=f"where to keep results between runs (default: ./{'.vecproof_cache'})")
    c.add_argument("--no-cache", action="store_true", default=None, help="neither read nor write the result cache")
    c.add_argument("--cache", dest="no_cache", action="store_false", default=None,
                   help="use the result cache even if [tool.vecproof] says no-cache")
    c.add_argument("--color", choices=COLORS, default=None,
                   help="colour the text report (auto: when writing to a terminal and NO_COLOR is unset)")
    c.add_argument("--no-progress", action="store_true", help="no progress bar on standard error")
    c.add_argument("--explain", action="store_true", help="under each theorem's verdict, print its statement "
                   "as the kernel received it, in index form (text report; checks in this process, uncached)")
    sub.add_parser("rules", help="list the rules a step can cite, with their statements")
    sub.add_parser("library", help="list the shipped library (import vecproof.NAME), with statements")
    from .render.command import add_parser  # argparse only: the renderer itself loads when it runs

    add_parser(sub)
    from .derive_command import add_parser as add_derive

    add_derive(sub)
    lsp = sub.add_parser("lsp", help="run the language server (LSP over standard input and output)")
    lsp.add_argument("--stdio", action="store_true", help="accepted for clients that pass it; stdio is the only transport")
    return p


def collect(paths: list[str]) -> tuple[list[Path], list[str]]:
    """The .vproof files named by `paths` (directories searched recursively, globs expanded),
    in a stable order with duplicates removed; and the paths that named nothing."""
    files: list[Path] = []
    errors: list[str] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = sorted(_walk(p))
            if not found:
                print(f"vecproof: warning: no .vproof files in {raw}", file=sys.stderr)
            files.extend(found)
        elif p.exists():
            files.append(p)
        elif any(ch in raw for ch in "*?["):
            matched = sorted(Path(m) for m in glob.glob(raw, recursive=True) if not Path(m).is_dir())
            if not matched:
                errors.append(f"no files match {raw}")
            files.extend(matched)
        else:
            errors.append(f"no such file or directory: {raw}")
    seen = set()
    unique = []
    for f in files:
        k = f.resolve()
        if k not in seen:
            seen.add(k)
            unique.append(f)
    return unique, errors


def _walk(root: Path):
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
        for name in filenames:
            if name.endswith(".vproof"):
                yield Path(dirpath) / name


def _check(args) -> int:
    from ..batch import check_files
    from ..options import CheckOptions
    from .report import TextReport, visible

    start = time.perf_counter()
    if not _settle(args):
        return EXIT_USAGE
    if args.jobs < 1:
        print("vecproof: error: --jobs must be at least 1", file=sys.stderr)
        return EXIT_USAGE
    files, errors = collect(args.paths)
    for e in errors:
        print(f"vecproof: error: {visible(e)}", file=sys.stderr)
    cache_dir = None if args.no_cache else (args.cache_dir or ".vecproof_cache")
    progress = _Progress(len(files)) if (not args.no_progress and len(files) > 1 and sys.stderr.isatty()) else None
    try:
        if args.explain:  # the index forms do not survive the cache or a worker's plain-data result
            from ..checker import check_path

            results = [check_path(f, display=str(f), options=CheckOptions(exercise=args.exercise)) for f in files]
        else:
            results = check_files([(str(f), str(f)) for f in files], jobs=min(args.jobs, max(1, len(files))),
                                  cache_dir=cache_dir, on_done=progress.advance if progress else None,
                                  options=CheckOptions(exercise=args.exercise))
    finally:
        if progress:
            progress.close()
    seconds = time.perf_counter() - start
    out, close = _open_output(args.output)
    try:
        if args.format == "text":
            color = args.color == "always" or (args.color == "auto" and not args.output and _want_color())
            report = TextReport(out, quiet=args.quiet, color=color, explain=args.explain, verbose=args.verbose,
                                strict=args.strict)
            for f, res in zip(files, results):
                report.file(res, _source_lines(f))
            report.summary(results, seconds)
        else:
            from .formats import render

            out.write(render(args.format, results, seconds=seconds, root=Path.cwd(), strict=args.strict))
    finally:
        close()
    if errors or any(r.unreadable for r in results):
        return EXIT_USAGE
    return EXIT_OK if all(r.passed(strict=args.strict) for r in results) else EXIT_FAILED


def _settle(args) -> bool:
    """Fill the options not given on the command line from [tool.vecproof], then from the built-in
    defaults. False (with the error printed) when the table is wrong."""
    from ..batch import default_jobs
    from ..options import ConfigError, read_table

    try:
        table, _ = read_table()
    except ConfigError as err:
        print(f"vecproof: error: {err}", file=sys.stderr)
        return False
    builtin = {"exercise": False, "strict": False, "jobs": default_jobs(), "format": "text", "cache-dir": None,
               "no-cache": False, "color": "auto"}
    for name, default in builtin.items():
        attr = name.replace("-", "_")
        if getattr(args, attr) is None:
            setattr(args, attr, table.get(name, default))
    return True


def _open_output(path: str | None):
    if not path:
        return sys.stdout, lambda: None
    f = open(path, "w", encoding="utf-8", newline="\n")
    return f, f.close


def _want_color() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


class _Progress:
    """A progress bar on standard error (only when it is a terminal)."""

    def __init__(self, total: int):
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

        self._progress = Progress("checking", BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                                  console=Console(file=sys.stderr), transient=True)
        self._task = self._progress.add_task("check", total=total)
        self._progress.start()

    def advance(self, _index: int) -> None:
        self._progress.advance(self._task)

    def close(self) -> None:
        self._progress.stop()


def _source_lines(path: Path) -> list[str]:
    from ..checker.check import MAX_FILE_BYTES
    from ..readfile import read_limited

    try:
        text = read_limited(path, MAX_FILE_BYTES).decode("utf-8-sig")
    except (OSError, UnicodeDecodeError, ValueError):
        return []
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")  # lines as the checker counts them


def _rules() -> int:
    from ..rules import RULES, aliases_of

    for r in RULES.values():
        also = ", ".join(aliases_of(r.name))
        print(f"{r.name}" + (f" (also: {also})" if also else "") + f"\n    {r.statement}")
    return EXIT_OK


def _lsp() -> int:
    import importlib.util

    if importlib.util.find_spec("pygls") is None:  # a dependency: only a broken environment lacks it
        print("vecproof: error: the language server needs pygls 2: pip install 'pygls>=2,<3'", file=sys.stderr)
        return EXIT_USAGE
    from .lsp import serve

    return serve()
