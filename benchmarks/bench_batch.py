"""Batch benchmark: a generated corpus (benchmarks/corpus.py), checked with -j 1 and -j 2, and with
a cold and a warm result cache. Prints median wall times, the ratios, and the peak memory of every
process of the run (the parent and each worker), sampled from /proc.

    .venv/bin/python benchmarks/bench_batch.py [--count 1000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import generate  # noqa: E402


def _tree_rss(pid: int, peaks: dict, stop: threading.Event) -> None:
    """Sample the resident memory of `pid` and its descendants every 20 ms."""
    while not stop.is_set():
        pids = [pid]
        try:
            for line in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
                pids.append(int(line))
        except OSError:
            pass
        for p in pids:
            try:
                for line in Path(f"/proc/{p}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        kb = int(line.split()[1])
                        peaks[p] = max(peaks.get(p, 0), kb)
            except OSError:
                pass
        stop.wait(0.02)


def run(args: list[str], cwd: Path) -> tuple[float, int, dict]:
    env = dict(os.environ, NO_COLOR="1")
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "vecproof", "check", "-q", "--no-progress", *args, "."],
                            cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    peaks: dict = {}
    stop = threading.Event()
    sampler = threading.Thread(target=_tree_rss, args=(proc.pid, peaks, stop))
    sampler.start()
    code = proc.wait()
    elapsed = time.perf_counter() - start
    stop.set()
    sampler.join()
    return elapsed, code, peaks


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--keep", type=Path, help="generate the corpus here and keep it")
    a = ap.parse_args()
    root = a.keep or Path(tempfile.mkdtemp(prefix="vecproof-corpus-"))
    generate(root, a.count)
    print(f"corpus: {a.count} files in {root}; {os.cpu_count()} cores; median of {a.repeat} runs")
    rows = {}
    mem = {}
    for label, extra, warm in [("-j 1, no cache", ["--no-cache", "-j", "1"], False),
                               ("-j 2, no cache", ["--no-cache", "-j", "2"], False),
                               ("-j 2, cold cache", ["-j", "2"], False),
                               ("-j 2, warm cache", ["-j", "2"], True)]:
        times = []
        for _ in range(a.repeat):
            cache = root / ".vecproof_cache"
            if not warm:
                shutil.rmtree(cache, ignore_errors=True)
            t, code, peaks = run(extra, root)
            assert code == 1, f"expected exit 1 (the corpus has failing files), got {code}"
            times.append(t)
            mem[label] = max(mem.get(label, 0), max(peaks.values(), default=0))
        rows[label] = statistics.median(times)
        print(f"{label:18s} {rows[label]:7.2f} s   (runs: {', '.join(f'{x:.2f}' for x in times)}); "
              f"largest process {mem[label] / 1024:.0f} MB")
    print(f"speed-up -j 2 over -j 1: {rows['-j 1, no cache'] / rows['-j 2, no cache']:.2f}x (target >= 1.7x)")
    print(f"warm cache over cold:    {rows['-j 2, cold cache'] / rows['-j 2, warm cache']:.1f}x (target >= 20x)")
    print(f"peak memory per process: {max(mem.values()) / 1024:.0f} MB (target <= 200 MB)")
    if not a.keep:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
