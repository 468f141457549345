"""How much of the examples and the library `vecproof derive` proves with their proofs removed.

    .venv/bin/python benchmarks/bench_derive.py            # examples/ (not bad/) and vecproof/library/ (~1 min)
    .venv/bin/python benchmarks/bench_derive.py FILE...    # these files instead
    .venv/bin/python benchmarks/bench_derive.py --one-at-a-time   # one proof removed at a time (~2 min)

Every theorem of each file loses its `proof … qed` block; `vecproof.derive.file.derive_text` writes
proofs (each checked by the unchanged checker inside derive_text) and the result is checked again in
exercise mode. Figures:
  derived     the theorems derive proves (their proof checks), of all theorems
  one rule    of those, the ones with no diagnostic at all in exercise mode and one rule cited per step
              (the laws of inverses and determinants are cited with product_rule, as their rules ask:
              those steps count as more than one; a note such as VP208 is not a diagnostic here)
  law as one  the same, counting a law of inverses or determinants cited with product_rule as one reason
  steps       median steps of a derived proof against the hand-written proof of the same theorem
  time        derive_text per file (planning + the check of the whole file) divided by its theorems,
              and the planning alone (Deriver.plan) per theorem: median and max
Per-file rows say which theorems derive does not prove, and why.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from vecproof.checker import check_text  # noqa: E402
from vecproof.diagnostics import Severity  # noqa: E402
from vecproof.derive import generate  # noqa: E402
from vecproof.derive.file import derive_text  # noqa: E402
from vecproof.options import CheckOptions  # noqa: E402
from vecproof.syntax import ast  # noqa: E402
from vecproof.syntax.parser import parse  # noqa: E402


def theorems(text: str) -> list:
    items = []
    for item in parse(text).items:
        items.extend(item if isinstance(item, list) else [item])
    return [i for i in items if isinstance(i, ast.Theorem)]


def strip_proofs(text: str) -> str:
    lines = text.split("\n")
    for th in reversed(theorems(text)):
        p = th.proof.span
        lines[p.line - 1:p.end_line] = [lines[p.line - 1][:p.col - 1] + lines[p.end_line - 1][p.end_col - 1:]]
    return "\n".join(lines)


LAWS = {"inverse_derivative", "det_derivative", "logdet_derivative"}


def _one_reason(names: list[str]) -> bool:
    """One rule, or a law of inverses and determinants with the product (or chain) rule it is cited with."""
    if len(names) == 1:
        return names[0] != "algebra"
    return set(names) - {"product_rule", "chain_rule"} <= LAWS and bool(set(names) & {"product_rule", "chain_rule"})


def strip_one(text: str, name: str) -> str:
    """`text` without the proof of theorem `name` (the others keep theirs)."""
    lines = text.split("\n")
    th = next(t for t in theorems(text) if t.name.name == name)
    p = th.proof.span
    lines[p.line - 1:p.end_line] = [lines[p.line - 1][:p.col - 1] + lines[p.end_line - 1][p.end_col - 1:]]
    return "\n".join(lines)


def one_at_a_time(files: list[Path]) -> None:
    """Each theorem's proof removed alone: derive may then cite the theorems before it."""
    total = derived = cited = one_rule = 0
    for f in files:
        text = f.read_text()
        known = {th.name.name for th in theorems(text)}
        for name in [th.name.name for th in theorems(text)]:
            total += 1
            got = derive_text(strip_one(text, name), str(f))
            if name not in got.proved:
                print(f"  not derived: {f.name}: {name}: {(got.underived.get(name) or 'VP902')[:100]}")
                continue
            derived += 1
            plan = got.plans[name]
            cited += any(c.split(".")[-1] in known or "." in c for c in plan.cites)
            one_rule += all(", " not in c for c in plan.cites)
    print(f"one proof removed at a time: derived {derived}/{total} ({100 * derived / total:.0f} %), "
          f"citing a theorem {cited}, one rule per step {one_rule}/{total} ({100 * one_rule / total:.0f} %)")


