"""Counterexamples: why a step the kernel did not prove is false. Not trusted.

The kernel (`vecproof.kernel.decide`) decides; when a step is not proved it asks a *search* for a
point where the two sides differ, to show the user. This package is that search:

- `polynomial`: the polynomial fragment, exact polynomials in the entries and a guaranteed small
  point (`find_point`), or exact evaluation at small random integers for large steps;
- `invertible`: inverses and determinants, at random integer matrices with exact inverses;
- `intervals`: functions, with declared functions fresh per argument and exp, log, … in rigorous
  interval arithmetic.

Nothing here can make a step proved: `decide` returns PROVED only on an empty normal form (and an
agreeing cross-check) before any search runs. What a search can do is turn a refusal into a
different refusal: a FALSE verdict without a counterexample, or a CHECKED step (one with a function
or an inverse, where the kernel says FALSE only with a point in hand) — the reason it must still
be right, and is tested against an independent oracle (tests/robustness), is the quality of the
message, not the soundness of "proved".

`decide` here is the kernel's decision with this search: what the checker, the tests and the
benchmarks call.
"""

from __future__ import annotations

from ..kernel import DEFAULT_LIMITS, Expr, Limits, Verdict
from ..kernel import decide as _kernel_decide
from ..kernel.inverse import has_atoms
from . import intervals, invertible, polynomial


class Search:
    """The searches `kernel.decide` calls (its `search` argument). Each takes the step's sides, its
    free indices, the sizes to try (in order) and the step's Budget, and raises GridLimit when the
    search would exceed the budget."""

    def in_fragment(self, lhs, rhs, free, points, budget):
        """(counterexample or None, whether the search was complete: None then means equal)."""
        return polynomial.in_fragment(lhs, rhs, free, points, budget)

    def at_sizes(self, lhs, rhs, free, points, budget):
        """Outside the fragment: the first point where the sides differ at every free-index value, or
        None when they are equal at every size tried."""
        if has_atoms(lhs) or has_atoms(rhs):
            return invertible.counterexample(lhs, rhs, free, points, False, budget)
        return polynomial.exhaustive(lhs, rhs, free, points, True, budget)

    def invertible(self, lhs, rhs, free, points, budget):
        return invertible.counterexample(lhs, rhs, free, points, True, budget)

    def functions(self, lhs, rhs, free, points, budget, seed: int):
        return intervals.counterexample(lhs, rhs, free, points, budget, seed)


SEARCH = Search()


def decide(lhs: Expr, rhs: Expr, limits: Limits = DEFAULT_LIMITS) -> Verdict:
    """`kernel.decide(lhs, rhs, limits)` with counterexamples found by this package."""
    return _kernel_decide(lhs, rhs, limits, search=SEARCH)
