"""Check many files: a file-level result cache consulted first, then worker processes for the
rest; results come back in the order the files were given, whatever the number of workers."""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from .cache import Cache, key
from .readfile import read_limited
from .serialize import result_from_dict, result_to_dict


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _cached(cache: Cache, path: str, display: str, options):
    """The cached FileResult of a file whose bytes are unchanged, checked with the same options, or None."""
    from .checker.check import MAX_FILE_BYTES

    try:
        data = read_limited(path, MAX_FILE_BYTES)
    except OSError:
        return None
    hit = cache.get(key("file", options.cache_key(), data), "file")
    if hit is None:
        return None
    from .checker.imports import unchanged

    try:
        if not unchanged(hit.pop("depends", ())):  # an imported file changed: the verdicts may not stand
            return None
        return result_from_dict(dict(hit, path=display))  # rebuilt, so a malformed entry fails here
    except (KeyError, TypeError, ValueError, AttributeError):
        return None  # corrupt or foreign: check again and overwrite it


def check_one(path: str, display: str, cache_dir: str | None, options) -> dict:
    """Check one file (in a worker or in-process); its result as plain data, also cached."""
    from .checker import check_bytes, check_path
    from .checker.check import MAX_FILE_BYTES

    cache = Cache(cache_dir) if cache_dir else None
    try:
        data = read_limited(path, MAX_FILE_BYTES)
    except OSError:
        data = None
    if data is None or len(data) > MAX_FILE_BYTES:  # unreadable, not a regular file or too large: the checker says why
        return result_to_dict(check_path(path, display=display, options=options))
    result = check_bytes(data, display, cache, options=options)
    out = result_to_dict(result)
    if cache is not None and not any(d["code"] in ("VP901", "VP902") for d in out["diagnostics"]):
        cache.put(key("file", options.cache_key(), data), "file", dict(out, depends=[list(d) for d in result.depends]))
    return out


def check_files(files: list[tuple[str, str]], jobs: int = 1, cache_dir: str | None = None,
                on_done=None, options=None) -> list:
    """Check (path, display name) pairs with up to `jobs` processes; FileResults in the order given.
    `on_done(index)` is called as each file finishes (for a progress bar); `options` are
    vecproof.options.CheckOptions (default: none set)."""
    if options is None:
        from .options import DEFAULT as options
    results: list = [None] * len(files)
    todo = []
    cache = Cache(cache_dir) if cache_dir else None
    if cache is not None and not cache.enabled:  # no usable cache key (a note said why): no cache
        cache = cache_dir = None
    for i, (path, display) in enumerate(files):
        hit = _cached(cache, path, display, options) if cache else None
        if hit is not None:
            results[i] = hit
            if on_done:
                on_done(i)
        else:
            todo.append(i)
    if not todo:
        return results
    import gc

    from . import checker  # noqa: F401 - imported once here (and inherited by forked workers)

    gc.freeze()  # the imported heap is permanent: keep the collector off it (the kernel freezes
    # SymPy's too when it imports it lazily, on the first step it decides)
    if jobs <= 1 or len(todo) <= 1:
        for i in todo:
            results[i] = result_from_dict(check_one(*files[i], cache_dir, options))
            if on_done:
                on_done(i)
        return results
    import multiprocessing

    from .syntax.parser import _parser

    _parser()  # built (or loaded) once, before the fork, rather than in every worker
    gc.freeze()
    ctx = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
    with ProcessPoolExecutor(max_workers=min(jobs, len(todo)), mp_context=ctx) as pool:
        futures = {pool.submit(check_one, *files[i], cache_dir, options): i for i in todo}
        for fut in as_completed(futures):
            i = futures[fut]
            try:
                results[i] = result_from_dict(fut.result())
            except Exception as err:  # a worker that died is reported, never a traceback
                results[i] = _failed(files[i][1], err)
            if on_done:
                on_done(i)
    return results


def _failed(display: str, err: Exception):
    from . import diagnostics as dg
    from .diagnostics import Diagnostic, Span
    from .results import FileResult

    return FileResult(display, [Diagnostic(Span.point(1, 1), dg.INTERNAL,
                                           f"internal error, please report it: the worker checking this file "
                                           f"failed ({type(err).__name__}: {err})", path=display)])
