"""`vecproof render FILE --to markdown|latex|html [-o OUT]`: check a file and publish it."""

from __future__ import annotations

import sys

from . import ADMONITIONS, BOLD, ENTRIES, FORMATS, MATH, RenderOptions

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def add_parser(sub) -> None:
    r = sub.add_parser(
        "render", help="check a .vproof file or a Markdown post and render it as Markdown, LaTeX or HTML",
        description="Check FILE and write it for publishing: declarations as a sentence, each theorem in "
        "display math, each proof as one aligned chain with the cited rules beside it, the verdict in an "
        "admonition. A step that is not proved is marked so. A Markdown post (.md) keeps its prose and has "
        "each ```vproof block replaced by its rendered proofs. Exit status: 0 every theorem proved, 1 a "
        "proof failed (the output is still written, with the failures marked) or the file does not parse "
        "(nothing is written), 2 usage error or unreadable input.")
    r.add_argument("path", metavar="FILE", help="a .vproof file or a Markdown post with ```vproof blocks")
    r.add_argument("--to", choices=FORMATS, default="markdown", help="output format (default: markdown)")
    r.add_argument("-o", "--output", metavar="OUT", help="write to OUT instead of standard output")
    r.add_argument("--math", choices=MATH, default="dollars",
                   help="Markdown math delimiters: dollars ($…$, $$…$$: remark-math, Hugo passthrough), "
                   "kramdown ($$…$$ inline and display), brackets (\\(…\\), \\[…\\]) (default: dollars)")
    r.add_argument("--admonition", choices=ADMONITIONS, default="directive",
                   help="how Markdown shows a verdict: directive (:::tip[Proved], remark-directive), gfm "
                   "(> [!TIP]), mkdocs (!!! tip), quote (a plain block quote) (default: directive)")
    r.add_argument("--entries", choices=ENTRIES, default="lower",
                   help="matrix entries as a_{ij} (lower) or A_{ij} (upper) (default: lower)")
    r.add_argument("--bold", choices=sorted(BOLD), default="mathbf",
                   help="the bold of vectors and matrices: \\mathbf or \\bm (default: mathbf)")


def run(args) -> int:
    from ...checker.check import MAX_FILE_BYTES
    from ...readfile import read_limited
    from ..report import TextReport
    from . import render_text

    options = RenderOptions(args.to, args.math, args.admonition, args.entries, args.bold)
    if options.to != "markdown" and _is_post(args.path):
        print(f"vecproof: error: a Markdown post renders to Markdown only (--to markdown), not {options.to}",
              file=sys.stderr)
        return EXIT_USAGE
    try:
        text = read_limited(args.path, MAX_FILE_BYTES).decode("utf-8-sig")
    except (OSError, UnicodeDecodeError, ValueError) as err:
        print(f"vecproof: error: cannot read {args.path}: {getattr(err, 'strerror', None) or err}", file=sys.stderr)
        return EXIT_USAGE
    rendered = render_text(text, args.path, options)
    result = rendered.result
    problems = [d for d in result.diagnostics if d.level.value != "note"]
    if problems:  # what is wrong, as `vecproof check` says it, on standard error
        report = TextReport(sys.stderr, quiet=True, color=False, verbose=True)
        report.file(result, text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    if rendered.text is None:
        print(f"vecproof: error: {args.path} does not parse: nothing rendered", file=sys.stderr)
        return EXIT_FAILED
    if args.output:
        with open(args.output, "w", encoding="utf-8", newline="\n") as f:
            f.write(rendered.text)
    else:
        sys.stdout.write(rendered.text)
    return EXIT_OK if result.passed() else EXIT_FAILED


def _is_post(path: str) -> bool:
    from ...literate import is_literate

    return is_literate(path)
