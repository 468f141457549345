"""Real check results for the report-format tests: examples/, examples/bad/, and small files written
here that cover what the examples do not (failures without `# expect:`, warnings, unreadable and
binary input, syntax errors, awkward file names)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from formats_support import CORPUS, EXAMPLES, RAW_NAME, REPO, write_corpus

from vecproof.checker import check_path


@pytest.fixture(scope="session")
def corpus_dir(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("corpus")
    write_corpus(base)
    return base


@pytest.fixture(scope="session")
def corpus(corpus_dir):
    """Results for the crafted files, checked with paths relative to `corpus_dir` (as a user who
    runs `vecproof check` there would give them). Use with `root=corpus_dir` and `chdir`."""
    old = os.getcwd()
    os.chdir(corpus_dir)
    try:
        names = sorted(CORPUS) + [os.fsdecode(RAW_NAME)]
        return [check_path(n, display=n) for n in names]
    finally:
        os.chdir(old)


@pytest.fixture(scope="session")
def example_results():
    """Every file under examples/ (good and bad), paths relative to the repository root."""
    files = sorted(p for p in EXAMPLES.rglob("*.vproof") if p.is_file())
    return [check_path(p, display=p.relative_to(REPO).as_posix()) for p in files]


@pytest.fixture
def in_corpus(corpus_dir, monkeypatch):
    monkeypatch.chdir(corpus_dir)
    return corpus_dir


@pytest.fixture
def in_repo(monkeypatch):
    monkeypatch.chdir(REPO)
    return REPO


