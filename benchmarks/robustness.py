#!/usr/bin/env python
"""The long robustness run: every mutant on a larger grid, many fuzz inputs, the limit cases.

    .venv/bin/python benchmarks/robustness.py                 # everything (defaults below)
    .venv/bin/python benchmarks/robustness.py --mutants all --sizes 1,2,3,4
    .venv/bin/python benchmarks/robustness.py --fuzz 10000 --no-mutants --no-limits
    .venv/bin/python benchmarks/robustness.py --json robustness.json

Mutation (tests/robustness/mutants.py, soundness.py, oracle.py): every mutant of examples/*.vproof and
examples/bad/*.vproof (or a deterministic sample of N) through vecproof, every proved step and theorem
re-checked by the independent oracle on sizes --sizes of every symbolic dimension; prints the counts
(generated / accepted / confirmed / rejected), per operator, and every finding with its mutated source.

Fuzzing (tests/robustness/test_fuzz.py, test_differential.py): the same properties as the default
test run with at least --fuzz inputs in total, drawn randomly (not derandomised): byte noise ≈ 47%,
grammar files and grammar theorems ≈ 12% each, arbitrary text ≈ 5%, plain from_lark ≈ 1%, random
typed steps checked against the oracle ≈ 24%. Prints inputs per generator, the total and the time.
A property that fails is reported (with Hypothesis's reproduction blob) and the run goes on; note
that Hypothesis stops a property at its first failure (and shrinks it), so a failing property
draws fewer inputs than asked.

Limits (tests/robustness/limits_cases.py): each stress case in a child process, with its time,
codes and limit messages.

Exit status 0 when nothing was found, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))


def run_mutation(which: str, sizes, budget: float, progress: int) -> dict:
    from robustness.mutants import all_mutants
    from robustness.soundness import Runner, run_all
    from robustness.test_mutation import sample_mutants

    if which == "all":
        mutants = all_mutants(bad=True)
    else:
        n = int(which)
        mutants = sample_mutants(good=n * 17 // 21, bad=n * 4 // 21)
    print(f"== mutation: {len(mutants)} mutants, sizes {sizes}", flush=True)
    t = time.perf_counter()
    tally = run_all(mutants, Runner(sizes=sizes, budget=budget), progress=progress)
    seconds = time.perf_counter() - t
    print(tally.summary())
    print(f"mutation run: {seconds:.1f} s")
    for f in tally.findings:
        print()
        print(f.report())
    by_example: dict = {}
    for m in mutants:
        by_example[m.example] = by_example.get(m.example, 0) + 1
    return {
        "mutants": tally.mutants, "accepted": tally.accepted, "accepted_confirmed": tally.accepted_confirmed,
        "rejected": tally.rejected, "rejected_false": tally.rejected_false, "rejected_refuted": tally.rejected_refuted,
        "steps_proved": tally.steps_proved, "steps_proved_confirmed": tally.steps_proved_confirmed,
        "steps_false": tally.steps_false, "steps_false_refuted": tally.steps_false_refuted,
        "counterexamples": tally.counterexamples, "counterexamples_genuine": tally.counterexamples_genuine,
        "steps_checked": tally.steps_checked, "ends_confirmed": tally.ends_checked,
        "oracle_calls": tally.oracle_calls, "oracle_cache_hits": tally.oracle_cache_hits,
        "fallbacks": tally.fallback, "sizes": list(sizes), "seconds": round(seconds, 1),
        "by_operator": {op: [tally.by_op[op], tally.accepted_by_op[op]] for op in sorted(tally.by_op)},
        "by_example": by_example,
        "findings": [{"kind": f.kind, "mutant": f.mutant.id, "where": f.where, "detail": f.detail,
                      "source": f.mutant.compact()} for f in tally.findings],
    }


SHARES = (1.0, 0.25, 0.25, 0.1, 0.025, 0.5)  # noise, grammar files, theorems, text, plain, differential


def _per_generator(total: int) -> int:
    """The VECPROOF_FUZZ_EXAMPLES value that gives at least `total` inputs over all generators."""
    per = max(1, int(total / sum(SHARES)))
    while sum(max(1, int(per * s)) for s in SHARES[:5]) + max(1, per // 2) < total:
        per += 1
    return per


def run_fuzz(total: int) -> dict:
    per = _per_generator(total)
    os.environ["VECPROOF_FUZZ_EXAMPLES"] = str(per)
    from robustness import test_differential, test_fuzz
    from robustness.record import COUNTS

    props = [test_fuzz.test_byte_noise_on_the_examples, test_fuzz.test_grammar_files_reparse_and_check,
             test_fuzz.test_grammar_theorems_check_and_agree_with_the_oracle, test_fuzz.test_arbitrary_text,
             test_fuzz.test_plain_from_lark_files_check]
    print(f"== fuzzing: about {total} inputs (VECPROOF_FUZZ_EXAMPLES={per})", flush=True)
    failures = []
    times = {}
    t0 = time.perf_counter()
    for prop in props:
        t = time.perf_counter()
        try:
            prop(1.0)  # the full size (tests/sizes.py); VECPROOF_FUZZ_EXAMPLES sets the count
            outcome = "ok"
        except Exception as err:  # noqa: BLE001 - report and go on
            outcome = f"FAILED: {type(err).__name__}: {str(err)[:3000]}"
            failures.append({"property": prop.__name__, "error": outcome,
                             "traceback": traceback.format_exc()[-4000:]})
        times[prop.__name__] = round(time.perf_counter() - t, 1)
        print(f"  {prop.__name__}: {times[prop.__name__]} s, {outcome[:3000]}", flush=True)
    # the differential property records its failures and goes on (a failing Hypothesis property
    # stops at its first failure)
    t = time.perf_counter()
    stats, diff_failures = test_differential.collect(max(1, per // 2))
    for k, v in stats.items():
        if k.startswith("fuzz "):
            COUNTS[k] += v
    name = "test_random_steps_agree_with_the_oracle (collecting)"
    times[name] = round(time.perf_counter() - t, 1)
    print(f"  {name}: {times[name]} s, {len(diff_failures)} failures; outcomes: "
          + ", ".join(f"{k}: {v}" for k, v in sorted(stats.items()) if not k.startswith("fuzz ")), flush=True)
    seen = set()
    for err, text in sorted(diff_failures, key=lambda f: len(f[1])):
        head = err.split(":")[0]
        failures.append({"property": name, "error": err, "source": text})
        if head not in seen:  # the shortest example of each kind
            seen.add(head)
            print(f"    FAILED: {err}")
            print("\n".join("      " + ln for ln in text.splitlines() if ln.strip()))
    seconds = time.perf_counter() - t0
    inputs = {k: v for k, v in COUNTS.items() if k.startswith("fuzz ")}
    n = sum(v for k, v in inputs.items() if not k.startswith("fuzz theorem steps"))
    for k in sorted(inputs):
        print(f"  {k}: {inputs[k]}")
    print(f"fuzz inputs in total: {n} in {seconds:.1f} s ({n / max(seconds, 1e-9):.0f} inputs/s)")
    return {"inputs": n, "by_generator": inputs, "seconds": round(seconds, 1), "per_property_seconds": times,
            "failures": failures}


def run_limits() -> dict:
    from robustness.limits_cases import CASES
    from robustness.test_limits import PER_CASE_SECONDS, run_cases

    print(f"== limits: {len(CASES)} cases, each in a child process (hang bound {PER_CASE_SECONDS} s)", flush=True)
    results = run_cases(list(CASES))
    bad = []
    for name in CASES:
        r = results.get(name, {})
        flag = "HUNG" if r.get("hung") else "CRASHED" if r.get("crashed") else ("BAD " + "; ".join(r["bad"])) if r.get("bad") else ""
        if flag:
            bad.append(name)
        print(f"  {name:28s} {r.get('seconds', '-')!s:>8} s  {','.join(r.get('codes', [])):18s} "
              f"{','.join(r.get('statuses', []))[:30]:30s} {flag[:200]}")
        for msg in r.get("messages", []):
            print(f"      {msg[:150]}")
    return {"cases": results, "problems": bad}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mutants", default="all", help="'all' or a sample size (default: all)")
    ap.add_argument("--sizes", default="1,2,3,4", help="oracle sizes per symbolic dimension (default 1,2,3,4)")
    ap.add_argument("--budget", type=float, default=30.0, help="oracle seconds per comparison before the "
                    "reference fallback (default 30)")
    ap.add_argument("--fuzz", type=int, default=10_000, help="fuzz inputs in total (default 10000)")
    ap.add_argument("--no-mutants", action="store_true")
    ap.add_argument("--no-fuzz", action="store_true")
    ap.add_argument("--no-limits", action="store_true")
    ap.add_argument("--progress", type=int, default=500, help="print progress every N mutants")
    ap.add_argument("--json", help="write the figures to this file")
    args = ap.parse_args(argv)
    sizes = tuple(int(s) for s in args.sizes.split(","))
    out: dict = {"python": platform.python_version(), "machine": platform.machine(), "cpus": os.cpu_count()}
    t = time.perf_counter()
    found = False
    if not args.no_mutants:
        out["mutation"] = run_mutation(args.mutants, sizes, args.budget, args.progress)
        found |= bool(out["mutation"]["findings"])
    if not args.no_fuzz:
        out["fuzz"] = run_fuzz(args.fuzz)
        found |= bool(out["fuzz"]["failures"])
    if not args.no_limits:
        out["limits"] = run_limits()
        found |= bool(out["limits"]["problems"])
    out["seconds"] = round(time.perf_counter() - t, 1)
    print(f"== total {out['seconds']} s; {'FINDINGS above' if found else 'nothing found'}")
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
