"""The result cache is never a reason to believe a proof: only entries carrying a valid HMAC under
the user's cache key (kept outside the cache folder) are used; anything else is ignored and rewritten."""

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

HEAD = """layout denominator
dim n
index i, k : n
var x : vector(n)
"""

TRUE = HEAD + """
theorem norm_gradient: grad(x^T x) = 2 x
proof (component k):
  d(x^T x)/dx[k]
  = d/dx[k] sum(i, x[i] x[i]) by expand_sums
  = sum(i, delta(i,k) x[i] + x[i] delta(i,k)) by product_rule
  = 2 x[k] by index_collapse
qed
"""

FALSE = TRUE.replace("= 2 x[k] by index_collapse", "= 3 x[k] by index_collapse").replace("= 2 x\n", "= 3 x\n")


def _untimed(report: str) -> list[str]:
    """The text report without its summary line, which ends with the run's time."""
    return [line for line in report.split("\n") if not line.endswith(" s)")]


def run(*args, cwd, state, env_key=None):
    env = {k: v for k, v in os.environ.items() if k != "VECPROOF_CACHE_KEY"}
    env["XDG_STATE_HOME"] = str(state)
    if env_key is not None:
        env["VECPROOF_CACHE_KEY"] = env_key
    return subprocess.run([sys.executable, "-m", "vecproof", "check", "--no-progress", *args],
                          capture_output=True, text=True, cwd=cwd, env=env, timeout=300)


@pytest.fixture
def project(tmp_path):
    (tmp_path / "true.vproof").write_text(TRUE, encoding="utf-8")
    (tmp_path / "false.vproof").write_text(FALSE, encoding="utf-8")
    return tmp_path


@pytest.fixture
def state(tmp_path_factory):
    return tmp_path_factory.mktemp("state")


def entries(project, kind):
    out = {}
    for e in (project / ".vecproof_cache").rglob("*.json"):
        data = json.loads(e.read_text(encoding="utf-8"))
        if data["kind"] == kind:
            out[e] = data
    return out


def file_entry(project, name):
    """The path and content of the file-level entry vecproof wrote for `name`."""
    [(path, entry)] = [(p, e) for p, e in entries(project, "file").items() if e["data"]["path"] == name]
    return path, entry


def test_the_false_file_fails(project, state):
    r = run("false.vproof", cwd=project, state=state)
    assert r.returncode == 1 and "VP201" in r.stdout


def test_a_true_files_entry_copied_under_the_false_files_key_is_not_believed(project, state):
    assert run(".", cwd=project, state=state).returncode == 1
    _, good = file_entry(project, "true.vproof")
    forged, bad = file_entry(project, "false.vproof")  # its name is a public hash: anyone can compute it
    forged.write_text(json.dumps(dict(good, key=bad["key"])), encoding="utf-8")
    r = run("false.vproof", cwd=project, state=state)
    assert r.returncode == 1 and "VP201" in r.stdout
    # ignored and rewritten: the next run believes the rewritten entry, which says "failed"
    assert json.loads(forged.read_text(encoding="utf-8"))["data"]["theorems"][0]["status"] == "failed"
    before = forged.stat().st_ino
    r = run("false.vproof", cwd=project, state=state)
    assert r.returncode == 1 and "VP201" in r.stdout
    assert forged.stat().st_ino == before  # a hit: not written again


def test_a_theorem_entry_edited_to_proved_is_not_believed(project, state):
    assert run("false.vproof", cwd=project, state=state).returncode == 1
    for path in entries(project, "file"):
        path.unlink()  # so the per-theorem entry is consulted
    [(path, entry)] = entries(project, "theorem").items()
    entry["data"]["theorem"]["status"] = "proved"
    for step in entry["data"]["theorem"]["steps"]:
        step["status"] = "proved"
    entry["data"]["diagnostics"] = []
    path.write_text(json.dumps(entry), encoding="utf-8")
    r = run("false.vproof", cwd=project, state=state)
    assert r.returncode == 1 and "VP201" in r.stdout


def test_one_tampered_byte_is_not_believed(project, state):
    assert run("false.vproof", cwd=project, state=state).returncode == 1
    [(path, entry)] = entries(project, "file").items()
    text = path.read_text(encoding="utf-8")
    assert '"failed"' in text
    path.write_text(text.replace('"failed"', '"proved"', 1), encoding="utf-8")  # MAC field kept as it was
    r = run("false.vproof", cwd=project, state=state)
    assert r.returncode == 1 and "VP201" in r.stdout


