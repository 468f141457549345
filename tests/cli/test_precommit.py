"""pre-commit runs the hook this repository publishes, and it fails on a wrong proof."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
GOOD = (REPO / "examples" / "000_vector_derivatives.vproof").read_text(encoding="utf-8")
BAD = (REPO / "examples" / "bad" / "square_of_sum.vproof").read_text(encoding="utf-8").split("\n", 1)[1]


def _pre_commit() -> list[str]:
    exe = shutil.which("pre-commit", path=str(Path(sys.executable).parent))
    if exe is None:
        pytest.skip("pre-commit is not installed (it is in the test extras: pip install -e '.[test]')")
    return [exe]


def _git(*args, cwd):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.mark.slow  # pre-commit installs the hook's environment from PyPI (the network)
@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_pre_commit_runs_vecproof_on_changed_files(tmp_path, tmp_path_factory):
    project = tmp_path / "proofs"
    project.mkdir()
    _git("init", "-q", cwd=project)
    _git("config", "user.email", "t@example.invalid", cwd=project)
    _git("config", "user.name", "t", cwd=project)
    (project / "good.vproof").write_text(GOOD, encoding="utf-8")
    (project / "bad.vproof").write_text(BAD, encoding="utf-8")
    (project / "notes.txt").write_text("not a proof\n", encoding="utf-8")
    (project / "post.md").write_text("# A post\n\n```vproof\n" + BAD + "```\n", encoding="utf-8")
    _git("add", ".", cwd=project)
    env = {"PRE_COMMIT_HOME": str(tmp_path_factory.mktemp("pre-commit-home")),
           "PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    import os

    for var in ("PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PIP_FIND_LINKS", "PIP_CERT", "SSL_CERT_FILE",
                "REQUESTS_CA_BUNDLE", "XDG_CACHE_HOME", "PIP_CACHE_DIR"):
        if var in os.environ:
            env[var] = os.environ[var]
    env.setdefault("PIP_CACHE_DIR", str(Path.home() / ".cache" / "pip"))

    def try_repo(*files, hook="vecproof"):
        return subprocess.run([*_pre_commit(), "try-repo", str(REPO), hook, "--files", *files],
                              cwd=project, capture_output=True, text=True, env=env, timeout=600)

    bad = try_repo("bad.vproof", "notes.txt")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "error[VP201]" in bad.stdout
    good = try_repo("good.vproof")
    assert good.returncode == 0, good.stdout + good.stderr
    assert "Passed" in good.stdout
    post = try_repo("post.md", hook="vecproof-markdown")  # the opt-in hook for Markdown posts
    assert post.returncode == 1 and "post.md:" in post.stdout and "error[VP201]" in post.stdout, post.stdout
