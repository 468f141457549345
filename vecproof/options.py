"""How a check is run: `CheckOptions` (what the checker itself needs) and the `[tool.vecproof]` table
of pyproject.toml (defaults for the command line and the pytest plugin). Standard library only."""

from __future__ import annotations

import difflib
import json
import tomllib
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass(frozen=True)
class CheckOptions:
    """Options that change verdicts, so they are part of every cache key.

    exercise: the working is checked, not just the result: citing `algebra` is an error (VP209), and
    so are a step its cited rules do not explain (VP202) and a step citing no rule (VP206)."""

    exercise: bool = False

    def cache_key(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)


DEFAULT = CheckOptions()

FORMATS = ("text", "json", "junit", "sarif", "github")
COLORS = ("auto", "always", "never")
# key in [tool.vecproof] -> (what its value must be, a check of the value)
TABLE_KEYS = {
    "exercise": ("true or false", lambda v: isinstance(v, bool)),
    "strict": ("true or false", lambda v: isinstance(v, bool)),
    "jobs": ("an integer of at least 1", lambda v: type(v) is int and v >= 1),
    "format": (" or ".join(f'"{f}"' for f in FORMATS), lambda v: v in FORMATS),
    "cache-dir": ("a path (a string)", lambda v: isinstance(v, str) and v != ""),
    "no-cache": ("true or false", lambda v: isinstance(v, bool)),
    "color": (" or ".join(f'"{c}"' for c in COLORS), lambda v: v in COLORS),
}


class ConfigError(Exception):
    """pyproject.toml cannot be read, or its [tool.vecproof] table is wrong; the message names the key."""


def find_pyproject(start: Path) -> Path | None:
    """The nearest pyproject.toml with a [tool.vecproof] table, from `start` upward; the search stops
    at a directory holding .git (after looking in it) or at the filesystem root."""
    for d in [start, *start.parents]:
        candidate = d / "pyproject.toml"
        if candidate.is_file() and _has_table(candidate):
            return candidate
        if (d / ".git").exists():
            return None
    return None


def _has_table(path: Path) -> bool:
    try:
        return b"vecproof" in path.read_bytes() and "vecproof" in _load(path).get("tool", {})
    except ConfigError:
        return True  # report the broken file rather than skip it
    except OSError:
        return False


def _load(path: Path) -> dict:
    try:
        with open(path, "rb") as f:
            return tomllib.load(f)
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{path}: not valid TOML: {err}") from None
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"{path}: cannot be read: {err}") from None


def read_table(start: Path | None = None) -> tuple[dict, Path | None]:
    """The validated [tool.vecproof] table found from `start` (default: the current directory) and
    the file it came from; a relative `cache-dir` is made relative to that file's directory."""
    path = find_pyproject((start or Path.cwd()).resolve())
    if path is None:
        return {}, None
    table = _load(path).get("tool", {}).get("vecproof", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.vecproof] must be a table")
    for name, value in table.items():
        if name not in TABLE_KEYS:
            close = difflib.get_close_matches(name, list(TABLE_KEYS), n=1, cutoff=0.6)
            raise ConfigError(f"{path}: [tool.vecproof] has no option '{name}'"
                              + (f"; did you mean '{close[0]}'?" if close else "")
                              + f" (options: {', '.join(TABLE_KEYS)})")
        want, ok = TABLE_KEYS[name]
        if not ok(value):
            raise ConfigError(f"{path}: [tool.vecproof] {name} must be {want}, not {value!r}")
    table = dict(table)
    if "cache-dir" in table:
        table["cache-dir"] = str(path.parent / table["cache-dir"])
    return table, path
