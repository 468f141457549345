"""Running `vecproof render` as a user does, and reading the formulas back out of its Markdown."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
LIBRARY = sorted((ROOT / "vecproof" / "library").glob("*.vproof"))  # the shipped standard library
_DISPLAY = re.compile(r"^\$\$\n(.*?)\n\$\$$", re.S | re.M)
_INLINE = re.compile(r"(?<![\\$])\$(?!\$)(.+?)(?<!\\)\$")


def vecproof(*args, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "vecproof", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd or ROOT, timeout=300)


def formulas(markdown: str) -> list[tuple[str, bool]]:
    """Every formula of Markdown with dollar delimiters: `$$` blocks on their own lines (display), then
    `$…$` in the remaining text (inline). Code spans and fences hold none here."""
    shown = [(m.group(1), True) for m in _DISPLAY.finditer(markdown)]
    rest = _DISPLAY.sub("", markdown)
    return shown + [(m.group(1), False) for m in _INLINE.finditer(rest)]


def parsing_examples() -> list[Path]:
    """Every example, wrong ones included, except those that do not parse (nothing to render)."""
    return sorted(p for p in EXAMPLES.rglob("*.vproof") if "VP001" not in p.read_text(encoding="utf-8")[:400])
