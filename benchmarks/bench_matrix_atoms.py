#!/usr/bin/env python
"""Kernel time per step, `vecproof.kernel.decide(before, after)` (normal form and exact cross-check),
for the polynomial examples (examples/*.vproof) beside the inverse and determinant examples
(examples/cookbook/), measured in the same run: the median and the 90th percentile over the steps of
the per-step median of --repeat runs, after one untimed run.

    .venv/bin/python benchmarks/bench_matrix_atoms.py                    # this tree
    git archive REV | tar -x -C /tmp/rev && PYTHONPATH=/tmp/rev .venv/bin/python benchmarks/bench_matrix_atoms.py
                                                                          # the polynomial figure at REV
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import vecproof
from vecproof.checker import check_path
from vecproof.kernel import decide

ROOT = Path(__file__).resolve().parents[1] / "examples"


def step_times(paths, repeat: int) -> list[float]:
    """The median time of `decide` per step of `paths`, in milliseconds, sorted."""
    out = []
    for p in paths:
        for th in check_path(p).theorems:
            for s in th.steps:
                if s.before is None or s.after is None:
                    continue
                decide(s.before, s.after)
                runs = []
                for _ in range(repeat):
                    t = time.perf_counter()
                    decide(s.before, s.after)
                    runs.append(time.perf_counter() - t)
                out.append(statistics.median(runs) * 1000)
    return sorted(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    print(f"vecproof from {Path(vecproof.__file__).parent}")
    groups = [("polynomial (examples/*.vproof)", sorted(ROOT.glob("*.vproof"))),
              ("inverse/det (examples/cookbook/)", sorted((ROOT / "cookbook").glob("*.vproof")))]
    for name, paths in groups:
        if not paths:
            continue
        ts = step_times(paths, args.repeat)
        if not ts:
            print(f"{name:34} no steps (not supported by this tree)")
            continue
        p90 = ts[int(0.9 * (len(ts) - 1))]
        print(f"{name:34} {len(ts):4} steps  median {statistics.median(ts):7.3f} ms  p90 {p90:7.3f} ms  "
              f"total {sum(ts):8.1f} ms")


if __name__ == "__main__":
    main()
