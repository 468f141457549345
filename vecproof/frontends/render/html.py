"""One self-contained HTML page: KaTeX (shipped in katex/, MIT) and its fonts inlined, so the page
reads without a network; a ✓/✗ on every step, the counterexample under a false one."""

from __future__ import annotations

import base64
import html
import re
from pathlib import Path

from .chain import aligned
from .document import Document, Math, Prose, Theorem

KATEX = Path(__file__).with_name("katex")
_TITLES = {"proved": "Proved", "unproved": "Not proved", "failed": "Failed"}
_STYLE = """body{max-width:52rem;margin:2rem auto;padding:0 1rem;font:17px/1.55 system-ui,sans-serif;color:#222}
.vp-display{overflow-x:auto;margin:1rem 0}.vp-verdict{border-left:4px solid;padding:.4rem .9rem;margin:1rem 0}
.vp-proved{border-color:#2e7d32;background:#edf7ee}.vp-failed,.vp-unproved{border-color:#c62828;background:#fdeeee}
.vp-cex{font:14px/1.4 ui-monospace,monospace;white-space:pre-wrap;margin:.3rem 0 .3rem 1.2rem}"""
# Every formula sits in its element as text (escaped); this renders it in place. No text of the
# proof file is ever script: it reaches KaTeX as data, and KaTeX runs with trust off.
_RENDER = """document.querySelectorAll(".vp-math").forEach(function(el){
katex.render(el.textContent, el, {displayMode: el.classList.contains("vp-display"), throwOnError: false,
strict: "error", trust: false});});"""


def emit(doc: Document, options, title: str = "") -> tuple[str, list[str]]:
    """The page; and every formula on it."""
    formulas: list[str] = []

    def math(tex: str, display: bool = False) -> str:
        formulas.append(tex)
        tag = "div" if display else "span"
        return f'<{tag} class="vp-math{" vp-display" if display else ""}">{html.escape(tex)}</{tag}>'

    parts = []
    for b in doc.blocks:
        if isinstance(b, Prose):
            inner = "".join(math(x.tex) if isinstance(x, Math) else html.escape(x).replace("\n", "<br>")
                            for x in b.parts)
            parts.append(f"<p>{inner}</p>")
        else:
            parts.append(_theorem(b, math))
    name = html.escape(title or "proofs")
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>{name}</title>\n'
            f'<!-- KaTeX {_version()} (https://katex.org), MIT licence: see vecproof/frontends/render/katex/LICENSE -->\n'
            f"<style>{_css()}</style>\n<style>{_STYLE}</style>\n<script>{_js()}</script>\n</head>\n<body>\n"
            f"<h1>{name}</h1>\n" + "\n".join(parts) + f"\n<script>{_RENDER}</script>\n</body>\n</html>\n", formulas)


def _theorem(th: Theorem, math) -> str:
    out = [f"<p><strong>{th.kind.capitalize()}</strong> <code>{html.escape(th.name)}</code>.</p>",
           math(th.statement, True),
           "<p><em>Proof</em>" + (f" (component {math(th.component)})." if th.component else ".") + "</p>",
           math(aligned(th, ticks=True, color=True), True)]
    notes = [f"step {n}: {s.note}" for n, s in enumerate(th.steps, 1) if s.note] + th.notes
    if notes:
        out.append("<ul>" + "".join(f"<li>{html.escape(n)}</li>" for n in notes) + "</ul>")
    verdict = [f"<strong>{_TITLES[th.status]}.</strong> {html.escape(th.verdict)}."]
    for p in th.problems:
        where = f"{p.where}: " if p.where else ""
        verdict.append(f"<div>{'✗ ' if p.code in ('VP201', 'VP207') else ''}{html.escape(where + p.message)} "
                       f"({p.code})</div>")
        if p.detail:
            verdict.append(f'<div class="vp-cex">{html.escape(chr(10).join(d for d in p.detail))}</div>')
    out.append(f'<div class="vp-verdict vp-{th.status}">' + "\n".join(verdict) + "</div>")
    return f'<section class="vp-theorem" id="{html.escape(th.name)}">\n' + "\n".join(out) + "\n</section>"


def _css() -> str:
    """KaTeX's stylesheet with each font as a woff2 data URL (the woff and ttf fallbacks dropped)."""
    css = (KATEX / "katex.min.css").read_text(encoding="utf-8")

    def inline(m: re.Match) -> str:
        data = base64.b64encode((KATEX / "fonts" / m.group(1)).read_bytes()).decode("ascii")
        return f'url(data:font/woff2;base64,{data}) format("woff2")'

    css = re.sub(r'url\(fonts/([A-Za-z0-9_-]+\.woff2)\) format\("woff2"\)', inline, css)
    return re.sub(r',url\(fonts/[^)]+\) format\("(?:woff|truetype)"\)', "", css)


def _js() -> str:
    return (KATEX / "katex.min.js").read_text(encoding="utf-8").replace("</script", "<\\/script")


def _version() -> str:
    m = re.search(r"KaTeX (\d+\.\d+\.\d+)", (KATEX / "README").read_text(encoding="utf-8"))
    return m.group(1) if m else ""
