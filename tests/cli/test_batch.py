"""Batch checking: worker processes, deterministic order, the result cache, globs."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from vecproof.cache import Cache
from vecproof.checker import check_text
from vecproof.serialize import result_to_dict

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

TWO = """layout denominator
dim n
index i, j, k : n
var x : vector(n)
const A : matrix(n, n)

theorem first: grad(x^T x) = 2 x
proof (component k):
  d(x^T x)/dx[k]
  = d/dx[k] sum(i, x[i] x[i]) by expand_sums
  = sum(i, delta(i,k) x[i] + x[i] delta(i,k)) by product_rule
  = 2 x[k] by index_collapse
qed

theorem second: grad(x^T A x) = (A + A^T) x
proof (component k):
  d(x^T A x)/dx[k]
  = sum(j, A[k,j] x[j]) + sum(i, A[i,k] x[i]) by expand_sums, product_rule, index_collapse
  = 3 (A x)[k] by matvec_def
qed
"""


def run(*args, cwd):
    r = subprocess.run([sys.executable, "-m", "vecproof", *args], capture_output=True, text=True, cwd=cwd)
    return r


def _stable(out: str) -> str:
    return re.sub(r"\(\d+\.\d+ s\)", "(T s)", out)


@pytest.fixture
def corpus(tmp_path):
    for k in range(6):
        (tmp_path / f"f{k}.vproof").write_text(TWO if k % 2 else TWO.replace("3 (A x)[k]", "(A x)[k] + (A^T x)[k]"),
                                               encoding="utf-8")
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "g.vproof").write_text(TWO, encoding="utf-8")
    return tmp_path


def test_output_is_identical_whatever_the_number_of_workers(corpus):
    one = run("check", "--no-cache", "-j", "1", ".", cwd=corpus)
    two = run("check", "--no-cache", "-j", "2", ".", cwd=corpus)
    assert one.returncode == two.returncode == 1
    assert _stable(one.stdout) == _stable(two.stdout)
    assert "f1.vproof" in one.stdout and "sub/g.vproof" in one.stdout


def test_warm_cache_gives_the_same_report_and_writes_entries(corpus):
    cold = run("check", "-j", "2", ".", cwd=corpus)
    entries = list((corpus / ".vecproof_cache").rglob("*.json"))
    assert entries, "nothing was cached"
    assert (corpus / ".vecproof_cache" / "CACHEDIR.TAG").exists()
    warm = run("check", "-j", "2", ".", cwd=corpus)
    assert _stable(cold.stdout) == _stable(warm.stdout)
    assert cold.returncode == warm.returncode == 1


def test_no_cache_and_cache_dir(corpus, tmp_path_factory):
    run("check", "--no-cache", ".", cwd=corpus)
    assert not (corpus / ".vecproof_cache").exists()
    elsewhere = tmp_path_factory.mktemp("cache")
    run("check", "--cache-dir", str(elsewhere), ".", cwd=corpus)
    assert list(elsewhere.rglob("*.json"))
    assert not (corpus / ".vecproof_cache").exists()


def test_corrupt_and_foreign_entries_are_ignored_and_rewritten(corpus):
    cold = run("check", ".", cwd=corpus)
    entries = sorted((corpus / ".vecproof_cache").rglob("*.json"))
    for k, e in enumerate(entries):
        if k % 3 == 0:
            e.write_text("{not json", encoding="utf-8")
        elif k % 3 == 1:  # a well-formed entry that claims everything is proved, under another key
            data = json.loads(e.read_text(encoding="utf-8"))
            data["key"] = "0" * 64
            e.write_text(json.dumps(data), encoding="utf-8")
        else:  # right key, nonsense data
            data = json.loads(e.read_text(encoding="utf-8"))
            data["data"] = {"theorem": 3}
            e.write_text(json.dumps(data), encoding="utf-8")
    again = run("check", ".", cwd=corpus)
    assert _stable(again.stdout) == _stable(cold.stdout)
    for e in entries:  # rewritten with good content
        json.loads(e.read_text(encoding="utf-8"))["data"]


def test_concurrent_runs_share_a_cache_safely(corpus):
    procs = [subprocess.Popen([sys.executable, "-m", "vecproof", "check", "-j", "1", "."], cwd=corpus,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(3)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [1, 1, 1]
    assert len({_stable(o) for o, _ in outs}) == 1
    assert not list((corpus / ".vecproof_cache").rglob(".tmp-*"))


def test_theorem_cache_reuses_unchanged_theorems_and_moves_their_positions(tmp_path):
    cache = Cache(tmp_path / "c")
    first = check_text(TWO, "a.vproof", cache)
    assert cache.hits == 0
    edited = TWO.replace("const A : matrix(n, n)\n", "const A : matrix(n, n)\n\n# a new comment\n\n")
    edited = edited.replace("= 2 x[k] by index_collapse", "= 2 x[k]  by index_collapse")
    again = check_text(edited, "a.vproof", cache)
    fresh = check_text(edited, "a.vproof")
    assert cache.hits >= 1  # `second` unchanged (moved down 3 lines), `first` edited
    assert result_to_dict(again) == result_to_dict(fresh)
    bad = [d for d in again.diagnostics if d.code.id == "VP201"][0]
    assert bad.span.line == [d for d in first.diagnostics if d.code.id == "VP201"][0].span.line + 3


def test_quoted_globs_are_expanded(corpus):
    r = run("check", "--no-cache", "-q", "**/g.vproof", cwd=corpus)
    assert "sub/g.vproof" in r.stdout and "f1.vproof" not in r.stdout
    assert run("check", "nothing*.vproof", cwd=corpus).returncode == 2
