"""Test data and helpers for the report-format tests.

Published schemas the report tests validate against, fetched at test time from package registries
(never committed): Microsoft's SARIF 2.1.0 JSON schema from the npm package @microsoft/jest-sarif,
and Jenkins' JUnit XSD (junit-10.xsd) from pytest's source distribution on PyPI. Each is fetched
once with the registry's own client (npm pack, pip download), checked against a pinned SHA-256 and
kept in a cache directory: $VECPROOF_TEST_CACHE, else $XDG_CACHE_HOME/vecproof-test, else
~/.cache/vecproof-test. Without the client or the network the test is skipped, saying why."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import pytest
from proofs import QUADRATIC_FORM_GRADIENT

SARIF_PACKAGE = "@microsoft/jest-sarif@1.0.0-beta.0"
SARIF_MEMBER = "package/lib/schemas/sarif-2.1.0-rtm.5.json"
SARIF_SHA256 = "2d99159ae54a3eea97f81781cff48780548657c35949f4b7f25e99a2ba4de4f8"

JUNIT_SDIST = "pytest==9.0.2"
JUNIT_MEMBER = "pytest-9.0.2/testing/example_scripts/junit-10.xsd"
JUNIT_SHA256 = "a1a816f58d1bf95ebabf371994df0b9246dee66ea9572fbec4f9296f1b2c0ff6"

TIMEOUT = 300

# --- the crafted corpus ---------------------------------------------------------------------------

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"

GOOD = QUADRATIC_FORM_GRADIENT
BAD = GOOD.replace("= sum(j, A[k,j] x[j]) + sum(i, A[i,k] x[i])", "= 2 sum(j, A[k,j] x[j])           ")
WARN = GOOD.replace("by index_collapse", "by product_rule  ")
UNPROVED = """layout denominator
dim n
index i, k : n
var x : vector(n)

theorem count_partial_range:
  sum(i = 1..n-1, 2) = 2 n - 2
proof:
     sum(i = 1..n-1, 2)
   = 2 (n - 1)                          by index_collapse
   = 2 n - 2                            by algebra
qed
"""
# Two theorems with a bad declaration between them, and an unknown rule cited on the line after the
# last step's expression: attribution must put each diagnostic in the right place.
MIXED = """layout denominator
dim n
index i, k : n
var x : vector(n)

theorem first:
  grad(norm(x)^2) = 2 x
proof (component k):
     d(norm(x)^2)/dx[k]
   = d(sum(i, x[i]^2))/dx[k]            by norm_def
   = sum(i, 2 x[i] delta(i, k))         by product_rule
   = 2 x[k]
     by no_such_rule
qed

var x : vector(n)

theorem second:
  grad(norm(x)^2) = 2 x
proof (component k):
     d(norm(x)^2)/dx[k]
   = d(sum(i, x[i]^2))/dx[k]            by norm_def
   = sum(i, 3 x[i] delta(i, k))         by product_rule
   = 3 x[k]                             by index_collapse
