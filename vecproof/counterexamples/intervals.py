"""The search for a genuine counterexample to a step that applies functions.

Declared functions take fresh exact values per distinct argument (interpolation realises them), and
exp, log, sqrt, σ and tanh are evaluated in rigorous interval arithmetic (mpmath.iv, shipped with
SymPy, imported lazily): a difference counts only where the two sides' intervals are disjoint, so the
values reported are rounded but the difference is certain.

Not trusted: with functions applied the normal form is not known to be complete, so the kernel calls
a step FALSE only when this search finds a point where the sides really differ, and CHECKED
otherwise. It can never make a step proved.
"""

from __future__ import annotations

import random
from fractions import Fraction

from ..kernel import Counterexample
from ..kernel.functions import BUILTIN, POSITIVE, RECIP, Singular, uses_builtins
from ..kernel.grid import PointEvaluator, UnusablePoint, free_assignments
from .polynomial import key_text


class IntervalEvaluator(PointEvaluator):
    """Evaluates at a point of small integers with exp, log, sqrt, σ and tanh as real functions, in
    rigorous interval arithmetic (mpmath.iv): the true value lies in the interval computed."""

    def __init__(self, exprs, budget):
        from mpmath import iv  # lazily: only a false step's counterexample needs it
        self.iv = iv  # before compiling: constants are compiled to intervals
        iv.prec = 80
        super().__init__(exprs, budget, None)

    def _num(self, q: Fraction):
        return q.numerator if q.denominator == 1 else self.iv.mpf(q.numerator) / q.denominator

    def value(self, e, env: dict):
        """As PointEvaluator.value; a point where an interval meets an exact rational it cannot combine
        with (mpmath's intervals take no Fraction: an inverse's or a determinant's exact entries) is
        skipped (Singular), so such a step is searched elsewhere or checked, never an internal error."""
        try:
            return super().value(e, env)
        except (NotImplementedError, TypeError) as why:
            raise Singular(f"interval arithmetic cannot combine these values: {type(why).__name__}") from None

    def real_value(self, fn: str, order: int, a):
        iv = self.iv
        exact = not isinstance(a, iv.mpf)
        if fn not in BUILTIN and fn != RECIP:
            if not exact:
                raise Singular(f"{fn} meets an argument known only to an interval")
            return self._entry_value(("app", fn, order, Fraction(a)))
        x = a if not exact else _interval(iv, a)
        if fn == RECIP or fn in POSITIVE:
            if (fn in POSITIVE and not x.a > 0) or (fn == RECIP and x.a <= 0 <= x.b):
                raise Singular("outside the domain assumed")
        if fn == RECIP:
            return 1 / x
        if fn == "exp":
            return iv.exp(x)
        if fn == "log":
            return iv.log(x)
        if fn == "sqrt":
            return iv.sqrt(x)
        if fn == "sigmoid":
            return 1 / (1 + iv.exp(-x))
        return 1 - 2 / (iv.exp(2 * x) + 1)  # tanh


def _interval(iv, v):
    """An exact value (int or Fraction, as the evaluator's determinants and inverses are) as an interval."""
    if isinstance(v, Fraction):
        return iv.mpf(v.numerator) / v.denominator
    return iv.mpf(v)


def _disjoint(a, b) -> bool:
    from mpmath import iv
    a, b = (v if isinstance(v, iv.mpf) else _interval(iv, v) for v in (a, b))
    return bool(a.b < b.a or b.b < a.a)


def _approx(v) -> Fraction:
    """A value as a Fraction: exact when exact, else its interval's midpoint to 6 decimals."""
    if isinstance(v, (int, Fraction)):
        return Fraction(v)
    from mpmath import iv, mpf
    mid = (mpf(iv.mpf(v).a) + mpf(iv.mpf(v).b)) / 2
    return Fraction(round(mid * 10 ** 6), 10 ** 6)


SEARCH_RANGES = (2, 3, 5, 10)
TRIES = 3


def search(lhs, rhs, free, points, budget, seed: int):
    """(sizes, free values, entry values, lhs, rhs, approximate) of a genuine counterexample, or None:
    exact rationals (declared functions fresh per distinct argument) when the step applies no
    built-in function, else interval arithmetic with the sides' intervals disjoint."""
    real = uses_builtins(lhs) or uses_builtins(rhs)
    ev = IntervalEvaluator([lhs, rhs], budget) if real else PointEvaluator([lhs, rhs], budget, None)
    rng = random.Random(seed)
    for sizes in points:
        for r in SEARCH_RANGES:
            for _ in range(TRIES):
                ev.reset(sizes, lambda r=r: rng.randint(-r, r))
                for env in free_assignments(free, sizes, all_values=False):
                    try:
                        a, b = ev.value(lhs, env), ev.value(rhs, env)
                        if not (_disjoint(a, b) if real else a != b):
                            continue
                        ev.read = None
                        a, b = ev.recorded(lhs, env), ev.recorded(rhs, env)
                    except (Singular, UnusablePoint):  # a singular matrix, a zero denominator
                        continue
                    values = tuple(sorted((_key_text(k), ev.values[k]) for k in ev.read))
                    return sizes, env, values, _approx(a), _approx(b), real
    return None


def _key_text(key: tuple) -> str:
    if key[0] == "vapp":
        _, fn, at, vec = key
        where = f"[{','.join(map(str, at))}]" if at else ""
        return f"{fn}{'′' * len(at)}{where}({', '.join(str(Fraction(v)) for v in vec)})"
    if key[0] == "app":
        _, fn, order, a = key
        return f"{fn}{'′' * order}({Fraction(a)})"
    return key_text(key)


def counterexample(lhs, rhs, free, points, budget, seed: int) -> Counterexample | None:
    """`search`'s find as the kernel's Counterexample, or None."""
    found = search(lhs, rhs, free, points, budget, seed)
    if found is None:
        return None
    sizes, env, values, a, b, approximate = found
    return Counterexample(
        sizes=tuple((d.name, s) for d, s in sorted(sizes.items())),
        free=tuple((i.name, v) for i, v in sorted(env.items())),
        values=values, lhs=a, rhs=b, approximate=approximate,
    )
