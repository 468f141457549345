"""Open documents and their checks: debounced, run in a worker thread, tagged with the version.

The rules: a change waits `delay` seconds for the next one (typing is not checked keystroke by
keystroke); one check at a time per document, in a worker thread, so the server keeps answering;
every check is tagged with the document version it read, and its diagnostics are published only if
that is still the document's version and the document is still open — a result for an older
version is never published over a newer one, and a document closed while it is being checked gets
nothing. A finished check is kept even when it is not published: the next check starts from it
(recheck.py re-checks only the theorem an edit falls in).

A document's first check (on open: everything is checked cold) publishes partial results on the
way, at most every `partial` seconds: the diagnostics of the theorems checked so far, with the
names of those still pending (`publish(…, pending=…)`). A long document (FIRST_LOOK theorems or
more) shows its first theorem before the whole text is even parsed (recheck.first_look). Partial
results are published only while that version is current and its check is running; the check's
final result replaces them.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from pygls.uris import to_fs_path

from ...checker import imports
from ...results import FileResult
from ...syntax import ast
from . import queries
from .recheck import Checked, first_look, recheck

log = logging.getLogger(__name__)

WORKER_STACK = 64 * 1024 * 1024  # the checker recurses deeply (its recursion limit is 12 000 frames);
# a thread's default stack can be far smaller than the main thread's (128 KiB on musl)


class Document:
    def __init__(self, uri: str, version: int | None, text: str):
        self.uri = uri
        self.version = version
        self.text = text
        self.checked: Checked | None = None  # the latest check, of `checked_version`
        self.checked_version: int | None = None
        self.parsed: Checked | None = None  # the latest check whose text parsed (names, symbols)
        self.closed = False
        self.cost = 0.0  # seconds the latest check of this document took (its thread's CPU time)
        self.changed_at = time.monotonic()  # when the text last changed (opened, edited)
        self.lock = asyncio.Lock()
        self.fresh = asyncio.Event()  # set when `checked` is of the current version (or closed)


def normalise(text: str) -> str:
    """Line breaks as the checker reads them (\\r\\n and \\r are \\n); columns do not change."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def path_of(uri: str) -> str:
    """The file a document is checked as: a file: URI's path (imports are relative to it), else the URI."""
    return (to_fs_path(uri) or uri) if uri.startswith("file:") else uri


def _file(uri: str) -> str:
    """The absolute path of a document's file, as imports name it."""
    return str(Path(path_of(uri)).resolve())


FIRST_LOOK = 10  # theorems: a document opened with fewer is checked whole before anything is shown


def _work(text: str, path: str, previous: Checked | None, progress=None) -> Checked:
    if previous is None and progress is not None:
        try:
            look = first_look(text, path, FIRST_LOOK)
        except Exception:  # a first look is an optimisation: any surprise means waiting for the whole check
            look = None
        if look is not None:
            progress(*look)
    checked = recheck(text, path, previous, progress)
    if checked is not previous:
        checked.fixes = queries.fixes(checked)
        checked.citable = queries.citable(checked)
    return checked


def _timed_work(text: str, path: str, previous: Checked | None, progress=None) -> tuple[Checked, float]:
    """_work and the CPU time it took in this thread (wall time would count a busy machine)."""
    start = time.thread_time()
    checked = _work(text, path, previous, progress)
    return checked, time.thread_time() - start


FIRST_CHECK_WAIT = 10.0  # seconds a request waits for a document's first check (a cold start)
MIN_DELAY = 0.005  # the shortest wait after a change: lets a burst of keystrokes arrive together


def debounce(cap: float, cost: float, quiet: float = 0.0) -> float:
    """How long to wait after a change before checking: none for a lone edit (the text had not
    changed for `quiet` ≥ cap seconds before it) of a document whose last check cost at most half
    the cap; else twice what that check cost, within [MIN_DELAY, cap]. Waiting exists so that a
    check is not wasted on text about to change; when a check costs 15 ms, a 100 ms wait only
    delays the answer (a stale result is never published anyway: checks are tagged with the
    version). A keystroke after a pause is checked at once; the ones that follow it wait."""
    if quiet >= cap and 2 * cost <= cap:
        return 0.0
    return max(min(MIN_DELAY, cap), min(cap, 2 * cost))


PARTIAL_EVERY = 0.1  # seconds between partial results while a document is first checked


