"""The LALR parser saved per user ($XDG_CACHE_HOME/vecproof/, vecproof/syntax/grammar.py): the second
process loads it instead of building it, and a file or directory that someone else could have
written is never read."""

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

# Parses a file in a fresh process; says whether Lark built the parser (Lark.__init__: a build;
# Lark.load does not call it) and whether the parse gave the right tree.
PROBE = """
import json, sys
import lark
built = []
init = lark.Lark.__init__
def counting_init(self, *a, **k):
    built.append(1)
    init(self, *a, **k)
lark.Lark.__init__ = counting_init
from vecproof.syntax import ParseFailure, parse
f = parse("dim n\\nvar x : vector(n)\\ntheorem t: x = x\\nproof:\\n  x\\n  = x by algebra\\nqed\\n")
try:
    parse("dim n\\ntheorem t: (x = x\\nproof: x qed\\n")
    failed = False
except ParseFailure:
    failed = True
print(json.dumps({"built": len(built), "items": len(f.items), "syntax_error": failed}))
"""


def run_probe(cache_home: Path) -> dict:
    env = dict(os.environ, XDG_CACHE_HOME=str(cache_home))
    r = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=120,
                       check=True)
    out = json.loads(r.stdout)
    assert out["items"] == 3 and out["syntax_error"], out  # the parser works, however it was made
    return out


def saved(cache_home: Path) -> list[Path]:
    return sorted((cache_home / "vecproof").glob("parser-*.json"))


def test_the_second_process_loads_the_saved_parser(tmp_path):
    assert run_probe(tmp_path)["built"] == 1
    [path] = saved(tmp_path)
    assert stat.S_IMODE((tmp_path / "vecproof").stat().st_mode) == 0o700
    assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0
    before = path.stat().st_mtime_ns
    assert run_probe(tmp_path)["built"] == 0
    assert path.stat().st_mtime_ns == before


@pytest.mark.parametrize("mode", [0o666, 0o620], ids=["world-writable", "group-writable"])
def test_a_saved_parser_others_can_write_is_ignored(tmp_path, mode):
    run_probe(tmp_path)
    [path] = saved(tmp_path)
    path.chmod(mode)
    assert run_probe(tmp_path)["built"] == 1


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to give a file away")
def test_a_saved_parser_owned_by_another_user_is_ignored(tmp_path):
    run_probe(tmp_path)
    [path] = saved(tmp_path)
    os.chown(path, 65534, 65534)
    assert run_probe(tmp_path)["built"] == 1


def test_a_cache_directory_others_can_enter_is_not_used(tmp_path):
    (tmp_path / "vecproof").mkdir(mode=0o755)
    (tmp_path / "vecproof").chmod(0o755)
    assert run_probe(tmp_path)["built"] == 1
    assert saved(tmp_path) == []  # nothing written there either
    assert run_probe(tmp_path)["built"] == 1


def test_a_symlinked_saved_parser_is_ignored(tmp_path):
    run_probe(tmp_path)
    [path] = saved(tmp_path)
    real = tmp_path / "elsewhere.json"
    path.rename(real)
    path.symlink_to(real)
    assert run_probe(tmp_path)["built"] == 1


def test_a_damaged_saved_parser_is_rebuilt_and_replaced(tmp_path):
    run_probe(tmp_path)
    [path] = saved(tmp_path)
    good = path.read_bytes()
    path.write_bytes(good[: len(good) // 2])
    assert run_probe(tmp_path)["built"] == 1
    assert run_probe(tmp_path)["built"] == 0  # the rebuilt parser was saved in its place


def test_a_saved_parser_of_another_grammar_is_not_loaded(tmp_path):
    run_probe(tmp_path)
    [path] = saved(tmp_path)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["digest"] = "0" * 64
    path.write_text(json.dumps(data), encoding="utf-8")
    assert run_probe(tmp_path)["built"] == 1
