"""A theorem without a `proof … qed` block parses, and is an error (VP211) at its name: never proved."""

import subprocess
import sys

from harness import assert_codes

from vecproof.options import CheckOptions

HEAD = """layout denominator
dim n
index i, k : n
var x : vector(n)
const A : matrix(n, n)
"""


def test_a_theorem_without_proof_is_an_error_at_its_name():
    result = assert_codes(HEAD + "theorem g: grad(‖x‖², x) = 2 x\n", "VP211", status={"g": "failed"})
    d = result.diagnostics[0]
    assert (d.span.line, d.span.col) == (6, 9)
    assert "vecproof derive" in d.message


def test_proofless_theorems_between_items_each_fail_and_the_rest_is_checked():
    src = HEAD + """theorem a: grad(‖x‖², x) = 2 x
lemma b: x^T A x = x^T A x
var y : vector(n)
theorem c:
  x^T y = y^T x
proof:
     x^T y
   = y^T x        by dot_def
qed
"""
    assert_codes(src, "VP211", "VP211", status={"a": "failed", "b": "failed", "c": "proved"})


def test_a_proofless_theorem_with_an_unknown_name_reports_both():
    assert_codes(HEAD + "theorem g: grad(‖z‖², x) = 2 x\n", "VP211", "VP101", status={"g": "failed"})


def test_never_passes_in_any_mode(tmp_path):
    src = HEAD + "theorem g: grad(‖x‖², x) = 2 x\n"
    assert_codes(src, "VP211", status={"g": "failed"}, options=CheckOptions(exercise=True))
    f = tmp_path / "g.vproof"
    f.write_text(src)
    for extra in ([], ["--strict"], ["--exercise"], ["--format", "json"]):
        run = subprocess.run([sys.executable, "-m", "vecproof", "check", str(f), "--no-cache", *extra],
                             capture_output=True, text=True)
        assert run.returncode == 1, (extra, run.stdout, run.stderr)
        assert "VP211" in run.stdout
