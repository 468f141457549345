"""The polynomial search: a counterexample to a false step of the polynomial fragment, with small
readable values and a guarantee.

At each size of the grid, both sides are evaluated to exact polynomials in the entries
(sympy.polys.rings over QQ, `Evaluator`); where they differ, `find_point` fixes the unknowns one at a
time to small integers, keeping the difference a nonzero polynomial, so a point is always found. A
step too large for that is searched by exact evaluation at small random integers (the kernel's
`PointEvaluator` in the rationals), and the point found is shrunk to a few entries.

Not trusted: the kernel has already decided that the step is false (its normal form is not empty);
this only explains the refusal. It can never make a step proved.
"""

from __future__ import annotations

import itertools
import math
import random
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

from ..kernel import Budget, Counterexample, step_seed
from ..kernel.grid import GridLimit, PointEvaluator, free_assignments
from ..kernel.terms import (
    IllFormed, Add, Delta, Deriv, Dim, Entry, Expr, Fold, Index, Mul, Num, Obj, Pow, Select, Size, Sum, children,
    mentioned,
)

# The polynomial search (readable values, a guarantee) gets this much of a step's budget; past it,
# the counterexample is looked for by exact evaluation at small random integers.
POLY_SEARCH_WORK = 250_000
SEARCH_RANGES = (3, 10, 100, 10_000)  # the random values tried at each size and free-index value


def in_fragment(lhs, rhs, free, points, budget: Budget):
    """(counterexample or None, whether the search was complete) for a step of the fragment. The
    polynomial search runs first, within POLY_SEARCH_WORK units; if it is cut short, point evaluation
    at small random integers (exact rationals) looks for a point where the sides differ, with the
    rest of the budget."""
    part = Budget(min(POLY_SEARCH_WORK, budget.units - budget.spent))
    try:
        return exhaustive(lhs, rhs, free, points, False, part), True
    except GridLimit:
        pass
    finally:
        budget.spent += min(part.spent, part.units)  # work refused past the share was not done
    ev = PointEvaluator([lhs, rhs], budget, None)
    rng = random.Random(step_seed(lhs, rhs))
    for sizes in points:
        for r in SEARCH_RANGES:
            ev.reset(sizes, lambda r=r: rng.randint(-r, r))
            for env in free_assignments(free, sizes, all_values=False):
                if ev.value(lhs, env) == ev.value(rhs, env):
                    continue
                ev.recorded(lhs, env), ev.recorded(rhs, env)
                kept = _shrink(ev, lhs, rhs, sizes, env, {k: ev.values[k] for k in ev.read if ev.values[k]})
                ev.reset(sizes, lambda: 0)
                ev.values.update(kept)
                a, b = ev.value(lhs, env), ev.value(rhs, env)
                return Counterexample(
                    sizes=tuple((d.name, s) for d, s in sorted(sizes.items())),
                    free=tuple((i.name, v) for i, v in sorted(env.items())),
                    values=tuple(sorted((key_text(k), v) for k, v in kept.items())),
                    lhs=Fraction(a), rhs=Fraction(b), rest_zero=True,
                ), False
    return None, False


def _shrink(ev, lhs, rhs, sizes, env, values: dict) -> dict:
    """A subset of `values` (entry → value; every other entry 0) at which the sides still differ:
    chunks of entries are set to 0 while the difference stays, halving the chunks (a counterexample
    at a large size then names a few entries, not all of them). Stops where the budget does."""
    def differs(trial: dict) -> bool:
        ev.reset(sizes, lambda: 0)
        ev.values.update(trial)
        return ev.value(lhs, env) != ev.value(rhs, env)

    keys = sorted(values, key=repr)
    chunk = len(keys) // 2
    try:
        while chunk >= 1:
            i = 0
            while i < len(keys):
                trial = keys[:i] + keys[i + chunk:]
                if differs({k: values[k] for k in trial}):
                    keys = trial
                else:
                    i += chunk
            chunk //= 2
    except GridLimit:
        pass
    return {k: values[k] for k in keys}


