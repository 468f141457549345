"""A cold run pays only for what it uses: SymPy (the kernel's exact cross-check) is imported when a
step is first decided, never for a file that does not parse; once imported, its heap is frozen like
the rest (gc.freeze(), vecproof/batch.py). Profiling a run works, and the cold-run benchmark
(benchmarks/bench_cold.py, _stages.py) measures what it says."""

import json
import os
import pstats
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

# Runs the CLI's main() (not run(), which leaves through os._exit) and reports on the process after it.
PROBE = """
import gc, json, sys
from vecproof.frontends.cli import main
rc = main(sys.argv[1:])
sys.stdout.flush()
unfrozen_sympy_classes = sum(1 for o in gc.get_objects()
                             if isinstance(o, type) and o.__module__.startswith("sympy"))
print(json.dumps({"rc": rc, "sympy": "sympy" in sys.modules, "unfrozen": unfrozen_sympy_classes}),
      file=sys.stderr)
"""


def probe(*args, cwd) -> tuple[dict, str]:
    r = subprocess.run([sys.executable, "-c", PROBE, *args], cwd=cwd, capture_output=True, text=True,
                       timeout=120)
    return json.loads(r.stderr.strip().splitlines()[-1]), r.stdout


PROOF = """layout denominator
dim n
index i, k : n
var x : vector(n)

theorem norm_gradient: grad(x^T x) = 2 x
proof (component k):
  d(x^T x)/dx[k]
  = sum(i, delta(i,k) x[i] + x[i] delta(i,k)) by expand_sums, product_rule
  = 2 x[k] by index_collapse
qed
"""

SYNTAX_ERROR = """dim n
var x : vector(n)

theorem t: x = x
proof:
  x
  = (x + x by algebra
qed
"""


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_file_with_a_syntax_error_does_not_import_sympy(tmp_path, jobs):
    (tmp_path / "broken.vproof").write_text(SYNTAX_ERROR, encoding="utf-8")
    out, text = probe("check", "--no-cache", "-j", jobs, "broken.vproof", cwd=tmp_path)
    assert out["rc"] == 1
    assert "error[VP001]" in text
    assert not out["sympy"]


def test_a_proof_does_not_import_sympy(tmp_path):
    """Proved steps are cross-checked by exact evaluation at points (plain integers): SymPy is needed
    only for a false step's counterexample search."""
    (tmp_path / "good.vproof").write_text((EXAMPLES / "000_vector_derivatives.vproof").read_text(encoding="utf-8"),
                                          encoding="utf-8")
    out, _ = probe("check", "--no-cache", "-j", "1", "good.vproof", cwd=tmp_path)
    assert out["rc"] == 0
    assert not out["sympy"]


def test_proofs_and_slips_with_inverses_do_not_import_sympy(tmp_path):
    """Inverses and determinants are cross-checked and searched for counterexamples by exact
    evaluation at points (kernel/inverse.py): no SymPy, even for a false step."""
    for name in ("cookbook/determinants.vproof", "cookbook/inverses.vproof", "bad/logdet_missing_transpose.vproof"):
        (tmp_path / name.replace("/", "_")).write_text((EXAMPLES / name).read_text(encoding="utf-8"), encoding="utf-8")
    out, _ = probe("check", "--no-cache", "-j", "1", ".", cwd=tmp_path)
    assert out["rc"] == 0
    assert not out["sympy"]
def test_proofs_with_functions_import_neither_sympy_nor_mpmath(tmp_path):
    """exp, log, σ, softmax, … are cross-checked at points modulo a prime too; interval arithmetic
    (mpmath) serves only a false step's counterexample."""
    for path in sorted((EXAMPLES / "ml").glob("*.vproof")):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    r = subprocess.run([sys.executable, "-c", PROBE.replace('"sympy": "sympy" in sys.modules',
                                                            '"sympy": "sympy" in sys.modules or "mpmath" in sys.modules'),
                        "check", "--no-cache", "-j", "1", "."], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    out = json.loads(r.stderr.strip().splitlines()[-1])
    assert out["rc"] == 0 and not out["sympy"], r.stdout


def test_a_false_step_imports_sympy_and_freezes_its_heap(tmp_path):
    bad = (EXAMPLES / "bad" / "square_of_sum.vproof").read_text(encoding="utf-8").split("\n", 1)[1]  # no header
    (tmp_path / "bad.vproof").write_text(bad, encoding="utf-8")
    out, text = probe("check", "--no-cache", "-j", "1", "bad.vproof", cwd=tmp_path)
    assert out["rc"] == 1 and "error[VP201]" in text
    assert out["sympy"]
    assert out["unfrozen"] == 0  # imported after the batch's gc.freeze(), then frozen as well


COLLECTIONS = """
import gc, sys
import vecproof.checker
if sys.argv[1] == "preloaded":
    import vecproof.kernel.grid
gc.freeze()
collections = []
gc.callbacks.append(lambda phase, info: collections.append(1) if phase == "stop" else None)
from vecproof.checker import check_text
assert check_text(sys.stdin.read()).theorems[0].status == "proved"
print(len(collections))
"""


def test_the_lazy_sympy_import_runs_no_collection_in_a_frozen_process():
    """Collecting while SymPy is imported is wasted work (its objects are permanent): a process that
    froze its heap checks a proof with about as many collections as if SymPy had been imported first."""
    counts = {}
    for mode in ("lazy", "preloaded"):
        r = subprocess.run([sys.executable, "-c", COLLECTIONS, mode], input=PROOF, capture_output=True,
                           text=True, timeout=120, check=True)
        counts[mode] = int(r.stdout)
    assert counts["lazy"] - counts["preloaded"] < 20, counts  # ~120 young collections if not paused


def test_a_profiled_run_writes_its_profile(tmp_path):
    """`python -m cProfile -m vecproof check …`: the CLI's fast exit (os._exit) is skipped under a profiler."""
    (tmp_path / "good.vproof").write_text(PROOF, encoding="utf-8")
    out = tmp_path / "check.prof"
    r = subprocess.run([sys.executable, "-m", "cProfile", "-o", str(out), "-m", "vecproof", "check", "--no-cache",
                        "good.vproof"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    stats = pstats.Stats(str(out)).stats
    assert any(name == "check_text" and path.endswith("check.py") for path, _, name in stats)


BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def test_the_stage_timer_sees_every_decide_the_checker_makes(tmp_path):
    (tmp_path / "good.vproof").write_text(PROOF, encoding="utf-8")
    r = subprocess.run([sys.executable, str(BENCHMARKS / "_stages.py"), str(tmp_path / "good.vproof")],
                       capture_output=True, text=True, timeout=120, check=True,
                       env=dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache")))
    stages = json.loads(r.stdout)
    assert stages["steps"] == 2
    assert stages["decide_calls"] >= 2 and stages["decide"] > 0


def test_bench_cold_says_how_to_run_it():
    r = subprocess.run([sys.executable, str(BENCHMARKS / "bench_cold.py"), "--help"], capture_output=True,
                       text=True, timeout=60, check=True)
    assert "--only-commands" in r.stdout


@pytest.mark.slow  # ~25 s: a dozen commands, each in two cold processes
def test_bench_cold_times_a_tiny_examples_folder(tmp_path):
    (tmp_path / "good.vproof").write_text(PROOF, encoding="utf-8")
    r = subprocess.run([sys.executable, str(BENCHMARKS / "bench_cold.py"), "--runs", "1", "--only-commands",
                        "--examples", str(tmp_path)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "UNEXPECTED" not in r.stdout
    assert "first run (no saved parser): -j 2" in r.stdout
