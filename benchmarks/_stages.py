"""Child process for bench_cold.py: times the stages of a cold check, in-process, without a profiler.

Run as `python benchmarks/_stages.py FILE...` in a fresh interpreter; prints one JSON object:
  import      `import vecproof.checker` (SymPy, Lark and vecproof itself)
  grammar     building the LALR parser from grammar/vproof.lark (vecproof.syntax.parser._parser)
  grammar_cached  what-if: the same Lark parser loaded from Lark's own cache file (cache=PATH),
              measured on a second construction in this process (the first one writes the cache)
  parse       parsing every file's text (Lark + building vecproof's tree), after the parser exists
  check       check_path on every file (includes parsing again), split by wrapping, for timing only,
              the module attributes the checker calls:
    decide          vecproof.kernel.decide (every call)
    decide_nf       Normalizer.normal_form called inside decide
    decide_grid     grid.Evaluator construction + evaluation inside decide (outermost calls)
    explains        vecproof.rules.explains (rule citation check)
    hints           the rest of kernel.equal calls (transposition hints for false steps)
Timing wrappers add a little overhead; they do not change what is computed.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

t0 = time.perf_counter()
import vecproof.checker  # noqa: E402,F401  (the import being timed)
from vecproof import kernel, rules  # noqa: E402
from vecproof.checker import check as check_mod  # noqa: E402
from vecproof.kernel import grid, normal_form  # noqa: E402
from vecproof.syntax import parser as parser_mod  # noqa: E402

out = {"import": time.perf_counter() - t0}

t = time.perf_counter()
parser_mod._parser()
out["grammar"] = time.perf_counter() - t

from lark import Lark  # noqa: E402

with tempfile.TemporaryDirectory() as tmp:
    cache = str(Path(tmp) / "vproof.lark.cache")
    opts = dict(parser="lalr", lexer="contextual", propagate_positions=True, maybe_placeholders=False)
    Lark(parser_mod.grammar_text(), cache=cache, **opts)
    t = time.perf_counter()
    Lark(parser_mod.grammar_text(), cache=cache, **opts)
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

orig_init = grid.Evaluator.__init__
orig_value = grid.Evaluator.value


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


grid.Evaluator.__init__ = ev_init
grid.Evaluator.value = ev_value
kernel.decide = wrap_total(kernel.decide, "decide", "in_decide")
kernel.equal = wrap_total(kernel.equal, "hints")
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
