#!/usr/bin/env python
"""Per-step timings: vecproof's kernel against what a user would otherwise do (SymPy at n = 3).

For every step of every good example (examples/*.vproof, not examples/bad/) this checks the file
with vecproof.checker.check_path and then, for each step's two sides (StepResult.before/.after,
kernel index expressions), times

  kernel    Normalizer().is_zero(before - after)          the normal form alone (the decision)
  decide    vecproof.kernel.decide(before, after)          normal form + exact grid cross-check
            (what `vecproof check` runs for every step; rule citation checking is extra)
  build     converting both sides to ordinary SymPy expressions at size 3 (benchmark-side code)
  simplify  sympy.simplify(lhs - rhs) == 0                 the baseline: what a user would run

Every figure is the median over --repeat runs, after one untimed warm-up run; SymPy's global
cache (sympy.core.cache.clear_cache) is cleared before every timed run of every measurement, so
the baseline cannot answer from a cached simplify. Two ratios are printed: simplify / kernel (the
simplify call alone) and (build + simplify) / kernel. The second is the fair one: SymPy evaluates
Add, Mul and diff as the expressions are built, so at n = 3 `lhs - rhs` is usually already 0 before
simplify runs (the column "0 pre-simp" says when), and the build is where SymPy does its work.

The SymPy baseline is built here, independently of vecproof's own evaluator (kernel/grid.py):
  - every symbolic dimension gets size --size (default 3); concrete dimensions keep their size;
  - an entry of a `var` or `const` is a Symbol named like A_1_2 (a `symmetric` matrix uses the
    sorted index pair, so S_2_1 is S_1_2);
  - an entry of a `func u(x)` is sympy.Function('u_1')(x_1, ..., x_n) over every entry of x, so
    sympy.diff works; a derivative entry ∂u_1/∂x_2 is diff of that function by x_2;
  - Sum is sympy.Add of the concrete terms; Deriv is sympy.diff by the Symbol of the variable's
    entry; Delta is 1 or 0 at the concrete values; Fold and Select are transparent; Pow is **;
  - free indices: with --free one (the default) every free index takes the value 1, which is what
    a hand check would do (and is weaker than vecproof, which covers every equality pattern of the
    free indices); with --free all every assignment of values is built and simplified, and the
    times are summed over the assignments.

With --growth it times instead the growth series of issue 10, one generated one-step theorem each:
d tr(X A2 … Ak)/dX = (A2 … Ak)ᵀ for k = 2..8 (sums nested k deep), ∇(xᵀAx)^k = k (xᵀAx)^(k−1)(A + Aᵀ)x
for k = 1..6, and ∇xᵀAx = (A + Aᵀ)x at a concrete n = 8, 16, 32: `decide` (default limits, so the
step budget applies) and the normal form alone, medians of --repeat runs, with the verdict and
whether the exact cross-check ran (no VP208 note). --ref REV also times `decide` of the kernel at
git revision REV in the same run (its grid.py and __init__.py, loaded beside the current ones: the
term language and the normal form must be the same files), for a before/after comparison.

Usage:  .venv/bin/python benchmarks/bench_steps.py [FILES...] [--repeat N] [--free one|all]
        .venv/bin/python benchmarks/bench_steps.py --growth [--repeat N] [--ref main]
"""

from __future__ import annotations

import argparse
import gc
import glob
import itertools
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import types
from pathlib import Path

import sympy
from sympy.core.cache import clear_cache

from vecproof import kernel
from vecproof.checker import check_path
from vecproof.kernel import (
    Add, Delta, Deriv, Entry, Fold, Index, Mul, Num, Pow, Select, Size, Sum, free_slots,
)
from vecproof.kernel.normal_form import OutsideFragment
from vecproof.kernel.terms import objects_in

ROOT = Path(__file__).resolve().parents[1]


# ---- an independent converter: kernel IR -> ordinary SymPy expression at concrete sizes ---------

