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


# ---- item 9: a FIFO or a device is refused with VP002 at once, never read -------------------------------


def _limit_memory():
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))  # a regression must fail, not eat the machine


def run_bounded(*args, cwd=None):
    """`vecproof` with 2 GiB of address space and 30 s: a read of /dev/zero or a FIFO fails the test."""
    return subprocess.run([sys.executable, "-m", "vecproof", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=30, preexec_fn=_limit_memory)


GOOD = "var c : scalar\ntheorem t: c = c\nproof: c = c by algebra\nqed\n"


@pytest.fixture
def specials(tmp_path):
    import os

    d = tmp_path / "proofs"
    d.mkdir()
    (d / "good.vproof").write_text(GOOD, encoding="utf-8")
    os.mkfifo(d / "pipe.vproof")
    (d / "zero.vproof").symlink_to("/dev/zero")
    return d


@pytest.mark.parametrize("extra", [["--no-cache"], [], ["-j", "2", "--no-cache"], ["--format", "json"]])
def test_fifo_and_device_in_a_directory(specials, extra):
    p = run_bounded("check", str(specials), *extra, cwd=specials.parent)
    assert p.returncode == 2, p.stderr
    if "json" in extra:
        files = {f["path"].rsplit("/", 1)[-1]: f for f in json.loads(p.stdout)["files"]}
        assert files["good.vproof"]["passed"]
        for name in ("pipe.vproof", "zero.vproof"):
            assert files[name]["unreadable"] and files[name]["diagnostics"][0]["code"] == "VP002"
        return
    for name in ("pipe.vproof", "zero.vproof"):
        assert f"proofs/{name}:1:1: error[VP002]" in p.stdout, p.stdout
    assert "proved: theorem t" in p.stdout


@pytest.mark.parametrize("target", ["pipe.vproof", "zero.vproof", "/dev/zero"])
def test_fifo_or_device_named_on_the_command_line(specials, target):
    p = run_bounded("check", target, "--no-cache", cwd=specials)
    assert p.returncode == 2 and f"{target}:1:1: error[VP002]" in p.stdout, (p.stdout, p.stderr)
