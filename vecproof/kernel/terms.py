"""Index expressions: the kernel's term language (entries, deltas, sums, derivatives)."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Union


@dataclass(frozen=True, order=True)
class Dim:
    """A dimension: symbolic (`size is None`) or concrete."""

    name: str
    size: int | None = None

    @property
    def symbolic(self) -> bool:
        return self.size is None


@dataclass(frozen=True, order=True)
class Index:
    """An index variable ranging over 1..dim."""

    name: str
    dim: Dim


# An index slot holds an index variable or a 1-based numeral (numerals only for concrete dims).
Slot = Union[Index, int]


@dataclass(frozen=True)
class Obj:
    """A declared object: the variable of differentiation, a constant, or a function of a variable."""

    name: str
    kind: str  # "var" | "const" | "func"
    dims: tuple[Dim, ...]
    symmetric: bool = False
    depends_on: str | None = None  # for kind "func": the name of the variable it depends on


class IllFormed(ValueError):
    """An index expression that denotes nothing: an entry or a range outside its dimension, a
    numeral in a slot of a symbolic dimension, a derivative by a symmetric variable."""


class Expr:
    """Base of index expressions. Nodes are immutable and hashable."""

    __slots__ = ()

    def __add__(self, other: Expr) -> Expr:
        return Add((self, other))

    def __sub__(self, other: Expr) -> Expr:
        return Add((self, Mul((Num(Fraction(-1)), other))))

    def __mul__(self, other: Expr) -> Expr:
        return Mul((self, other))


@dataclass(frozen=True)
class Num(Expr):
    value: Fraction


@dataclass(frozen=True)
class Size(Expr):
    """A dimension used as a number (Σ_i 1 = n)."""

    dim: Dim


@dataclass(frozen=True)
class Entry(Expr):
    """An entry of a declared object, optionally differentiated: ∂^k obj[idx] / ∂var[d1] … ∂var[dk]."""

    obj: Obj
    idx: tuple[Slot, ...]
    derivs: tuple[tuple[Obj, tuple[Slot, ...]], ...] = ()


@dataclass(frozen=True)
class Delta(Expr):
    """The Kronecker delta δ(a, b)."""

    a: Slot
    b: Slot


@dataclass(frozen=True)
class Add(Expr):
    args: tuple[Expr, ...]


@dataclass(frozen=True)
class Mul(Expr):
    args: tuple[Expr, ...]


@dataclass(frozen=True)
class Pow(Expr):
    base: Expr
    exp: int


@dataclass(frozen=True)
class Sum(Expr):
    """Σ over `index`; `lo`/`hi` are None for the full range 1..dim, else size expressions."""

    index: Index
    body: Expr
    lo: Expr | None = None
    hi: Expr | None = None


@dataclass(frozen=True)
class Deriv(Expr):
    """∂ body / ∂ var[idx] (a partial derivative by one entry of the variable)."""

    var: Obj
    idx: tuple[Slot, ...]
    body: Expr


@dataclass(frozen=True)
class Fold(Expr):
    """`body` written in folded notation (a matrix product, a norm, a gradient…); semantically `body`.

    The tag names the definition that unfolds it; only the rule checker looks at it.
    """

    tag: str
    body: Expr


@dataclass(frozen=True)
class Select(Expr):
    """Entry `index` (1-based) of an explicit list: a literal vector or matrix over a concrete dim."""

    index: Slot
    options: tuple[Expr, ...]


@dataclass(frozen=True)
class Inverse(Expr):
    """Entry `idx` (row, column) of the inverse of the declared square matrix `obj`, which the
    verdict then assumes invertible (kernel/inverse.py holds its laws)."""

    obj: Obj
    idx: tuple[Slot, ...]


@dataclass(frozen=True)
class Det(Expr):
    """det(obj)^power for a declared square matrix `obj`: power 1 is det obj, power −1 its
    reciprocal det(obj⁻¹) (obj then assumed invertible)."""

    obj: Obj
    power: int = 1


@dataclass(frozen=True)
class LogDet(Expr):
    """log det obj for a declared square matrix `obj`, assumed to have det obj > 0."""

    obj: Obj


@dataclass(frozen=True)
class App(Expr):
    """A scalar function applied to a scalar expression: `fn` is a built-in with a derivative law
    (exp, log, sqrt, sigmoid, tanh; recip is 1/t) or a declared scalar function, differentiated
    `order` times (f, f′, f″, …: uninterpreted)."""

    fn: str
    arg: Expr
    order: int = 0


@dataclass(frozen=True)
class VApp(Expr):
    """A declared function F : ℝᵐ → ℝ applied to a declared vector `obj` (a variable, or a function of
    one): F(u), or with `at` = (j, …) the partial derivative ∂F/∂y[j]… at u (F′(u)[j], F″(u)[j,l])."""

    fn: str
    obj: Obj
    at: tuple[Slot, ...] = ()


ZERO = Num(Fraction(0))
ONE = Num(Fraction(1))


# ---- the one traversal -----------------------------------------------------------------------------
# Every walker below goes through these tables: a new term kind is taught to the kernel here (its
# sub-expressions and its index slots), and tests/kernel/test_traversal.py fails until it is.

def _none(e):
    return ()


def _same(e, f):
    return e


_CHILDREN = {
    Num: _none, Size: _none, Entry: _none, Delta: _none, Inverse: _none, Det: _none, LogDet: _none, VApp: _none,
    Add: lambda e: e.args,
    Mul: lambda e: e.args,
    Pow: lambda e: (e.base,),
    Sum: lambda e: (e.body,) + tuple(x for x in (e.lo, e.hi) if x is not None),
    Deriv: lambda e: (e.body,),
    Fold: lambda e: (e.body,),
    Select: lambda e: e.options,
    App: lambda e: (e.arg,),
}

_MAP_CHILDREN = {
    Num: _same, Size: _same, Entry: _same, Delta: _same, Inverse: _same, Det: _same, LogDet: _same, VApp: _same,
    Add: lambda e, f: Add(tuple(map(f, e.args))),
    Mul: lambda e, f: Mul(tuple(map(f, e.args))),
    Pow: lambda e, f: Pow(f(e.base), e.exp),
    Sum: lambda e, f: Sum(e.index, f(e.body), None if e.lo is None else f(e.lo), None if e.hi is None else f(e.hi)),
    Deriv: lambda e, f: Deriv(e.var, e.idx, f(e.body)),
    Fold: lambda e, f: Fold(e.tag, f(e.body)),
    Select: lambda e, f: Select(e.index, tuple(map(f, e.options))),
    App: lambda e, f: App(e.fn, f(e.arg), e.order),
}

_SLOTS = {
    Num: _none, Size: _none, Add: _none, Mul: _none, Pow: _none, Sum: _none, Fold: _none, App: _none,
    Det: _none, LogDet: _none,
    Inverse: lambda e: e.idx,
    Entry: lambda e: e.idx + tuple(s for _, d in e.derivs for s in d),
    Delta: lambda e: (e.a, e.b),
    Deriv: lambda e: e.idx,
    Select: lambda e: (e.index,),
    VApp: lambda e: e.at,
}

_MAP_SLOTS = {
    Num: _same, Size: _same, Add: _same, Mul: _same, Pow: _same, Sum: _same, Fold: _same, App: _same,
    Det: _same, LogDet: _same,
    Inverse: lambda e, f: Inverse(e.obj, tuple(map(f, e.idx))),
    Entry: lambda e, f: Entry(e.obj, tuple(map(f, e.idx)), tuple((v, tuple(map(f, d))) for v, d in e.derivs)),
    Delta: lambda e, f: Delta(f(e.a), f(e.b)),
    Deriv: lambda e, f: Deriv(e.var, tuple(map(f, e.idx)), e.body),
    Select: lambda e, f: Select(f(e.index), e.options),
    VApp: lambda e, f: VApp(e.fn, e.obj, tuple(map(f, e.at))),
}

MATRIX_ATOMS = (Inverse, Det, LogDet)  # functions of a whole declared matrix (kernel/inverse.py)
_ATOMS = frozenset(k for k, f in _CHILDREN.items() if f is _none)
_SLOTTED = frozenset(k for k, f in _SLOTS.items() if f is not _none)


def _kind(table: dict, e):
    try:
        return table[type(e)]
    except KeyError:
        raise TypeError(f"not an index expression: {e!r}") from None


def children(e: Expr) -> tuple[Expr, ...]:
    """The direct sub-expressions of `e`, in field order (a Sum's body, then its lo and hi when
    given); () for an atom."""
    return _kind(_CHILDREN, e)(e)


def map_children(e: Expr, f) -> Expr:
    """`e` rebuilt with `f` applied to each of its `children` (an atom is returned as it is)."""
    return _kind(_MAP_CHILDREN, e)(e, f)


def slots(e: Expr) -> tuple[Slot, ...]:
    """The index slots `e` holds itself, not those of its children (a Sum's bound index is not a
    slot of the Sum: it binds the slots of its body)."""
    return _kind(_SLOTS, e)(e)


def map_slots(e: Expr, f) -> Expr:
    """`e` rebuilt with `f` applied to each of its own `slots`."""
    return _kind(_MAP_SLOTS, e)(e, f)


def walk(e: Expr):
    """`e` and every sub-expression of it, each parent before its children, left to right."""
    todo = [e]
    while todo:
        e = todo.pop()
        yield e
        todo.extend(reversed(children(e)))


# ---- walkers -----------------------------------------------------------------------------------------

def free_slots(expr: Expr) -> set[Index]:
    """The index variables that occur free in `expr`."""
    out: set[Index] = set()
    _free(expr, frozenset(), out)
    return out


def _free(e: Expr, bound: frozenset, out: set) -> None:
    if type(e) is Sum:  # the index is bound in the body, not in the range
        for b in (e.lo, e.hi):
            if b is not None:
                _free(b, bound, out)
        _free(e.body, bound | {e.index}, out)
        return
    out.update(s for s in slots(e) if isinstance(s, Index) and s not in bound)
    for kid in children(e):
        _free(kid, bound, out)


def node_count(e: Expr) -> int:
    """The number of nodes of `e`: the work of substituting into it."""
    count, todo = 0, [e]
    while todo:
        e = todo.pop()
        count += 1
        todo.extend(_kind(_CHILDREN, e)(e))
    return count


def substitute(e: Expr, sub: dict) -> Expr:
    """Replace free index variables by slots (index variables or numerals), avoiding no capture:
    callers keep bound names fresh, and a binder shadows its own name (in its body, not its range)."""
    if not sub:
        return e

    def slot(s):
        return sub.get(s, s)

    def go(e: Expr) -> Expr:  # the hot path of the normal form: the tables without their wrappers
        kind = type(e)
        if kind is Sum:
            inner = {k: v for k, v in sub.items() if k != e.index}
            return Sum(e.index, substitute(e.body, inner), None if e.lo is None else go(e.lo),
                       None if e.hi is None else go(e.hi))
        if kind in _SLOTTED:
            e = _MAP_SLOTS[kind](e, slot)
        return e if kind in _ATOMS else _kind(_MAP_CHILDREN, e)(e, go)

    return go(e)


def mentioned(e: Expr):
    """The declared objects `e` mentions, in `walk` order, with repeats: each entry's object and the
    variables it is differentiated by, and each derivative's variable."""
    for node in walk(e):
        if type(node) is Entry:
            yield node.obj
            yield from (v for v, _ in node.derivs)
        elif type(node) in MATRIX_ATOMS:
            yield node.obj
        elif type(node) is Deriv:
            yield node.var
        elif type(node) is VApp:
            yield node.obj