class ToSympy:
    def __init__(self, size: int, variables: dict):
        self.size = size
        self.variables = variables  # name -> Obj of kind "var" (what a func depends on)
        self.symbols: dict[str, sympy.Symbol] = {}
        self.functions: dict[str, sympy.Expr] = {}

    def dim(self, d) -> int:
        return self.size if d.symbolic else d.size

    def slot(self, s, env) -> int:
        return env[s] if isinstance(s, Index) else s

    def sym(self, name: str) -> sympy.Symbol:
        got = self.symbols.get(name)
        if got is None:
            got = self.symbols[name] = sympy.Symbol(name)
        return got

    def entry_symbol(self, obj, values: tuple[int, ...]) -> sympy.Symbol:
        if obj.symmetric and len(values) == 2:
            values = tuple(sorted(values))
        return self.sym("_".join([obj.name, *map(str, values)]))

    def var_symbols(self, var) -> list[sympy.Symbol]:
        ranges = [range(1, self.dim(d) + 1) for d in var.dims]
        return [self.entry_symbol(var, v) for v in itertools.product(*ranges)]

    def entry(self, e: Entry, env) -> sympy.Expr:
        values = tuple(self.slot(s, env) for s in e.idx)
        if e.obj.kind == "func" and e.obj.depends_on in self.variables:
            if e.obj.symmetric and len(values) == 2:
                values = tuple(sorted(values))
            name = "_".join([e.obj.name, *map(str, values)])
            base = self.functions.get(name)
            if base is None:
                args = self.var_symbols(self.variables[e.obj.depends_on])
                base = self.functions[name] = sympy.Function(name)(*args)
        else:
            base = self.entry_symbol(e.obj, values)
        for var, d in e.derivs:
            base = sympy.diff(base, self.entry_symbol(var, tuple(self.slot(s, env) for s in d)))
        return base

    def int_of(self, e, env) -> int:
        return int(self.conv(e, env))

    def conv(self, e, env) -> sympy.Expr:
        if isinstance(e, Num):
            return sympy.Rational(e.value.numerator, e.value.denominator)
        if isinstance(e, Size):
            return sympy.Integer(self.dim(e.dim))
        if isinstance(e, Entry):
            return self.entry(e, env)
        if isinstance(e, Delta):
            return sympy.Integer(1 if self.slot(e.a, env) == self.slot(e.b, env) else 0)
        if isinstance(e, Add):
            return sympy.Add(*(self.conv(a, env) for a in e.args))
        if isinstance(e, Mul):
            return sympy.Mul(*(self.conv(a, env) for a in e.args))
        if isinstance(e, Pow):
            return self.conv(e.base, env) ** e.exp
        if isinstance(e, Sum):
            lo = 1 if e.lo is None else self.int_of(e.lo, env)
            hi = self.dim(e.index.dim) if e.hi is None else self.int_of(e.hi, env)
            terms = []
            for v in range(lo, hi + 1):
                terms.append(self.conv(e.body, {**env, e.index: v}))
            return sympy.Add(*terms)
        if isinstance(e, Deriv):
            at = tuple(self.slot(s, env) for s in e.idx)
            return sympy.diff(self.conv(e.body, env), self.entry_symbol(e.var, at))
        if isinstance(e, Fold):
            return self.conv(e.body, env)
        if isinstance(e, Select):
            return self.conv(e.options[self.slot(e.index, env) - 1], env)
        raise TypeError(f"not an index expression: {e!r}")


def free_envs(before, after, size: int, mode: str) -> list[dict]:
    free = sorted(free_slots(Add((before, after))))
    if mode == "one":
        return [{i: 1 for i in free}]
    ranges = [range(1, (size if i.dim.symbolic else i.dim.size) + 1) for i in free]
    return [dict(zip(free, vals)) for vals in itertools.product(*ranges)]


def variables_of(result, before, after) -> dict:
    out = {}
    if result.scope is not None:
        out.update({o.name: o for o in result.scope.variables()})
    for o in objects_in(Add((before, after))):
        if o.kind == "var":
            out.setdefault(o.name, o)
    return out


# ---- timing ------------------------------------------------------------------------------------

class Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise Timeout()


def timed(fn, repeat: int, timeout: float | None = None):
    """(median seconds, last value) of fn() over `repeat` runs after one untimed warm-up run.
    SymPy's cache is cleared before each run (outside the timed region). The garbage collector is
    left as in a real `vecproof check` (enabled, not forced), so a run may include a collection;
    the median absorbs the odd one. With a timeout, a run that exceeds it raises Timeout."""
    samples = []
    value = None
    for k in range(repeat + 1):
        clear_cache()
        if timeout:
            signal.setitimer(signal.ITIMER_REAL, timeout)
        try:
            t0 = time.perf_counter()
            value = fn()
            t1 = time.perf_counter()
        finally:
            if timeout:
                signal.setitimer(signal.ITIMER_REAL, 0)
        if k:
            samples.append(t1 - t0)
    return statistics.median(samples), value


def good_examples() -> list[Path]:
    return sorted(Path(p) for p in glob.glob(str(ROOT / "examples" / "*.vproof")))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="*", help="files to benchmark (default: examples/*.vproof, not examples/bad/)")
    ap.add_argument("--repeat", type=int, default=5, help="timed runs per measurement (median; default 5)")
    ap.add_argument("--baseline-repeat", type=int, default=None,
                    help="timed runs for the SymPy baseline (default: same as --repeat)")
    ap.add_argument("--size", type=int, default=3, help="size of every symbolic dimension in the baseline")
    ap.add_argument("--free", choices=("one", "all"), default="one",
                    help="baseline free indices: all = 1 (default), or every assignment (summed)")
    ap.add_argument("--timeout", type=float, default=20.0, help="seconds per baseline simplify before giving up")
    ap.add_argument("--no-baseline", action="store_true", help="time the kernel only")
    ap.add_argument("--json", metavar="PATH", help="also write the per-step figures as JSON")
    ap.add_argument("--gc-freeze", action="store_true",
                    help="gc.freeze() after the warm-up (not what vecproof does: a what-if that shows how much "
                         "of each figure is the garbage collector walking SymPy's heap)")
    ap.add_argument("--growth", action="store_true", help="time the growth series of issue 10 instead (see above)")
    ap.add_argument("--ref", metavar="REV", help="with --growth: also time decide of the kernel at git revision REV")
    args = ap.parse_args(argv)
    if args.growth:
        return growth(args.repeat, args.ref)
    brepeat = args.baseline_repeat or args.repeat
    signal.signal(signal.SIGALRM, _alarm)

    files = [Path(f) for f in args.files] or good_examples()
    if not files:
        print("no example files found (examples/*.vproof)", file=sys.stderr)
        return 2

    # Warm up the one-time costs of both sides (grammar construction, first PolyRing, SymPy's
    # lazily imported simplify machinery) so that they are not charged to the first step.
    t_warm = time.perf_counter()
    sympy.simplify(sympy.Symbol("a") * (sympy.Symbol("b") + 1) - sympy.Symbol("a") * sympy.Symbol("b"))
    warm = time.perf_counter() - t_warm
    if args.gc_freeze:
        # Move everything that exists now (SymPy's and vecproof's module-level objects) out of the
        # collector's view: full collections during timed runs get cheaper (see --help).
        gc.collect()
        gc.freeze()

    rows = []
    t_start = time.perf_counter()
    for path in files:
        t0 = time.perf_counter()
        result = check_path(path)
        check_s = time.perf_counter() - t0
        shown = os.path.relpath(path, ROOT) if Path(path).resolve().is_relative_to(ROOT) else str(path)
        nsteps = sum(len(th.steps) for th in result.theorems)
        first = " (includes building the parser)" if path == files[0] else ""
        print(f"# {shown}: check_path {check_s * 1e3:.1f} ms{first}, {len(result.theorems)} theorems, "
              f"{nsteps} steps", flush=True)
        for th in result.theorems:
            for st in th.steps:
                if st.before is None or st.after is None:
                    rows.append({"file": shown, "line": st.span.line, "theorem": th.name, "status": st.status,
                                 "skipped": "no kernel expressions (elaboration error)"})
                    continue
                b, a = st.before, st.after
                try:
                    k_s, k_zero = timed(lambda: kernel.Normalizer().is_zero(b - a), args.repeat)
                    d_s, verdict = timed(lambda: kernel.decide(b, a), args.repeat)
                except (OutsideFragment, kernel.KernelLimit, kernel.KernelDisagreement) as why:
                    rows.append({"file": shown, "line": st.span.line, "theorem": th.name, "status": st.status,
                                 "skipped": f"{type(why).__name__}: {why}"})
                    print(f"{shown}:{st.span.line}  skipped ({type(why).__name__}: {why})", flush=True)
                    continue
                row = {"file": shown, "line": st.span.line, "theorem": th.name, "status": verdict.status,
                       "kernel_ms": k_s * 1e3, "decide_ms": d_s * 1e3, "nf_zero": k_zero}
                if not args.no_baseline:
                    envs = free_envs(b, a, args.size, args.free)
                    variables = variables_of(result, b, a)

                    def build():
                        conv = ToSympy(args.size, variables)
                        return [(conv.conv(b, env), conv.conv(a, env)) for env in envs]

                    build_s, pairs = timed(build, brepeat)
                    row["build_ms"] = build_s * 1e3
                    # SymPy evaluates Add/Mul/diff as it builds: is lhs - rhs already 0 before simplify?
                    row["zero_before_simplify"] = all((l - r) == 0 for l, r in pairs)
                    try:
                        simp_s, same = timed(lambda: all(sympy.simplify(l - r) == 0 for l, r in pairs),
                                             brepeat, args.timeout)
                        row["simplify_ms"] = simp_s * 1e3
                        row["baseline_zero"] = bool(same)
                        row["ratio"] = simp_s / k_s if k_s else float("inf")
                        row["ratio_total"] = (build_s + simp_s) / k_s if k_s else float("inf")
                    except Timeout:
                        row["simplify_ms"] = None
                        row["timeout_s"] = args.timeout
                rows.append(row)
                _print_row(row, header=sum(1 for r in rows if "kernel_ms" in r) == 1)
    elapsed = time.perf_counter() - t_start

    timedrows = [r for r in rows if "kernel_ms" in r]
    print()
    print(f"steps: {len(timedrows)} timed, {len(rows) - len(timedrows)} skipped; "
          f"repeat {args.repeat} (baseline {brepeat}); baseline at size {args.size}, free indices: "
          f"{'all = 1' if args.free == 'one' else 'every assignment'}")
    summary = {}
    if timedrows:
        def med(key):
            vals = [r[key] for r in timedrows if r.get(key) is not None]
            return statistics.median(vals) if vals else None
        summary = {k: med(k) for k in ("kernel_ms", "decide_ms", "build_ms", "simplify_ms", "ratio",
                                       "ratio_total")}
        summary["steps"] = len(timedrows)
        summary["zero_before_simplify"] = sum(1 for r in timedrows if r.get("zero_before_simplify"))
        summary["max_kernel_ms"] = max(r["kernel_ms"] for r in timedrows)
        summary["max_decide_ms"] = max(r["decide_ms"] for r in timedrows)
        summary["sum_decide_ms"] = sum(r["decide_ms"] for r in timedrows)
        print(f"median kernel (normal form) {summary['kernel_ms']:.3f} ms   "
              f"[target <= 0.5 ms: {'met' if summary['kernel_ms'] <= 0.5 else 'MISSED'}]; "
              f"max {summary['max_kernel_ms']:.3f} ms")
        print(f"median decide (normal form + grid) {summary['decide_ms']:.3f} ms; max {summary['max_decide_ms']:.3f} ms;"
              f" sum over steps {summary['sum_decide_ms']:.1f} ms")
        if summary.get("simplify_ms") is not None:
            print(f"median baseline: build {summary['build_ms']:.3f} ms, simplify {summary['simplify_ms']:.3f} ms")
            print(f"median ratio simplify/kernel {summary['ratio']:.2f}x; (build + simplify)/kernel "
                  f"{summary['ratio_total']:.2f}x; ratio of medians: simplify/kernel "
                  f"{summary['simplify_ms'] / summary['kernel_ms']:.2f}x, simplify/decide "
                  f"{summary['simplify_ms'] / summary['decide_ms']:.2f}x, (build + simplify)/decide "
                  f"{(summary['build_ms'] + summary['simplify_ms']) / summary['decide_ms']:.2f}x")
            print(f"lhs - rhs was already 0 after SymPy's automatic evaluation, before simplify ran, on "
                  f"{summary['zero_before_simplify']} of {len(timedrows)} steps")
            timeouts = [r for r in timedrows if r.get("simplify_ms") is None]
            if timeouts:
                print(f"baseline timed out (> {args.timeout} s) on {len(timeouts)} steps; left out of its medians")
            wrong = [r for r in timedrows if r.get("baseline_zero") is False and r["status"] == "proved"]
            if wrong:
                print(f"SymPy's simplify did not reduce {len(wrong)} proved steps to 0: "
                      + ", ".join(f"{r['file']}:{r['line']}" for r in wrong))
    print(f"benchmark wall time {elapsed:.1f} s (plus {warm * 1e3:.0f} ms SymPy simplify warm-up)")
    if args.json:
        meta = {"date": time.strftime("%Y-%m-%d"), "python": platform.python_version(),
                "nproc": os.cpu_count(), "sympy": sympy.__version__, "repeat": args.repeat,
                "baseline_repeat": brepeat, "size": args.size, "free": args.free}
        Path(args.json).write_text(json.dumps({"meta": meta, "summary": summary, "steps": rows}, indent=1,
                                              default=str))
    return 0


