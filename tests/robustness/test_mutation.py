"""Soundness under mutation: no mutant of an example proof is accepted unless an independent oracle
confirms it.

Mutants (tests/robustness/mutants.py) are made on the source of examples/*.vproof and
examples/bad/*.vproof: every expression of every theorem and every declaration is a site, and the
operators are those of the issue (swap two indices, drop or add a transpose, flip a sign, change a
coefficient, drop a term, swap the partners of a product rule, change a summation range, exchange
two dimensions, declare a function constant, swap the layout) and a few more. Each mutant goes
through `vecproof.checker.check_text`; every step and theorem vecproof reports proved is then
re-checked by the oracle (tests/robustness/oracle.py: SymPy, exact, on sizes 1..3 of every symbolic
dimension independently and every value of the free indices), which evaluates vecproof's syntax
tree by the rules of docs/language.md without vecproof's elaboration or kernel.

The slow run (`pytest -m slow`, tests/sizes.py) checks a deterministic sample of VECPROOF_MUTANTS
mutants (default 2,100: every mutant of the rarer operators, then the good and bad examples' other
mutants in proportion 17:4); the default run checks a tenth as many, the same number of every
operator. `VECPROOF_MUTANTS=all`, or benchmarks/robustness.py, runs every mutant on a larger grid.
"""

from __future__ import annotations

import os
import random
import time

import pytest
from sizes import SIZES

from vecproof.checker import check_text
from vecproof.syntax import ast, parse

from .mutants import OPERATORS, all_mutants, example_files
from .oracle import canon, chain_outcomes
from .record import COUNTS, NOTES
from .soundness import Runner, run_all

SAMPLE_GOOD = 1700
SAMPLE_BAD = 400
SIZES_CHECKED = (1, 2, 3)  # the oracle's grid


QUICK_PER_OPERATOR = 5
RARE = 150  # an operator with at most this many mutants (over all examples) is always taken whole


