"""The suite's two runs: `pytest` (the default, README's command) leaves out the tests marked `slow` —
full-size mutation, fuzz and property runs, installs from package registries, editor sessions,
anything that needs the network — and says so at the end; `pytest -m slow` runs only those, and
`pytest --run-slow` runs everything. Any explicit `-m` expression is obeyed as written.

This file also gives the tests private state and cache directories (the cache key, the saved
parser), and puts tests/ on sys.path (pytest's default import mode), for tests/proofs.py and
tests/sizes.py."""

import os
import tempfile

import pytest

# The result cache keeps its key in the user's state directory (vecproof/cache.py), the saved parser
# lives in the user's cache directory (vecproof/syntax/grammar.py): tests, and the commands they
# start, use private ones instead of the real home's, and ignore a CI secret.
os.environ["XDG_STATE_HOME"] = tempfile.mkdtemp(prefix="vecproof-test-state-")
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="vecproof-test-cache-")
os.environ.pop("VECPROOF_CACHE_KEY", None)

_left_out = pytest.StashKey[int]()


def pytest_addoption(parser):
    parser.addoption("--run-slow", action="store_true", default=False,
                     help="also run the tests marked slow (left out by default; `-m slow` runs only them)")


def pytest_collection_modifyitems(config, items):
    if config.getoption("--run-slow") or config.getoption("markexpr"):
        return
    slow = [item for item in items if item.get_closest_marker("slow")]
    if slow:
        config.hook.pytest_deselected(items=slow)
        items[:] = [item for item in items if not item.get_closest_marker("slow")]
    config.stash[_left_out] = len(slow)


def pytest_terminal_summary(terminalreporter, config):
    if config.getoption("--run-slow") or config.getoption("markexpr"):
        return
    left_out = config.stash.get(_left_out, 0)  # counted where the tests were collected (not the
    # controller of an xdist run, which collects nothing itself)
    what = f"{left_out} slow tests left out" if left_out else "tests marked slow are left out"
    terminalreporter.write_line(f"{what} (deselected): `pytest -m slow` runs only them, "
                                "`pytest --run-slow` runs everything", yellow=True)
