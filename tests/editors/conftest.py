"""Shared by the editor tests: the language server command line of the environment running pytest."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def lsp_command() -> list[str]:
    """The venv's `vecproof lsp` (next to the interpreter running the tests), checked to exist."""
    script = shutil.which("vecproof", path=str(Path(sys.executable).parent))
    cmd = [script, "lsp"] if script else [sys.executable, "-m", "vecproof", "lsp"]
    probe = subprocess.run([*cmd, "--help"], check=False, capture_output=True, text=True, timeout=120,
                           stdin=subprocess.DEVNULL)
    assert probe.returncode == 0, (f"`{' '.join(cmd)} --help` failed (exit {probe.returncode}): the language "
                                   f"server is not available\n{probe.stdout}\n{probe.stderr}")
    return cmd
