"""The trusted kernel: decides `lhs = rhs` for index expressions. Only `decide` says "proved".

It depends on the standard library and SymPy only. Two independent procedures must agree before a
step is proved: the normal form (which decides) and exact evaluation on the size grid that the
size-grid theorem makes complete (which cross-checks, at random points modulo a large prime, and
finds counterexamples, exactly).
"""

from __future__ import annotations

import hashlib
import itertools
import random
from dataclasses import dataclass, field, replace
from fractions import Fraction

from .normal_form import (
    DEFAULT_LIMITS, FULL, Budget, KernelLimit, Limits, Normalizer, OutsideFragment, Policy, generic_dims,
)
from . import functions as _fn
from . import grid as _grid
from . import inverse as _inverse
from .theorem import Theorem, conclude, instantiate, is_theorem, seal
from .terms import (
    IllFormed, Add, App, VApp, Delta, Deriv, Dim, Entry, Expr, Fold, Index, Mul, Num, Obj, Pow, Select, Size, Sum,
    alpha_equal, differentiated_objects, free_slots, objects_in, substitute, walk,
)

__all__ = [
    "Add", "App", "Budget", "Counterexample", "DEFAULT_LIMITS", "IllFormed", "Delta", "Deriv", "Dim", "Entry",
    "Expr", "Fold", "Index", "KernelDisagreement", "KernelLimit", "Limits", "Mul", "Normalizer", "Num",
    "Obj", "Policy", "Pow", "Select", "Size", "Sum", "Theorem", "VApp", "Verdict", "conclude", "decide", "equal",
    "free_slots", "instantiate", "is_theorem", "substitute",
]

PROVED = "proved"
FALSE = "false"
CHECKED = "checked"  # held on a finite set of sizes; outside the decided fragment; NOT a proof


# Sizes tried for steps outside the fragment (reported as "checked for sizes …, not proved").
CHECK_SIZES = (1, 2, 3, 4)


class KernelDisagreement(Exception):
    """The normal form and the exact check disagree: a bug in vecproof, never a verdict."""


@dataclass(frozen=True)
class Counterexample:
    sizes: tuple[tuple[str, int], ...]
    free: tuple[tuple[str, int], ...]
    values: tuple[tuple[str, int], ...]
    lhs: Fraction
    rhs: Fraction
    rest_zero: bool = False  # every entry not in `values` is 0 (else: every entry read is listed)
    approximate: bool = False  # lhs, rhs rounded: the sides' exact values are in disjoint intervals


@dataclass(frozen=True)
class Verdict:
    status: str
    assumptions: tuple[str, ...] = ()
    counterexample: Counterexample | None = None
    sizes: str = ""  # a description of the sizes checked
    reason: str = ""  # why a step is only "checked", or a note
    notes: tuple[str, ...] = field(default=())
    dims: tuple[str, ...] = ()  # the symbolic sizes the verdict quantifies over
    work: int = field(default=0, compare=False)  # units of the step's budget spent deciding it

    @property
    def proved(self) -> bool:
        return self.status == PROVED


def equal(lhs: Expr, rhs: Expr, limits: Limits = DEFAULT_LIMITS, budget: Budget | None = None) -> bool:
    """Normal-form equality only (for hints such as "would hold transposed"); not a verdict. The work
    is charged to `budget` (a fresh one of `limits.step_work` when None); KernelLimit past it."""
    return Normalizer(FULL, limits, budget).is_zero(Add((lhs, Mul((Num(Fraction(-1)), rhs)))))


def decide(lhs: Expr, rhs: Expr, limits: Limits = DEFAULT_LIMITS) -> Verdict:
    """Decide lhs = rhs for all values of the symbolic sizes and the free indices.

    Returns a Verdict: "proved" (normal form empty and the randomized exact grid check agrees),
    "false" (with a counterexample, unless computing one exceeds the budget), or "checked" (outside the decided
    fragment; held at every size tried). Raises KernelDisagreement if the two procedures disagree
    and KernelLimit if a resource cap is hit. All of it shares one Budget of `limits.step_work`
    units; `Verdict.work` says how much was spent. The verdict is sealed as the kernel's own: only
    sealed verdicts count towards a Theorem (`conclude`).
    """
    budget = Budget(limits.step_work)
    verdict = _decide(lhs, rhs, limits, budget)
    return seal(replace(verdict, work=budget.spent), lhs, rhs)