def main(paths: list[str]) -> None:
    files = [Path(p) for p in paths] or sorted(
        [p for p in (ROOT / "examples").rglob("*.vproof") if "bad" not in p.parts]
        + sorted((ROOT / "vecproof" / "library").glob("*.vproof")))
    plan_times: list[float] = []
    real_plan = generate.Deriver.plan

    def timed(self, *args):
        t0 = time.perf_counter()
        try:
            return real_plan(self, *args)
        finally:
            plan_times.append(time.perf_counter() - t0)

    generate.Deriver.plan = timed
    total = derived = one_rule = one_law = 0
    per_theorem: list[float] = []
    steps_derived: list[int] = []
    steps_hand: list[int] = []
    misses: list[str] = []
    print(f"{'file':48} {'theorems':>8} {'derived':>8} {'one rule':>8} {'s/theorem':>9}")
    for f in files:
        text = f.read_text()
        hand = {th.name.name: len(th.proof.steps) for th in theorems(text)}
        t0 = time.perf_counter()
        got = derive_text(strip_proofs(text), str(f))
        seconds = time.perf_counter() - t0
        result = check_text(got.text, str(f), options=CheckOptions(exercise=True))
        derived_th = {th.name.name: th for th in theorems(got.text) if not th.proof.missing}
        flagged = {result.theorems[d.theorem].name for d in result.diagnostics
                   if d.theorem is not None and d.level != Severity.NOTE}
        ok_rule = [n for n, th in derived_th.items() if n not in flagged
                   and all(len(s.rules) == 1 and s.rules[0].name != "algebra" for s in th.proof.steps)]
        ok_law = [n for n, th in derived_th.items() if n not in flagged
                  and all(_one_reason([r.name for r in s.rules]) for s in th.proof.steps)]
        n = len(hand)
        total += n
        derived += len(got.proved)
        one_rule += len(ok_rule)
        one_law += len(ok_law)
        per_theorem.append(seconds / max(n, 1))
        for name in got.proved:
            steps_derived.append(len(derived_th[name].proof.steps))
            steps_hand.append(hand[name])
        for name, why in got.underived.items():
            misses.append(f"{f.relative_to(ROOT) if f.is_absolute() else f}: {name}: {why[:110]}")
        for d in got.diagnostics:
            misses.append(f"{f}: {d.code.id} {d.message[:110]}")
        label = str(f.relative_to(ROOT) if f.is_absolute() else f)
        print(f"{label:48} {n:8} {len(got.proved):8} {len(ok_rule):8} {seconds / max(n, 1):9.2f}")
    print()
    print(f"derived: {derived}/{total} theorems ({100 * derived / total:.0f} %)")
    print(f"one named rule per step, no diagnostic in exercise mode: {one_rule}/{total} "
          f"({100 * one_rule / total:.0f} %)")
    print(f"… counting a law of inverses or determinants cited with product_rule as one reason: {one_law}/{total} "
          f"({100 * one_law / total:.0f} %)")
    if steps_derived:
        print(f"steps per proof, median: derived {statistics.median(steps_derived)}, hand-written "
              f"{statistics.median(steps_hand)} (same {len(steps_derived)} theorems; derived − hand median "
              f"{statistics.median(a - b for a, b in zip(steps_derived, steps_hand))})")
    print(f"time per theorem (derive_text / theorems of the file): median {statistics.median(per_theorem):.2f} s, "
          f"max {max(per_theorem):.2f} s")
    if plan_times:
        print(f"planning alone (Deriver.plan) per theorem: median {1000 * statistics.median(plan_times):.0f} ms, "
              f"max {1000 * max(plan_times):.0f} ms")
    if misses:
        print("\nnot derived:")
        for m in misses:
            print("  " + m)


if __name__ == "__main__":
    args = sys.argv[1:]
    if "--one-at-a-time" in args:
        args.remove("--one-at-a-time")
        one_at_a_time([Path(p) for p in args] or sorted(
            [p for p in (ROOT / "examples").rglob("*.vproof") if "bad" not in p.parts]
            + sorted((ROOT / "vecproof" / "library").glob("*.vproof"))))
    else:
        main(args)
