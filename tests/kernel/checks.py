"""Comparing the kernel's verdicts with the reference semantics (tests/kernel/reference.py)."""

from __future__ import annotations

from fractions import Fraction

from vecproof.counterexamples import decide
from vecproof.kernel import CHECK_SIZES, Counterexample, Verdict
from vecproof.kernel.grid import grid_bounds
from vecproof.kernel.terms import Add, Mul, Num

from .reference import (
    Reference, dims_of, first_difference, free_indices, objects, parse_unknown, peval, size_points,
)

# Cost cap for the reference check (number of (size point, free-index value) evaluations, weighted
# by the largest size to the number of nested sums); bigger draws are rejected, not checked.
MAX_COST = 60_000


def difference(lhs, rhs):
    return Add((lhs, Mul((Num(Fraction(-1)), rhs))))


def grid_points(lhs, rhs, extra: bool = True) -> list[dict]:
    """The size grid {N_τ … N_τ + D_τ} of the size-grid theorem (bounds read by the kernel's
    `grid_bounds`), plus, with `extra`, the sizes 1 and N_τ + D_τ + 1 of every dimension."""
    per_dim = {}
    for d, (n, deg) in grid_bounds(difference(lhs, rhs)).items():
        start = max(n, 1)
        vals = list(range(start, start + deg + 1))
        if extra:
            vals += [1, start + deg + 1]
        per_dim[d] = vals
    for d in dims_of(lhs) | dims_of(rhs):
        per_dim.setdefault(d, [1, 2, 3])
    return size_points(per_dim)


def _depth(e) -> int:
    from .strategies import children  # local: strategies imports reference too
    from vecproof.kernel.terms import Sum
    own = 1 if isinstance(e, Sum) else 0
    return own + max((_depth(c) for c in children(e)), default=0)


def cost(lhs, rhs, points=None) -> int:
    points = grid_points(lhs, rhs) if points is None else points
    free = free_indices(lhs) | free_indices(rhs)
    depth = max(_depth(lhs), _depth(rhs))
    total = 0
    for sizes in points:
        top = max([s for s in sizes.values()] + [3])
        count = 1
        for i in free:
            count *= i.dim.size if i.dim.size is not None else sizes[i.dim]
        total += count + top ** depth
    return total


def describe(lhs, rhs) -> str:
    from .strategies import show
    return (f"\n  lhs: {show(lhs)}\n  rhs: {show(rhs)}"
            f"\n  lhs = {lhs!r}\n  rhs = {rhs!r}")


def assert_genuine(lhs, rhs, cex: Counterexample) -> None:
    """Re-evaluate the kernel's counterexample with the reference: both sides must have the values
    the kernel reports, and they must differ."""
    dims = {d.name: d for d in dims_of(lhs) | dims_of(rhs)}
    sizes = {dims[name]: v for name, v in cex.sizes}
    missing = set(dims.values()) - set(sizes)
    assert not missing, f"the counterexample gives no size for {missing}: {cex}" + describe(lhs, rhs)
    free = {i.name: i for i in free_indices(lhs) | free_indices(rhs)}
    env = {free[name]: v for name, v in cex.free}
    assert set(env) == set(free.values()), f"the counterexample misses free indices: {cex}"
    objs = objects(lhs)
    objects(rhs, objs)
    ref = Reference(sizes, objs)
    a, b = ref.value(lhs, env), ref.value(rhs, env)
    values = {parse_unknown(text): v for text, v in cex.values}
    va, vb = peval(a, values), peval(b, values)
    assert (va, vb) == (cex.lhs, cex.rhs), (
        f"counterexample not reproduced: the kernel says lhs = {cex.lhs}, rhs = {cex.rhs}; the "
        f"reference gives {va}, {vb} at {cex}" + describe(lhs, rhs))
    assert va != vb, f"the counterexample does not separate the sides: {cex}" + describe(lhs, rhs)


def check_in_fragment(lhs, rhs) -> tuple[Verdict, object]:
    """decide(lhs, rhs) against the reference on the grid (+ extra sizes), for steps inside the
    decided fragment. Returns (verdict, first reference difference or None)."""
    verdict = decide(lhs, rhs)
    found = first_difference(lhs, rhs, grid_points(lhs, rhs))
    if verdict.status == "proved":
        assert found is None, (
            "UNSOUND: the kernel proved a false identity; the reference differs at sizes "
            f"{_names(found[0])}, free indices {_names(found[1])}" + describe(lhs, rhs))
    elif verdict.status == "false":
        if verdict.counterexample is not None:
            assert_genuine(lhs, rhs, verdict.counterexample)
        assert found is not None, (
            "the kernel says false, but the reference finds the sides equal on the whole grid"
            + (f" (although the kernel's counterexample {verdict.counterexample} is genuine: the "
               "grid is too small)" if verdict.counterexample else "") + describe(lhs, rhs))
    else:
        raise AssertionError(f"a step inside the fragment got {verdict.status!r} ({verdict.reason})"
                             + describe(lhs, rhs))
    return verdict, found


def check_outside_fragment(lhs, rhs) -> Verdict:
    """A step with a partial summation range: "false" comes with a genuine counterexample;
    "checked" means the reference agrees at every size the kernel says it tried; "proved" is
    possible only where the partial sum does not matter (e.g. multiplied by a factor that
    differentiates to 0, or identical sides) — then the reference must agree at every size 1..6."""
    verdict = decide(lhs, rhs)
    if verdict.status == "proved":
        dims = sorted(dims_of(lhs) | dims_of(rhs))
        found = first_difference(lhs, rhs, size_points({d: range(1, 7) for d in dims}))
        assert found is None, (
            f"UNSOUND: a step with a partial range was proved, but the sides differ at sizes "
            f"{_names(found[0])}, free indices {_names(found[1])}" + describe(lhs, rhs))
    elif verdict.status == "false":
        assert verdict.counterexample is not None, verdict
        assert_genuine(lhs, rhs, verdict.counterexample)
    else:
        assert verdict.status == "checked", verdict
        dims = sorted(dims_of(lhs) | dims_of(rhs))
        points = size_points({d: list(CHECK_SIZES) for d in dims})
        found = first_difference(lhs, rhs, points, skip_undefined=True)
        assert found is None, (
            f"'checked' although the sides differ at sizes {_names(found[0])}, free indices "
            f"{_names(found[1])}, within the sizes {verdict.sizes}" + describe(lhs, rhs))
    return verdict


def _names(d: dict) -> dict:
    return {k.name: v for k, v in d.items()}
