"""Imports: `import "lib/forms.vproof"` (relative to the importing file) and `import vecproof.NAME` (the
shipped library, vecproof/library/NAME.vproof). An imported file is checked first, on its own (its
diagnostics belong to it, not to the importer); what it proved becomes citable as `STEM.name`, and as
`name` while no other import states that name.

A file is checked once per process for each content (the key is its bytes' SHA-256), so a library
imported by many files costs one check; its verdicts carry the Theorem values citations need.
"""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .. import diagnostics as dg
from ..diagnostics import Diagnostic
from ..readfile import MAX_FILE_BYTES, read_limited
from .lemmas import Citable, Lemma

LIBRARY = "vecproof"
_MODULE = re.compile(r"^vecproof\.([A-Za-z_][A-Za-z0-9_]*)$")
_MEMO: OrderedDict = OrderedDict()
MEMO_SIZE = 64
UNSAVED: dict[str, bytes] = {}  # absolute path -> an editor's text of that file, read instead of it (the LSP sets it)


@dataclass(frozen=True)
class Loaded:
    """An imported file: its result, the name its theorems are qualified by, and the (location,
    SHA-256) of it and of everything it imports — what a verdict that cites it depends on."""

    result: object
    qualifier: str
    depends: tuple[tuple[str, str], ...]


def library_files() -> dict[str, object]:
    """The shipped library: name -> resource (a file in vecproof/library/)."""
    folder = resources.files("vecproof").joinpath("library")
    if not folder.is_dir():
        return {}
    return {Path(f.name).stem: f for f in sorted(folder.iterdir(), key=lambda f: f.name) if f.name.endswith(".vproof")}


def current(location: str) -> str | None:
    """The SHA-256 of what `location` (as `Loaded.depends` names it) holds now, or None if unreadable."""
    try:
        if location.startswith(f"{LIBRARY}/library/"):
            res = library_files().get(Path(location).stem)
            data = res.read_bytes() if res is not None else None
        else:
            data = _read(location)
    except (OSError, ValueError):
        return None
    return None if data is None else hashlib.sha256(data).hexdigest()


def unchanged(depends) -> bool:
    """Whether every (location, SHA-256) still holds: a verdict that used them still stands."""
    return all(current(loc) == digest for loc, digest in depends)


def locate(item, importer: str):
    """(location text, a way to read its bytes, qualifier) of an import, or a sentence why not."""
    if item.module is not None:
        m = _MODULE.match(item.module)
        if m is None:
            return (f"`import {item.module}` names no file: import a file by its path in quotes "
                    f"(`import \"lib/forms.vproof\"`) or the shipped library as `import vecproof.NAME`")
        lib = library_files()
        if m.group(1) not in lib:
            return (f"the shipped library has no file named {m.group(1)} (it has: "
                    f"{', '.join(lib) or 'nothing'}; `vecproof library` lists them)")
        res = lib[m.group(1)]
        return f"{LIBRARY}/library/{res.name}", res.read_bytes, m.group(1)
    base = Path(importer).parent if importer and not importer.startswith("<") else Path(".")
    target = base / item.path
    return str(target), lambda: _read(str(target)), Path(item.path).stem


def _read(location: str) -> bytes:
    """A file's bytes, or the editor's text of it while it is open there (UNSAVED)."""
    unsaved = UNSAVED.get(_canonical(location)) if UNSAVED else None
    return unsaved if unsaved is not None else read_limited(location, MAX_FILE_BYTES)


