"""Where the grammar file is: packaged inside the wheel, or in the source tree's grammar/ folder."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

GRAMMAR_FILE = "vproof.lark"


@lru_cache(maxsize=1)
def grammar_text() -> str:
    packaged = resources.files("vecproof").joinpath("_grammar", GRAMMAR_FILE)
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    source = Path(__file__).resolve().parents[2] / "grammar" / GRAMMAR_FILE
    return source.read_text(encoding="utf-8")
