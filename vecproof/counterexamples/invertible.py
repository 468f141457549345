"""The search for a counterexample to a step with inverses or determinants: exact evaluation in the
rationals at random integer matrices with their exact inverses (a point where a matrix the step
inverts is singular is drawn again).

Not trusted: the kernel calls such a step FALSE only when this finds a point where the sides differ,
and CHECKED otherwise (its normal form is complete there only in some cases). It can never make a
step proved.
"""

from __future__ import annotations

import random
from fractions import Fraction

from ..kernel import MATRIX_DRAWS, Budget, Counterexample, step_seed
from ..kernel.grid import PointEvaluator, UnusablePoint, free_assignments
from .polynomial import key_text

# The random integer ranges of the search at invertible matrices; MATRIX_DRAWS draws per range.
MATRIX_RANGES = (3, 10, 100)


def counterexample(lhs, rhs, free, points, patterns: bool, budget: Budget) -> Counterexample | None:
    """The first point found where the sides differ, evaluated exactly in the rationals at random
    integer matrices with their exact inverses, or None. `patterns`: one free-index value per
    equality pattern (else every value)."""
    ev = PointEvaluator([lhs, rhs], budget, None)
    rng = random.Random(step_seed(lhs, rhs))
    for sizes in points:
        for r in MATRIX_RANGES:
            for _ in range(MATRIX_DRAWS):
                ev.reset(sizes, lambda r=r: rng.randint(-r, r))
                try:
                    for env in free_assignments(free, sizes, all_values=not patterns):
                        if ev.value(lhs, env) == ev.value(rhs, env):
                            continue
                        a, b = ev.recorded(lhs, env), ev.recorded(rhs, env)
                        return Counterexample(
                            sizes=tuple((d.name, s) for d, s in sorted(sizes.items())),
                            free=tuple((i.name, v) for i, v in sorted(env.items())),
                            values=tuple(sorted((key_text(k), ev.values[k]) for k in ev.read)),
                            lhs=Fraction(a), rhs=Fraction(b),
                        )
                except UnusablePoint:
                    continue
    return None