def _decide(lhs: Expr, rhs: Expr, limits: Limits, budget: Budget) -> Verdict:
    diff = Add((lhs, Mul((Num(Fraction(-1)), rhs))))
    apps = _fn.has_apps(diff)
    assumptions = _assumptions(diff) + (tuple(_fn.assumptions(diff)) if apps else ())  # even for a = a
    free = sorted(free_slots(diff))
    if alpha_equal(lhs, rhs):  # reflexivity, up to the names of bound indices
        dims = tuple(sorted(d.name for d in _grid._dims_in(diff)))
        return Verdict(PROVED, assumptions, sizes="all sizes (the sides are the same expression)", dims=dims)
    if apps:
        return _decide_apps(lhs, rhs, diff, assumptions, free, limits, budget)
    try:
        nf = Normalizer(FULL, limits, budget).normal_form(diff)
    except OutsideFragment as why:
        return _check_outside(lhs, rhs, free, assumptions, str(why), budget)
    bounds = _grid.grid_bounds(diff)
    described = _describe_grid(bounds)
    dims = tuple(d.name for d in bounds)
    if nf and _inverse.has_atoms(diff):
        return _decide_matrix_atoms(lhs, rhs, free, assumptions, _inverse.raise_bounds(diff, bounds), budget)
    if not nf:
        return _proved(lhs, rhs, free, bounds, assumptions, budget)
    try:
        cex, complete = _counterexample(lhs, rhs, free, _grid.sizes_up_to(bounds), budget)
    except _grid.GridLimit as why:
        return Verdict(FALSE, assumptions, sizes=described,
                       notes=(f"no counterexample was computed: {why}",))
    if cex is None and complete:
        raise KernelDisagreement(
            f"the normal form says the sides differ but the exact check finds them equal on {described}"
        )
    if cex is None:
        return Verdict(FALSE, assumptions, sizes=described,
                       notes=("no counterexample was computed: the polynomial search exceeded its share of "
                              "the step's budget and no random point showed a difference",))
    return Verdict(FALSE, assumptions, counterexample=cex, sizes=described, dims=dims)


def _proved(lhs, rhs, free, bounds, assumptions, budget: Budget) -> Verdict:
    """The verdict of a step whose normal form is empty: PROVED once the cross-check agrees (with a note
    where it was too large to run); KernelDisagreement where it differs."""
    described, dims = _describe_grid(bounds), tuple(d.name for d in bounds)
    try:
        _cross_check(lhs, rhs, free, bounds, budget)
    except _grid.GridLimit as why:
        return Verdict(PROVED, assumptions, sizes=described, dims=dims,
                       notes=(f"the exact cross-check was skipped: {why}",))
    return Verdict(PROVED, assumptions, sizes=described, dims=dims)


def _decide_matrix_atoms(lhs, rhs, free, assumptions, bounds, budget: Budget) -> Verdict:
    """A step with an inverse or a determinant whose normal form is not empty: FALSE with a
    counterexample at exact invertible matrices, else CHECKED. The normal form is complete only in
    some cases (docs/reliability.md), so a difference with no counterexample is never FALSE."""
    points = _grid.sizes_up_to(bounds)
    described = ", ".join(f"{d.name} ∈ {{{', '.join(str(s) for s in sorted({p[d] for p in points}))}}}"
                          for d in bounds) or "the declared sizes"
    try:
        cex = _matrix_counterexample(lhs, rhs, free, points, True, budget)
    except _grid.GridLimit as why:
        return Verdict(CHECKED, assumptions, sizes=described, notes=(_NOT_KNOWN_FALSE,),
                       reason=f"the normal form leaves a difference, and looking for a counterexample is too large: {why}")
    if cex is None:
        return Verdict(CHECKED, assumptions, sizes=described, notes=(_NOT_KNOWN_FALSE,),
                       reason="the normal form leaves a difference that the laws of inverses and determinants "
                              "do not remove, but no counterexample was found at random invertible matrices")
    return Verdict(FALSE, assumptions, counterexample=cex, sizes=described, dims=tuple(d.name for d in bounds))


