"""`vecproof check --exercise` and the [tool.vecproof] table of pyproject.toml, as a user runs them."""

import json
import os
import subprocess
import sys

import pytest
from proofs import SQUARED_NORM_GRADIENT

PROOF = SQUARED_NORM_GRADIENT
CITES_ALGEBRA = PROOF.replace("by product_rule", "by algebra")
UNEXPLAINED = PROOF.replace("by product_rule", "by norm_def")


def run(*args, cwd):
    env = {k: v for k, v in os.environ.items() if k != "VECPROOF_CACHE_KEY"}
    return subprocess.run([sys.executable, "-m", "vecproof", "check", "--no-progress", *args],
                          capture_output=True, text=True, cwd=cwd, env=env, timeout=300)


@pytest.fixture
def project(tmp_path):
    (tmp_path / ".git").mkdir()  # the search for pyproject.toml stops here
    proofs = tmp_path / "proofs"
    proofs.mkdir()
    (proofs / "algebra.vproof").write_text(CITES_ALGEBRA, encoding="utf-8")
    (proofs / "unexplained.vproof").write_text(UNEXPLAINED, encoding="utf-8")
    return tmp_path


def table(project, text):
    (project / "pyproject.toml").write_text(f"[project]\nname = 'course'\n\n[tool.vecproof]\n{text}\n",
                                            encoding="utf-8")


def codes(r):
    return sorted(d["code"] for f in json.loads(r.stdout)["files"] for d in f["diagnostics"])


def levels(r):
    return sorted((d["code"], d["severity"]) for f in json.loads(r.stdout)["files"] for d in f["diagnostics"])


def test_the_exercise_flag(project):
    normal = run("--format", "json", "proofs", cwd=project)
    assert normal.returncode == 0 and levels(normal) == [("VP202", "warning")]
    exercise = run("--format", "json", "--exercise", "proofs", cwd=project)
    assert exercise.returncode == 1 and levels(exercise) == [("VP202", "error"), ("VP209", "error")]


def test_the_table_gives_defaults_found_from_a_subdirectory_and_flags_override_it(project):
    table(project, 'exercise = true\nformat = "json"\njobs = 1\ncache-dir = "build/vpcache"\ncolor = "never"')
    r = run("algebra.vproof", cwd=project / "proofs")
    assert r.returncode == 1 and codes(r) == ["VP209"]  # exercise and json from the table
    assert list((project / "build" / "vpcache").rglob("*.json"))  # relative to pyproject.toml
    r = run("--no-exercise", "--format", "text", "algebra.vproof", cwd=project / "proofs")
    assert r.returncode == 0 and "proved: theorem squared_norm_gradient" in r.stdout


def test_strict_and_no_cache_from_the_table(project):
    table(project, "strict = true\nno-cache = true")
    r = run("proofs/unexplained.vproof", cwd=project)
    assert r.returncode == 1 and "warning[VP202]" in r.stdout
    assert not (project / ".vecproof_cache").exists()
    assert run("--no-strict", "proofs/unexplained.vproof", cwd=project).returncode == 0
    run("--cache", "proofs/unexplained.vproof", cwd=project)
    assert (project / ".vecproof_cache").exists()


@pytest.mark.parametrize("text, named", [
    ("exercize = true", "'exercise'"),  # a misspelt key, with the suggestion
    ('exercise = "yes"', "exercise must be true or false"),
    ("jobs = 0", "jobs must be an integer"),
    ('format = "xml"', "format must be"),
    ("exercise = [", "not valid TOML"),
])
def test_a_wrong_table_is_a_usage_error_naming_the_key(project, text, named):
    table(project, text)
    r = run("proofs", cwd=project)
    assert r.returncode == 2 and named in r.stderr and "pyproject.toml" in r.stderr
    assert r.stdout == ""


def test_the_search_stops_at_the_repository_root(project):
    table(project, "exercise = true")
    inner = project / "inner"
    inner.mkdir()
    (inner / ".git").mkdir()  # a nested repository with no table of its own
    (inner / "algebra.vproof").write_text(CITES_ALGEBRA, encoding="utf-8")
    assert run("algebra.vproof", cwd=inner).returncode == 0
    assert run("algebra.vproof", cwd=project / "proofs").returncode == 1
