"""The result cache: JSON entries keyed by a SHA-256 of everything a verdict depends on, each
authenticated with an HMAC under a secret that the cache folder does not hold.

Layout: <dir>/v1/<2 hex>/<64 hex>.json, each entry {"key": ..., "kind": ..., "data": ..., "mac": ...}.
The key is public (anyone can compute it), so an entry is believed only when its MAC — HMAC-SHA256
over the canonical JSON of key, kind and data — verifies under the user's cache key (`load_secret()`):
an entry that is forged, copied from another key, edited, written under another cache key, a
symlink, not a regular file, or does not parse or rebuild is ignored and rewritten. A cache is never
a reason to believe a proof. Writes are atomic (a temporary file, then os.replace), so concurrent
runs never see half an entry.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import stat
import sys
import tempfile
from functools import lru_cache
from pathlib import Path

from . import __version__

DEFAULT_DIR = ".vecproof_cache"
LAYOUT = "v1"
KEY_ENV = "VECPROOF_CACHE_KEY"
MAX_ENTRY_BYTES = 64 * 1024 * 1024


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


# ---- the cache key: a per-user secret outside the cache folder ---------------------------------------


def key_file() -> Path:
    """Where the per-user cache key lives: $XDG_STATE_HOME/vecproof/cache.key (an absolute
    XDG_STATE_HOME only, as the XDG spec says), else ~/.local/state/vecproof/cache.key."""
    base = os.environ.get("XDG_STATE_HOME", "")
    root = Path(base) if os.path.isabs(base) else Path.home() / ".local" / "state"
    return root / "vecproof" / "cache.key"


def load_secret() -> bytes | None:
    """The cache key: $VECPROOF_CACHE_KEY when set and not empty, else the per-user key file (created
    on first use). None when neither is usable; then the cache is off and a note says why, once."""
    env = os.environ.get(KEY_ENV, "")
    if env:
        return env.encode("utf-8", "surrogateescape")
    try:
        path = key_file()
    except RuntimeError as err:  # no home directory
        return _disabled(f"no place for the cache key ({err})")
    return _file_secret(path)


@lru_cache(maxsize=8)
def _file_secret(path: Path) -> bytes | None:
    try:
        return _read_key(path)
    except FileNotFoundError:
        pass
    except _Refused as err:
        return _disabled(str(err))
    except OSError as err:
        return _disabled(f"cannot read the cache key {path}: {err.strerror or err}")
    try:
        _create_key(path)
        return _read_key(path)
    except _Refused as err:
        return _disabled(str(err))
    except OSError as err:
        return _disabled(f"cannot create the cache key {path}: {err.strerror or err}")


class _Refused(Exception):
    """A key file that exists but must not be trusted."""


def _read_key(path: Path) -> bytes:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise _Refused(f"the cache key {path} is not a regular file")
        if hasattr(os, "getuid") and (st.st_uid != os.getuid() or st.st_mode & 0o077):
            raise _Refused(f"the cache key {path} is readable or writable by others (or not yours): "
                           f"`chmod 600 {path}` if it is yours, else delete it")
        data = os.read(fd, 1024)
    finally:
        os.close(fd)
    try:
        raw = bytes.fromhex(data.decode("ascii").strip())
    except (UnicodeDecodeError, ValueError):
        raw = b""
    if len(raw) < 32:
        raise _Refused(f"the cache key {path} is malformed: delete it and a new one is made")
    return raw


def _create_key(path: Path) -> None:
    """Write a random 32-byte key (hex) to a private temporary file, then hard-link it into place:
    of processes racing here, exactly one link succeeds and everyone reads that key."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".cache.key-")  # mode 0600
    try:
        with os.fdopen(fd, "w", encoding="ascii") as f:
            f.write(os.urandom(32).hex() + "\n")
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass  # another process won: its key is the key
    finally:
        os.unlink(tmp)


_noted: set[str] = set()


def _disabled(why: str) -> None:
    if why not in _noted:
        _noted.add(why)
        print(f"vecproof: note: result cache disabled for this run: {why}", file=sys.stderr)
    return None


# ---- entries --------------------------------------------------------------------------------------


def _mac(secret: bytes, k: str, kind: str, data) -> str:
    body = json.dumps({"key": k, "kind": kind, "data": data}, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False, allow_nan=False)
    return hmac.new(secret, body.encode("utf-8"), hashlib.sha256).hexdigest()


class Cache:
    """Entries under `directory`, authenticated with `secret` (default: `load_secret()`). Without a
    usable secret the cache is off: every lookup misses and nothing is written."""

    def __init__(self, directory: str | Path, secret: bytes | None = None):
        self.root = Path(directory)
        self.secret = secret if secret is not None else load_secret()
        self.hits = 0
        self.misses = 0

    @property
    def enabled(self) -> bool:
        return self.secret is not None

    def _path(self, k: str) -> Path:
        return self.root / LAYOUT / k[:2] / f"{k}.json"

    def get(self, k: str, kind: str):
        try:
            if self.secret is None:
                raise ValueError("no cache key")
            entry = json.loads(_read_entry(self._path(k)))
            if not isinstance(entry, dict) or entry.get("key") != k or entry.get("kind") != kind:
                raise ValueError("foreign entry")
            mac = entry.get("mac")
            if not isinstance(mac, str) or not hmac.compare_digest(mac, _mac(self.secret, k, kind, entry["data"])):
                raise ValueError("not written by this user's vecproof")
            self.hits += 1
            return entry["data"]
        except (OSError, ValueError, KeyError, TypeError, RecursionError):
            self.misses += 1
            return None

    def put(self, k: str, kind: str, data) -> None:
        if self.secret is None:
            return
        path = self._path(k)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._mark_root()
            entry = {"key": k, "kind": kind, "data": data, "mac": _mac(self.secret, k, kind, data)}
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as f:
                    json.dump(entry, f, ensure_ascii=False)
                os.replace(tmp, path)  # replaces a symlink itself, never its target
            except BaseException:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass
                raise
        except (OSError, ValueError):
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


def _read_entry(path: Path) -> str:
    """An entry's text: a regular file, not through a symlink (O_NOFOLLOW), never blocking on a FIFO
    or device (O_NONBLOCK), at most MAX_ENTRY_BYTES."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as f:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_ENTRY_BYTES:
            raise ValueError("not a regular file of a sensible size")
        return f.read(MAX_ENTRY_BYTES + 1).decode("utf-8")