def exhaustive(lhs, rhs, free, points, all_values: bool, budget: Budget) -> Counterexample | None:
    """The first point (sizes, free indices, entries) where the sides differ, or None if they are
    equal polynomials at every size tried (exact: never "no point found"). GridLimit past the budget."""
    for sizes in points:
        ev = Evaluator([lhs, rhs], sizes, budget)
        for env in free_assignments(free, sizes, all_values=all_values):
            a, b = ev.value(lhs, env), ev.value(rhs, env)
            ev.spend(len(a) + len(b))
            if a == b:
                continue
            vals = find_point(a - b, budget)
            ev.spend(len(a) + len(b))
            used = sorted({i for p in (a, b) for m in p.monoms() for i, k in enumerate(m) if k})
            full = {i: vals.get(i, 0) for i in used}
            return Counterexample(
                sizes=tuple((d.name, s) for d, s in sorted(sizes.items())),
                free=tuple((i.name, v) for i, v in sorted(env.items())),
                values=tuple((ev.keys[i].text(), v) for i, v in sorted(full.items(), key=lambda kv: ev.keys[kv[0]].text())),
                lhs=eval_at(a, full, budget),
                rhs=eval_at(b, full, budget),
            )
    return None


@dataclass(frozen=True)
class GenKey:
    """A generator of the polynomial ring: obj[idx] differentiated by var[d] for each (var, d)."""

    obj: str
    idx: tuple[int, ...]
    derivs: tuple[tuple[str, tuple[int, ...]], ...] = ()

    def text(self) -> str:
        base = f"{self.obj}[{','.join(map(str, self.idx))}]" if self.idx else self.obj
        if not self.derivs:
            return base
        den = "".join(f"∂{v}[{','.join(map(str, d))}]" if d else f"∂{v}" for v, d in self.derivs)
        order = len(self.derivs)
        return f"∂{'' if order == 1 else order}{base}/{den}"