_NOT_KNOWN_FALSE = ("with an inverse or a determinant, a difference the laws leave (X and X⁻¹ both left, or a "
                    "concrete size) is not known to be false until a counterexample is found: docs/reliability.md, "
                    "\"Inverses and determinants\"")


# The random integer ranges of the exact search at invertible matrices, and the draws per range.
MATRIX_RANGES = (3, 10, 100)
MATRIX_DRAWS = 3


def _matrix_counterexample(lhs, rhs, free, points, patterns: bool, budget: Budget) -> Counterexample | None:
    """The first point found where the sides differ, evaluated exactly in the rationals at random
    integer matrices with their exact inverses (points where a matrix is singular are drawn again),
    or None. `patterns`: one free-index value per equality pattern (else every value)."""
    ev = _grid.PointEvaluator([lhs, rhs], budget, None)
    rng = random.Random(_seed(lhs, rhs))
    for sizes in points:
        for r in MATRIX_RANGES:
            for _ in range(MATRIX_DRAWS):
                ev.reset(sizes, lambda r=r: rng.randint(-r, r))
                try:
                    for env in _grid.free_assignments(free, sizes, all_values=not patterns):
                        if ev.value(lhs, env) == ev.value(rhs, env):
                            continue
                        a, b = ev.recorded(lhs, env), ev.recorded(rhs, env)
                        return Counterexample(
                            sizes=tuple((d.name, s) for d, s in sorted(sizes.items())),
                            free=tuple((i.name, v) for i, v in sorted(env.items())),
                            values=tuple(sorted((_grid.key_text(k), ev.values[k]) for k in ev.read)),
                            lhs=Fraction(a), rhs=Fraction(b),
                        )
                except _grid.UnusablePoint:
                    continue
    return None
def _decide_apps(lhs, rhs, diff, assumptions, free, limits: Limits, budget: Budget) -> Verdict:
    """A step that applies functions (exp, 1/t, a declared f, …): PROVED when the normal form with
    denominators cleared is empty and the cross-check agrees; FALSE only with a genuine
    counterexample (kernel/functions.py); otherwise CHECKED: the normal form is not known complete
    here, so a difference with no counterexample found is not a disproof."""
    seed = _seed(lhs, rhs)
    try:
        nf = _fn.ClearingNormalizer(FULL, limits, budget).normal_form(diff)
    except OutsideFragment as why:
        dims = sorted(_grid._dims_in(diff))
        points = [dict(zip(dims, p)) for p in itertools.product(CHECK_SIZES, repeat=len(dims))]
        points.sort(key=lambda s: sum(s.values()))
        described = ", ".join(f"{d.name} ∈ {{{', '.join(map(str, CHECK_SIZES))}}}" for d in dims)
        try:
            found = _fn.search(lhs, rhs, free, points, budget, seed)
        except _grid.GridLimit:
            found = None
        if found is not None:
            return Verdict(FALSE, assumptions, counterexample=_fn_counterexample(found), sizes=described,
                           reason=str(why))
        return Verdict(CHECKED, assumptions, sizes=described or "the declared sizes", reason=str(why))
    bounds = _grid.grid_bounds(diff)
    described = _describe_grid(bounds)
    dims = tuple(d.name for d in bounds)
    if not nf:
        return _proved(lhs, rhs, free, bounds, assumptions, budget)
    try:
        found = _fn.search(lhs, rhs, free, _grid.sizes_up_to(bounds), budget, seed)
    except _grid.GridLimit:
        found = None
    if found is not None:
        return Verdict(FALSE, assumptions, counterexample=_fn_counterexample(found), sizes=described, dims=dims)
    return Verdict(CHECKED, assumptions, sizes=described,
                   reason="the sides' normal forms differ, but no point where they really differ was found "
                          "(with functions applied, the normal form is not known to be complete)")


