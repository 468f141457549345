"""A LaTeX document (amsmath `align*` chains, a remark per verdict) that pdflatex compiles."""

from __future__ import annotations

import re

from .chain import aligned
from .document import Document, Math, Prose, Theorem

_TITLES = {"proved": "Proved", "unproved": "Not proved", "failed": "Failed"}
_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "#": r"\#", "$": r"\$", "%": r"\%", "&": r"\&",
            "_": r"\_", "^": r"\^{}", "~": r"\~{}", "<": r"\textless{}", ">": r"\textgreater{}"}
# Symbols the comments of proofs use, as pdflatex (with T1 and utf8 inputenc) can set them.
_UNICODE = {"ᵀ": r"\ensuremath{^\top}", "‖": r"\ensuremath{\|}", "∇": r"\ensuremath{\nabla}", "²": r"\ensuremath{^2}",
            "∂": r"\ensuremath{\partial}", "Σ": r"\ensuremath{\Sigma}", "δ": r"\ensuremath{\delta}",
            "ℝ": r"\ensuremath{\mathbb{R}}", "∈": r"\ensuremath{\in}", "×": r"\ensuremath{\times}",
            "→": r"\ensuremath{\to}", "≠": r"\ensuremath{\neq}", "≤": r"\ensuremath{\leq}", "≥": r"\ensuremath{\geq}",
            "·": r"\ensuremath{\cdot}", "…": r"\ldots{}", "—": "---", "–": "--", "“": "``", "”": "''", "‘": "`",
            "’": "'", "ⁿ": r"\ensuremath{^n}", "ᵐ": r"\ensuremath{^m}", "ˣ": r"\ensuremath{^\times}",
            "⁻": r"\ensuremath{^-}", "¹": r"\ensuremath{^1}", "³": r"\ensuremath{^3}", "√": r"\ensuremath{\surd}"}
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+")


def emit(doc: Document, options, title: str = "") -> tuple[str, list[str]]:
    """A whole document: preamble, every block, `\\end{document}`; and every formula in it."""
    formulas: list[str] = []
    body = "\n\n".join(_block(b, formulas) for b in doc.blocks)
    cjk = bool(_CJK.search(body))
    pre = [r"\documentclass{article}", r"\usepackage[T1]{fontenc}", r"\usepackage[utf8]{inputenc}",
           r"\usepackage{amsmath,amssymb,amsthm}"]
    if options.bold == "bm":
        pre.append(r"\usepackage{bm}")
    if cjk:
        pre.append(r"\usepackage{CJKutf8}")
    pre += [r"\theoremstyle{remark}", r"\newtheorem*{vpverdict}{Verdict}", r"\begin{document}"]
    if cjk:
        body = _CJK.sub(lambda m: r"\begin{CJK}{UTF8}{gbsn}" + m.group(0) + r"\end{CJK}", body)
    return "\n".join(pre) + "\n\n" + body + "\n\n\\end{document}\n", formulas


def _block(b, formulas: list[str]) -> str:
    if isinstance(b, Prose):
        out = []
        for x in b.parts:
            if isinstance(x, Math):
                formulas.append(x.tex)
                out.append(f"${x.tex}$")
            else:
                out.append(text(x))
        return "".join(out).replace("\n- ", "\n\n\\noindent--- ")
    return _theorem(b, formulas)


def _theorem(th: Theorem, formulas: list[str]) -> str:
    formulas += [th.statement, aligned(th)]
    out = [rf"\noindent\textbf{{{th.kind.capitalize()}}} (\texttt{{{text(th.name)}}}).",
           f"\\[\n{th.statement}\n\\]",
           r"\noindent\textit{Proof}" + (f" (component ${th.component}$)." if th.component else "."),
           aligned(th, env="align*")]
    notes = [f"step {n}: {text(s.note)}" for n, s in enumerate(th.steps, 1) if s.note] + [text(n) for n in th.notes]
    if th.component:
        formulas.append(th.component)
    if notes:
        out.append("\\begin{itemize}\n" + "\n".join(rf"\item {n}" for n in notes) + "\n\\end{itemize}")
    verdict = [rf"\textbf{{{_TITLES[th.status]}.}} {text(th.verdict)}."]
    for p in th.problems:
        where = f"{p.where}: " if p.where else ""
        verdict.append(rf"\par {text(where + p.message)} ({p.code})"
                       + "".join(rf"\par\quad\texttt{{{text(d.strip())}}}" for d in p.detail if d.strip()))
    out.append("\\begin{vpverdict}\n" + "\n".join(verdict) + "\n\\end{vpverdict}")
    return "\n\n".join(out)


def text(s: str) -> str:
    """Plain text as LaTeX that sets it and runs nothing: specials escaped, the symbols proofs' comments
    use as math, Latin-1 and CJK (CJKutf8) as they are, anything else as `?`."""
    out = []
    for ch in s:
        if ch in _SPECIAL:
            out.append(_SPECIAL[ch])
        elif ch in _UNICODE:
            out.append(_UNICODE[ch])
        elif ord(ch) < 0x100 and (ch.isprintable() or ch == "\n"):
            out.append(ch)
        elif _CJK.match(ch):
            out.append(ch)
        else:
            out.append("?")
    return "".join(out)
