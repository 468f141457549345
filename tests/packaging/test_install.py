"""Install vecproof the way a user does, into a fresh virtual environment, and use it from elsewhere.

Two install kinds, one fresh venv each (created with `sys.executable -m venv`, *without*
system site-packages, so a dependency missing from pyproject.toml makes the checks fail here):

- regular:  `pip install <copy of the repo>`
- editable: `pip install -e <copy of the repo>`

The repository is first copied to a temporary directory (without .venv, .git, caches and build
outputs), so the build never writes into the working tree. Every command then runs from a third
temporary directory, with PYTHONPATH removed from the environment, so nothing can be imported from
the working tree by accident.

Needs PyPI (or the configured index / pip cache) for hatchling, lark and sympy. Measured: about
30-40 s for both kinds on 2 cores with a warm pip cache.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest
from proofs import QUADRATIC_FORM_GRADIENT

# slow: pip installs from PyPI (the network) into two fresh environments
pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]

# The quadratic form proof of README.md, and the same proof with a false last step.
GOOD_PROOF = QUADRATIC_FORM_GRADIENT
BAD_PROOF = GOOD_PROOF.replace("= (A x)[k] + (A^T x)[k]  ", "= (A x)[k] + (A x)[k]    ")
assert BAD_PROOF != GOOD_PROOF
BAD_LINE = 14  # the line of the false step in BAD_PROOF

# Run inside the venv: records every file named vproof.lark that is opened (audit hook) while the
# CLI checks a file, so the test sees where the grammar actually came from.
PROBE = textwrap.dedent("""\
    import json, os, sys
    opened = []
    def hook(event, args):
        if event == "open" and args and isinstance(args[0], (str, bytes, os.PathLike)):
            if os.fsdecode(args[0]).endswith("vproof.lark"):
                opened.append(os.path.realpath(os.fsdecode(args[0])))
    sys.addaudithook(hook)
    import vecproof
    from vecproof.frontends.cli import main
    code = main(["check", "-q", sys.argv[1]])
    import importlib.metadata as md
    print(json.dumps({"exit": code, "module": os.path.realpath(vecproof.__file__),
                      "grammar_opened": opened, "dist_version": md.version("vecproof")}))
    """)

_IGNORE_ANYWHERE = {".git", "__pycache__", ".pytest_cache", ".hypothesis", ".mypy_cache", ".ruff_cache", "node_modules", ".vecproof_cache"}
_IGNORE_AT_ROOT = {"build", "dist"}


def _copy_ignore(src: str, names: list[str]) -> set[str]:
    at_root = Path(src).resolve() == REPO
    return {n for n in names
            if n in _IGNORE_ANYWHERE or n.startswith(".venv") or n.endswith(".egg-info")
            or (at_root and n in _IGNORE_AT_ROOT)}


def _clean_env(venv: Path | None = None) -> dict[str, str]:
    """The environment minus anything that could make the venv see the working tree or other
    site-packages. PIP_* settings (index, find-links, certificates) are kept."""
    env = {k: v for k, v in os.environ.items()
           if k not in {"PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "PYTHONSAFEPATH", "VIRTUAL_ENV",
                        "PYTHONUSERBASE", "__PYVENV_LAUNCHER__"}}
    env["PYTHONNOUSERSITE"] = "1"
    if venv is not None:
        env["VIRTUAL_ENV"] = str(venv)
        env["PATH"] = str(_bin(venv)) + os.pathsep + env.get("PATH", "")
    return env


def _bin(venv: Path) -> Path:
    return venv / ("Scripts" if os.name == "nt" else "bin")


def _run(cmd: list[str], cwd: Path, env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)


def _explain(proc: subprocess.CompletedProcess) -> str:
    return f"$ {' '.join(proc.args)}\nexit {proc.returncode}\n--- stdout\n{proc.stdout}\n--- stderr\n{proc.stderr}"


@dataclass
class Installed:
    kind: str
    repo: Path            # the copy of the repository that was installed
    venv: Path
    python: Path
    script: Path          # the vecproof console script
    site_packages: Path
    work: Path            # a directory outside repo and venv, holding the .vproof files
    env: dict[str, str]

    def run(self, *args, timeout: float = 120) -> subprocess.CompletedProcess:
        return _run(list(args), cwd=self.work, env=self.env, timeout=timeout)


@pytest.fixture(scope="module")
def repo_copy(tmp_path_factory) -> Path:
    dest = tmp_path_factory.mktemp("repo") / "vecproof-src"
    shutil.copytree(REPO, dest, ignore=_copy_ignore, symlinks=True)
    return dest


def _install(kind: str, repo_copy: Path, base: Path) -> Installed:
    venv = base / "venv"
    work = base / "work"
    work.mkdir()

    start = time.perf_counter()
    made = _run([sys.executable, "-m", "venv", venv], cwd=base, env=_clean_env(), timeout=300)
    python = _bin(venv) / ("python.exe" if os.name == "nt" else "python")
    if made.returncode != 0 or not python.exists():
        pytest.skip(f"cannot create a virtual environment with {sys.executable} -m venv "
                    f"(is the venv/ensurepip module installed?):\n{made.stderr.strip()}")
    created = time.perf_counter()

    env = _clean_env(venv)
    target = ["-e", repo_copy] if kind == "editable" else [repo_copy]
    pip = _run([python, "-m", "pip", "install", "--no-input", "--disable-pip-version-check", *target],
               cwd=work, env=env, timeout=900)
    assert pip.returncode == 0, f"{kind} install failed:\n{_explain(pip)}"
    done = time.perf_counter()

    purelib = _run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                   cwd=work, env=env)
    assert purelib.returncode == 0, _explain(purelib)
    print(f"\n[packaging] {kind}: venv {created - start:.1f} s, pip install {done - created:.1f} s",
          file=sys.stderr)

    (work / "quadratic.vproof").write_text(GOOD_PROOF, encoding="utf-8")
    (work / "bad.vproof").write_text(BAD_PROOF, encoding="utf-8")
    (work / "probe.py").write_text(PROBE, encoding="utf-8")
    return Installed(kind=kind, repo=repo_copy.resolve(), venv=venv.resolve(), python=python,
                     script=_bin(venv) / ("vecproof.exe" if os.name == "nt" else "vecproof"),
                     site_packages=Path(purelib.stdout.strip()).resolve(), work=work.resolve(), env=env)


@pytest.fixture(scope="module")
def install(repo_copy, tmp_path_factory):
    """install(kind) -> Installed; one fresh venv per kind for the whole module."""
    cache: dict[str, Installed] = {}

    def get(kind: str) -> Installed:
        if kind not in cache:
            cache[kind] = _install(kind, repo_copy, tmp_path_factory.mktemp(f"install-{kind}"))
        return cache[kind]

    return get


@pytest.fixture(params=["regular", "editable"])
def installed(request, install) -> Installed:
    return install(request.param)


@pytest.fixture
def regular(install) -> Installed:
    return install("regular")


@pytest.fixture
def editable(install) -> Installed:
    return install("editable")


def _project_version() -> str:
    """The version, single-sourced in vecproof/__init__.py (pyproject declares it dynamic)."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    if "version" in project:
        return project["version"]
    assert "version" in project.get("dynamic", [])
    text = (REPO / "vecproof" / "__init__.py").read_text(encoding="utf-8")
    return re.search(r'^__version__ = "([^"]+)"', text, re.M).group(1)