def _fn_counterexample(found) -> Counterexample:
    sizes, env, values, a, b, approximate = found
    return Counterexample(
        sizes=tuple((d.name, s) for d, s in sorted(sizes.items())),
        free=tuple((i.name, v) for i, v in sorted(env.items())),
        values=values, lhs=a, rhs=b, approximate=approximate,
    )


def _check_outside(lhs, rhs, free, assumptions, why: str, budget: Budget) -> Verdict:
    dims = sorted(d for d in _grid._dims_in(Add((lhs, rhs))))
    points = [{}]
    for d in dims:
        points = [dict(p, **{}) | {d: s} for p in points for s in CHECK_SIZES]
    points.sort(key=lambda s: (sum(s.values()), [s[d] for d in dims]))
    described = ", ".join(f"{d.name} ∈ {{{', '.join(map(str, CHECK_SIZES))}}}" for d in dims) or "the declared sizes"
    try:
        if _inverse.has_atoms(Add((lhs, rhs))):
            cex = _matrix_counterexample(lhs, rhs, free, points, False, budget)
        else:
            cex = _search(lhs, rhs, free, points, all_values=True, budget=budget)
    except _grid.GridLimit as gl:
        raise KernelLimit(f"{why}, and checking it at small sizes is too large: {gl}") from None
    if cex is not None:
        return Verdict(FALSE, assumptions, counterexample=cex, sizes=described, reason=why)
    return Verdict(CHECKED, assumptions, sizes=described, reason=why)


def _cross_check(lhs, rhs, free, bounds, budget: Budget) -> None:
    """Evaluate both sides modulo a large prime at POINTS random points per size of the grid (with
    the degrees of the anchored bounds, `grid.anchored_bounds`), at every free-index assignment;
    KernelDisagreement where they differ. The points are drawn from a seed derived from the step, so
    runs are reproducible."""
    ev = _grid.PointEvaluator([lhs, rhs], budget, _grid.PRIME)
    rng = random.Random(_seed(lhs, rhs))
    draw = lambda: rng.randrange(_grid.PRIME)  # noqa: E731
    generic = frozenset(generic_dims(Add((lhs, rhs))))
    for sizes in _grid.size_grid(_grid.anchored_bounds(Add((lhs, rhs)), bounds)):
        for _ in range(_grid.POINTS):
            for _ in range(MATRIX_DRAWS):  # a point where a matrix the step inverts is singular is drawn again
                ev.reset(sizes, draw)
                try:
                    _agree_at(ev, lhs, rhs, free, sizes, generic)
                    break
                except _grid.UnusablePoint:
                    continue
            else:
                raise _grid.GridLimit("random matrices kept being singular")


def _agree_at(ev, lhs, rhs, free, sizes, generic=frozenset()) -> None:
    """KernelDisagreement unless the sides agree at `ev`'s point for every free-index pattern."""
    for env in _grid.free_assignments(free, sizes, all_values=False, generic=generic):
        if ev.value(lhs, env) != ev.value(rhs, env):
            raise KernelDisagreement(
                "the normal form says the sides are equal but the exact check differs at "
                + _describe_point(sizes, env)
            )


# The polynomial search (readable values, a guarantee) gets this much of a step's budget; past it,
# the counterexample is looked for by exact evaluation at small random integers.
POLY_SEARCH_WORK = 250_000
SEARCH_RANGES = (3, 10, 100, 10_000)  # the random values tried at each size and free-index value