# ---- the growth series (issue 10) ----------------------------------------------------------------

def _one_step(decls: str, lhs: str, rhs: str) -> str:
    return (f"layout denominator\n{decls}theorem t:\n  {lhs} = {rhs}\nproof:\n  {lhs}\n"
            f"  = {rhs} by algebra\nqed\n")


def growth_cases() -> list[tuple[str, str]]:
    out = []
    for k in range(2, 9):
        mats = " ".join(f"A{j}" for j in range(2, k + 1))
        decls = "dim n\nvar X : matrix(n, n)\n" + "".join(f"const A{j} : matrix(n, n)\n" for j in range(2, k + 1))
        out.append((f"d tr(X A2..A{k})/dX", _one_step(decls, f"grad(tr(X {mats}), X)", f"({mats})^T")))
    for k in range(1, 7):
        rhs = f"{k} (x^T A x)^{k - 1} (A + A^T) x" if k > 1 else "(A + A^T) x"
        out.append((f"grad (x^T A x)^{k}", _one_step("dim n\nvar x : vector(n)\nconst A : matrix(n, n)\n",
                                                   f"grad((x^T A x)^{k}, x)", rhs)))
    for n in (8, 16, 32):
        out.append((f"grad x^T A x at n = {n}", _one_step(f"dim n = {n}\nvar x : vector(n)\nconst A : matrix(n, n)\n",
                                                          "grad(x^T A x, x)", "(A + A^T) x")))
    return out