def sample_mutants(good: int = SAMPLE_GOOD, bad: int = SAMPLE_BAD, seed: int = 2024):
    """A deterministic sample of about good + bad mutants: every mutant of the rarer operators
    (so each operator is represented, declaration mutants and componentwise-index mutants included),
    then a random sample of the rest, `good`/`bad` in proportion between examples/*.vproof and
    examples/bad/."""
    ms = all_mutants(bad=True)
    per_op: dict = {}
    for m in ms:
        per_op.setdefault(m.op, []).append(m)
    rare = [m for op, group in per_op.items() if len(group) <= RARE for m in group]
    rest = [m for op, group in per_op.items() if len(group) > RARE for m in group]
    total = good + bad
    if len(rare) >= total:
        return random.Random(seed).sample(rare, total)
    want = total - len(rare)
    g = [m for m in rest if not m.example.startswith("bad/")]
    b = [m for m in rest if m.example.startswith("bad/")]
    ng = min(len(g), want * good // total)
    rng = random.Random(seed)
    return rare + rng.sample(g, ng) + rng.sample(b, min(len(b), want - ng))


def spread_sample(total: int, seed: int = 2024):
    """About `total` mutants, the same number of every operator (all of an operator that has fewer),
    chosen deterministically: the default run's sample."""
    per_op: dict = {}
    for m in all_mutants(bad=True):
        per_op.setdefault(m.op, []).append(m)
    k = -(-total // len(per_op))
    rng = random.Random(seed)
    return [m for op in sorted(per_op) for m in rng.sample(per_op[op], min(k, len(per_op[op])))]


def _selected(size: float):
    want = os.environ.get("VECPROOF_MUTANTS", "").strip()
    if want == "all":
        return all_mutants(bad=True)
    if want:
        n = int(want)
        return sample_mutants(good=n * SAMPLE_GOOD // (SAMPLE_GOOD + SAMPLE_BAD),
                              bad=n * SAMPLE_BAD // (SAMPLE_GOOD + SAMPLE_BAD))
    if size < 1.0:  # the default run: 5 mutants of every operator (the full sample is slow)
        return spread_sample(QUICK_PER_OPERATOR * len(OPERATORS))
    return sample_mutants()


@pytest.fixture(scope="module", params=SIZES)
def mutation_size(request) -> float:
    """QUICK in the default run, 1.0 (the full sample, marked slow) with `pytest -m slow`."""
    return request.param


@pytest.fixture(scope="module")
def tally(mutation_size):
    mutants = _selected(mutation_size)
    t = time.perf_counter()
    result = run_all(mutants, Runner(sizes=SIZES_CHECKED))
    seconds = time.perf_counter() - t
    COUNTS["mutants checked"] += result.mutants
    COUNTS["mutants accepted by vecproof"] += result.accepted
    COUNTS["mutants accepted and confirmed by the oracle"] += result.accepted_confirmed
    COUNTS["mutants rejected by vecproof"] += result.rejected
    NOTES.append(f"mutation run ({seconds:.0f} s):\n" + result.summary())
    return result


def _show(findings, kind=None, limit=10) -> str:
    chosen = [f for f in findings if kind is None or f.kind == kind]
    text = "\n\n".join(f.report() for f in chosen[:limit])
    if len(chosen) > limit:
        text += f"\n\n… and {len(chosen) - limit} more"
    return text


def test_at_least_2000_mutants_are_checked(tally, mutation_size):
    # 2,000 in the slow run; by default every operator, 5 of each (fewer where it has fewer)
    assert tally.mutants >= (2000 if mutation_size == 1.0 else 4 * len(OPERATORS))
    assert tally.unparsed == 0, _show(tally.findings, "unparsed-mutant")


def test_every_operator_makes_mutants(tally):
    every = all_mutants(bad=True)
    made = {m.op for m in every}
    assert made == set(OPERATORS), f"operators without a site: {set(OPERATORS) - made}"
    # most operators make mutants vecproof rejects: the suite has teeth
    assert tally.rejected_false >= tally.mutants // 2


def test_no_mutant_is_accepted_unless_the_oracle_confirms_it(tally):
    """THE soundness property: a step or theorem vecproof proves is equal by the oracle."""
    assert not [f for f in tally.findings if f.kind == "soundness"], _show(tally.findings, "soundness")
    assert tally.accepted_confirmed == tally.accepted


def test_every_proved_step_is_evaluable_by_the_oracle(tally):
    bad = [f for f in tally.findings if f.kind.startswith("proved-oracle-")]
    assert not bad, _show(bad)
    assert tally.steps_proved == tally.steps_proved_confirmed


def test_steps_rejected_as_false_are_false(tally):
    """Completeness: vecproof's "false" is refuted by the oracle too."""
    assert not [f for f in tally.findings if f.kind == "true-step-rejected"], _show(tally.findings, "true-step-rejected")
    assert tally.steps_false_refuted + tally.steps_false_oracle_error == tally.steps_false


def test_rejections_are_seen_by_the_oracle(tally):
    """A mutant rejected as false has a step or end the oracle refutes; one rejected for a type
    error (name, shape, index type, unsupported, layout) is not well-typed and true by the oracle."""
    bad = [f for f in tally.findings if f.kind in ("rejected-unrefuted", "true-proof-rejected")]
    assert not bad, _show(bad)


def test_counterexamples_are_genuine(tally):
    """The sizes, index values and entry values vecproof reports make the two lines differ, with
    the values it prints, when the oracle evaluates them."""
    assert not [f for f in tally.findings if f.kind == "bad-counterexample"], _show(tally.findings, "bad-counterexample")
    assert tally.counterexamples_genuine == tally.counterexamples


def test_checked_steps_hold_on_the_grid(tally):
    assert not [f for f in tally.findings if f.kind == "checked-but-false"], _show(tally.findings, "checked-but-false")


def test_no_internal_error(tally):
    assert not [f for f in tally.findings if f.kind == "internal"], _show(tally.findings, "internal")


# ---- the oracle itself ----------------------------------------------------------------------------


def _chain_outcomes(path):
    return chain_outcomes(path, SIZES_CHECKED)


@pytest.mark.parametrize("path", example_files(), ids=lambda p: p.name)
def test_oracle_confirms_every_line_of_the_examples(path):
    for name, statuses in _chain_outcomes(path):
        assert statuses == ["equal"] * len(statuses), name


# the bad examples whose wrong step the oracle must find (theorem -> index in the chain's pairs:
# 0 is the start, 1 the first step, …)
BAD_STEPS = {
    "chain_wrong_start.vproof": 0,
    "dot_product_dropped_term.vproof": 3,
    "frobenius_wrong_range.vproof": 1,
    "layout_slip_transposed.vproof": 1,
    "matrix_vector_dropped_term.vproof": 3,
    "quadratic_form_without_symmetry.vproof": 4,
    "seed002_dot_product_typo.vproof": 3,
    "seed002_matrix_vector_sum_to_n.vproof": 4,
    "square_of_sum.vproof": 1,
    "chain_stops_short.vproof": 5,
    "logdet_missing_transpose.vproof": 3,
    "inverse_derivative_commuted.vproof": 2,
    "det_trace_inverse_is_not_n.vproof": 2,
}


@pytest.mark.parametrize("name", sorted(BAD_STEPS))
def test_oracle_refutes_the_wrong_step_of_the_bad_examples(name):
    path = next(p for p in example_files(bad=True) if p.name == name)
    (_, statuses), = _chain_outcomes(path)
    assert statuses[BAD_STEPS[name]] == "differ", statuses


def test_canon_text_reparses_to_itself():
    """The oracle's cache keys are texts that parse back to the same expression."""
    for path in example_files(bad=True):
        try:
            tree = parse(path.read_text(encoding="utf-8"))
        except Exception:  # noqa: BLE001 - the syntax-error example
            continue
        for th in (i for i in tree.items if isinstance(i, ast.Theorem)):
            for e in [th.lhs, th.rhs, th.proof.first] + [s.expr for s in th.proof.steps]:
                text = canon(e)
                again = parse(f"theorem t:\n {text} = 0\nproof: 0 qed\n").items[0].lhs
                assert canon(again) == text


def test_mutants_are_checked_by_vecproof_quickly():
    """A single mutant check takes milliseconds; generous bound (shared machine)."""
    ms = sample_mutants(good=40, bad=10, seed=7)
    worst = 0.0
    for m in ms:
        t = time.perf_counter()
        check_text(m.text)
        worst = max(worst, time.perf_counter() - t)
    assert worst < 20.0, worst


# ---- inverses and determinants: the cookbook examples ------------------------------------------------
# examples/cookbook/ is mutated on its own: the oracle's exact inverses (adjugate over determinant)
# make each comparison far dearer than a polynomial one, so a comparison with an inverse or a
# determinant runs on sizes 1..2 (oracle.MATRIX_SIZES; here and for the bad examples' mutants; every
# operator, 2 mutants of each; 10 in the slow run), and the cookbook's lines are confirmed at 1..3 in
# the slow run.

COOKBOOK = example_files()[0].parent / "cookbook"
COOKBOOK_SIZES = (1, 2)


# the quick run takes the inverse and determinant files only (norms.vproof's sqrt comparisons are the
# dearest of all for the oracle); the slow run takes the whole folder
COOKBOOK_QUICK = ("determinants.vproof", "inverses.vproof")


@pytest.fixture(scope="module")
def cookbook_tally(mutation_size):
    per_op: dict = {}
    for m in all_mutants(examples=COOKBOOK):
        if mutation_size < 1.0 and m.example.split("/")[-1] not in COOKBOOK_QUICK:
            continue
        per_op.setdefault(m.op, []).append(m)
    k = 2 if mutation_size < 1.0 else 10
    rng = random.Random(2024)
    chosen = [m for op in sorted(per_op) for m in rng.sample(per_op[op], min(k, len(per_op[op])))]
    result = run_all(chosen, Runner(sizes=COOKBOOK_SIZES))
    NOTES.append("cookbook mutation run:\n" + result.summary())
    return result


def test_cookbook_mutants_of_the_inverse_operators_are_made(cookbook_tally):
    made = {m.op for m in all_mutants(examples=COOKBOOK)}
    assert {"inverse_transpose", "forget_inverse", "drop_det", "logdet_to_det", "toggle_invertible"} <= made
    assert cookbook_tally.rejected_false >= cookbook_tally.mutants // 2


def test_no_cookbook_mutant_is_accepted_unless_the_oracle_confirms_it(cookbook_tally):
    t = cookbook_tally
    assert not t.findings, _show(t.findings)
    assert t.accepted_confirmed == t.accepted and t.steps_proved == t.steps_proved_confirmed
    assert t.counterexamples_genuine == t.counterexamples and t.steps_false_refuted == t.steps_false


@pytest.mark.parametrize("sizes", [COOKBOOK_SIZES, pytest.param((1, 2, 3), marks=pytest.mark.slow)], ids=str)
@pytest.mark.parametrize("path", sorted(COOKBOOK.glob("*.vproof")), ids=lambda p: p.name)
def test_oracle_confirms_every_line_of_the_cookbook(path, sizes):
    for name, statuses in chain_outcomes(path, sizes, matrix_sizes=None):
        assert statuses == ["equal"] * len(statuses), name
