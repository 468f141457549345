"""What all report formats share: the render() entry point, purity, determinism (also across
processes and hash seeds, and for results that came through serialize, as from worker processes),
and how diagnostics are attributed to theorems."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from formats_support import REPO

from vecproof.frontends.formats import FORMATS, render
from vecproof.results import attribute
from vecproof.serialize import result_from_dict, result_to_dict
from vecproof.syntax import ast

ALL = sorted(FORMATS)


def test_formats_and_dispatch():
    assert set(FORMATS) == {"json", "junit", "sarif", "github"}
    with pytest.raises(ValueError, match="unknown report format 'xml'"):
        render("xml", [])
    for fmt in ALL:
        out = render(fmt, [])
        assert isinstance(out, str) and (out == "" or out.endswith("\n"))


@pytest.mark.parametrize("fmt", ALL)
def test_pure(fmt, corpus, in_corpus, capsys):
    before = sorted(os.listdir(in_corpus))
    render(fmt, corpus, root=in_corpus, seconds=1.0)
    assert capsys.readouterr() == ("", "")
    assert sorted(os.listdir(in_corpus)) == before


@pytest.mark.parametrize("fmt", ALL)
def test_results_through_serialize_render_identically(fmt, corpus, example_results, in_corpus):
    """Worker processes send results as result_to_dict data: no parse tree, no scope."""
    for results in (corpus, example_results):
        again = [result_from_dict(result_to_dict(r)) for r in results]
        assert all(r.tree is None for r in again)
        assert render(fmt, again, root=in_corpus, seconds=1.5) == render(fmt, results, root=in_corpus, seconds=1.5)


def _truth(result):
    """Attribution from the parse tree: the theorem whose full extent contains the diagnostic."""
    theorems = [i for i in result.tree.items if isinstance(i, ast.Theorem)] if result.tree else []
    out = {}
    for d in result.diagnostics:
        owner = None
        for k, th in enumerate(theorems):
            if (th.span.line, th.span.col) <= (d.span.line, d.span.col) <= (th.span.end_line, th.span.end_col):
                owner = k
        out[id(d)] = owner
    return out


def test_attribution_matches_the_parse_tree(corpus, example_results):
    """Renderers see only serialized data; their rule for "which theorem is this diagnostic in"
    must agree with the real theorem extents."""
    checked = 0
    for r in list(corpus) + list(example_results):
        truth = _truth(r)
        files, per = attribute(r)
        got = {id(d): None for d in files}
        for k, ds in enumerate(per):
            got.update({id(d): k for d in ds})
        assert got == truth, r.path
        checked += len(truth)
    assert checked > 40


SCRIPT = r"""
import os, sys
from pathlib import Path
from vecproof.checker import check_path
from vecproof.frontends.formats import FORMATS, render
os.chdir(sys.argv[1])
files = sorted(p for p in Path("examples").rglob("*.vproof"))
results = [check_path(p, display=p.as_posix()) for p in files]
out = "".join(render(f, results, seconds=1.0) for f in sorted(FORMATS))
sys.stdout.buffer.write(out.encode("utf-8"))
"""


def test_byte_identical_across_processes_and_hash_seeds():
    procs = [subprocess.Popen([sys.executable, "-c", SCRIPT, str(REPO)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, env=dict(os.environ, PYTHONHASHSEED=seed))
             for seed in ("1", "2")]
    outs = [p.communicate(timeout=120) for p in procs]
    for p, (_, err) in zip(procs, outs):
        assert p.returncode == 0, err.decode()
    assert outs[0][0] and outs[0][0] == outs[1][0]


def _block(text: str, heading: str, lang: str) -> str:
    section = text[text.index(heading):]
    start = section.index(f"```{lang}\n") + len(f"```{lang}\n")
    return section[start:section.index("```", start)]


def test_docs_examples_are_real_output(tmp_path, monkeypatch):
    """docs/formats.md shows the github and junit output for two files verbatim."""
    from formats_support import BAD, WARN

    from vecproof.checker import check_path

    (tmp_path / "proofs").mkdir()
    (tmp_path / "proofs" / "quadratic.vproof").write_text(BAD, encoding="utf-8")
    (tmp_path / "proofs" / "quadratic_warn.vproof").write_text(WARN, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    results = [check_path(p, display=p) for p in ("proofs/quadratic.vproof", "proofs/quadratic_warn.vproof")]
    docs = (REPO / "docs" / "formats.md").read_text(encoding="utf-8")
    assert _block(docs, "## `github`", "") == render("github", results)
    assert _block(docs, "## `junit`", "xml") == render("junit", results, seconds=0.84)
