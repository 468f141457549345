"""The suite's two runs: `pytest` (the default, README's command) skips the tests marked `slow` —
full-size mutation and fuzz runs, installs from package registries, editor packaging, anything
that needs the network — and says how to run them; `pytest -m slow` runs only those, and
`pytest --run-slow` runs everything. Any explicit `-m` expression is obeyed as written.

This file also puts tests/ on sys.path (pytest's default import mode), for tests/proofs.py."""

import pytest


def pytest_addoption(parser):
    parser.addoption("--run-slow", action="store_true", default=False,
                     help="also run the tests marked slow (skipped by default; `-m slow` runs only them)")


def pytest_collection_modifyitems(config, items):
    if config.getoption("--run-slow") or config.getoption("markexpr"):
        return
    skip = pytest.mark.skip(reason="slow: run with `pytest -m slow` (only these) or `pytest --run-slow`")
    for item in items:
        if item.get_closest_marker("slow"):
            item.add_marker(skip)