def objects_in(e: Expr) -> set[Obj]:
    """Every declared object an expression mentions (entries and variables of derivatives)."""
    return set(mentioned(e))


def differentiated_objects(e: Expr, under: bool = False, out: set | None = None) -> set[Obj]:
    """Objects that occur inside a derivative (their dependence on the variable matters)."""
    if out is None:
        out = set()
    if type(e) is Entry or type(e) in MATRIX_ATOMS or type(e) is VApp:
        if under:
            out.add(e.obj)
    for kid in children(e):
        differentiated_objects(kid, under or type(e) is Deriv, out)
    return out


def binders(e: Expr) -> list[Index]:
    """The index of every Σ in `e`, in `walk` order, with repeats."""
    return [node.index for node in walk(e) if type(node) is Sum]


def alpha_equal(a: Expr, b: Expr) -> bool:
    """Syntactic equality up to the names of bound indices (Σ binders).

    Conservative: expressions in which a binder reuses a name already bound or free are never
    called equal here (the caller then decides them the long way)."""
    if not (_clean_binders(a) and _clean_binders(b)):
        return False
    return _alpha(a, b, {}, {})


def _clean_binders(e: Expr) -> bool:
    names = binders(e)
    return len(set(names)) == len(names) and not (set(names) & free_slots(e))