# ---- the console script and `python -m` ------------------------------------------------------------


def test_console_script_version(installed: Installed):
    assert installed.script.is_file(), f"no console script at {installed.script}"
    assert shutil.which("vecproof", path=str(_bin(installed.venv))) is not None
    proc = installed.run(installed.script, "--version")
    assert proc.returncode == 0, _explain(proc)
    assert proc.stdout.strip() == f"vecproof {_project_version()}", _explain(proc)


def test_console_script_proves_a_theorem(installed: Installed):
    proc = installed.run(installed.script, "check", "quadratic.vproof")
    assert proc.returncode == 0, _explain(proc)
    assert "proved: theorem quadratic_form_gradient" in proc.stdout, _explain(proc)
    assert "1 proved, 0 not proved" in proc.stdout, _explain(proc)


def test_console_script_reports_a_false_step(installed: Installed):
    proc = installed.run(installed.script, "check", "bad.vproof")
    assert proc.returncode == 1, _explain(proc)
    assert f"bad.vproof:{BAD_LINE}:" in proc.stdout and "error[VP201]" in proc.stdout, _explain(proc)
    assert "counterexample" in proc.stdout, _explain(proc)


def test_python_dash_m(installed: Installed):
    good = installed.run(installed.python, "-m", "vecproof", "check", "quadratic.vproof")
    assert good.returncode == 0, _explain(good)
    assert "proved: theorem quadratic_form_gradient" in good.stdout, _explain(good)
    bad = installed.run(installed.python, "-m", "vecproof", "check", "bad.vproof")
    assert bad.returncode == 1, _explain(bad)
    assert "error[VP201]" in bad.stdout, _explain(bad)
    version = installed.run(installed.python, "-m", "vecproof", "--version")
    assert version.returncode == 0 and version.stdout.strip() == f"vecproof {_project_version()}", \
        _explain(version)


def test_dependencies_are_declared(installed: Installed):
    """The venv has no system site-packages: lark and sympy are there only because pyproject.toml
    declares them. `pip check` confirms the installed set is consistent."""
    proc = installed.run(installed.python, "-m", "pip", "check")
    assert proc.returncode == 0, _explain(proc)


# ---- where the code and the grammar come from -------------------------------------------------------


def _probe(installed: Installed) -> dict:
    proc = installed.run(installed.python, "probe.py", "quadratic.vproof")
    assert proc.returncode == 0, _explain(proc)
    info = json.loads(proc.stdout.strip().splitlines()[-1])
    assert info["exit"] == 0, _explain(proc)
    assert info["dist_version"] == _project_version()
    return info


def test_regular_install_uses_the_packaged_grammar(regular: Installed):
    installed = regular
    packaged = installed.site_packages / "vecproof" / "_grammar" / "vproof.lark"
    assert packaged.is_file(), f"the wheel did not ship the grammar at {packaged}"
    assert packaged.read_bytes() == (installed.repo / "grammar" / "vproof.lark").read_bytes()

    info = _probe(installed)
    module = Path(info["module"])
    assert module == installed.site_packages / "vecproof" / "__init__.py", info
    assert installed.repo not in module.parents and REPO not in module.parents, info
    assert [Path(p) for p in info["grammar_opened"]] == [packaged.resolve()], info


def test_editable_install_uses_the_repository(editable: Installed):
    installed = editable
    info = _probe(installed)
    assert Path(info["module"]) == installed.repo / "vecproof" / "__init__.py", info
    assert [Path(p) for p in info["grammar_opened"]] == [installed.repo / "grammar" / "vproof.lark"], info
    # The package code itself is not copied into site-packages (hatchling does drop a copy of the
    # force-included grammar there, in a directory without __init__.py, which the repository's
    # regular package shadows; the probe above shows it is not the one read).
    assert not (installed.site_packages / "vecproof" / "__init__.py").exists()
