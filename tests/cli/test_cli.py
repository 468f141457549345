"""The `vecproof` command as a user runs it: output format and exit codes."""

import re
import subprocess
import sys

import pytest
from proofs import QUADRATIC_FORM_GRADIENT

GOOD = QUADRATIC_FORM_GRADIENT
BAD = GOOD.replace("= sum(j, A[k,j] x[j]) + sum(i, A[i,k] x[i])", "= 2 sum(j, A[k,j] x[j])           ")
WARN = GOOD.replace("by index_collapse", "by product_rule  ")


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "vecproof", *args], capture_output=True, text=True, cwd=cwd)


@pytest.fixture
def files(tmp_path):
    (tmp_path / "good.vproof").write_text(GOOD, encoding="utf-8")
    (tmp_path / "bad.vproof").write_text(BAD, encoding="utf-8")
    (tmp_path / "warn.vproof").write_text(WARN, encoding="utf-8")
    (tmp_path / "binary.vproof").write_bytes(b"\x00\x01garbage")
    return tmp_path


def test_all_proved_exits_0_and_says_what_was_proved(files):
    r = run("check", str(files / "good.vproof"))
    assert r.returncode == 0, r.stdout + r.stderr
    assert re.search(r"good\.vproof:7:9: proved: theorem quadratic_form_gradient \(for all n; assuming A "
                     r"independent of x\)", r.stdout)
    assert "1 file; 1 theorem: 1 proved, 0 not proved; 4 steps: 4 proved, 0 false; 0 errors, 0 warnings" in r.stdout


def test_false_step_exits_1_with_compiler_style_output(files):
    r = run("check", str(files / "bad.vproof"))
    assert r.returncode == 1
    lines = r.stdout.splitlines()
    head = [i for i, line in enumerate(lines) if "error[VP201]" in line]
    assert head, r.stdout
    h = head[0]
    assert re.match(r".*bad\.vproof:13:6: error\[VP201\]: this step is false", lines[h])
    assert lines[h + 1].startswith(" 13 |    = 2 sum(j, A[k,j] x[j])")
    caret = lines[h + 2]
    assert caret.index("^") == lines[h + 1].index("2 sum")
    assert any(line.strip().startswith("= counterexample: n = ") for line in lines[h:h + 8])


def test_warnings_pass_unless_strict(files):
    r = run("check", str(files / "warn.vproof"))
    assert r.returncode == 0
    assert "warning[VP202]" in r.stdout
    assert run("check", "--strict", str(files / "warn.vproof")).returncode == 1


def test_unreadable_input_exits_2(files):
    r = run("check", str(files / "binary.vproof"))
    assert r.returncode == 2
    assert "binary.vproof:1:1: error[VP002]" in r.stdout
    missing = run("check", str(files / "nope.vproof"))
    assert missing.returncode == 2
    assert "no such file or directory" in missing.stderr


def test_usage_errors_exit_2():
    assert run().returncode == 2
    assert run("check").returncode == 2
    assert run("frobnicate").returncode == 2


def test_directories_are_searched_in_a_stable_order(files):
    (files / "binary.vproof").unlink()
    r = run("check", "-q", str(files))
    assert r.returncode == 1
    paths = [line.split(":")[0] for line in r.stdout.splitlines() if ".vproof:" in line]
    assert paths == sorted(paths)
    assert "proved: theorem" not in r.stdout  # -q


def test_version_and_rules():
    v = run("--version")
    assert v.returncode == 0 and v.stdout.startswith("vecproof ")
    rules = run("rules")
    assert rules.returncode == 0
    for name in ("expand_sums", "product_rule", "index_collapse", "matvec_def", "algebra"):
        assert name in rules.stdout


def test_a_file_that_declares_its_expected_diagnostic_passes_when_it_is_reported(files):
    (files / "expected.vproof").write_text("# expect: VP201\n" + BAD, encoding="utf-8")
    r = run("check", str(files / "expected.vproof"))
    assert r.returncode == 0, r.stdout
    assert "error[VP201]" not in r.stdout  # one line by default; the diagnostics with -v
    assert "error[VP201]" in run("check", "-v", str(files / "expected.vproof")).stdout
    assert "expected.vproof:1:1: rejected as declared (expect: VP201)" in r.stdout
    assert "1 file (1 rejected as declared)" in r.stdout


def test_a_declared_diagnostic_that_is_not_reported_fails(files):
    (files / "unmet.vproof").write_text("# expect: VP201\n" + GOOD, encoding="utf-8")
    r = run("check", str(files / "unmet.vproof"))
    assert r.returncode == 1
    assert "unmet.vproof:1:1: error[VP004]" in r.stdout
