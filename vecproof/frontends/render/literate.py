"""A literate Markdown post rendered: each ```vproof block replaced by its rendered proofs, every other
line of the post left as it was."""

from __future__ import annotations

from ...literate import blocks
from .document import Document
from .markdown import _Markdown


def render_post(text: str, doc: Document, options) -> tuple[str, list[str]]:
    """The post with its blocks rendered (Markdown, `options` as for a .vproof file); and every formula."""
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    m = _Markdown(options)
    out: list[str] = []
    at = 0  # lines[:at] are done
    for b in blocks("\n".join(lines)):
        opening, closing = b.first - 2, b.last  # 0-based lines of the two fences
        out.extend(lines[at:opening])
        inside = [blk for blk, (lo, _) in zip(doc.blocks, doc.lines) if b.first <= lo <= b.last]
        out.append("\n\n".join(m.block(blk) for blk in inside))
        at = closing + 1
    out.extend(lines[at:])
    return "\n".join(out), m.formulas
