"""Where the grammar file is (packaged inside the wheel, or in the source tree's grammar/ folder), and
the LALR parser built from it, saved per user so that a process loads it instead of building it.

The saved parser is JSON (Lark's own `cache=`, `save` and `load` use pickle, which runs code when
loaded), in $XDG_CACHE_HOME/vecproof/ (an absolute XDG_CACHE_HOME only, as the XDG spec says; else
~/.cache/vecproof/), named by a hash of everything the tables depend on (the grammar, Lark's version,
the parser options) and checked against that hash when read. It is read only from a directory that
is the user's own and private (mode 0700, not a symlink) and a regular file that is the user's own
and writable by no one else; anything else, or a file that does not load, and the parser is built in
memory (docs/performance.md, "The parser cache").
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import stat
from functools import lru_cache
from importlib import resources
from pathlib import Path

GRAMMAR_FILE = "vproof.lark"
LARK_OPTIONS = {"parser": "lalr", "lexer": "contextual", "propagate_positions": True,
                "maybe_placeholders": False}
CACHE_FORMAT = "vecproof-parser-1"
MAX_CACHE_BYTES = 16 * 1024 * 1024


@lru_cache(maxsize=1)
def grammar_text() -> str:
    packaged = resources.files("vecproof").joinpath("_grammar", GRAMMAR_FILE)
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    source = Path(__file__).resolve().parents[2] / "grammar" / GRAMMAR_FILE
    return source.read_text(encoding="utf-8")


def build_parser():
    """The Lark LALR parser of the grammar: loaded from the per-user cache when a safe file of the
    same grammar, Lark version and options is there, else built (and saved there for the next process)."""
    from lark import Lark

    digest = cache_digest()
    name = f"parser-{digest}.json"
    dfd = _private_dir()
    try:
        if dfd is not None:
            loaded = _load(dfd, name, digest)
            if loaded is not None:
                return loaded
        parser = Lark(grammar_text(), **LARK_OPTIONS)
        if dfd is not None:
            _save(dfd, name, digest, parser)
        return parser
    finally:
        if dfd is not None:
            os.close(dfd)


def cache_digest() -> str:
    """SHA-256 of everything the saved tables depend on."""
    import lark

    h = hashlib.sha256(CACHE_FORMAT.encode())
    for part in (lark.__version__, json.dumps(LARK_OPTIONS, sort_keys=True), grammar_text()):
        data = part.encode()
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


def cache_dir() -> Path | None:
    """$XDG_CACHE_HOME/vecproof (absolute only), else ~/.cache/vecproof; None without a home directory."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    try:
        root = Path(base) if os.path.isabs(base) else Path.home() / ".cache"
    except RuntimeError:  # no home directory
        return None
    return root / "vecproof"


def _private_dir() -> int | None:
    """An open descriptor of the cache directory (created mode 0700 if missing), or None when it cannot
    be made or is not a directory of the user's own that no one else can enter (or not POSIX)."""
    d = cache_dir()
    if d is None or not hasattr(os, "getuid") or not hasattr(os, "O_DIRECTORY"):
        return None
    try:
        d.mkdir(mode=0o700, parents=True, exist_ok=True)
        dfd = os.open(d, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError:
        return None
    st = os.fstat(dfd)
    if st.st_uid != os.getuid() or st.st_mode & 0o077:
        os.close(dfd)
        return None
    return dfd


def _load(dfd: int, name: str, digest: str):
    """The saved parser, or None when the file is missing, not a regular file of the user's own
    writable by no one else, too large, damaged, or of another digest."""
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW, dir_fd=dfd)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_uid != os.getuid() or st.st_mode & 0o022:
            return None
        with open(fd, "rb", closefd=False) as f:
            raw = f.read(MAX_CACHE_BYTES + 1)
    except OSError:
        return None
    finally:
        os.close(fd)
    from lark import Lark

    try:
        saved = json.loads(raw, object_hook=_decode)
        if len(raw) > MAX_CACHE_BYTES or not isinstance(saved, dict) or saved.get("digest") != digest:
            return None
        return Lark.load({"data": saved["data"], "memo": saved["memo"]})
    except Exception:  # damaged or foreign: build instead (and overwrite it)
        return None


def _save(dfd: int, name: str, digest: str, parser) -> None:
    """Write atomically (a new private file, then a rename); a failure only costs the next process a build."""
    from lark.grammar import Rule
    from lark.lexer import TerminalDef

    tmp = f".{name}.{os.getpid()}.{secrets.token_hex(8)}.tmp"
    try:
        data, memo = parser.memo_serialize([TerminalDef, Rule])
        text = json.dumps({"digest": digest, "data": _encode(data), "memo": _encode(memo)},
                          separators=(",", ":"))
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600, dir_fd=dfd)
        try:
            with open(fd, "w", encoding="utf-8") as f:
                f.write(text)
            os.replace(tmp, name, src_dir_fd=dfd, dst_dir_fd=dfd)
        except BaseException:
            os.unlink(tmp, dir_fd=dfd)
            raise
    except (OSError, TypeError, ValueError):
        pass


def _encode(x):
    """Lark's serialised tables as JSON: tuples and dicts with int keys tagged, so they come back as such."""
    if isinstance(x, tuple):
        return {"__tuple__": [_encode(v) for v in x]}
    if isinstance(x, list):
        return [_encode(v) for v in x]
    if isinstance(x, dict):
        if all(isinstance(k, str) for k in x):
            return {k: _encode(v) for k, v in x.items()}
        return {"__intkeys__": [[int(k), _encode(v)] for k, v in x.items()]}
    if x is None or isinstance(x, (str, int, float)):
        return x
    raise TypeError(f"cannot save a {type(x).__name__} in the parser cache")


def _decode(obj: dict):
    if "__tuple__" in obj:
        return tuple(obj["__tuple__"])
    if "__intkeys__" in obj:
        return {int(k): v for k, v in obj["__intkeys__"]}
    return obj
