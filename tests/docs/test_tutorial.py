"""docs/tutorial.md never goes stale: every ```vproof block is a named file, and every ```console
block's `$ vecproof …` commands, run (as a subprocess) in a directory holding the files written so
far, print exactly what the tutorial shows, up to the time in the summary line."""

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

TUTORIAL = Path(__file__).resolve().parents[2] / "docs" / "tutorial.md"
BLOCK = re.compile(r"(?:<!-- tutorial: (?P<name>[\w.-]+) -->\n)?```(?P<lang>[\w-]*)\n(?P<body>.*?)^```\n",
                   re.S | re.M)
TIME = re.compile(r"\(\d+\.\d\d s\)$", re.M)


def _blocks():
    """The tutorial's code blocks in order: ('file', name, text) and ('console', command, output)."""
    out = []
    for m in BLOCK.finditer(TUTORIAL.read_text(encoding="utf-8")):
        if m["lang"] == "vproof":
            out.append(("file", m["name"], m["body"]))
        elif m["lang"] == "console":
            for chunk in re.split(r"^(?=\$ )", m["body"], flags=re.M):
                if chunk:
                    command, _, output = chunk.partition("\n")
                    out.append(("console", command, output))
    return out


BLOCKS = _blocks()
COMMANDS = [i for i, b in enumerate(BLOCKS) if b[0] == "console"]


def test_every_vproof_block_is_a_named_file_that_a_later_command_checks():
    assert len(COMMANDS) >= 5
    unchecked = {}  # file name -> it has been written since a command last named it
    for kind, name, _ in BLOCKS:
        if kind == "file":
            assert name, "a ```vproof block without <!-- tutorial: NAME.vproof --> before it"
            assert not unchecked.get(name), f"{name} is rewritten before any command checks it"
            unchecked[name] = True
        else:
            for f in shlex.split(name[2:]):
                unchecked[f] = False
    assert not any(unchecked.values()), f"never checked: {[f for f, u in unchecked.items() if u]}"


@pytest.mark.parametrize("at", COMMANDS, ids=lambda i: BLOCKS[i][1][2:])
def test_command_prints_what_the_tutorial_shows(tmp_path, at):
    for kind, name, text in BLOCKS[:at]:
        if kind == "file":
            (tmp_path / name).write_text(text, encoding="utf-8")
    command, shown = BLOCKS[at][1], BLOCKS[at][2]
    argv = shlex.split(command[2:])
    assert argv[0] == "vecproof", command
    argv = [sys.executable, "-m", "vecproof", *argv[1:]]
    if argv[3] == "check":
        argv.insert(4, "--no-cache")
    run = subprocess.run(argv, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert run.stderr == ""
    assert TIME.sub("(T s)", run.stdout) == TIME.sub("(T s)", shown), (
        f"{command}: the tutorial shows other output; if the change is intended, run python tools/update_tutorial.py")
