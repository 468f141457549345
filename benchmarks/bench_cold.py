#!/usr/bin/env python
"""Cold-process wall time and peak memory of `vecproof check`, and what bounds it (imports).

Every measurement starts a fresh interpreter (`python -m vecproof check --no-cache …`: the result
cache is never read, so every file is really checked), so it pays interpreter start-up, the imports
(Lark; SymPy on the first step decided), loading the LALR parser saved in the user's cache (or, on a
first run, building and saving it) and the checking. The saved parser lives in a cache directory
private to this script (XDG_CACHE_HOME of the children); the "first run" commands get an empty one
for every run. The OS page cache and the .pyc files are warm: vecproof's sources are compiled
first (`compile_sources`, as installing a wheel does; PYTHONDONTWRITEBYTECODE would otherwise keep
every run compiling them), and one untimed run of each command precedes the timed ones.

Method:
  wall time  time.perf_counter() from just before the child is spawned to its exit (os.wait4);
  peak RSS   ru_maxrss of that one child, from os.wait4(pid) — the rusage of exactly that process
             (RUSAGE_CHILDREN would be a running maximum over every child this script has waited
             for). Linux reports it in KiB; printed in MB (10^6 bytes) and MiB.
  CPU        ru_utime + ru_stime of the child.
Each command is run --runs times (default 5); medians are printed, with min and max.

Commands timed (PY is the interpreter running this script, normally .venv/bin/python):
  PY -c pass                                      interpreter start-up, the floor
  PY -c "import lark"                             Lark's import
  PY -c "import sympy"                            SymPy's import
  PY -c "import sympy, lark"                      the floor of a check that decides a step
  PY -c "import vecproof.checker"                 the imports before the first step (no SymPy)
  PY -c "import vecproof.checker, vecproof.kernel.grid"   every import a check of a proof needs
  PY -m vecproof check --no-cache FILE            a file with a syntax error (exit status 1)
  PY -m vecproof check --no-cache examples/*.vproof   the good examples (examples/bad/ excluded)
  PY -m vecproof check --no-cache examples/       the whole directory, examples/bad/ included
                                                  (its bad files declare their errors: exit 0)
  … and the last one as a first run (no saved parser: built and saved), with -j 1 and -j 2

Then
  - what-if variants of the examples/ check (main() without os._exit at the end, gc.disable()),
    applied from outside by a small -c prelude: they size what a change would save; not vecproof's
    figures (--no-whatif skips them);
  - the stages of a cold check of every file under examples/, timed in-process by
    benchmarks/_stages.py in a child process (imports, SymPy, building and loading the parser,
    parsing, decide with its normal form and exact grid parts, rule citation);
  - `PY -X importtime -c "import vecproof.checker, vecproof.kernel.grid"` (--runs times;
    per-package median of the cumulative import time);
  - with --profile, a cProfile run of the good-examples check in a cold process, by stage.

Usage:  .venv/bin/python benchmarks/bench_cold.py [--runs K] [--profile] [--examples DIR]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import pstats
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_WALL_S = 1.0
TARGET_RSS_MB = 200.0
SYNTAX_ERROR = "dim n\nvar x : vector(n)\n\ntheorem t: x = x\nproof:\n  x\n  = (x + x by algebra\nqed\n"


class CacheHomes:
    """XDG_CACHE_HOME for the children: one kept for the run (the parser saved once, then loaded, as
    on a user's second run), or a new empty one for each child (a first run: the parser built)."""

    def __init__(self, root: Path):
        self.root = root
        self.kept = root / "kept"
        self._fresh = itertools.count()

    def env(self, fresh: bool = False) -> dict:
        home = self.root / f"fresh-{next(self._fresh)}" if fresh else self.kept
        return dict(os.environ, XDG_CACHE_HOME=str(home))


def compile_sources(*trees: Path) -> None:
    """Write the .pyc files of vecproof's sources in each tree (this one by default), as installing a
    wheel does. The untimed first run cannot be relied on for that: with PYTHONDONTWRITEBYTECODE set
    (this machine sets it) no process writes them, every run compiled vecproof's ~60 modules again,
    and the figures included ~0.1–0.3 s of compiling that an installed vecproof never pays."""
    import compileall
    for tree in trees or (ROOT,):
        compileall.compile_dir(str(Path(tree) / "vecproof"), quiet=1)


def run_once(cmd: list[str], env: dict | None = None) -> dict:
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    # Read stderr before waiting so a chatty child cannot block on a full pipe.
    err = p.stderr.read()
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    p.stderr.close()
    return {"wall": wall, "rss_kib": ru.ru_maxrss, "cpu": ru.ru_utime + ru.ru_stime,
            "rc": p.returncode, "stderr": err.decode("utf-8", "replace")}


def measure_all(commands: list[tuple], runs: int) -> list[dict]:
    """Run every command once untimed, then `runs` rounds of every command in turn (round-robin,
    so that a slow spell of a shared machine hits all commands alike); medians per command. A
    command is (name, argv, accepted exit statuses[, env() giving each run's environment])."""
    def run(c):
        return run_once(c[1], c[3]() if len(c) > 3 else None)

    for c in commands:
        run(c)  # untimed: warms the page cache, the .pyc files and the kept saved parser
    samples: list[list[dict]] = [[] for _ in commands]
    for _ in range(runs):
        for k, c in enumerate(commands):
            samples[k].append(run(c))
    out = []
    for (name, cmd, expect_rc, *_), ss in zip(commands, samples):
        rcs = sorted({s["rc"] for s in ss})
        walls = [s["wall"] for s in ss]
        rss = [s["rss_kib"] * 1024 / 1e6 for s in ss]
        r = {"name": name, "cmd": cmd, "wall": statistics.median(walls), "wall_min": min(walls),
             "wall_max": max(walls), "rss_mb": statistics.median(rss), "rss_max_mb": max(rss),
             "cpu": statistics.median(s["cpu"] for s in ss), "rc": rcs}
        bad = [rc for rc in rcs if rc not in expect_rc]
        note = f"  UNEXPECTED exit status {bad}: {ss[-1]['stderr'].strip()[-300:]}" if bad else ""
        print(f"{name:<44} wall {r['wall']:6.3f} s (min {r['wall_min']:.3f}, max {r['wall_max']:.3f})  "
              f"cpu {r['cpu']:6.3f} s  peak RSS {r['rss_mb']:6.1f} MB (max {r['rss_max_mb']:.1f})  "
              f"exit {','.join(map(str, rcs))}{note}", flush=True)
        out.append(r)
    return out


WHATIF_PRELUDE = """
import gc, sys
if sys.argv.pop(1) == "gc-off":
    gc.disable()
from vecproof.frontends.cli import main
sys.exit(main(sys.argv[1:]))
"""


def whatif(py: str, ex: str, runs: int, homes: CacheHomes) -> None:
    """The examples/ check with changes vecproof does not make, applied from outside
    (benchmark-side), to size what each would cost or save. Not vecproof's figures."""
    variants = [
        ("as is (vecproof check, os._exit at the end)", None),
        ("main() and the ordinary exit (teardown)", "none"),
        ("gc.disable() for the run, ordinary exit", "gc-off"),
    ]
    cmds = []
    for label, mode in variants:
        argv = [py, "-m", "vecproof"] if mode is None else [py, "-c", WHATIF_PRELUDE, mode]
        cmds.append((f"  what-if: {label}", [*argv, "check", "-q", "--no-cache", ex], (0, 1), homes.env))
    print(f"\nwhat-if variants of `vecproof check --no-cache {ex}/` (same method; applied from outside, "
          "not what vecproof does):")
    res = measure_all(cmds, runs)
    base = res[0]["wall"]
    for r in res[1:]:
        print(f"  {r['name'].strip()[9:]:<44} costs {r['wall'] - base:+.3f} s against 'as is' "
              f"({100 * (r['wall'] - base) / base:+.0f} %)")


def stages(py: str, files: list[str], runs: int, homes: CacheHomes) -> None:
    """Median in-process stage times of a cold check of `files` (benchmarks/_stages.py), each run
    with no saved parser (so it times building, then loading, the parser)."""
    per: dict[str, list[float]] = {}
    for _ in range(runs + 1):
        r = subprocess.run([py, str(Path(__file__).with_name("_stages.py")), *files], cwd=ROOT,
                           capture_output=True, text=True, env=homes.env(fresh=True))
        if r.returncode != 0:
            print(f"stage timing failed: {r.stderr.strip()[-300:]}")
            return
        for k, v in json.loads(r.stdout).items():
            per.setdefault(k, []).append(v)
    med = {k: statistics.median(v[1:]) for k, v in per.items()}  # first run untimed
    print(f"\nstages of a cold check of all {len(files)} files, in-process (benchmarks/_stages.py; median of {runs}):")
    rows = [
        ("import vecproof.checker (Lark, vecproof; not SymPy)", "import"),
        ("import the exact cross-check (SymPy), at the first decide", "import_exact"),
        ("build the LALR parser from the grammar (and save it)", "grammar"),
        ("  load the saved parser instead (every later run)", "grammar_cached"),
        ("parse every file (Lark + tree building)", "parse"),
        ("check_path every file (parses again)", "check"),
        ("  kernel.decide, all calls", "decide"),
        ("    normal form inside decide", "decide_nf"),
        ("    exact grid check inside decide (incl. counterexamples)", "decide_grid"),
        ("  rules.explains (citation check)", "explains"),
        ("  kernel.equal (transposition hints)", "hints"),
    ]
    for label, key in rows:
        print(f"  {label:<60} {med[key] * 1e3:8.1f} ms")
    n = max(med["decide_calls"], 1)
    print(f"  per kernel.decide call ({int(med['decide_calls'])} calls: every step, and each proof's first and "
          f"last line against the theorem): {med['decide'] / n * 1e3:.3f} ms, of which normal form "
          f"{med['decide_nf'] / n * 1e3:.3f} ms, exact grid {med['decide_grid'] / n * 1e3:.3f} ms (means)")
    print(f"  ({int(med['steps'])} steps; check minus decide, explains, hints and parsing = elaboration, "
          f"declarations, diagnostics: {(med['check'] - med['decide'] - med['explains'] - med['hints'] - med['parse']) * 1e3:.1f} ms)")


IMPORTS = "import vecproof.checker, vecproof.kernel.grid"


def import_times(py: str, runs: int, top: int = 12) -> None:
    """Median cumulative import time per module of every import a check of a proof needs (-X importtime)."""
    per: dict[str, list[float]] = {}
    depth: dict[str, int] = {}
    for _ in range(runs + 1):
        r = subprocess.run([py, "-X", "importtime", "-c", IMPORTS], cwd=ROOT, capture_output=True, text=True)
        for line in r.stderr.splitlines():
            m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
            if not m:
                continue
            name = m.group(4)
            per.setdefault(name, []).append(int(m.group(2)) / 1e6)
            depth[name] = len(m.group(3)) // 2
    med = {k: statistics.median(v[1:] or v) for k, v in per.items()}  # first run untimed (warm-up)
    total = sum(v for k, v in med.items() if depth[k] == 0)
    print(f"\n-X importtime, `{IMPORTS}`: sum of top-level imports {total * 1e3:.0f} ms "
          f"(median of {runs} runs; cumulative times, a package includes what it imports first)")
    wanted = ["sympy", "lark", "vecproof.checker", "vecproof.kernel", "vecproof.kernel.grid",
              "vecproof.syntax", "vecproof.elaboration", "vecproof.rules", "mpmath", "sympy.polys"]
    for k in wanted:
        if k in med:
            print(f"  {k:<28} {med[k] * 1e3:7.1f} ms cumulative (depth {depth[k]})")
    print("  largest top-level imports:")
    for k, v in sorted(((k, v) for k, v in med.items() if depth[k] == 0), key=lambda kv: -kv[1])[:top]:
        print(f"    {k:<26} {v * 1e3:7.1f} ms")


def profile(py: str, files: list[str], homes: CacheHomes, top: int = 25) -> None:
    """cProfile a cold `vecproof check --no-cache -j 1` of the given files (in one process, the
    parser loaded from the kept cache, as on a second run) and attribute time to stages."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "check.prof"
        r = subprocess.run([py, "-m", "cProfile", "-o", str(out), "-m", "vecproof", "check", "-q", "--no-cache",
                            "-j", "1", *files], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                           env=homes.env())
        if not out.exists():
            print(f"\nprofiling failed (exit {r.returncode}): {r.stderr.strip()[-300:]}")
            return
        st = pstats.Stats(str(out))
    raw = st.stats  # {(file, line, func): (cc, nc, tt, ct, callers)}
    total = st.total_tt

    def ct(pred) -> float:
        return sum(v[3] for k, v in raw.items() if pred(k))

    def fn(path_part: str, name: str):
        return lambda k: path_part in k[0].replace("\\", "/") and k[2] == name

    def ct_under(callee, caller) -> float:
        """Cumulative time of `callee` when called directly by `caller`."""
        tot = 0.0
        for k, v in raw.items():
            if callee(k):
                for c, cv in v[4].items():
                    if caller(c):
                        tot += cv[3]
        return tot

    imports = ct(lambda k: k[0].startswith("<frozen importlib._bootstrap") and k[2] == "_find_and_load")
    # _find_and_load is recursive; cProfile's cumulative time counts only the outermost frame of a
    # recursion, but lazily imported modules are separate outermost calls: the sum is the import time.
    grammar = ct(fn("vecproof/syntax/parser.py", "_parser"))
    parse = ct(fn("vecproof/syntax/parser.py", "parse")) - grammar
    decide = ct(fn("vecproof/kernel/__init__.py", "decide"))
    exact_import = ct(fn("vecproof/kernel/__init__.py", "__getattr__"))  # the lazy import of grid (SymPy)
    decide_nf = ct_under(fn("vecproof/kernel/normal_form.py", "normal_form"), fn("vecproof/kernel/__init__.py", "decide"))
    grid_init = ct(fn("vecproof/kernel/grid.py", "__init__"))
    grid_value = ct_under(fn("vecproof/kernel/grid.py", "value"), fn("vecproof/kernel/__init__.py", "decide"))
    explains = ct(fn("vecproof/rules/__init__.py", "explains"))
    suggest = ct(fn("vecproof/rules/__init__.py", "suggest"))
    check_text = ct(fn("vecproof/checker/check.py", "check_text"))
    elab = ct(fn("vecproof/elaboration/elaborate.py", "expr"))
    hint = ct(fn("vecproof/checker/check.py", "transpose_hint"))

    print(f"\ncProfile of a cold `vecproof check` of {len(files)} file(s): total {total:.3f} s under the profiler "
          "(profiling slows Python code, so read the shares, not the seconds)")
    rows = [
        ("imports (all modules, incl. SymPy, Lark)", imports),
        ("grammar: loading the saved LALR parser", grammar),
        ("parsing the files (after the parser exists)", parse),
        ("check_text (everything after parsing starts)", check_text),
        ("  kernel.decide, all calls", decide),
        ("    importing SymPy at the first call (also in imports)", exact_import),
        ("    normal form inside decide", decide_nf),
        ("    exact grid: Evaluator construction (PolyRing)", grid_init),
        ("    exact grid: evaluation inside decide", grid_value),
        ("  rules.explains (citation check, partial normal forms)", explains),
        ("  rules.suggest", suggest),
        ("  transpose hints", hint),
        ("  elaboration (Elaborator.expr, cumulative, nested)", elab),
    ]
    for label, v in rows:
        print(f"  {label:<56} {v:7.3f} s  {100 * v / total:5.1f} %")
    print(f"\n  top {top} functions by cumulative time (vecproof, lark and sympy code):")
    keep = [(k, v) for k, v in raw.items() if any(s in k[0] for s in ("vecproof", "lark", "sympy"))]
    for k, v in sorted(keep, key=lambda kv: -kv[1][3])[:top]:
        where = k[0]
        for s in ("vecproof", "lark", "sympy"):
            p = where.rfind(s + os.sep)
            if p >= 0:
                where = where[p:]
                break
        print(f"    {v[3]:7.3f} s cum  {v[2]:7.3f} s self  {v[1]:>7} calls  {where}:{k[1]}({k[2]})")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=5, help="timed cold runs per command (median; default 5)")
    ap.add_argument("--examples", default="examples", help="the examples directory (default: examples)")
    ap.add_argument("--profile", action="store_true", help="also cProfile a cold check of the good examples")
    ap.add_argument("--python", default=sys.executable, help="interpreter to run (default: this one)")
    ap.add_argument("--no-whatif", action="store_true", help="skip the what-if variants of the check")
    ap.add_argument("--only-commands", action="store_true",
                    help="time the cold processes only (no what-if, stages, import times or profile)")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-cold-") as tmp:
        return _run(args, Path(tmp))


def _run(args, tmp: Path) -> int:
    py = args.python
    compile_sources()
    ex = Path(args.examples)
    homes = CacheHomes(tmp)
    good = sorted(os.path.relpath(p, ROOT) for p in (ROOT / ex).glob("*.vproof"))
    allfiles = sorted((ROOT / ex).rglob("*.vproof"))
    broken = tmp / "syntax_error.vproof"
    broken.write_text(SYNTAX_ERROR, encoding="utf-8")
    print(f"date {time.strftime('%Y-%m-%d %H:%M')}; nproc {os.cpu_count()}; Python {platform.python_version()} "
          f"({py}); {len(good)} good example file(s), {len(allfiles)} .vproof files under {ex}/; "
          f"{args.runs} timed runs per command after one untimed run")
    ok, failed, ok_or_failed = (0,), (1,), (0, 1)
    base_cmds = [
        ("python -c pass", [py, "-c", "pass"], ok),
        ('python -c "import lark"', [py, "-c", "import lark"], ok),
        ('python -c "import sympy"', [py, "-c", "import sympy"], ok),
        ('python -c "import sympy, lark"', [py, "-c", "import sympy, lark"], ok),
        ('python -c "import vecproof.checker"', [py, "-c", "import vecproof.checker"], ok),
        (f'python -c "{IMPORTS}"', [py, "-c", IMPORTS], ok),
    ]
    check = [py, "-m", "vecproof", "check", "-q", "--no-cache"]
    checks = [("vecproof check: a file with a syntax error", [*check, str(broken)], failed, homes.env)]
    if good:
        checks.append((f"vecproof check {ex}/*.vproof ({len(good)} files)", [*check, *good], ok, homes.env))
    else:
        print(f"no good examples ({ex}/*.vproof)")
    for jobs in ("1", "2"):
        checks.append((f"vecproof check -j {jobs} {ex}/ ({len(allfiles)} files)",
                       [*check, "-j", jobs, str(ex)], ok_or_failed, homes.env))
    for jobs in ("1", "2"):
        checks.append((f"  first run (no saved parser): -j {jobs} {ex}/", [*check, "-j", jobs, str(ex)],
                       ok_or_failed, lambda: homes.env(fresh=True)))
    print("\ncold processes (PY = this interpreter; every check with --no-cache):")
    results = measure_all(base_cmds + checks, args.runs)
    by = {r["name"]: r for r in results}
    floor = by["python -c pass"]["wall"]
    imp = by[f'python -c "{IMPORTS}"']["wall"]
    print()
    for name, *_ in checks:
        r = by[name]
        print(f"{name.strip()}: wall {r['wall']:.3f} s [target <= {TARGET_WALL_S} s: "
              f"{'met' if r['wall'] <= TARGET_WALL_S else 'MISSED'}], peak RSS {r['rss_max_mb']:.1f} MB "
              f"[target <= {TARGET_RSS_MB:.0f} MB: {'met' if r['rss_max_mb'] <= TARGET_RSS_MB else 'MISSED'}]")
    both = by['python -c "import sympy, lark"']["wall"]
    print(f"  the floor of a check that decides a step (import sympy, lark): {both:.3f} s; interpreter "
          f"{floor:.3f} s; every import a proof needs {imp:.3f} s")
    if args.only_commands:
        return 0
    if not args.no_whatif:
        whatif(py, str(ex), args.runs, homes)
    stages(py, [str(p) for p in allfiles], args.runs, homes)
    import_times(py, args.runs)
    if args.profile and good:
        profile(py, good, homes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
