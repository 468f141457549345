"""Markdown with math for remark-math/KaTeX (Astro, Docusaurus), Hugo's passthrough or kramdown."""

from __future__ import annotations

from .chain import aligned
from .document import Document, Math, Prose, Theorem

_TITLES = {"proved": ("tip", "Proved"), "unproved": ("caution", "Not proved"), "failed": ("danger", "Failed")}


def emit(doc: Document, options, title: str = "") -> tuple[str, list[str]]:
    """The whole document as Markdown; and every formula in it."""
    m = _Markdown(options)
    return "\n\n".join(m.block(b) for b in doc.blocks) + "\n", m.formulas


class _Markdown:
    def __init__(self, options):
        self.options = options
        self.formulas: list[str] = []

    def block(self, b) -> str:
        return self.prose(b) if isinstance(b, Prose) else self.theorem(b)

    def inline(self, tex: str) -> str:
        self.formulas.append(tex)
        left, right = {"dollars": ("$", "$"), "kramdown": ("$$", "$$"), "brackets": (r"\(", r"\)")}[self.options.math]
        return f"{left}{tex}{right}"

    def display(self, tex: str) -> str:
        self.formulas.append(tex)
        left, right = ("\\[", "\\]") if self.options.math == "brackets" else ("$$", "$$")
        return f"{left}\n{tex}\n{right}"

    def prose(self, p: Prose) -> str:
        return "".join(self.inline(x.tex) if isinstance(x, Math) else text(x) for x in p.parts)

    def theorem(self, th: Theorem) -> str:
        out = [f"**{th.kind.capitalize()}** `{th.name}`.", self.display(th.statement)]
        out.append("*Proof*" + (f" (component {self.inline(th.component)})." if th.component else "."))
        out.append(self.display(aligned(th)))
        notes = [f"step {n}: {text(s.note)}" for n, s in enumerate(th.steps, 1) if s.note]
        notes += [text(n) for n in th.notes]
        if notes:
            out.append("\n".join(f"- {n}" for n in notes))
        out.append(self.admonition(th))
        return "\n\n".join(out)

    def admonition(self, th: Theorem) -> str:
        kind, title = _TITLES[th.status]
        body = [text(th.verdict) + "."]
        for p in th.problems:
            where = f"{p.where}: " if p.where else ""
            body.append(f"- {where}{text(p.message)} ({p.code})" + "".join(f"\n  `{_code(d)}`" if d.strip() else ""
                                                                            for d in p.detail))
        lines = "\n".join(body).split("\n")
        style = self.options.admonition
        if style == "directive":
            return f":::{kind}[{title}]\n" + "\n".join(lines) + "\n:::"
        if style == "gfm":
            return "\n".join([f"> [!{kind.upper() if kind != 'danger' else 'CAUTION'}]", f"> **{title}**"]
                             + [f"> {x}" for x in lines])
        if style == "mkdocs":
            return f'!!! {kind} "{title}"\n' + "\n".join(f"    {x}" if x else "" for x in lines)
        return "\n".join([f"> **{title}.**"] + [f"> {x}" for x in lines])


def text(s: str) -> str:
    """Plain text as Markdown that shows it and runs nothing: no raw HTML, no math."""
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("$", r"\$")


def _code(s: str) -> str:
    return s.strip().replace("`", "'")
