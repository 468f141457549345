"""Publish checked proofs: a checked .vproof file (or a literate Markdown post) as Markdown, LaTeX or
an HTML page. Front-end code: the checker never imports it; `vecproof render` imports it lazily.

    render_text(text, path, options) -> Rendered
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .tex import Style

FORMATS = ("markdown", "latex", "html")
MATH = ("dollars", "kramdown", "brackets")
ADMONITIONS = ("directive", "gfm", "mkdocs", "quote")
ENTRIES = ("lower", "upper")
BOLD = {"mathbf": r"\mathbf", "bm": r"\bm"}


@dataclass(frozen=True)
class RenderOptions:
    """`to` one of FORMATS; `math` the Markdown math delimiters (MATH); `admonition` how Markdown
    shows a verdict (ADMONITIONS); `entries` and `bold` the notation (tex.Style)."""

    to: str = "markdown"
    math: str = "dollars"
    admonition: str = "directive"
    entries: str = "lower"
    bold: str = "mathbf"

    @property
    def style(self) -> Style:
        return Style(BOLD[self.bold], self.entries)


@dataclass
class Rendered:
    """The output text (None when the file did not parse: nothing checked, nothing rendered) and
    the check result it was rendered from."""

    text: str | None
    result: object
    formulas: list[str] = field(default_factory=list)  # every TeX formula in the output, for validators


def render_text(text: str, path: str = "<input>", options: RenderOptions = RenderOptions()) -> Rendered:
    """Check `text` and render it. A Markdown post (`path` ending in .md) keeps its prose and has
    each ```vproof block replaced by its rendered proofs (Markdown only)."""
    from ... import check_text
    from ...literate import extract, is_literate
    from .document import build

    result = check_text(text, path)
    if result.tree is None:
        return Rendered(None, result)
    literate = is_literate(path)
    doc = build(result, extract(text) if literate else text, options.style)
    if literate:
        from .literate import render_post

        out, formulas = render_post(text, doc, options)
        return Rendered(out, result, formulas)
    emit = _emitter(options.to)
    out, formulas = emit(doc, options, title=path)
    return Rendered(out, result, formulas)


def _emitter(to: str):
    if to == "latex":
        from .latex import emit
    elif to == "html":
        from .html import emit
    else:
        from .markdown import emit
    return emit