def test_entries_written_under_another_key_are_ignored_and_rewritten(project, state):
    first = run(".", cwd=project, state=state, env_key="key one " * 4)
    written = {p: p.stat().st_ino for p in (project / ".vecproof_cache").rglob("*.json")}
    assert written
    other = run(".", cwd=project, state=state, env_key="key two " * 4)
    assert _untimed(other.stdout) == _untimed(first.stdout)
    assert all(p.stat().st_ino != ino for p, ino in written.items())  # every entry rewritten
    again = {p: p.stat().st_ino for p in written}
    run(".", cwd=project, state=state, env_key="key two " * 4)
    assert {p: p.stat().st_ino for p in written} == again  # and now believed: no rewrite
    assert not (state / "vecproof" / "cache.key").exists()  # the environment's key: no key file


def test_the_warm_cache_still_hits(project, state):
    cold = run(".", cwd=project, state=state)
    written = {p: p.stat().st_ino for p in (project / ".vecproof_cache").rglob("*.json")}
    assert len(written) >= 4  # two files, one theorem each
    warm = run(".", cwd=project, state=state)
    assert warm.returncode == cold.returncode == 1
    assert _untimed(warm.stdout) == _untimed(cold.stdout)
    assert {p: p.stat().st_ino for p in written} == written


def test_the_key_file_is_created_private_and_outside_the_cache(project, state):
    run(".", cwd=project, state=state)
    keyfile = state / "vecproof" / "cache.key"
    assert stat.S_IMODE(keyfile.stat().st_mode) == 0o600
    assert stat.S_IMODE(keyfile.parent.stat().st_mode) == 0o700
    secret = keyfile.read_bytes()
    assert not any(secret in p.read_bytes() for p in (project / ".vecproof_cache").rglob("*") if p.is_file())


def test_a_first_run_with_two_workers_creates_one_key_that_every_entry_agrees_with(tmp_path, state):
    for k in range(6):
        (tmp_path / f"f{k}.vproof").write_text(TRUE.replace("norm_gradient", f"g{k}"), encoding="utf-8")
    procs = [subprocess.Popen([sys.executable, "-m", "vecproof", "check", "--no-progress", "-j", "2", "."],
                              cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env={**{k: v for k, v in os.environ.items() if k != "VECPROOF_CACHE_KEY"},
                                   "XDG_STATE_HOME": str(state)}) for _ in range(2)]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    assert [p.name for p in (state / "vecproof").iterdir()] == ["cache.key"]  # no temporary left behind
    written = {p: p.stat().st_ino for p in (tmp_path / ".vecproof_cache").rglob("*.json")}
    assert run(".", cwd=tmp_path, state=state).returncode == 0
    assert {p: p.stat().st_ino for p in written} == written  # every entry valid under the one key


def test_concurrent_creation_of_the_key_agrees(state):
    code = ("import sys; from vecproof.cache import load_secret; sys.stdout.write(load_secret().hex())")
    env = {**{k: v for k, v in os.environ.items() if k != "VECPROOF_CACHE_KEY"}, "XDG_STATE_HOME": str(state)}
    procs = [subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, env=env)
             for _ in range(6)]
    keys = {p.communicate(timeout=60)[0] for p in procs}
    assert len(keys) == 1 and len(keys.pop()) == 64


def test_a_key_file_others_can_read_disables_the_cache(project, state):
    run("true.vproof", cwd=project, state=state)
    keyfile = state / "vecproof" / "cache.key"
    keyfile.chmod(0o644)
    written = {p: p.stat().st_ino for p in (project / ".vecproof_cache").rglob("*.json")}
    r = run("false.vproof", "true.vproof", cwd=project, state=state)
    assert r.returncode == 1
    assert "cache disabled" in r.stderr and str(keyfile) in r.stderr and "chmod 600" in r.stderr
    assert {p: p.stat().st_ino for p in (project / ".vecproof_cache").rglob("*.json")} == written


def test_no_place_for_the_key_disables_the_cache_without_failing_the_run(project, tmp_path_factory):
    blocked = tmp_path_factory.mktemp("blocked") / "file"
    blocked.write_text("not a directory")  # XDG_STATE_HOME names a file: the key cannot be created
    r = run(".", cwd=project, state=blocked)
    assert r.returncode == 1 and "VP201" in r.stdout
    assert r.stderr.count("cache disabled") == 1
    assert not (project / ".vecproof_cache").exists()
    assert run("true.vproof", cwd=project, state=blocked).returncode == 0


def test_a_cache_entry_that_is_a_symlink_is_not_followed(project, state):
    assert run(".", cwd=project, state=state).returncode == 1
    good_path, _ = file_entry(project, "true.vproof")
    forged, _ = file_entry(project, "false.vproof")
    forged.unlink()
    elsewhere = project / "fifo"
    os.mkfifo(elsewhere)  # following it would block the run forever
    forged.symlink_to(elsewhere)
    r = run("false.vproof", cwd=project, state=state)
    assert r.returncode == 1 and "VP201" in r.stdout
    assert not forged.is_symlink()
    assert Path(good_path).exists()
