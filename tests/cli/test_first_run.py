"""The first run a newcomer sees: README's main command prints a short, clean report; a file
rejected as declared is one line (its diagnostics with -v); a failed run says what failed it."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _vecproof(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "vecproof", "check", "--no-cache", *args],
                          capture_output=True, text=True, cwd=cwd, timeout=300)


def test_readme_main_command_prints_no_diagnostic_blocks_for_deliberately_wrong_files():
    proc = _vecproof("examples/")
    assert proc.returncode == 0, proc.stdout
    bad = sorted((ROOT / "examples" / "bad").glob("*.vproof"))
    assert proc.stdout.count(": rejected as declared (expect: ") == len(bad)
    assert "error[" not in proc.stdout and "warning[" not in proc.stdout
    assert "failed:" not in proc.stdout


def test_verbose_shows_the_diagnostics_of_files_rejected_as_declared():
    proc = _vecproof("-v", "examples/bad/unknown_rule.vproof")
    assert proc.returncode == 0
    assert "error[VP106]" in proc.stdout and "rejected as declared" in proc.stdout


def test_strict_summary_says_what_failed_the_run(tmp_path):
    text = (ROOT / "examples" / "bad" / "no_rule_cited.vproof").read_text(encoding="utf-8")
    (tmp_path / "w.vproof").write_text(text.split("\n", 1)[1], encoding="utf-8")  # without its header
    proc = _vecproof("--strict", "w.vproof", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stdout.strip().splitlines()[-1] == "failed: 1 file with warnings (--strict)"
    relaxed = _vecproof("w.vproof", cwd=tmp_path)
    assert relaxed.returncode == 0 and "failed:" not in relaxed.stdout
