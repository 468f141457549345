"""The counterexample search lives outside the kernel and is not trusted: `decide` proves a step
before any search runs, so no search (a missing one, or one that lies) can make a step proved, and
the checker's verdicts are the kernel's own with the search only naming the point."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from vecproof import counterexamples, kernel
from vecproof.checker import check_path

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
FILES = sorted(EXAMPLES.glob("0*.vproof")) + sorted((EXAMPLES / "bad").glob("*.vproof"))


def _steps():
    for path in FILES:
        for th in check_path(path).theorems:
            for s in th.steps:
                if s.before is not None and s.after is not None:
                    yield path.name, s


STEPS = list(_steps())


class _Forbidden:
    """A search that must never be asked: a step the kernel proves is proved before any search."""

    def __getattr__(self, name):
        def called(*args):
            raise AssertionError(f"search.{name} called for a step")
        return called


class _Liar:
    """A search that claims a counterexample everywhere, or claims a complete search found none."""

    def __init__(self, complete: bool):
        self.complete = complete

    def _fake(self):
        return kernel.Counterexample(sizes=(), free=(), values=(), lhs=Fraction(1), rhs=Fraction(1))

    def in_fragment(self, *args):
        return (None, True) if self.complete else (self._fake(), False)

    def at_sizes(self, *args):
        return None if self.complete else self._fake()

    def invertible(self, *args):
        return None if self.complete else self._fake()

    def functions(self, *args):
        return None if self.complete else self._fake()


def test_the_example_steps_cover_every_kind_of_verdict():
    statuses = {s.verdict.status for _, s in STEPS if s.verdict is not None}
    assert {"proved", "false", "checked"} <= statuses, statuses


@pytest.mark.parametrize("name, step", STEPS, ids=[f"{n}:{s.span.line}" for n, s in STEPS])
def test_a_search_decides_nothing(name, step):
    with_search = counterexamples.decide(step.before, step.after)
    try:
        alone = kernel.decide(step.before, step.after)
    except kernel.KernelLimit:  # outside the fragment, "checked at small sizes" needs the search
        assert with_search.status == "checked" or with_search.counterexample is not None
        return
    assert alone.proved == with_search.proved
    if with_search.proved:
        assert kernel.decide(step.before, step.after, search=_Forbidden()).proved
        return
    assert alone.counterexample is None
    for liar in (_Liar(False), _Liar(True)):
        try:
            lied = kernel.decide(step.before, step.after, search=liar)
        except kernel.KernelDisagreement:
            continue  # "complete, and none found" against a non-empty normal form: a stop, not a pass
        assert not lied.proved


def test_without_a_search_a_false_step_says_that_no_counterexample_was_looked_for():
    false = [s for _, s in STEPS if s.verdict is not None and s.verdict.status == "false"
             and s.verdict.counterexample is not None and "Sum" in repr(s.before)]
    assert len(false) > 3
    for step in false:
        v = kernel.decide(step.before, step.after)
        if v.status == "checked":  # a function or an inverse: false only with a point in hand
            continue
        assert v.status == "false" and v.counterexample is None
        assert any("no counterexample search was given" in n for n in v.notes), v.notes
        return
    raise AssertionError("no step of the polynomial fragment among the false ones")
