#!/usr/bin/env python
"""The language server as an editor sees it: a real client (pygls's) talking to `python -m vecproof
lsp` over stdio, timing what the user waits for.

  start      from spawning the server process to the first diagnostics of a document opened right
             after the handshake (interpreter start, imports, the handshake, the first check):
             a fresh process per run; for the largest example and for a 200-step document. Two
             figures: the first publication (a partial result, if the server sends one) and the
             complete one (no theorem pending). The floor, timed between the starts: a process that
             imports pygls's server and exits (what any pygls server pays before it answers)
  edit       from sending a one-step edit (didChange) of the 200-step document to receiving the
             diagnostics of that version (publishDiagnostics); one server, warm, the edits spread
             over the document; every edit changes a step's index expression, so the kernel decides
             that step again. Three kinds of edit:
               in place        a step's text changes on its line
               adding a line   a step is split over two lines (every later theorem moves down)
               outside proofs  a comment on a declaration line changes (a whole-file check)
             each with the server's default debounce delay (100 ms) and with none (`debounce: 0`,
             the server's own work)

  lemma      from editing a lemma in an open file to the re-published diagnostics of another open
             file whose 20 theorems cite it through `import` (`--lemma` runs only this one)

Figures are medians (with the 90th percentile, min and max) of --runs runs. The client announces
the capabilities of VS Code captured by pytest-lsp when it is installed (UTF-16 positions).

--before DIR measures a second server side by side, in the same run: the vecproof source tree in DIR
(`git archive COMMIT | tar -x -C DIR`), run from there with PYTHONPATH=DIR and this environment;
every figure is taken for both, alternating.

Usage:  .venv/bin/python benchmarks/bench_lsp.py [--runs N] [--start-runs N] [--lemma] [--before DIR]
                                                 [--json PATH]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

from lsprotocol import types as lsp
from pygls.lsp.client import LanguageClient

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_cold import compile_sources
from corpus import HEAD, linear_theorem, norm_theorem, quadratic_theorem

ROOT = Path(__file__).resolve().parents[1]
SERVER = [sys.executable, "-m", "vecproof", "lsp"]
TARGETS = {"edit": 0.050, "start": 1.0}  # issue 10: a one-step edit, and the start, of the 200-step document


def document() -> str:
    """A file of 200 proof steps: 4 three-step and 47 four-step theorems, each with its own
    coefficients (so no two are the same mathematics); all of it proved."""
    parts = [HEAD.format(seed=0, k=0, layout="denominator", n="n", m="m")]
    for t in range(51):
        a, b = 2 + t, 3 + 2 * t
        if t < 4:
            parts.append(norm_theorem(f"t{t}", a, False))
        elif t % 2:
            parts.append(linear_theorem(f"t{t}", a, False))
        else:
            parts.append(quadratic_theorem(f"t{t}", a, b, False))
    return "".join(parts)


def capabilities() -> lsp.ClientCapabilities:
    try:
        from pytest_lsp import client_capabilities

        return client_capabilities("visual-studio-code")
    except Exception:  # pytest-lsp not installed: a client that offers nothing special
        return lsp.ClientCapabilities()


class Client:
    """A pygls client that notes when each diagnostics notification arrives."""

    def __init__(self, tree: Path | None = None):
        self.tree = tree  # the vecproof source tree to run the server from (None: this one)
        self.lsp = LanguageClient("vecproof-bench", "1")
        self.published: list[tuple[float, lsp.PublishDiagnosticsParams]] = []

        @self.lsp.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def _published(ls, params):
            self.published.append((time.perf_counter(), params))

        @self.lsp.feature(lsp.WINDOW_LOG_MESSAGE)
        def _log(ls, params):
            pass

    async def start(self, debounce: int | None = None) -> None:
        if self.tree is None:
            await self.lsp.start_io(*SERVER, cwd=str(ROOT))
        else:
            await self.lsp.start_io(*SERVER, cwd=str(self.tree), env={**os.environ, "PYTHONPATH": str(self.tree)})
        options = None if debounce is None else {"debounce": debounce}
        await self.lsp.initialize_async(lsp.InitializeParams(capabilities=capabilities(), process_id=os.getpid(),
                                                             initialization_options=options))
        self.lsp.initialized(lsp.InitializedParams())

    async def diagnostics(self, uri: str, version: int, timeout: float = 60.0, final: bool = True):
        """(when, diagnostics) of the first publication of `version`; with `final`, the first that is
        not a partial result (one whose diagnostics say some theorems are pending)."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            for at, p in self.published:
                if p.uri == uri and p.version == version and not (final and partial(p)):
                    return at, p.diagnostics
            await asyncio.sleep(0.001)
        raise TimeoutError(f"no diagnostics for {uri} version {version}")

    def open(self, uri: str, text: str) -> None:
        self.lsp.text_document_did_open(lsp.DidOpenTextDocumentParams(lsp.TextDocumentItem(uri, "vproof", 1, text)))

    def change(self, uri: str, version: int, text: str) -> None:
        self.lsp.text_document_did_change(lsp.DidChangeTextDocumentParams(
            lsp.VersionedTextDocumentIdentifier(uri=uri, version=version),
            [lsp.TextDocumentContentChangeWholeDocument(text=text)]))

    async def stop(self) -> None:
        try:
            await asyncio.wait_for(self.lsp.shutdown_async(None), 10)
            self.lsp.exit(None)
        finally:
            await self.lsp.stop()


