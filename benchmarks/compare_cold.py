#!/usr/bin/env python
"""Cold `vecproof check --no-cache` before and after a change, side by side (docs/performance.md,
"Cold start").

The seed files (examples/0*.vproof), examples/ at -j 1 and -j 2 and a file with a syntax error.
*before* is another source tree of vecproof run with this environment (PYTHONPATH=BEFORE, e.g.
`git archive <commit> | tar -x -C /tmp/before`), *after* this tree, with a saved parser and as a first
run (no saved parser). Timed with bench_cold.py's harness: each command once untimed, then --runs
rounds round-robin; medians with min and max. The floor `python -c "import sympy, lark"` is timed in
the same rounds.

Usage:  .venv/bin/python benchmarks/compare_cold.py --before /tmp/before [--runs 7]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from bench_cold import ROOT, SYNTAX_ERROR, CacheHomes, compile_sources, measure_all


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--before", required=True, help="a source tree of vecproof (its folder holding vecproof/)")
    ap.add_argument("--runs", type=int, default=7, help="timed rounds (median; default 7)")
    args = ap.parse_args(argv)
    # The console script, not `python -m`: that would put the working directory (this tree) first on
    # sys.path, ahead of PYTHONPATH, and *before* would run this tree.
    vp = [str(Path(sys.executable).with_name("vecproof")), "check", "-q", "--no-cache"]
    compile_sources(ROOT, Path(args.before))  # both sides with their .pyc files, as installed
    with tempfile.TemporaryDirectory(prefix="compare-cold-") as tmp:
        homes = CacheHomes(Path(tmp))
        broken = Path(tmp) / "syntax_error.vproof"
        broken.write_text(SYNTAX_ERROR, encoding="utf-8")

        def before():
            return dict(homes.env(), PYTHONPATH=str(Path(args.before).resolve()))

        def first():
            return homes.env(fresh=True)

        cmds = [('floor: python -c "import sympy, lark"', [sys.executable, "-c", "import sympy, lark"], (0,)),
                ("python -c pass", [sys.executable, "-c", "pass"], (0,))]
        seeds = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "examples").glob("0*.vproof"))
        for label, files, rc in [("seed files examples/0*", seeds, (0,)),
                                 ("examples/ -j 1", ["-j", "1", "examples/"], (0,)),
                                 ("examples/ -j 2", ["-j", "2", "examples/"], (0,)),
                                 ("a syntax error", [str(broken)], (1,))]:
            cmds += [(f"before {label}", [*vp, *files], rc, before),
                     (f"after  {label} (saved parser)", [*vp, *files], rc, homes.env),
                     (f"after  {label} (first run)", [*vp, *files], rc, first)]
        measure_all(cmds, args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
