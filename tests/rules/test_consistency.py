"""`apply` agrees with `explains` on every step of examples/: for the rules a step cites, and for
each single rule it does not cite, explains says yes exactly when applying the rules to the two lines
makes them the same up to bookkeeping."""

from __future__ import annotations

import pytest

from vecproof import rules

from .support import example_steps, reaches, reaches_from_before


@pytest.fixture(scope="module")
def steps():
    found = example_steps()
    assert len(found) >= 50
    return found


def _specific(names):
    cited = [rules.lookup(n) for n in names]
    # the laws of inverses and determinants are judged by `explains` alone (their `apply` is None)
    return cited if cited and all(r is not None and not r.catch_all and not r.laws for r in cited) else None


def test_apply_agrees_with_explains_on_the_rules_each_example_step_cites(steps):
    judged = set()
    for name, line, names, before, after in steps:
        cited = _specific(names)
        if cited is None:
            continue
        assert rules.explains(cited, before, after) is True, (name, line)
        assert reaches(cited, before, after), (name, line, names)
        judged.update(r.name for r in cited)
    # every rule that acts is exercised (symmetry by examples/cookbook/inverses.vproof), except the laws
    # of inverses and determinants (judged by `explains` alone: their `apply` is None)
    laws = {r.name for r in rules.RULES.values() if r.laws}
    assert judged == {r.name for r in rules.RULES.values() if not r.catch_all} - laws


@pytest.mark.slow  # every rule against every example step: 14 s; the cited rules are judged in the default run
def test_apply_agrees_with_explains_for_each_rule_a_step_does_not_need(steps):
    disagree = []
    for name, line, names, before, after in steps:
        for r in rules.RULES.values():
            if r.catch_all or r.laws:
                continue
            if rules.explains([r], before, after) != reaches([r], before, after):
                disagree.append((name, line, r.name))
    assert disagree == []


def test_applying_to_the_line_before_alone_reaches_the_line_after_where_the_step_only_unfolds(steps):
    # A proof often writes part of a rule's work (d(x[i])/dx[k] left for the next step) or folds
    # notation back (… = (B x)[k] by matvec_def): there applying to the line before alone does not
    # give the next line. Where it does, explains agrees.
    one_sided = 0
    for name, line, names, before, after in steps:
        cited = _specific(names)
        if cited is not None and reaches_from_before(cited, before, after):
            one_sided += 1
            assert rules.explains(cited, before, after) is True
    assert one_sided >= 30
