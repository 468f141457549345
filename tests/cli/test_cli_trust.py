"""Regressions for the "Trust" issue, through the `vecproof` command as a user runs it: huge numbers
in every report format, non-regular files, control characters in the text report, a closed pipe."""

import json
import os
import re
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


# ---- item 10: control characters from the user's text are shown escaped ---------------------------------

RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")
CONTROLS = ("layout denominator\ndim n\nindex k : n\nvar x : vector(n)\n"
            "theorem t: d(x[k])/dx[\x1b[31mk\x07\x9b\u202e] = 1 # \x1b]0;title\x07 \u202e \x9b2J\n"
            "proof: 1 qed\n")


@pytest.fixture
def controls(tmp_path):
    (tmp_path / "ctl.vproof").write_text(CONTROLS, encoding="utf-8")
    (tmp_path / "bell.vproof").write_text("var c : scalar\ntheorem t: c = c \x07 c\nproof: c qed\n", encoding="utf-8")
    return tmp_path


def _caret_under(out: str, line_text: str, shown: str) -> None:
    """The carets under the source line containing `line_text` mark exactly `shown`."""
    lines = out.splitlines()
    k = next(i for i, line in enumerate(lines) if line_text in line and " | " in line)
    src, caret = lines[k], lines[k + 1]
    start = caret.index("^")
    assert src[start:len(caret)] == shown, (src, caret)


def test_text_report_escapes_controls_and_keeps_the_caret(controls):
    p = run("check", "ctl.vproof", "bell.vproof", "--no-cache", cwd=controls)
    assert p.returncode == 1
    assert not RAW_CONTROL.search(p.stdout), repr(p.stdout)
    assert "'\\x1b[31mk\\x07\\x9b\\u202e' is not an index" in p.stdout
    assert "# \\x1b]0;title\\x07 \\u202e \\x9b2J" in p.stdout
    _caret_under(p.stdout, "theorem t: d(x[k])", "\\x1b[31mk\\x07\\x9b\\u202e")
    _caret_under(p.stdout, "theorem t: c = c", "\\x07")


def test_coloured_text_report_escapes_controls(controls):
    p = run("check", "ctl.vproof", "--no-cache", "--color", "always", cwd=controls)
    assert "\x07" not in p.stdout and "\x9b" not in p.stdout and "\u202e" not in p.stdout
    assert "\\x1b[31mk\\x07" in p.stdout


@pytest.mark.parametrize("fmt", ["json", "sarif", "junit", "github"])
def test_other_formats_carry_no_raw_controls(controls, fmt):
    p = run("check", "ctl.vproof", "--no-cache", "--format", fmt, cwd=controls)
    assert p.returncode == 1 and "VP001" in p.stdout
    assert not RAW_CONTROL.search(p.stdout.replace("\n", "")), repr(p.stdout)
    if fmt == "json":  # escaped as JSON escapes: the message reads back exactly
        [d] = json.loads(p.stdout)["files"][0]["diagnostics"]
        assert d["message"].startswith("'\x1b[31mk\x07\x9b\u202e' is not an index")
    if fmt == "junit":
        import xml.etree.ElementTree as ET

        ET.fromstring(p.stdout)


def test_lone_carriage_returns_end_lines_in_the_report_as_in_the_checker(tmp_path):
    (tmp_path / "cr.vproof").write_bytes(b"var c : scalar\rtheorem t: c = c \x07 c\rproof: c qed\r")
    p = run("check", "cr.vproof", "--no-cache", cwd=tmp_path)
    assert "cr.vproof:2:18: error[VP001]" in p.stdout
    _caret_under(p.stdout, "theorem t: c = c", "\\x07")


# ---- item 11: a reader that goes away (`| head -1`) ends the run quietly with status 141 ---------------


@pytest.mark.parametrize("args", [["check", "{dir}", "--no-cache"], ["check", "{dir}", "--format", "json"],
                                  ["rules"]])
def test_closed_pipe_exits_quietly(tmp_path, args):
    (tmp_path / "good.vproof").write_text(GOOD, encoding="utf-8")
    r, w = os.pipe()
    os.close(r)  # the reader is gone before anything is written
    try:
        p = subprocess.run([sys.executable, "-m", "vecproof", *(a.format(dir=tmp_path) for a in args)], stdout=w,
                           stderr=subprocess.PIPE, text=True, timeout=60)
    finally:
        os.close(w)
    assert p.returncode == 141 and "Traceback" not in p.stderr and "BrokenPipeError" not in p.stderr, p.stderr
