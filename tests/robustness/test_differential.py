"""Differential soundness: random well-typed steps, checked by vecproof and by the oracle.

tests/robustness/typed.py draws two expressions t1, t2 of the same shape that are equal by the
documented semantics (through transposes, layouts, Jacobians, norms, traces, sums, symmetric
matrices, …). The step `t1 = t2` is checked by vecproof as drawn, or after one source mutation of
t2 by the operators of tests/robustness/mutants.py (a near miss). Then:

* if vecproof proves the step, the oracle must find the two sides equal (soundness);
* if vecproof says false, the oracle must find a difference, or vecproof's counterexample must be
  genuine when the oracle evaluates it (it may lie outside the oracle's grid);
* an unmutated pair is equal by construction: vecproof must prove it (or stop at a declared
  resource limit) — anything else is a completeness bug (the oracle confirms the pair first).

400 pairs in the slow run, fewer in the default run (tests/sizes.py; derandomised);
VECPROOF_FUZZ_EXAMPLES scales it (×0.5), as in test_fuzz.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st
from sizes import at_two_sizes, scaled

from vecproof.checker import check_text
from vecproof.syntax import ast

from .mutants import Source, _apply, expression_edits
from .oracle import Comparer, Decls, OracleError, Side
from .record import COUNTS
from .soundness import evaluate_counterexample
from .typed import component_names, pairs, theorem_text

_ENV = int(os.environ.get("VECPROOF_FUZZ_EXAMPLES", "0") or 0)
_CMP: dict = {}
LIMITS = {"VP901"}


def _property(default: int, *strategies):
    """The property at two sizes (tests/sizes.py): `default` pairs in the slow run, fewer in the
    default run; with VECPROOF_FUZZ_EXAMPLES=N, N/2 at either size, drawn randomly."""
    return at_two_sizes(lambda size: settings(
        max_examples=max(1, _ENV // 2) if _ENV > 0 else scaled(default, size), deadline=None, database=None,
        derandomize=_ENV <= 0, print_blob=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]),
        *strategies)


def mutate(layout: str, with_X: bool, t2: str, pick) -> tuple[str, str]:
    """One source mutation of the expression t2 (tests/robustness/mutants.py); `pick` chooses
    among the candidate edits. Returns (the operator, the mutated text)."""
    text = theorem_text(layout, with_X, t2, t2)
    src = Source("pair", text)
    node = src.theorems[0].rhs
    a, b = src.range(node.span)
    op, edits = pick(expression_edits(src, node))
    new = _apply(text, edits)
    return op, new[a:b + len(new) - len(text)]


def check_pair(text: str, mutated: bool) -> str:
    """Check one theorem `t1 = t2` (one step); returns a label of the outcome for the record."""
    res = check_text(text)
    codes = {d.code.id for d in res.diagnostics}
    assert "VP902" not in codes, [d.message for d in res.diagnostics if d.code.id == "VP902"]
    assert res.tree is not None, f"generated text does not parse: {[d.message for d in res.diagnostics]}"
    th = next(i for i in res.tree.items if isinstance(i, ast.Theorem))
    tr = res.theorems[0]
    decls = Decls(res.tree.items)
    cmp = _CMP.setdefault(decls.key, Comparer(decls, (1, 2, 3)))
    a, b = th.proof.first, th.proof.steps[0].expr
    sr = tr.steps[0]
    kind = "mutant" if mutated else "pair"
    if tr.status == "proved":
        # the theorem as stated (whole objects, whatever the proof's components)
        out = cmp.compare(Side(th.lhs), Side(th.rhs), budget=20.0)
        assert out.status in ("equal", "timeout"), (
            f"SOUNDNESS: vecproof proved the theorem; the oracle finds its two sides {out.status}: "
            f"{out.point or out.message}")
    if sr.status == "error" or (codes & LIMITS):
        if not mutated and not (codes & LIMITS):
            out = cmp.compare(Side(a), Side(b), budget=20.0)
            assert out.status != "equal", (
                f"vecproof rejects a well-typed true step: {sorted((d.code.id, d.message) for d in res.diagnostics)}")
        return f"{kind}: vecproof {sr.status}{' (limit)' if codes & LIMITS else ''}"
    out = cmp.compare(Side(a), Side(b), budget=20.0)
    label = f"{kind}: vecproof {sr.status}, oracle {out.status}"
    if sr.status == "proved":
        assert out.status in ("equal", "timeout"), (
            f"SOUNDNESS: vecproof proved the step; the oracle: {out.status} {out.point or out.message}")
    elif sr.status == "false":
        if out.status != "differ":
            cx = getattr(sr.verdict, "counterexample", None)
            assert cx is not None, f"vecproof: false without a counterexample; the oracle: {out.status}"
            try:
                lhs, rhs = evaluate_counterexample(decls, a, b, cx)
            except (OracleError, KeyError, ValueError) as err:
                raise AssertionError(f"the oracle cannot evaluate vecproof's counterexample {cx}: {err}") from None
            assert (lhs, rhs) == (cx.lhs, cx.rhs) and lhs != rhs, (
                f"vecproof says false; the oracle finds the step {out.status} on its grid and the "
                f"counterexample {cx} gives {lhs}, {rhs}")
    elif sr.status == "checked":
        assert out.status != "differ", f"vecproof: checked (VP205); the oracle: differ at {out.point}"
    if not mutated:
        assert sr.status == "proved", f"a true step is not proved: {sr.status}; {sorted(codes)}"
    return label


@_property(400, pairs(), st.data())
def test_random_steps_agree_with_the_oracle(case, data):
    layout, with_X, shape, t1, t2 = case
    mutated = data.draw(st.booleans(), label="mutate")
    if mutated:
        op, t2 = mutate(layout, with_X, t2, lambda edits: data.draw(st.sampled_from(edits), label="mutation"))
        note(f"mutation {op}")
    comp = None
    slots = component_names(shape)
    if slots and data.draw(st.booleans(), label="componentwise"):
        comp = tuple(data.draw(st.sampled_from(names), label="component index") for names in slots)
    text = theorem_text(layout, with_X, t1, t2, comp)
    note(text)
    COUNTS[check_pair(text, mutated)] += 1
    COUNTS["fuzz differential steps"] += 1


def collect(n: int) -> tuple[dict, list]:
    """The property above on `n` random draws, recording failures instead of stopping at the first
    (for benchmarks/robustness.py): ({outcome label: count}, [(failure, theorem text), …])."""
    from collections import Counter

    stats: Counter = Counter()
    failures: list = []

    @settings(max_examples=n, deadline=None, database=None, derandomize=False,
              suppress_health_check=list(HealthCheck))
    @given(pairs(), st.data())
    def run(case, data):
        layout, with_X, shape, t1, t2 = case
        mutated = data.draw(st.booleans())
        if mutated:
            _, t2 = mutate(layout, with_X, t2, lambda edits: data.draw(st.sampled_from(edits)))
        comp = None
        slots = component_names(shape)
        if slots and data.draw(st.booleans()):
            comp = tuple(data.draw(st.sampled_from(names)) for names in slots)
        text = theorem_text(layout, with_X, t1, t2, comp)
        stats["fuzz differential steps"] += 1
        try:
            stats[check_pair(text, mutated)] += 1
        except AssertionError as err:
            stats["failed"] += 1
            failures.append((str(err)[:500], text))

    run()
    return dict(stats), failures