def _counterexample(lhs, rhs, free, points, budget: Budget):
    """(counterexample or None, whether the search was complete) for a step of the fragment. The
    polynomial search runs first, within POLY_SEARCH_WORK units; if it is cut short, point evaluation
    at small random integers (exact rationals) looks for a point where the sides differ, with the
    rest of the budget."""
    part = Budget(min(POLY_SEARCH_WORK, budget.units - budget.spent))
    try:
        return _search(lhs, rhs, free, points, False, part), True
    except _grid.GridLimit:
        pass
    finally:
        budget.spent += min(part.spent, part.units)  # work refused past the share was not done
    ev = _grid.PointEvaluator([lhs, rhs], budget, None)
    rng = random.Random(_seed(lhs, rhs))
    for sizes in points:
        for r in SEARCH_RANGES:
            ev.reset(sizes, lambda r=r: rng.randint(-r, r))
            for env in _grid.free_assignments(free, sizes, all_values=False):
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
                    values=tuple(sorted((_grid.key_text(k), v) for k, v in kept.items())),
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
    except _grid.GridLimit:
        pass
    return {k: values[k] for k in keys}


def _seed(lhs: Expr, rhs: Expr) -> int:
    """A seed that depends only on the step (not on the process's hash randomisation)."""
    return int.from_bytes(hashlib.sha256(repr((lhs, rhs)).encode()).digest()[:8], "big")


def _search(lhs, rhs, free, points, all_values: bool, budget: Budget) -> Counterexample | None:
    """The first point (sizes, free indices, entries) where the sides differ, or None if they are
    equal polynomials at every size tried (exact: never "no point found")."""
    for sizes in points:
        ev = _grid.Evaluator([lhs, rhs], sizes, budget)
        for env in _grid.free_assignments(free, sizes, all_values=all_values):
            a, b = ev.value(lhs, env), ev.value(rhs, env)
            ev.spend(len(a) + len(b))
            if a == b:
                continue
            vals = _grid.find_point(a - b, budget)
            ev.spend(len(a) + len(b))
            used = sorted({i for p in (a, b) for m in p.monoms() for i, k in enumerate(m) if k})
            full = {i: vals.get(i, 0) for i in used}
            return Counterexample(
                sizes=tuple((d.name, s) for d, s in sorted(sizes.items())),
                free=tuple((i.name, v) for i, v in sorted(env.items())),
                values=tuple((ev.keys[i].text(), v) for i, v in sorted(full.items(), key=lambda kv: ev.keys[kv[0]].text())),
                lhs=_grid.eval_at(a, full, budget),
                rhs=_grid.eval_at(b, full, budget),
            )
    return None


def _assumptions(e: Expr) -> tuple[str, ...]:
    out = []
    objs = objects_in(e)
    for o in sorted(objs, key=lambda o: o.name):
        if o.symmetric:
            out.append(f"{o.name} symmetric")
    under = differentiated_objects(e)
    wrt = sorted({d.var.name for d in walk(e) if isinstance(d, Deriv)})
    consts = sorted(o.name for o in under if o.kind == "const")
    if consts and wrt:
        out.append(f"{', '.join(consts)} independent of {', '.join(wrt)}")
    others = sorted(o.name for o in under if o.kind == "func" and o.depends_on not in wrt)
    if others and wrt:
        out.append(f"{', '.join(others)} independent of {', '.join(wrt)}")
    # The normal form lets mixed partials commute (Schwarz): true of twice continuously differentiable
    # functions, which a declared function differentiated twice is therefore assumed to be.
    twice = sorted({o.name for d in walk(e) if type(d) is Deriv for inner in walk(d.body)
                    if type(inner) is Deriv for o in differentiated_objects(inner.body, True)
                    if o.kind == "func" and o.depends_on in wrt})
    if twice:
        out.append(f"{', '.join(twice)} twice continuously differentiable")
    out.extend(_inverse.assumptions(e))
    return tuple(out)


def _describe_grid(bounds) -> str:
    if not bounds:
        return "the declared sizes"
    parts = []
    for d, (n, deg) in bounds.items():
        start = max(n, 1)
        parts.append(f"{d.name} ∈ {{{', '.join(str(s) for s in range(start, start + deg + 1))}}}")
    return ", ".join(parts)


def _describe_point(sizes, env) -> str:
    bits = [f"{d.name} = {s}" for d, s in sorted(sizes.items())]
    bits += [f"{i.name} = {v}" for i, v in sorted(env.items())]
    return ", ".join(bits) or "the declared sizes"
