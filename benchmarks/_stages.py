"""Child process for bench_cold.py: times the stages of a cold check, in-process, without a profiler.

Run as `python benchmarks/_stages.py FILE...` in a fresh interpreter, with XDG_CACHE_HOME an empty
directory (no saved parser); prints one JSON object:
  import      `import vecproof.checker` (Lark and vecproof itself; SymPy is imported on first use)
  import_exact  `import vecproof.kernel.grid`: the exact cross-check and SymPy, which a real check
              imports at its first kernel.decide (imported here first so that decide excludes it)
  grammar     the LALR parser built from grammar/vproof.lark and saved (vecproof.syntax.parser._parser
              with no saved parser: what a first run pays)
  grammar_cached  the same parser loaded from the file the first construction saved (what every
              later run pays: vecproof.syntax.grammar.build_parser)
  parse       parsing every file's text (Lark + building vecproof's tree), after the parser exists
  check       check_path on every file (includes parsing again), split by wrapping, for timing only,
              the functions the checker calls:
    decide          kernel.decide (every call the checker makes; it calls it through its own memo,
                    vecproof.checker.check._decide, which is what is replaced)
    decide_nf       Normalizer.normal_form called inside decide
    decide_grid     the exact grid check inside decide: PointEvaluator construction + evaluation (outermost
                    calls), the cross-check and the counterexample searches that use it
    explains        vecproof.rules.explains (rule citation check)
    hints           the normal-form comparisons of the transposition hints for false steps
Timing wrappers add a little overhead; they do not change what is computed.
"""

from __future__ import annotations

import functools
import json
import sys
import time
from pathlib import Path

t0 = time.perf_counter()
import vecproof.checker  # noqa: E402,F401  (the import being timed)
from vecproof import counterexamples, rules  # noqa: E402
from vecproof.checker import check as check_mod  # noqa: E402
from vecproof.kernel import normal_form  # noqa: E402
from vecproof.syntax import grammar  # noqa: E402
from vecproof.syntax import parser as parser_mod  # noqa: E402

out = {"import": time.perf_counter() - t0}

t = time.perf_counter()
from vecproof.kernel import grid  # noqa: E402

out["import_exact"] = time.perf_counter() - t

t = time.perf_counter()
parser_mod._parser()
out["grammar"] = time.perf_counter() - t

t = time.perf_counter()
grammar.build_parser()
out["grammar_cached"] = time.perf_counter() - t

files = sys.argv[1:]
texts = [Path(f).read_text(encoding="utf-8") for f in files]
t = time.perf_counter()
for text in texts:
    try:
        parser_mod.parse(text)
    except parser_mod.ParseFailure:
        pass
out["parse"] = time.perf_counter() - t

acc = {"decide": 0.0, "decide_nf": 0.0, "decide_grid": 0.0, "explains": 0.0, "hints": 0.0}
state = {"in_decide": False, "grid_depth": 0}
calls: dict[str, int] = {}


def wrap_total(fn, key, flag=None):
    def w(*a, **k):
        t = time.perf_counter()
        if flag:
            state[flag] = True
        try:
            return fn(*a, **k)
        finally:
            if flag:
                state[flag] = False
            acc[key] += time.perf_counter() - t
            calls[key] = calls.get(key, 0) + 1
    return w


orig_nf = normal_form.Normalizer.normal_form


def nf(self, expr):
    if not state["in_decide"]:
        return orig_nf(self, expr)
    t = time.perf_counter()
    try:
        return orig_nf(self, expr)
    finally:
        acc["decide_nf"] += time.perf_counter() - t


normal_form.Normalizer.normal_form = nf

orig_init = grid.PointEvaluator.__init__
orig_value = grid.PointEvaluator.value


def ev_init(self, *a, **k):
    t = time.perf_counter()
    try:
        return orig_init(self, *a, **k)
    finally:
        if state["in_decide"]:
            acc["decide_grid"] += time.perf_counter() - t


def ev_value(self, e, env):
    if state["grid_depth"] or not state["in_decide"]:
        return orig_value(self, e, env)
    state["grid_depth"] += 1
    t = time.perf_counter()
    try:
        return orig_value(self, e, env)
    finally:
        state["grid_depth"] -= 1
        acc["decide_grid"] += time.perf_counter() - t


grid.PointEvaluator.__init__ = ev_init
grid.PointEvaluator.value = ev_value
check_mod._decide = functools.lru_cache(maxsize=8192)(wrap_total(counterexamples.decide, "decide", "in_decide"))
check_mod._normal_forms_equal = wrap_total(check_mod._normal_forms_equal, "hints")
rules.explains = wrap_total(rules.explains, "explains")

t = time.perf_counter()
steps = 0
for f in files:
    r = check_mod.check_path(f)
    steps += sum(len(th.steps) for th in r.theorems)
out["check"] = time.perf_counter() - t
out.update(acc)
out["decide_calls"] = calls.get("decide", 0)
out["explains_calls"] = calls.get("explains", 0)
out["steps"] = steps
out["total_in_process"] = time.perf_counter() - t0
print(json.dumps(out))