def _alpha(a: Expr, b: Expr, fwd: dict, rev: dict) -> bool:
    if type(a) is not type(b):
        return False
    if type(a) is Sum:
        if a.index.dim != b.index.dim:
            return False
        if not (_opt_alpha(a.lo, b.lo, fwd, rev) and _opt_alpha(a.hi, b.hi, fwd, rev)):
            return False
        f2 = {k: v for k, v in fwd.items() if v != b.index and k != a.index}
        r2 = {k: v for k, v in rev.items() if v != a.index and k != b.index}
        f2[a.index] = b.index
        r2[b.index] = a.index
        return _alpha(a.body, b.body, f2, r2)
    xs, ys = children(a), children(b)
    return (len(xs) == len(ys) and _shape(a) == _shape(b) and _slots_alpha(slots(a), slots(b), fwd, rev)
            and all(_alpha(x, y, fwd, rev) for x, y in zip(xs, ys)))


def _shape(e: Expr) -> Expr:
    """`e` with every child and slot blanked: what is left to compare once they are compared."""
    return map_slots(map_children(e, lambda _: ZERO), lambda _: 0)


def _opt_alpha(a, b, fwd, rev) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return _alpha(a, b, fwd, rev)


def _slots_alpha(xs, ys, fwd, rev) -> bool:
    if len(xs) != len(ys):
        return False
    for x, y in zip(xs, ys):
        if x in fwd or y in rev:
            if fwd.get(x) != y or rev.get(y) != x:
                return False
        elif x != y:
            return False
    return True
