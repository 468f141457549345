"""The `vecproof` command: compiler-style diagnostics, a summary, and exit codes 0 / 1 / 2."""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from pathlib import Path

from . import __version__

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def run() -> None:
    """The console entry point: main(), then exit without the interpreter's slow teardown."""
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return EXIT_USAGE if exit_.code not in (0, None) else EXIT_OK
    if args.command == "check":
        return _check(args)
    if args.command == "rules":
        return _rules()
    parser.print_help(sys.stderr)
    return EXIT_USAGE


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="vecproof", description="Check calculational proofs of vector and "
                                "matrix calculus written in .vproof files.")
    p.add_argument("--version", action="version", version=f"vecproof {__version__}")
    sub = p.add_subparsers(dest="command")
    c = sub.add_parser("check", help="check .vproof files and directories",
                       description="Check every theorem in the given files (directories are searched for "
                       "*.vproof). Exit status: 0 all proved, 1 a proof failed, 2 usage or unreadable input.")
    c.add_argument("paths", nargs="+", metavar="PATH", help="a .vproof file or a directory")
    c.add_argument("-q", "--quiet", action="store_true", help="print only problems and the summary")
    c.add_argument("--strict", action="store_true", help="treat warnings (e.g. unexplained steps) as failures")
    sub.add_parser("rules", help="list the rules a step can cite, with their statements")
    return p


def collect(paths: list[str]) -> tuple[list[Path], list[str]]:
    """The .vproof files named by `paths` (directories searched recursively), sorted; and errors."""
    files: list[Path] = []
    errors: list[str] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = sorted(q for q in p.rglob("*.vproof") if q.is_file())
            if not found:
                print(f"vecproof: warning: no .vproof files in {raw}", file=sys.stderr)
            files.extend(found)
        elif p.exists():
            files.append(p)
        else:
            errors.append(f"no such file or directory: {raw}")
    seen = set()
    unique = []
    for f in files:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique, errors


def _check(args) -> int:
    from .checker import check_path
    from .report import TextReport

    gc.freeze()  # the imported modules (SymPy's large heap) are permanent: keep the collector off them
    start = time.perf_counter()
    files, errors = collect(args.paths)
    for e in errors:
        print(f"vecproof: error: {e}", file=sys.stderr)
    report = TextReport(sys.stdout, quiet=args.quiet)
    results = []
    for f in files:
        res = check_path(f, display=str(f))
        results.append(res)
        report.file(res, _source_lines(f))
    report.summary(results, time.perf_counter() - start)
    if errors or any(r.unreadable for r in results):
        return EXIT_USAGE
    return EXIT_OK if all(r.passed(strict=args.strict) for r in results) else EXIT_FAILED


def _source_lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8-sig").replace("\r\n", "\n").split("\n")
    except (OSError, UnicodeDecodeError, ValueError):
        return []


def _rules() -> int:
    from .rules import ALIASES, RULES

    for r in RULES.values():
        print(f"{r.name}\n    {r.statement}")
    print("\naliases: " + ", ".join(f"{a} = {t}" for a, t in sorted(ALIASES.items())))
    return EXIT_OK