def load_imports(items, importer: str, options, stack: tuple, citable: Citable, errors: list) -> tuple:
    """Check every file `items` imports, make what they proved citable, and return the (location,
    SHA-256) of every file the importer depends on. Cycles, missing and unreadable files, and
    imports of the library under names it does not have are positioned errors in `errors`."""
    depends: list[tuple[str, str]] = []
    for item in items:
        where = locate(item, importer)
        if isinstance(where, str):
            errors.append(Diagnostic(item.span, dg.IMPORT, where, path=importer))
            continue
        location, read, qualifier = where
        key = _canonical(location)
        if key in stack:
            chain = " → ".join(Path(s).name for s in stack[stack.index(key):] + (key,))
            errors.append(Diagnostic(item.span, dg.IMPORT_CYCLE, f"this import leads back to a file that imports "
                                     f"it: {chain}", path=importer))
            continue
        try:
            data = read()
        except (OSError, ValueError) as err:  # ValueError: a NUL in the path
            errors.append(Diagnostic(item.span, dg.IMPORT, f"cannot import {location}: "
                                     f"{getattr(err, 'strerror', None) or err}", path=importer))
            continue
        if len(data) > MAX_FILE_BYTES:
            errors.append(Diagnostic(item.span, dg.IMPORT, f"cannot import {location}: it is larger than "
                                     f"{MAX_FILE_BYTES} bytes", path=importer))
            continue
        loaded = _check(data, location, qualifier, options, stack + (key,))
        if loaded.result.unreadable:
            errors.append(Diagnostic(item.span, dg.IMPORT, f"cannot import {location}: "
                                     f"{loaded.result.diagnostics[0].message}", path=importer))
            continue
        if any(d.code is dg.IMPORT_CYCLE for d in loaded.result.diagnostics):
            errors.append(Diagnostic(item.span, dg.IMPORT_CYCLE, f"{location} imports, directly or not, a file "
                                     "that imports it", path=importer))
            continue
        _export(loaded, citable, location)
        depends.extend(d for d in loaded.depends if d not in depends)
    return tuple(depends)


def imported(item, importer: str, options=None):
    """(file, text, Loaded) of what the import `item` of `importer` names, checked or from the memo
    as a check of `importer` sees it (`file`: a path, also for the shipped library); None when it
    cannot be read. For the editor's hover and definitions."""
    if options is None:
        from ..options import DEFAULT as options
    where = locate(item, importer)
    if isinstance(where, str):
        return None
    location, read, qualifier = where
    try:
        data = read()
    except (OSError, ValueError):
        return None
    if len(data) > MAX_FILE_BYTES:
        return None
    loaded = _check(data, location, qualifier, options, (_canonical(importer), _canonical(location)))
    if loaded.result.unreadable:
        return None
    file = str(library_files()[qualifier]) if item.module is not None else location
    text = data.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    return file, text, loaded


def _canonical(location: str) -> str:
    """An absolute path for a file (the same however the import spelled it); a library name as it is."""
    if location.startswith(f"{LIBRARY}/library/"):
        return location
    try:
        return str(Path(location).resolve())
    except (OSError, ValueError):
        return location


def _check(data: bytes, location: str, qualifier: str, options, stack: tuple) -> Loaded:
    from .check import check_bytes

    digest = hashlib.sha256(data).hexdigest()
    memo = (location, digest, options.cache_key())
    hit = _MEMO.get(memo)
    if hit is not None:
        _MEMO.move_to_end(memo)
        return hit
    result = check_bytes(data, location, None, options=options, imported_by=stack)
    loaded = Loaded(result, qualifier, ((_canonical(location), digest),) + tuple(result.depends))
    if not any(d.code is dg.IMPORT_CYCLE for d in result.diagnostics):  # a cycle depends on who imported it
        _MEMO[memo] = loaded
        while len(_MEMO) > MEMO_SIZE:
            _MEMO.popitem(last=False)
    return loaded


def _export(loaded: Loaded, citable: Citable, location: str) -> None:
    q = loaded.qualifier
    for t in loaded.result.theorems:
        if t.status == "proved" and t.theorem is not None:
            citable.add_imported(q, Lemma(t.name, t.theorem, loaded.result.scope, t.span, location))
        else:
            why = (f"{q}.{t.name} was only checked for some sizes, not proved, in {location}"
                   if t.status == "unproved" else f"{q}.{t.name} was not proved in {location} (check that file)")
            citable.refused.setdefault(f"{q}.{t.name}", why)
            if t.name not in citable.proved:
                citable.refused.setdefault(t.name, why)
