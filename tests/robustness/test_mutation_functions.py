"""Soundness under mutation for the functions and the chain rule: the mutants of examples/ml and of the
function slips in examples/bad (every operator, the function operators included: another function in
a function's place, a composition's order exchanged, a derivative order changed, a term dropped, …)
against the independent oracle, which reads exp, log, σ, tanh, softmax, division and declared scalar
functions its own way (tests/robustness/oracle.py). No mutant may be accepted unless the oracle
confirms it; vecproof's "false" must be refuted by the oracle, and its counterexamples reproduce."""

from __future__ import annotations

import random

import pytest
from sizes import SIZES

from .mutants import EXAMPLES, mutants_of
from .oracle import chain_outcomes
from .soundness import Runner, run_all

ML = sorted((EXAMPLES / "ml").glob("*.vproof"))
BAD = {  # the function slips, and the index of their wrong link (0: the start, 1: the first step, …)
    "sigmoid_prime_squared.vproof": 1,
    "softmax_jacobian_without_outer_product.vproof": 2,
    "chain_rule_wrong_order.vproof": 1,
    "sum_of_f_is_not_f_of_sum.vproof": 1,
    "chain_rule_jacobian_order.vproof": 1,
}
SIZES_CHECKED = (1, 2)
PER_OPERATOR = {"quick": 2, "full": 30}


def _links(path):
    return chain_outcomes(path, SIZES_CHECKED)


@pytest.mark.parametrize("path", ML, ids=lambda p: p.name)
def test_oracle_confirms_every_line_of_the_function_examples(path):
    for name, statuses in _links(path):
        assert statuses == ["equal"] * len(statuses), name


@pytest.mark.parametrize("name", sorted(BAD))
def test_oracle_refutes_the_wrong_step_of_the_function_slips(name):
    (_, statuses), = _links(EXAMPLES / "bad" / name)
    assert statuses[BAD[name]] == "differ", statuses


@pytest.fixture(scope="module", params=SIZES)
def tally(request):
    per_op: dict = {}
    for path in ML + [EXAMPLES / "bad" / n for n in sorted(BAD)]:
        for m in mutants_of(path):
            per_op.setdefault(m.op, []).append(m)
    k = PER_OPERATOR["full" if request.param == 1.0 else "quick"]
    rng = random.Random(2026)
    chosen = [m for op in sorted(per_op) for m in rng.sample(per_op[op], min(k, len(per_op[op])))]
    assert {"swap_function", "swap_composition", "change_prime", "drop_term"} <= set(per_op)
    return run_all(chosen, Runner(sizes=SIZES_CHECKED))


def _show(tally, *kinds) -> str:
    return "\n\n".join(f.report() for f in tally.findings if f.kind in kinds)[:4000]


def test_no_function_mutant_is_accepted_unless_the_oracle_confirms_it(tally):
    assert tally.mutants > 0
    assert not [f for f in tally.findings if f.kind == "soundness"], _show(tally, "soundness")
    assert tally.accepted_confirmed == tally.accepted
    assert tally.rejected > 0  # the suite has teeth


def _outside_every_domain(f) -> bool:
    """A "checked" mutant whose log or sqrt argument is negative for every real input (`log(0 - σ(t))`):
    no real point satisfies the verdict's assumption (argument > 0), so "checked, not proved" is right
    and a counterexample cannot exist; the oracle differentiates formally, with no domain, and finds a
    difference of the derivatives. Recognised by the text the mutation wrote."""
    return f.kind == "checked-but-false" and any(
        f"{fn}(0 - " in f.mutant.text or f"{fn}(-" in f.mutant.text for fn in ("log", "sqrt"))


def test_function_mutants_called_false_are_false_with_genuine_counterexamples(tally):
    kinds = ("true-step-rejected", "bad-counterexample", "internal", "rejected-unrefuted", "true-proof-rejected",
             "checked-but-false")
    assert not [f for f in tally.findings if f.kind in kinds and not _outside_every_domain(f)], _show(tally, *kinds)
