"""Regressions for the "Trust" issue, through the `vecproof` command as a user runs it: huge numbers
in every report format, non-regular files, control characters in the text report, a closed pipe."""

import json
import subprocess
import sys

import pytest

BIG = "9" * 100
HUGE = f"""var c : scalar
theorem big: ({BIG} c)^64 = 0
proof: ({BIG} c)^64 = 0 by algebra
qed
theorem ok: c = c
proof: c = c by algebra
qed
"""


def run(*args, cwd=None, timeout=60):
    return subprocess.run([sys.executable, "-m", "vecproof", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=timeout)


@pytest.mark.parametrize("fmt", ["text", "json", "junit", "sarif", "github"])
def test_huge_counterexample_in_every_format(tmp_path, fmt):
    (tmp_path / "big.vproof").write_text(HUGE, encoding="utf-8")
    p = run("check", "big.vproof", "--no-cache", "--format", fmt, cwd=tmp_path)
    assert p.returncode == 1, p.stderr
    assert "VP201" in p.stdout and "VP902" not in p.stdout and "6,400 digits" in p.stdout
    if fmt == "json":
        [f] = json.loads(p.stdout)["files"]
        assert [t["status"] for t in f["theorems"]] == ["failed", "proved"]