class Evaluator:
    """Evaluates index expressions at fixed sizes to exact polynomials (sympy.polys.rings), charging
    the work to `budget` (a kernel Budget) before doing it; past the budget, GridLimit."""

    MAX_GENERATORS = 4000

    def __init__(self, exprs: list[Expr], sizes: dict[Dim, int], budget):
        self.sizes = sizes
        self.budget = budget
        self.objs: dict[str, Obj] = {}
        depth = 0
        for e in exprs:
            depth = max(depth, _deriv_depth(e))
            self.objs.update((o.name, o) for o in mentioned(e))
        self._count_entries(depth)
        keys: list[GenKey] = []
        for obj in sorted(self.objs.values(), key=lambda o: o.name):
            keys.extend(self._entries(obj, depth))
        if len(keys) > self.MAX_GENERATORS:
            raise GridLimit(f"the exact check at these sizes needs {len(keys)} unknowns")
        self.keys = keys
        # A monomial is a tuple over every generator: one term costs about 1 + (generators / 8) units.
        self.width = 1 + len(keys) // 8
        budget.spend(len(keys) + self.width, GridLimit)
        self.ring = _ring(max(1, len(keys)))
        self.gen = {k: g for k, g in zip(keys, self.ring.gens)}

    def spend(self, terms: int) -> None:
        """Charge one ring operation on `terms` terms (or pairs of terms) of this ring's polynomials."""
        self.budget.spend(8 + terms * self.width, GridLimit)

    def _count_entries(self, depth: int) -> None:
        """Refuse before enumerating when the unknowns would be too many (e.g. `dim n = 10^9`).
        Counts exactly what `_entries` will enumerate."""
        total = 0
        for obj in self.objs.values():
            sizes = [self._size(d) for d in obj.dims]
            base = 1
            for s in sizes:
                base *= s
            if obj.symmetric and len(sizes) == 2:
                base = sizes[0] * (sizes[0] + 1) // 2
            count = base
            if obj.kind == "func" and depth:
                var = self.objs.get(obj.depends_on)
                if var is not None:
                    per = 1
                    for d in var.dims:
                        per *= self._size(d)
                    count += base * sum(math.comb(per + k - 1, k) for k in range(1, depth + 1))
            total += count
            if total > self.MAX_GENERATORS:
                raise GridLimit(f"the exact check at these sizes needs more than {self.MAX_GENERATORS} unknowns")

    def _size(self, d: Dim) -> int:
        return d.size if not d.symbolic else self.sizes[d]

    def _entries(self, obj: Obj, depth: int) -> list[GenKey]:
        base = list(itertools.product(*(range(1, self._size(d) + 1) for d in obj.dims)))
        if obj.symmetric:
            base = [b for b in base if len(b) != 2 or b[0] <= b[1]]
        out = [GenKey(obj.name, b) for b in base]
        if obj.kind == "func" and depth:
            var = self.objs.get(obj.depends_on)
            if var is not None:
                var_idx = list(itertools.product(*(range(1, self._size(d) + 1) for d in var.dims)))
                for order in range(1, depth + 1):
                    for ds in itertools.combinations_with_replacement(var_idx, order):
                        for b in base:
                            out.append(GenKey(obj.name, b, tuple((var.name, d) for d in ds)))
        return out

    def _resolve(self, s, env) -> int:
        v = env[s] if isinstance(s, Index) else s
        return v

    def value(self, e: Expr, env: dict):
        self.budget.spend(1, GridLimit)
        R = self.ring
        if isinstance(e, Num):
            return R(R.domain(e.value.numerator, e.value.denominator))
        if isinstance(e, Size):
            return R(self._size(e.dim))
        if isinstance(e, Entry):
            idx = tuple(self._resolve(s, env) for s in e.idx)
            if e.obj.symmetric and len(idx) == 2:
                idx = tuple(sorted(idx))
            derivs = tuple(sorted((v.name, tuple(self._resolve(s, env) for s in d)) for v, d in e.derivs))
            got = self.gen.get(GenKey(e.obj.name, idx, derivs))
            if got is None:
                raise IllFormed(f"{e.obj.name}[{','.join(map(str, idx))}] is outside its ranges")
            return got
        if isinstance(e, Delta):
            return R(1 if self._resolve(e.a, env) == self._resolve(e.b, env) else 0)
        if isinstance(e, Add):
            out = R.zero
            for a in e.args:
                v = self.value(a, env)
                self.spend(len(out) + len(v))
                out += v
            return out
        if isinstance(e, Mul):
            out = R.one
            for a in e.args:
                v = self.value(a, env)
                self.spend(len(out) * len(v))
                out = self._check(out * v)
                if not out:
                    return out
            return out
        if isinstance(e, Pow):
            if e.exp == 0:
                return R.one
            base = self.value(e.base, env)
            out = base
            for _ in range(e.exp - 1):
                self.spend(len(out) * len(base))
                out = self._check(out * base)
            return out
        if isinstance(e, Sum):
            lo = 1 if e.lo is None else self._int(e.lo, env)
            hi = self._size(e.index.dim) if e.hi is None else self._int(e.hi, env)
            out = R.zero
            inner = dict(env)
            if lo <= hi and (lo < 1 or hi > self._size(e.index.dim)):
                raise IllFormed(f"a sum over {e.index.name} runs over {lo}..{hi}, outside 1..{self._size(e.index.dim)}")
            for v in range(lo, hi + 1):
                inner[e.index] = v
                body = self.value(e.body, inner)
                self.spend(len(out) + len(body))
                out = self._check(out + body)
            return out
        if isinstance(e, Deriv):
            return self._derive(self.value(e.body, env), e.var, tuple(self._resolve(s, env) for s in e.idx))
        if isinstance(e, Fold):
            return self.value(e.body, env)
        if isinstance(e, Select):
            v = self._resolve(e.index, env)
            if not 1 <= v <= len(e.options):
                raise IllFormed(f"entry {v} of an explicit list of {len(e.options)}")
            return self.value(e.options[v - 1], env)
        raise TypeError(f"not an index expression: {e!r}")

    MAX_TERMS = 50_000

    def _check(self, p):
        if len(p) > self.MAX_TERMS:
            raise GridLimit(f"an intermediate polynomial has more than {self.MAX_TERMS} terms")
        return p

    def _int(self, e: Expr, env) -> int:
        p = self.value(e, env)
        c = p.coeff(1) if p else 0
        return int(c)

    def _derive(self, p, var: Obj, at: tuple[int, ...]):
        out = self.ring.zero
        self.spend(len(p))
        used = {i for m in p.monoms() for i, k in enumerate(m) if k}
        for i in used:
            key = self.keys[i]
            if key.obj == var.name and not key.derivs:
                if key.idx == at:
                    self.spend(len(p) + len(out))
                    out += p.diff(i)
                continue
            obj = self.objs[key.obj]
            if obj.kind == "func" and obj.depends_on == var.name:
                nk = GenKey(key.obj, key.idx, tuple(sorted(key.derivs + ((var.name, at),))))
                self.spend(2 * len(p) + len(out))
                out += p.diff(i) * self.gen[nk]
        return out