FLOOR = [sys.executable, "-c", "import pygls.lsp.server"]  # what any pygls server imports before it answers


def time_floor() -> float:
    """Seconds a process takes to import pygls's server (lsprotocol's types are most of it) and exit."""
    t0 = time.perf_counter()
    subprocess.run(FLOOR, check=True)
    return time.perf_counter() - t0


def partial(p: lsp.PublishDiagnosticsParams) -> bool:
    return any(isinstance(d.data, dict) and "pending" in d.data for d in p.diagnostics)


async def time_start(text: str, tree: Path | None = None) -> tuple[float, float]:
    """Seconds from spawning the server to the first diagnostics of a document, and to its complete ones."""
    client = Client(tree)
    uri = "file:///bench/start.vproof"
    t0 = time.perf_counter()
    await client.start()
    client.open(uri, text)
    at, _ = await client.diagnostics(uri, 1)
    first = min(when for when, p in client.published if p.uri == uri)
    await client.stop()
    return first - t0, at - t0


def edits(text: str, kind: str, runs: int):
    """`runs` successive versions of `text`, each one edit away from the one before."""
    lines = text.split("\n")
    decls = [k for k, line in enumerate(lines[:12]) if line.startswith(("const", "var", "func"))]
    for r in range(1, runs + 1):
        if kind == "outside proofs":
            k = decls[r % len(decls)]
            lines[k] = lines[k].split("  #")[0] + f"  # edit {r}"
        else:
            steps = [k for k, line in enumerate(lines) if line.lstrip().startswith("= ") and " by " in line]
            k = steps[(len(steps) // 3 + 37 * r) % len(steps)]  # spread over the document
            body, rule = lines[k].rsplit(" by ", 1)
            body = f"{body} + {r} - {r}"
            lines[k:k + 1] = [body, f"      by {rule}"] if kind == "adding a line" else [f"{body} by {rule}"]
        yield "\n".join(lines)


async def time_edits(text: str, kind: str, runs: int, debounce: int | None, tree: Path | None = None) -> list[float]:
    client = Client(tree)
    uri = "file:///bench/edit.vproof"
    await client.start(debounce)
    client.open(uri, text)
    _, first = await client.diagnostics(uri, 1)
    assert not first, [d.message for d in first]
    out = []
    for version, new in enumerate(edits(text, kind, runs), start=2):
        await asyncio.sleep(0.25)  # a pause, as between edits in an editor (and after the debounce)
        t0 = time.perf_counter()
        client.change(uri, version, new)
        at, got = await client.diagnostics(uri, version)
        assert not got, [d.message for d in got]
        out.append(at - t0)
    await client.stop()
    return out


LEMMA_STEP = "   = ((A + A^T) x)[k]                                                    by matvec_def"


def lemma_files(tmp: Path) -> tuple[Path, Path]:
    """lib.vproof (the lemma quad: ∇xᵀAx = (A + Aᵀ)x) and main.vproof (20 theorems citing it)."""
    sys.path.insert(0, str(ROOT / "tests"))
    from proofs import QUAD_LIBRARY

    lib, main = tmp / "lib.vproof", tmp / "main.vproof"
    lib.write_text(QUAD_LIBRARY, encoding="utf-8")
    consts = "".join(f"const M{k} : matrix(m, m)\n" for k in range(20))
    theorems = "".join(f"theorem t{k}:\n  grad(y^T M{k} y, y) = (M{k} + M{k}^T) y\nproof:\n     grad(y^T M{k} y, y)\n"
                       f"   = (M{k} + M{k}^T) y      by quad\nqed\n\n" for k in range(20))
    main.write_text('import "lib.vproof"\nlayout denominator\ndim m\nvar y : vector(m)\n' + consts + "\n" + theorems,
                    encoding="utf-8")
    return lib, main


async def time_lemma_edits(runs: int) -> list[float]:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        lib, main = lemma_files(Path(tmp))
        client = Client()
        await client.start()
        client.open(lib.as_uri(), lib.read_text(encoding="utf-8"))
        client.open(main.as_uri(), main.read_text(encoding="utf-8"))
        _, first = await client.diagnostics(main.as_uri(), 1)
        assert not first, [d.message for d in first]
        out = []
        text = lib.read_text(encoding="utf-8")
        assert LEMMA_STEP in text
        for version in range(2, runs + 2):
            await asyncio.sleep(0.25)
            seen = len(client.published)
            t0 = time.perf_counter()
            client.change(lib.as_uri(), version, text.replace(LEMMA_STEP, LEMMA_STEP.replace(
                ")[k]  ", f" + {version} x - {version} x)[k]", 1)))
            while True:  # the importer is published again (its own version is unchanged)
                again = [(at, p) for at, p in client.published[seen:] if p.uri == main.as_uri()]
                if again:
                    break
                if time.perf_counter() - t0 > 60:
                    raise TimeoutError("the importing file was not checked again")
                await asyncio.sleep(0.001)
            at, params = again[0]
            assert not params.diagnostics, [d.message for d in params.diagnostics]
            out.append(at - t0)
        await client.stop()
        return out


def describe(xs: list[float]) -> dict:
    xs = sorted(xs)
    p90 = xs[min(len(xs) - 1, round(0.9 * (len(xs) - 1)))]
    return {"median": statistics.median(xs), "p90": p90, "min": xs[0], "max": xs[-1], "runs": len(xs)}


def ms(x: float) -> str:
    return f"{x * 1000:.0f} ms"


async def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=15, help="edits per kind of edit (default 15)")
    ap.add_argument("--start-runs", type=int, default=5, help="server starts per document (default 5)")
    ap.add_argument("--lemma", action="store_true", help="only the lemma scenario")
    ap.add_argument("--before", type=Path, help="also measure the vecproof source tree in this directory")
    ap.add_argument("--json", type=Path, help="write the figures here")
    a = ap.parse_args()
    if a.lemma:
        got = describe(await time_lemma_edits(a.runs))
        print(f"lemma edit -> importer (20 citing theorems) re-published: median {ms(got['median'])}  "
              f"p90 {ms(got['p90'])}  (min {ms(got['min'])}, max {ms(got['max'])}, {got['runs']} runs)")
        if a.json:
            a.json.write_text(json.dumps({"lemma": got}, indent=2), encoding="utf-8")
        return

    sides = {"before": a.before.resolve(), "after": None} if a.before else {"after": None}
    compile_sources(ROOT, *([a.before] if a.before else []))  # .pyc files written, as installed
    big = document()
    example = (ROOT / "examples" / "000_vector_derivatives.vproof").read_text(encoding="utf-8")
    print(f"{os.cpu_count()} cores, {platform.system()}, Python {platform.python_version()}; "
          f"200-step document: {big.count(chr(10)) + 1} lines, {big.count('theorem ')} theorems, "
          f"{sum(1 for line in big.split(chr(10)) if line.lstrip().startswith('= '))} steps"
          + (f"; before: {a.before}" if a.before else ""))
    figures: dict = {side: {} for side in sides}

    def show(label: str, got: dict[str, list[float]]) -> None:
        parts = []
        for side, xs in got.items():
            d = describe(xs)
            figures[side][label] = d
            parts.append(f"{side + ' ' if len(sides) > 1 else ''}median {ms(d['median'])} p90 {ms(d['p90'])} "
                         f"(min {ms(d['min'])}, max {ms(d['max'])}, {d['runs']} runs)")
        print(f"  {label:58s} " + "   |   ".join(parts))

    print("\nstart: server spawn -> diagnostics (a fresh process per run, the sides alternating)")
    floor: list[float] = []
    for name, text in (("examples/000_vector_derivatives.vproof", example), ("200-step document", big)):
        first: dict = {side: [] for side in sides}
        final: dict = {side: [] for side in sides}
        for _ in range(a.start_runs):
            floor.append(time_floor())
            for side, tree in sides.items():
                f, c = await time_start(text, tree)
                first[side].append(f)
                final[side].append(c)
        show(f"start: {name}, first diagnostics", first)
        show(f"start: {name}, complete", final)
    d = describe(floor)
    for side in sides:
        figures[side]["floor"] = d
    print(f"  {'floor: ' + ' '.join(FLOOR[1:]):58s} median {ms(d['median'])} (min {ms(d['min'])}, max {ms(d['max'])}, "
          f"{d['runs']} runs, between the starts)")

    print("\nedit: didChange -> publishDiagnostics of that version, 200-step document")
    for debounce, label in ((None, "default debounce"), (0, "debounce 0 (the server's own work)")):
        for kind in ("in place", "adding a line", "outside proofs"):
            got = {side: await time_edits(big, kind, a.runs, debounce, tree) for side, tree in sides.items()}
            show(f"edit: {kind}, {label}", got)

    after = figures["after"]
    edit = after["edit: in place, default debounce"]["median"]
    start = after["start: 200-step document, first diagnostics"]["median"]
    whole = after["start: 200-step document, complete"]["median"]
    print(f"\ntargets: one-step edit -> diagnostics {ms(edit)} (target ≤ {ms(TARGETS['edit'])}: "
          f"{'met' if edit <= TARGETS['edit'] else 'missed'}); start -> first diagnostics of the 200-step document "
          f"{ms(start)}, complete {ms(whole)} (target ≤ {TARGETS['start']:.1f} s: "
          f"{'met' if start <= TARGETS['start'] else 'missed'})")
    if a.json:
        a.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")


if __name__ == "__main__":
    asyncio.run(main())
