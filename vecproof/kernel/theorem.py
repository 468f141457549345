"""Theorems: the only values that say a statement is proved. Made only by `conclude`, from kernel
verdicts on every link of a proof's chain, its two ends and the generalisation from one entry.

HOL Light's `thm` is the model: a `Theorem` cannot be built by calling its class, and `conclude`
accepts only verdicts that `decide` sealed for exactly the expressions of the chain. The checker and
every front end read theorems; none can make one.
"""

from __future__ import annotations

from .terms import Add, Expr, Index, binders, free_slots, substitute

_SEAL = object()  # set on a Verdict by `decide` only; `conclude` believes no other verdict


def seal(verdict, lhs: Expr, rhs: Expr):
    """Mark `verdict` as the kernel's own decision of lhs = rhs (called by `decide` only)."""
    object.__setattr__(verdict, "_sealed", (_SEAL, lhs, rhs))
    return verdict


def _decides(verdict, a: Expr, b: Expr) -> bool:
    """The verdict is the kernel's, says "proved", and is about exactly a = b (either way round)."""
    sealed = getattr(verdict, "_sealed", None)
    if not isinstance(sealed, tuple) or len(sealed) != 3 or sealed[0] is not _SEAL:
        return False
    if getattr(verdict, "status", None) != "proved":
        return False
    _, lhs, rhs = sealed
    return (lhs == a and rhs == b) or (lhs == b and rhs == a)


class Theorem:
    """lhs = rhs for every value of the symbolic sizes `dims` and of the free indices, under
    `assumptions`. Only `conclude` makes one; the attributes are read-only."""

    __slots__ = ("lhs", "rhs", "assumptions", "dims")

    def __init__(self, *args, **kwargs):
        raise TypeError("a Theorem is made only by the kernel (kernel.conclude)")

    def __setattr__(self, name, value):
        raise AttributeError("a Theorem cannot be changed")

    def __repr__(self) -> str:
        return f"<Theorem over {', '.join(self.dims) or 'the declared sizes'}; assuming {self.assumptions}>"


def _make(lhs: Expr, rhs: Expr, assumptions: tuple[str, ...], dims: tuple[str, ...]) -> Theorem:
    t = object.__new__(Theorem)
    for name, value in (("lhs", lhs), ("rhs", rhs), ("assumptions", assumptions), ("dims", dims)):
        object.__setattr__(t, name, value)
    return t


def is_theorem(value) -> bool:
    return type(value) is Theorem


def instantiate(e: Expr, slots: tuple, at: tuple) -> Expr:
    """`e` with its free entry slots `slots` (row, col; None where the side has none) replaced by
    the proof's component indices `at`. The checker states the ends of a chain with this function,
    so that `conclude` compares the very expressions that were decided."""
    return substitute(e, {s: a for s, a in zip(slots, at) if s is not None and a is not None and s != a})


def _same_range(a, b) -> bool:
    """Two dimensions whose indices run over the same values: the same dimension, or two concrete
    ones of the same size (a literal `[s; s]` has an anonymous dimension of size 2)."""
    return a == b or (not a.symbolic and not b.symbolic and a.size == b.size)


def conclude(lhs: Expr, rhs: Expr, slots: tuple, at: tuple, chain: list[Expr], verdicts: list) -> Theorem | None:
    """The theorem lhs = rhs, or None when the evidence does not prove it.

    `lhs`, `rhs`: the statement, with free index `slots[0]` for its row and `slots[1]` for its
    column (None where there is none). `at`: the indices the proof compares entries at (equal to
    `slots` for a proof of whole matrices). `chain`: the proof's lines, as entries at `at`.
    `verdicts`: the kernel's verdicts, in order, on lhs[at] = chain[0], chain[k] = chain[k+1] for
    every k, and chain[-1] = rhs[at].

    Generalisation: an entry proved at indices that are distinct, range over the slots'
    dimensions, and are neither free in the statement nor bound inside it, is every entry — the
    indices are arbitrary, and substituting them captures nothing.
    """
    if not chain or len(verdicts) != len(chain) + 1 or len(slots) != 2 or len(at) != 2:
        return None
    moved = [(s, a) for s, a in zip(slots, at) if (s is None) != (a is None) or (s is not None and s != a)]
    for s, a in moved:
        if s is None or a is None or not isinstance(a, Index) or not _same_range(a.dim, s.dim):
            return None
    if moved:
        new = [a for _, a in moved]
        if len(set(new)) != len(new):
            return None  # (k, k) would prove the diagonal only
        statement = Add((lhs, rhs))
        outside = free_slots(statement) - {s for s in slots if s is not None}
        bound = binders(statement)
        if any(a in outside for a in new) or any(a in bound for a in new):
            return None
    ends = [instantiate(lhs, slots, at), *chain, instantiate(rhs, slots, at)]
    for v, a, b in zip(verdicts, ends, ends[1:]):
        if not _decides(v, a, b):
            return None
    assumptions: list[str] = []
    dims: list[str] = []
    for v in verdicts:
        assumptions.extend(x for x in v.assumptions if x not in assumptions)
        dims.extend(d for d in v.dims if d not in dims)
    return _make(lhs, rhs, tuple(assumptions), tuple(dims))
