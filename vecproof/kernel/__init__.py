"""The trusted kernel: decides `lhs = rhs` for index expressions. Only `decide` says "proved".

It depends on the standard library only. Two independent procedures must agree before a step is
proved: the normal form (which decides) and exact evaluation on the size grid that the size-grid
theorem makes complete (which cross-checks, at random points modulo a large prime). Counterexamples
to a step not proved are found by a search passed in (`decide(…, search=…)`), which lives outside
the kernel and is not trusted (vecproof/counterexamples/).
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
    "Add", "App", "Budget", "Counterexample", "DEFAULT_LIMITS", "NO_SEARCH", "IllFormed", "Delta", "Deriv", "Dim", "Entry",
    "Expr", "Fold", "Index", "KernelDisagreement", "KernelLimit", "Limits", "Mul", "Normalizer", "Num",
    "Obj", "Policy", "Pow", "Select", "Size", "Sum", "Theorem", "VApp", "Verdict", "conclude", "decide",
    "free_slots", "instantiate", "is_theorem", "step_seed", "substitute",
]

PROVED = "proved"
FALSE = "false"
CHECKED = "checked"  # held on a finite set of sizes; outside the decided fragment; NOT a proof


# Sizes tried for steps outside the fragment (reported as "checked for sizes …, not proved").
CHECK_SIZES = (1, 2, 3, 4)


class NoSearch:
    """The search `decide` uses when given none: every search is refused (GridLimit), so a false step
    in the fragment is FALSE with a note, and any other step not proved is CHECKED or too large."""

    def _refuse(self, *args):
        raise _grid.GridLimit("no counterexample search was given")

    in_fragment = at_sizes = invertible = functions = _refuse


NO_SEARCH = NoSearch()


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


def decide(lhs: Expr, rhs: Expr, limits: Limits = DEFAULT_LIMITS, search=None) -> Verdict:
    """Decide lhs = rhs for all values of the symbolic sizes and the free indices.

    Returns a Verdict: "proved" (normal form empty and the randomized exact grid check agrees),
    "false" (with a counterexample, unless computing one exceeds the budget), or "checked" (outside the decided
    fragment; held at every size tried). Raises KernelDisagreement if the two procedures disagree
    and KernelLimit if a resource cap is hit. All of it shares one Budget of `limits.step_work`
    units; `Verdict.work` says how much was spent. The verdict is sealed as the kernel's own: only
    sealed verdicts count towards a Theorem (`conclude`).

    `search` finds the counterexamples (vecproof/counterexamples: not trusted; `NO_SEARCH` when
    None). It runs only once the step is not proved, so it can change which refusal a step gets,
    never whether it is proved.
    """
    budget = Budget(limits.step_work)
    verdict = _decide(lhs, rhs, limits, budget, search or NO_SEARCH)
    return seal(replace(verdict, work=budget.spent), lhs, rhs)


def _decide(lhs: Expr, rhs: Expr, limits: Limits, budget: Budget, search) -> Verdict:
    diff = Add((lhs, Mul((Num(Fraction(-1)), rhs))))
    apps = _fn.has_apps(diff)
    assumptions = _assumptions(diff) + (tuple(_fn.assumptions(diff)) if apps else ())  # even for a = a
    free = sorted(free_slots(diff))
    if alpha_equal(lhs, rhs):  # reflexivity, up to the names of bound indices
        dims = tuple(sorted(d.name for d in _grid._dims_in(diff)))
        return Verdict(PROVED, assumptions, sizes="all sizes (the sides are the same expression)", dims=dims)
    if apps:
        return _decide_apps(lhs, rhs, diff, assumptions, free, limits, budget, search)
    try:
        nf = Normalizer(FULL, limits, budget).normal_form(diff)
    except OutsideFragment as why:
        return _check_outside(lhs, rhs, free, assumptions, str(why), budget, search)
    bounds = _grid.grid_bounds(diff)
    described = _describe_grid(bounds)
    dims = tuple(d.name for d in bounds)
    if nf and _inverse.has_atoms(diff):
        return _decide_matrix_atoms(lhs, rhs, free, assumptions, _inverse.raise_bounds(diff, bounds), budget, search)
    if not nf:
        return _proved(lhs, rhs, free, bounds, assumptions, budget)
    try:
        cex, complete = search.in_fragment(lhs, rhs, free, _grid.sizes_up_to(bounds), budget)
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


def _decide_matrix_atoms(lhs, rhs, free, assumptions, bounds, budget: Budget, search) -> Verdict:
    """A step with an inverse or a determinant whose normal form is not empty: FALSE with a
    counterexample at exact invertible matrices, else CHECKED. The normal form is complete only in
    some cases (docs/reliability.md), so a difference with no counterexample is never FALSE."""
    points = _grid.sizes_up_to(bounds)
    described = ", ".join(f"{d.name} ∈ {{{', '.join(str(s) for s in sorted({p[d] for p in points}))}}}"
                          for d in bounds) or "the declared sizes"
    try:
        cex = search.invertible(lhs, rhs, free, points, budget)
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


# Draws of a random point before giving up where a matrix the step inverts keeps being singular.
MATRIX_DRAWS = 3
# The cross-check's draws per point: a point is unusable where a matrix the step inverts is singular
# modulo the prime (probability about n/p) or where a square root's argument is not a square (one in
# two per distinct argument): with k distinct square roots the cross-check is skipped at a size with
# probability (1 − 2⁻ᵏ)^POINT_DRAWS, about 10⁻⁸ for k = 2 (deterministic per step: the seed is the step's).
POINT_DRAWS = 64


def _decide_apps(lhs, rhs, diff, assumptions, free, limits: Limits, budget: Budget, search) -> Verdict:
    """A step that applies functions (exp, 1/t, a declared f, …): PROVED when the normal form with
    denominators cleared is empty and the cross-check agrees; FALSE only with a genuine
    counterexample (kernel/functions.py); otherwise CHECKED: the normal form is not known complete
    here, so a difference with no counterexample found is not a disproof."""
    seed = step_seed(lhs, rhs)
    try:
        nf = _fn.ClearingNormalizer(FULL, limits, budget).normal_form(diff)
    except OutsideFragment as why:
        dims = sorted(_grid._dims_in(diff))
        points = [dict(zip(dims, p)) for p in itertools.product(CHECK_SIZES, repeat=len(dims))]
        points.sort(key=lambda s: sum(s.values()))
        described = ", ".join(f"{d.name} ∈ {{{', '.join(map(str, CHECK_SIZES))}}}" for d in dims)
        try:
            found = search.functions(lhs, rhs, free, points, budget, seed)
        except _grid.GridLimit:
            found = None
        if found is not None:
            return Verdict(FALSE, assumptions, counterexample=found, sizes=described,
                           reason=str(why))
        return Verdict(CHECKED, assumptions, sizes=described or "the declared sizes", reason=str(why))
    bounds = _grid.grid_bounds(diff)
    described = _describe_grid(bounds)
    dims = tuple(d.name for d in bounds)
    if not nf:
        return _proved(lhs, rhs, free, bounds, assumptions, budget)
    try:
        found = search.functions(lhs, rhs, free, _grid.sizes_up_to(bounds), budget, seed)
    except _grid.GridLimit:
        found = None
    if found is not None:
        return Verdict(FALSE, assumptions, counterexample=found, sizes=described, dims=dims)
    return Verdict(CHECKED, assumptions, sizes=described,
                   reason="the sides' normal forms differ, but no point where they really differ was found "
                          "(with functions applied, the normal form is not known to be complete)")


def _check_outside(lhs, rhs, free, assumptions, why: str, budget: Budget, search) -> Verdict:
    dims = sorted(d for d in _grid._dims_in(Add((lhs, rhs))))
    points = [{}]
    for d in dims:
        points = [dict(p, **{}) | {d: s} for p in points for s in CHECK_SIZES]
    points.sort(key=lambda s: (sum(s.values()), [s[d] for d in dims]))
    described = ", ".join(f"{d.name} ∈ {{{', '.join(map(str, CHECK_SIZES))}}}" for d in dims) or "the declared sizes"
    try:
        cex = search.at_sizes(lhs, rhs, free, points, budget)
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
    rng = random.Random(step_seed(lhs, rhs))
    draw = lambda: rng.randrange(_grid.PRIME)  # noqa: E731
    generic = frozenset(generic_dims(Add((lhs, rhs))))
    for sizes in _grid.size_grid(_grid.anchored_bounds(Add((lhs, rhs)), bounds)):
        for _ in range(_grid.POINTS):
            for _ in range(POINT_DRAWS):  # an unusable point is drawn again (see POINT_DRAWS)
                ev.reset(sizes, draw)
                try:
                    _agree_at(ev, lhs, rhs, free, sizes, generic)
                    break
                except _grid.UnusablePoint:
                    continue
            else:
                raise _grid.GridLimit("random points kept being unusable (a matrix the step inverts singular, "
                                      "or a square root's argument not a square modulo the prime)")


def _agree_at(ev, lhs, rhs, free, sizes, generic=frozenset()) -> None:
    """KernelDisagreement unless the sides agree at `ev`'s point for every free-index pattern."""
    for env in _grid.free_assignments(free, sizes, all_values=False, generic=generic):
        if ev.value(lhs, env) != ev.value(rhs, env):
            raise KernelDisagreement(
                "the normal form says the sides are equal but the exact check differs at "
                + _describe_point(sizes, env)
            )


def step_seed(lhs: Expr, rhs: Expr) -> int:
    """A seed that depends only on the step (not on the process's hash randomisation)."""
    return int.from_bytes(hashlib.sha256(repr((lhs, rhs)).encode()).digest()[:8], "big")


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
