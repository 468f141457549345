"""The result cache: JSON entries keyed by a SHA-256 of everything a verdict depends on.

Layout: <dir>/v1/<2 hex>/<64 hex>.json, each entry {"key": ..., "kind": ..., "data": ...}.
Writes are atomic (a temporary file, then os.replace), so concurrent runs never see half an entry.
An entry that fails to parse, names another key or kind, or does not rebuild is ignored and
rewritten: a cache is never a reason to believe a proof.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import lru_cache
from pathlib import Path

from . import __version__

DEFAULT_DIR = ".vecproof_cache"
LAYOUT = "v1"


@lru_cache(maxsize=1)
def fingerprint() -> str:
    """The vecproof version plus a hash of its own source and grammar: a new vecproof (even an
    unreleased edit) never reuses old verdicts."""
    h = hashlib.sha256(__version__.encode())
    root = Path(__file__).resolve().parent
    for p in sorted(root.rglob("*.py")):
        h.update(p.relative_to(root).as_posix().encode())
        h.update(p.read_bytes())
    from .syntax.grammar import grammar_text

    h.update(grammar_text().encode())
    return h.hexdigest()


def key(*parts: str | bytes) -> str:
    h = hashlib.sha256(fingerprint().encode())
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


class Cache:
    def __init__(self, directory: str | Path):
        self.root = Path(directory)
        self.hits = 0
        self.misses = 0

    def _path(self, k: str) -> Path:
        return self.root / LAYOUT / k[:2] / f"{k}.json"

    def get(self, k: str, kind: str):
        try:
            with open(self._path(k), encoding="utf-8") as f:
                entry = json.load(f)
            if not isinstance(entry, dict) or entry.get("key") != k or entry.get("kind") != kind:
                raise ValueError("foreign entry")
            self.hits += 1
            return entry["data"]
        except (OSError, ValueError, KeyError, TypeError):
            self.misses += 1
            return None

    def put(self, k: str, kind: str, data) -> None:
        path = self._path(k)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._mark_root()
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as f:
                    json.dump({"key": k, "kind": kind, "data": data}, f, ensure_ascii=False)
                os.replace(tmp, path)
            except BaseException:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass
                raise
        except OSError:
            pass  # a cache that cannot be written only costs time

    def _mark_root(self) -> None:
        tag = self.root / "CACHEDIR.TAG"
        if not tag.exists():
            try:
                tag.write_text("Signature: 8a477f597d28d172789f06886806bc55\n"
                               "# This is a vecproof result cache; see https://bford.info/cachedir/\n")
                (self.root / ".gitignore").write_text("# created by vecproof\n*\n")
            except OSError:
                pass
