"""Each single check finishes, and says why when it stops at a limit.

Every case of tests/robustness/limits_cases.py (deep nesting, long sums and products, huge
exponents, sizes and integers, many theorems and declarations, long chains and lines, sums with
many bound indices, …) is checked in a child process. A case must finish within a generous bound
(the machine is shared: the bound catches hangs, not slowness) and every diagnostic must be
well-formed and not an internal error (VP902): stopping at a limit is VP901, with a position.
"""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from .limits_cases import CASES
from .record import COUNTS

PER_CASE_SECONDS = 90  # a hang detector, not a performance assertion
DRIVER = Path(__file__).with_name("limits_cases.py")


def run_cases(names, per_case: float = PER_CASE_SECONDS) -> dict:
    """name -> result dict, or {"hung": True} for a case that did not finish in time."""
    results: dict = {}
    remaining = list(names)
    while remaining:
        proc = subprocess.Popen([sys.executable, str(DRIVER), *remaining], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        lines: queue.Queue = queue.Queue()

        def pump(stream=proc.stdout, out=lines):
            for x in stream:
                out.put(x)

        threading.Thread(target=pump, daemon=True).start()
        current = None
        deadline = time.monotonic() + per_case
        while True:
            try:
                line = lines.get(timeout=0.2)
            except queue.Empty:
                if proc.poll() is not None and lines.empty():
                    break
                if time.monotonic() >= deadline:
                    proc.kill()
                    proc.wait()
                    if current is not None:
                        results[current] = {"case": current, "hung": True}
                    break
                continue
            if line.startswith("START "):
                current = line[6:].strip()
                deadline = time.monotonic() + per_case
            elif line.strip():
                r = json.loads(line)
                results[r["case"]] = r
                current = None
        proc.wait()
        if proc.returncode not in (0, None, -9) and current is not None and current not in results:
            results[current] = {"case": current, "crashed": proc.returncode,
                                "stderr": proc.stderr.read()[-2000:] if proc.stderr else ""}
        remaining = [n for n in remaining if n not in results]
        if remaining and proc.returncode == 0:  # pragma: no cover - the driver always prints every case
            for n in remaining:
                results[n] = {"case": n, "missing": True}
            break
    return results


@pytest.fixture(scope="module")
def results():
    got = run_cases(list(CASES))
    COUNTS["limit cases checked"] += len(got)
    return got


@pytest.mark.slow  # every stress case in a child process: minutes (tests/checker/test_limits.py has quick ones)
@pytest.mark.parametrize("name", list(CASES))
def test_single_check_finishes_with_well_formed_diagnostics(results, name):
    r = results[name]
    assert not r.get("hung"), f"{name} did not finish within {PER_CASE_SECONDS} s"
    assert not r.get("crashed"), f"{name} crashed the process: {r}"
    assert r["bad"] == [], f"{name}: malformed or internal-error diagnostics: {r['bad']}"
    # the check ends in a verdict, or says which limit stopped it
    assert r["statuses"] or r["codes"], r
    if r["statuses"] and r["statuses"][0] == "failed":
        assert set(r["codes"]) - {"VP202", "VP206", "VP208"}, r


def test_examples_check_quickly():
    from vecproof.checker import check_path
    from .mutants import example_files

    for path in example_files(bad=True):
        t = time.perf_counter()
        check_path(path)
        assert time.perf_counter() - t < 30.0, path.name