class Documents:
    def __init__(self, publish, delay: float = 0.1, partial: float = PARTIAL_EVERY):
        self.open: dict[str, Document] = {}
        self.publish = publish  # publish(document, checked, version, pending=None)
        self.delay = delay
        self.partial = partial
        self._pool: ThreadPoolExecutor | None = None
        self._tasks: set[asyncio.Task] = set()

    @property
    def pool(self) -> ThreadPoolExecutor:
        if self._pool is None:
            previous = threading.stack_size(WORKER_STACK)
            try:
                self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="vecproof-check")
                self._pool.submit(int).result()  # start the worker thread now, with that stack
            finally:
                threading.stack_size(previous)
        return self._pool

    # -- the client's notifications
    def opened(self, uri: str, version: int | None, text: str) -> None:
        old = self.open.pop(uri, None)
        if old is not None:
            old.closed = True
        self.open[uri] = doc = Document(uri, version, normalise(text))
        imports.UNSAVED[_file(uri)] = doc.text.encode("utf-8", "surrogatepass")
        self._schedule(doc, 0.0)
        self._importers_of(uri)

    def changed(self, uri: str, version: int | None, text: str) -> None:
        doc = self.open.get(uri)
        if doc is None:
            return
        doc.version, doc.text = version, normalise(text)
        imports.UNSAVED[_file(uri)] = doc.text.encode("utf-8", "surrogatepass")
        doc.fresh.clear()
        now = time.monotonic()
        quiet, doc.changed_at = now - doc.changed_at, now
        self._schedule(doc, debounce(self.delay, doc.cost, quiet))
        self._importers_of(uri)

    def saved(self, uri: str) -> None:
        doc = self.open.get(uri)
        if doc is not None:
            self._schedule(doc, 0.0)
        self._importers_of(uri)

    def _importers_of(self, uri: str) -> None:
        """Check again every open document that imports the file of `uri`, directly or not."""
        path = _file(uri)
        for doc in list(self.open.values()):
            if doc.checked is not None and any(loc == path for loc, _ in doc.checked.result.depends):
                doc.fresh.clear()
                self._schedule(doc, 0.0)

    def closed(self, uri: str) -> None:
        doc = self.open.pop(uri, None)
        if doc is not None:
            doc.closed = True
            doc.fresh.set()
        if imports.UNSAVED.pop(_file(uri), None) is not None:
            self._importers_of(uri)  # they read the file again, not the editor's text

    # -- for requests
    async def current(self, uri: str, timeout: float = 2.0) -> Document | None:
        """The open document, once its check has caught up with its version (or after `timeout`:
        then `checked` may be of an earlier version; before the first check, FIRST_CHECK_WAIT)."""
        doc = self.open.get(uri)
        if doc is not None and not doc.fresh.is_set():
            if doc.checked is None:  # nothing to answer with before the first check: wait longer for it
                timeout = max(timeout, FIRST_CHECK_WAIT)
            try:
                await asyncio.wait_for(doc.fresh.wait(), timeout)
            except TimeoutError:
                pass
        return doc

    def shutdown(self) -> None:
        for doc in self.open.values():
            doc.closed = True
            imports.UNSAVED.pop(_file(doc.uri), None)
        self.open.clear()
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)

    # -- checking
    def _schedule(self, doc: Document, delay: float) -> None:
        task = asyncio.ensure_future(self._check(doc, doc.version, delay))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _check(self, doc: Document, version, delay: float) -> None:
        if delay:
            await asyncio.sleep(delay)  # debounce: a newer change makes this check moot
        async with doc.lock:
            if doc.closed or doc.version != version:
                return
            if (doc.checked is None or doc.checked_version != version or doc.checked.text != doc.text
                    or not imports.unchanged(doc.checked.result.depends)):
                loop = asyncio.get_running_loop()
                progress = self._progress(doc, version, loop) if doc.checked is None else None
                try:
                    checked, doc.cost = await loop.run_in_executor(self.pool, _timed_work, doc.text, path_of(doc.uri),
                                                                   doc.checked, progress)
                except Exception:  # check_text never raises; anything here is a bug in this package
                    log.exception("checking %s failed", doc.uri)
                    return
                doc.checked, doc.checked_version = checked, version
                if checked.result.tree is not None:
                    doc.parsed = checked
        if doc.closed or doc.version != version:
            return  # the document moved on while this version was checked: never published
        doc.fresh.set()
        self.publish(doc, doc.checked, version)

    def _progress(self, doc: Document, version, loop):
        """The checker's per-theorem callback for a document's first check (run in the worker thread):
        at most every `partial` seconds, the result so far goes to the event loop to be published.
        A first look (`pending` given: the theorems it did not check) is published at once."""
        text, last = doc.text, time.monotonic()

        def progress(result: FileResult, pending=None) -> None:
            nonlocal last
            now = time.monotonic()
            if pending is None:
                if now - last < self.partial or result.tree is None:
                    return
                pending = [i.name for i in result.tree.items if isinstance(i, ast.Theorem)][len(result.theorems):]
            if pending:
                last = now
                so_far = FileResult(result.path, list(result.diagnostics), list(result.theorems),
                                    scope=result.scope, tree=result.tree)
                loop.call_soon_threadsafe(self._partial, doc, version, Checked(text, so_far), pending)
        return progress

    def _partial(self, doc: Document, version, so_far: Checked, pending) -> None:
        if not doc.closed and doc.version == version and doc.checked is None:  # its check is still running
            self.publish(doc, so_far, version, pending)
