"""Literate Markdown: the ```vproof fenced blocks of a Markdown post, read as one .vproof file.

The blocks of a post share declarations in order, as cells of a notebook do: the checked text keeps
each block's lines where they are and blanks every other line, so a position in it is the same
line and column in the post, and a theorem may use what any earlier block declared."""

from __future__ import annotations

import re
from dataclasses import dataclass

SUFFIXES = (".md", ".markdown")
_OPEN = re.compile(r"^( {0,3})(`{3,}|~{3,})[ \t]*vproof\b[^\n`]*$")


@dataclass(frozen=True)
class Block:
    """A fenced vproof block: its content runs from line `first` to `last` (1-based, inclusive;
    `last` = `first` - 1 when empty); the fences are on the lines around it."""

    first: int
    last: int


def is_literate(path: str) -> bool:
    return str(path).lower().endswith(SUFFIXES)


def blocks(text: str) -> list[Block]:
    """The ```vproof (or ~~~vproof) blocks of a Markdown text, CommonMark fence rules: the closing
    fence has the same character, at least as many, and nothing after it; an unclosed block runs
    to the end of the text."""
    lines = text.split("\n")
    out: list[Block] = []
    n = 0
    while n < len(lines):
        m = _OPEN.match(lines[n])
        if m is None:
            fence = re.match(r"^ {0,3}(`{3,}|~{3,})", lines[n])
            n = _skip_other(lines, n, fence.group(1)) if fence else n + 1
            continue
        mark = m.group(2)
        end = n + 1
        while end < len(lines) and not _closes(lines[end], mark):
            end += 1
        out.append(Block(n + 2, end))
        n = end + 1
    return out


def extract(text: str) -> str:
    """The post's vproof blocks as one .vproof text with the post's line numbering (other lines blank)."""
    lines = text.split("\n")
    keep = [False] * len(lines)
    for b in blocks(text):
        for n in range(b.first, b.last + 1):
            keep[n - 1] = True
    return "\n".join(line if k else "" for line, k in zip(lines, keep))


def _closes(line: str, mark: str) -> bool:
    m = re.match(r"^ {0,3}(`{3,}|~{3,})[ \t]*$", line)
    return bool(m) and m.group(1)[0] == mark[0] and len(m.group(1)) >= len(mark)


def _skip_other(lines: list[str], n: int, mark: str) -> int:
    """Past a fenced block of another language (a ```vproof inside it is not a block)."""
    end = n + 1
    while end < len(lines) and not _closes(lines[end], mark):
        end += 1
    return end + 1
