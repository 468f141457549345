"""`vecproof derive FILE [--in-place]` and `vecproof derive --expr EXPR [--decls FILE]`: write proofs."""

from __future__ import annotations

import sys

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def add_parser(sub) -> None:
    from ..derive.expression import DEFAULTS_HELP

    d = sub.add_parser(
        "derive", help="write the step-by-step proof of theorems that have none, or of a derivative",
        description="Write proofs. With FILE: print FILE with a proof under every theorem that has no "
        "`proof … qed` block (--in-place: write it back). With --expr: differentiate EXPR (e.g. "
        "\"grad(x^T A x, x)\") and print the theorem `EXPR = result` with its proof, the result in matrix "
        "notation where there is one. Every proof is checked by the same checker as `vecproof check` "
        "before it is printed; one that does not check is reported as a bug (VP902), never printed. "
        f"Without --decls, --expr assumes: {DEFAULTS_HELP} (only the declarations of names EXPR uses are "
        "printed). Exit status: 0 every proof written (and checked), 1 a theorem derive cannot prove yet or "
        "a file that does not parse, 2 usage error, unreadable input, or a derived proof that does not check.")
    d.add_argument("path", nargs="?", metavar="FILE", help="a .vproof file whose proofless theorems to prove")
    d.add_argument("-i", "--in-place", action="store_true", help="write the proofs into FILE")
    d.add_argument("--expr", metavar="EXPR", help="the derivative to compute, e.g. \"grad(x^T A x, x)\"")
    d.add_argument("--decls", metavar="FILE", help="with --expr: take the declarations from FILE (its theorems "
                   "are ignored); the theorem printed then goes under them")
    d.add_argument("--name", default="derived", help="with --expr: the theorem's name (default: derived)")


def run(args) -> int:
    if (args.path is None) == (args.expr is None):
        print("vecproof: error: derive takes a FILE or --expr EXPR (one of them)", file=sys.stderr)
        return EXIT_USAGE
    if args.expr is not None:
        if args.in_place:
            print("vecproof: error: --in-place needs a FILE", file=sys.stderr)
            return EXIT_USAGE
        return _expression(args)
    if args.decls:
        print("vecproof: error: --decls goes with --expr", file=sys.stderr)
        return EXIT_USAGE
    return _file(args)


def _read(path: str) -> str | None:
    from ..checker.check import MAX_FILE_BYTES
    from ..readfile import read_limited

    try:
        return read_limited(path, MAX_FILE_BYTES).decode("utf-8-sig")
    except (OSError, UnicodeDecodeError, ValueError) as err:
        print(f"vecproof: error: cannot read {path}: {getattr(err, 'strerror', None) or err}", file=sys.stderr)
        return None


def _expression(args) -> int:
    import re

    from ..derive.expression import derive_expression

    decls = None
    if args.decls:
        decls = _read(args.decls)
        if decls is None:
            return EXIT_USAGE
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", args.name):
        print(f"vecproof: error: --name must be a name, not {args.name!r}", file=sys.stderr)
        return EXIT_USAGE
    got = derive_expression(args.expr, decls, args.name)
    if got.text is not None:
        sys.stdout.write(got.text)
        return EXIT_OK
    for d in got.diagnostics:
        print(f"vecproof: error[{d.code.id}]: {d.message}", file=sys.stderr)
        for line in d.detail:
            print(f"  {line}", file=sys.stderr)
    if got.diagnostics:
        return EXIT_USAGE
    print(f"vecproof: derive cannot prove this yet: {got.reason}", file=sys.stderr)
    return EXIT_FAILED


def _file(args) -> int:
    from ..derive.file import derive_text
    from ..diagnostics import Severity

    text = _read(args.path)
    if text is None:
        return EXIT_USAGE
    got = derive_text(text, args.path)
    for d in got.diagnostics:
        level = "error" if d.level == Severity.ERROR else d.level.value
        print(f"{args.path}:{d.span.line}:{d.span.col}: {level}[{d.code.id}]: {d.message}", file=sys.stderr)
        for line in d.detail:
            print(f"  {line}", file=sys.stderr)
    for name, why in got.underived.items():
        print(f"{args.path}: note: derive cannot prove {name} yet: {why}", file=sys.stderr)
    if any(d.code.id == "VP001" for d in got.diagnostics):
        return EXIT_FAILED
    if args.in_place:
        if got.proved:
            with open(args.path, "w", encoding="utf-8", newline="\n") as f:
                f.write(got.text)
        print(f"{args.path}: {len(got.proved)} proof{'s' if len(got.proved) != 1 else ''} written", file=sys.stderr)
    else:
        sys.stdout.write(got.text if got.text.endswith("\n") else got.text + "\n")
    if got.broken:
        return EXIT_USAGE
    return EXIT_FAILED if got.underived else EXIT_OK