def reference_kernel(rev: str):
    """The kernel package at git revision `rev`, loaded as `_kernel_at_ref` beside the current one: its
    own __init__.py, grid.py, functions.py and inverse.py, the current terms, normal_form and theorem modules (which must be
    unchanged since `rev`, so that both kernels read the same expressions)."""
    here = Path(kernel.__file__).parent
    for name in ("terms.py", "normal_form.py", "theorem.py"):
        old = subprocess.run(["git", "show", f"{rev}:vecproof/kernel/{name}"], cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout
        if old != (here / name).read_text():
            raise SystemExit(f"vecproof/kernel/{name} changed since {rev}: the two kernels are not comparable")
    tmp = Path(tempfile.mkdtemp(prefix="vecproof-ref-"))
    for name in ("__init__.py", "grid.py", "functions.py", "inverse.py"):
        (tmp / name).write_text(subprocess.run(["git", "show", f"{rev}:vecproof/kernel/{name}"], cwd=ROOT,
                                               capture_output=True, text=True, check=True).stdout)
    pkg = types.ModuleType("_kernel_at_ref")
    pkg.__path__ = [str(tmp)]
    sys.modules["_kernel_at_ref"] = pkg
    for name in ("terms", "normal_form", "theorem"):
        sys.modules[f"_kernel_at_ref.{name}"] = sys.modules[f"vecproof.kernel.{name}"]
    import importlib.util
    spec = importlib.util.spec_from_file_location("_kernel_at_ref", tmp / "__init__.py",
                                                  submodule_search_locations=[str(tmp)])
    mod = importlib.util.module_from_spec(spec)
    sys.modules["_kernel_at_ref"] = mod
    spec.loader.exec_module(mod)
    return mod


def _timed_decide(decide, b, a, repeat: int):
    """(median ms, outcome) of decide(b, a); the outcome says the verdict, or the exception raised."""
    try:
        s, v = timed(lambda: decide(b, a), repeat)
    except Exception as why:  # a resource limit (KernelLimit) is a result here, not a failure
        t0 = time.perf_counter()
        try:
            decide(b, a)
        except Exception:
            pass
        return (time.perf_counter() - t0) * 1e3, type(why).__name__
    skipped = any("cross-check was skipped" in n for n in v.notes)
    return s * 1e3, v.status + (" (VP208: cross-check skipped)" if skipped else "")


def growth(repeat: int, ref: str | None) -> int:
    from vecproof.checker import check_text
    old = reference_kernel(ref) if ref else None
    print(f"growth series; medians of {repeat} runs after a warm-up; decide with the default limits")
    head = f"{'case':<26} {'normal form ms':>14} {'decide ms':>10}  verdict"
    print(head + (f"{'':<30} {ref + ' decide ms':>16}  verdict" if old else ""))
    for name, text in growth_cases():
        step = check_text(text).theorems[0].steps[0]
        b, a = step.before, step.after
        try:
            nf_s, _ = timed(lambda: kernel.Normalizer().is_zero(b - a), repeat)
            nf = f"{nf_s * 1e3:14.1f}"
        except kernel.KernelLimit:
            nf = f"{'KernelLimit':>14}"
        ms, outcome = _timed_decide(kernel.decide, b, a, repeat)
        line = f"{name:<26} {nf} {ms:10.1f}  {outcome:<30}"
        if old:
            oms, oout = _timed_decide(old.decide, b, a, repeat)
            line += f" {oms:16.1f}  {oout}"
        print(line, flush=True)
    return 0


def _print_row(r: dict, header: bool) -> None:
    if header:
        print(f"{'file:line':<44} {'status':<7} {'kernel ms':>9} {'decide ms':>9} {'build ms':>9} "
              f"{'simplify ms':>11} {'simp/kern':>9} {'(b+s)/kern':>10} {'0 pre-simp':>10}")
    where = f"{r['file']}:{r['line']}"
    simp = r.get("simplify_ms")
    simp_s = "-" if "build_ms" not in r else (f"{simp:.2f}" if simp is not None else f">{r['timeout_s']:.0f}s")
    build_s = f"{r['build_ms']:.2f}" if "build_ms" in r else "-"
    ratio = f"{r['ratio']:.2f}x" if r.get("ratio") is not None else "-"
    total = f"{r['ratio_total']:.2f}x" if r.get("ratio_total") is not None else "-"
    pre = {True: "yes", False: "no", None: "-"}[r.get("zero_before_simplify")]
    flag = "" if r.get("baseline_zero", True) else "  (simplify != 0)"
    print(f"{where:<44} {r['status']:<7} {r['kernel_ms']:9.3f} {r['decide_ms']:9.3f} {build_s:>9} "
          f"{simp_s:>11} {ratio:>9} {total:>10} {pre:>10}{flag}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
