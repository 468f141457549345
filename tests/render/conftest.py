"""Fixtures of the rendering tests: KaTeX for real under node (the npm package, or the copy vecproof ships)."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
SHIPPED_KATEX = HERE.parents[1] / "vecproof" / "frontends" / "render" / "katex" / "katex.min.js"


@pytest.fixture(scope="session")
def node():
    path = shutil.which("node")
    if path is None:
        pytest.skip("node is not installed: KaTeX runs under node (https://nodejs.org)")
    return path


@pytest.fixture(scope="session")
def npm_katex(node, tmp_path_factory):
    """The katex@0.16 package from the npm registry, installed once per session in a test-local prefix."""
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip("npm is not installed: cannot fetch katex from the registry")
    prefix = tmp_path_factory.mktemp("katex-npm")
    done = subprocess.run([npm, "install", "--prefix", str(prefix), "--no-audit", "--no-fund", "katex@0.16"],
                          capture_output=True, text=True, timeout=300)
    package = prefix / "node_modules" / "katex"
    if done.returncode != 0 or not package.is_dir():
        pytest.skip(f"npm could not install katex@0.16 (registry unreachable?): {done.stderr.strip()[-300:]}")
    return package


def katex_errors(node: str, katex, formulas: list[tuple[str, bool]]) -> dict:
    """KaTeX's verdict on each formula (strict, throwOnError): {version, count, errors}."""
    done = subprocess.run([node, str(HERE / "katex_check.cjs"), str(katex)], input=json.dumps(formulas),
                          capture_output=True, text=True, timeout=300, check=True)
    return json.loads(done.stdout)