qed
"""
SYNTAX = "layout denominator\ndim n\ntheorem t:\n  n = = n\n"
EXPECT_UNMET = "# expect: VP201\n" + GOOD
CONTROL = "dim n\x01\n"

# name -> bytes (None: the file is not created, so it is missing)
CORPUS: dict[str, bytes | None] = {
    "good.vproof": GOOD.encode(),
    "bad.vproof": BAD.encode(),
    "warn.vproof": WARN.encode(),
    "unproved.vproof": UNPROVED.encode(),
    "mixed.vproof": MIXED.encode(),
    "syntax.vproof": SYNTAX.encode(),
    "control.vproof": CONTROL.encode(),
    "empty.vproof": b"",
    "expect_unmet.vproof": EXPECT_UNMET.encode(),
    "binary.vproof": b"\x00\x01garbage",
    "latin1.vproof": "dim n\n# caf\xe9\n".encode("latin-1"),
    "missing.vproof": None,
    "sub dir/we%ird, na:me & <x> \"q\".vproof": BAD.encode(),
    "sub dir/ctl\x01\x1b name.vproof": WARN.encode(),
}
# a file name that is not UTF-8 (arrives in Python as a lone surrogate)
RAW_NAME = b"raw\xff.vproof"


def write_corpus(base: Path) -> list[str]:
    names = []
    for name, data in CORPUS.items():
        p = base / name
        p.parent.mkdir(parents=True, exist_ok=True)
        if data is not None:
            p.write_bytes(data)
        names.append(name)
    raw = os.fsencode(base) + b"/" + RAW_NAME
    with open(raw, "wb") as f:
        f.write(BAD.encode())
    names.append(os.fsdecode(RAW_NAME))
    return names




def cache_dir() -> Path:
    if os.environ.get("VECPROOF_TEST_CACHE"):
        base = Path(os.environ["VECPROOF_TEST_CACHE"])
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "vecproof-test"
    base.mkdir(parents=True, exist_ok=True)
    return base


def _cached(name: str, sha256: str) -> bytes | None:
    p = cache_dir() / name
    if p.is_file():
        data = p.read_bytes()
        if hashlib.sha256(data).hexdigest() == sha256:
            return data
    return None


def _store(name: str, data: bytes, sha256: str, source: str) -> bytes:
    got = hashlib.sha256(data).hexdigest()
    if got != sha256:
        pytest.fail(f"{name} from {source} has SHA-256 {got}, expected {sha256}: not the published file")
    target = cache_dir() / name
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{name}.")
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.replace(tmp, target)  # atomic: parallel test workers never see half a file
    return data


def _member(archive: Path, member: str) -> bytes:
    with tarfile.open(archive) as tf:
        f = tf.extractfile(member)
        if f is None:
            raise KeyError(member)
        return f.read()


def _run(cmd: list[str], cwd: str, what: str) -> None:
    env = dict(os.environ, npm_config_update_notifier="false", npm_config_fund="false",
               npm_config_audit="false", PIP_DISABLE_PIP_VERSION_CHECK="1")
    try:
        proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT, env=env)
    except (OSError, subprocess.TimeoutExpired) as err:
        pytest.skip(f"cannot fetch {what} ({' '.join(cmd[:3])} …): {err}")
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
        pytest.skip(f"cannot fetch {what}: `{' '.join(cmd)}` failed (offline?): {' | '.join(tail)}")


def sarif_schema() -> dict:
    """The SARIF 2.1.0 (rtm.5) JSON schema as Microsoft publishes it."""
    name = "sarif-2.1.0-rtm.5.json"
    data = _cached(name, SARIF_SHA256)
    if data is None:
        npm = shutil.which("npm")
        if npm is None:
            pytest.skip(f"npm is not installed: cannot fetch the SARIF 2.1.0 schema from {SARIF_PACKAGE}")
        with tempfile.TemporaryDirectory() as tmp:
            _run([npm, "pack", SARIF_PACKAGE], tmp, "the SARIF 2.1.0 schema")
            tgz = next(Path(tmp).glob("*.tgz"), None)
            if tgz is None:
                pytest.skip(f"npm pack {SARIF_PACKAGE} produced no tarball")
            data = _store(name, _member(tgz, SARIF_MEMBER), SARIF_SHA256, SARIF_PACKAGE)
    return json.loads(data)


def junit_xsd() -> Path:
    """Jenkins' JUnit schema (junit-10.xsd, MIT, Gregory Boissinot) as shipped in pytest's sdist,
    which uses it to validate its own --junitxml output."""
    name = "junit-10.xsd"
    if _cached(name, JUNIT_SHA256) is None:
        with tempfile.TemporaryDirectory() as tmp:
            _run([sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:", "-d", tmp,
                  JUNIT_SDIST], tmp, "the JUnit XSD")
            sdist = next(Path(tmp).glob("pytest-*.tar.gz"), None)
            if sdist is None:
                pytest.skip(f"pip download {JUNIT_SDIST} produced no source distribution")
            _store(name, _member(sdist, JUNIT_MEMBER), JUNIT_SHA256, f"the {JUNIT_SDIST} sdist")
    return cache_dir() / name


def by_path(results, name):
    return next(r for r in results if r.path == name)