if TYPE_CHECKING:
    from sympy.polys.rings import PolyRing

_RINGS: dict[int, "PolyRing"] = {}


def _ring(count: int) -> "PolyRing":
    """QQ[g0, …, g(count-1)]; generators are positional, so rings are shared by size."""
    ring = _RINGS.get(count)
    if ring is None:
        QQ, PolyRing = _sympy_polys()
        ring = _RINGS[count] = PolyRing([f"g{k}" for k in range(count)], QQ)
    return ring


_POLYS = None  # (QQ, PolyRing) once imported


def _sympy_polys():
    """SymPy's QQ and PolyRing, imported on first use (~0.2 s): only the polynomial search for a false
    step's counterexample (and the check of steps outside the fragment) needs them, so a run whose
    steps are all proved never imports SymPy. A process that has frozen its heap for the collector
    (gc.freeze(), vecproof/batch.py) imports SymPy with the collector paused and has SymPy's heap
    frozen too: it is as permanent as the rest."""
    global _POLYS
    if _POLYS is not None:
        return _POLYS
    import gc

    managed, enabled = gc.get_freeze_count() > 0, gc.isenabled()
    if managed:
        gc.disable()
    try:
        from sympy import QQ
        from sympy.polys.rings import PolyRing
    finally:
        if managed:
            gc.freeze()
            if enabled:
                gc.enable()
    _POLYS = (QQ, PolyRing)
    return _POLYS


def _deriv_depth(e: Expr) -> int:
    """The most derivatives stacked on one entry of `e`."""
    if isinstance(e, Deriv):
        return 1 + _deriv_depth(e.body)
    if isinstance(e, Entry):
        return len(e.derivs)
    return max((_deriv_depth(a) for a in children(e)), default=0)


def find_point(diff, budget) -> dict[int, int]:
    """Small integer values (by generator position) at which the nonzero polynomial `diff` is nonzero.

    The first choice is 1, 2, 3, 1, 2, 3, … in generator order. Where that gives zero, the generators
    are fixed one at a time, each to the first value (its first choice, then 0, 1, −1, 2, −2, …) that
    leaves a nonzero polynomial: if p has degree d in g, p(g = v) is the zero polynomial for at most
    d values v, so one of the first d + 1 values does. A point is always found; the work is charged
    to `budget` (GridLimit past it)."""
    if not diff:
        raise ValueError("the zero polynomial is zero everywhere")
    width = 1 + diff.ring.ngens // 8
    budget.spend(2 * len(diff) * width, GridLimit)
    used = sorted({i for m in diff.monoms() for i, k in enumerate(m) if k})
    first = {i: j % 3 + 1 for j, i in enumerate(used)}
    if _eval_at(diff, first) != 0:
        return first
    vals = {}
    p = diff
    for i in used:
        for v in _candidates(first[i]):
            budget.spend(len(p) * width, GridLimit)
            rest = p.subs(i, v)
            if rest:
                break
        p = rest
        vals[i] = v
    return vals


def _candidates(first: int):
    """`first`, then 0, 1, −1, 2, −2, … (without repeating `first`): endless, smallest first."""
    yield first
    for v in itertools.count(0):
        for c in ((v,) if v == 0 else (v, -v)):
            if c != first:
                yield c


def _eval_at(p, vals: dict):
    total = Fraction(0)
    for mono, c in p.terms():
        term = Fraction(int(c.numerator), int(c.denominator))
        for i, k in enumerate(mono):
            if k:
                term *= Fraction(vals.get(i, 0)) ** k
        total += term
    return total


def eval_at(p, vals: dict, budget) -> Fraction:
    """The value of polynomial `p` with generator i set to vals[i] (missing generators are 0)."""
    budget.spend(len(p) * (1 + p.ring.ngens // 8), GridLimit)
    return _eval_at(p, vals)



def key_text(key: tuple) -> str:
    """The readable name of an entry key (object, indices, derivatives) of PointEvaluator.values."""
    return GenKey(*key).text()
