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


ZERO = Num(Fraction(0))
ONE = Num(Fraction(1))


def free_slots(expr: Expr) -> set[Index]:
    """The index variables that occur free in `expr`."""
    out: set[Index] = set()
    _free(expr, frozenset(), out)
    return out


def _free(e: Expr, bound: frozenset, out: set) -> None:
    if isinstance(e, Entry):
        for s in e.idx:
            if isinstance(s, Index) and s not in bound:
                out.add(s)
        for _, d in e.derivs:
            for s in d:
                if isinstance(s, Index) and s not in bound:
                    out.add(s)
    elif isinstance(e, Delta):
        for s in (e.a, e.b):
            if isinstance(s, Index) and s not in bound:
                out.add(s)
    elif isinstance(e, (Add, Mul)):
        for a in e.args:
            _free(a, bound, out)
    elif isinstance(e, Pow):
        _free(e.base, bound, out)
    elif isinstance(e, Sum):
        for b in (e.lo, e.hi):
            if b is not None:
                _free(b, bound, out)
        _free(e.body, bound | {e.index}, out)
    elif isinstance(e, Deriv):
        for s in e.idx:
            if isinstance(s, Index) and s not in bound:
                out.add(s)
        _free(e.body, bound, out)
    elif isinstance(e, Fold):
        _free(e.body, bound, out)
    elif isinstance(e, Select):
        if isinstance(e.index, Index) and e.index not in bound:
            out.add(e.index)
        for o in e.options:
            _free(o, bound, out)


def node_count(e: Expr) -> int:
    """The number of nodes of `e`: the work of substituting into it."""
    count, todo = 0, [e]
    while todo:
        e = todo.pop()
        count += 1
        if isinstance(e, (Add, Mul)):
            todo.extend(e.args)
        elif isinstance(e, (Pow,)):
            todo.append(e.base)
        elif isinstance(e, Sum):
            todo.extend(x for x in (e.body, e.lo, e.hi) if x is not None)
        elif isinstance(e, (Deriv, Fold)):
            todo.append(e.body)
        elif isinstance(e, Select):
            todo.extend(e.options)
    return count


def substitute(e: Expr, sub: dict) -> Expr:
    """Replace free index variables by slots (index variables or numerals), avoiding no capture:
    callers keep bound names fresh, and a binder shadows its own name."""
    if not sub:
        return e
    if isinstance(e, Entry):
        return Entry(
            e.obj,
            tuple(sub.get(s, s) for s in e.idx),
            tuple((v, tuple(sub.get(s, s) for s in d)) for v, d in e.derivs),
        )
    if isinstance(e, Delta):
        return Delta(sub.get(e.a, e.a), sub.get(e.b, e.b))
    if isinstance(e, Add):
        return Add(tuple(substitute(a, sub) for a in e.args))
    if isinstance(e, Mul):
        return Mul(tuple(substitute(a, sub) for a in e.args))
    if isinstance(e, Pow):
        return Pow(substitute(e.base, sub), e.exp)
    if isinstance(e, Sum):
        inner = {k: v for k, v in sub.items() if k != e.index}
        return Sum(
            e.index,
            substitute(e.body, inner),
            None if e.lo is None else substitute(e.lo, sub),
            None if e.hi is None else substitute(e.hi, sub),
        )
    if isinstance(e, Deriv):
        return Deriv(e.var, tuple(sub.get(s, s) for s in e.idx), substitute(e.body, sub))
    if isinstance(e, Fold):
        return Fold(e.tag, substitute(e.body, sub))
    if isinstance(e, Select):
        return Select(sub.get(e.index, e.index), tuple(substitute(o, sub) for o in e.options))
    return e


def objects_in(e: Expr, out: set | None = None) -> set[Obj]:
    """Every declared object an expression mentions (entries and variables of derivatives)."""
    if out is None:
        out = set()
    if isinstance(e, Entry):
        out.add(e.obj)
        for v, _ in e.derivs:
            out.add(v)
    elif isinstance(e, (Add, Mul)):
        for a in e.args:
            objects_in(a, out)
    elif isinstance(e, Pow):
        objects_in(e.base, out)
    elif isinstance(e, Sum):
        objects_in(e.body, out)
    elif isinstance(e, Deriv):
        out.add(e.var)
        objects_in(e.body, out)
    elif isinstance(e, Fold):
        objects_in(e.body, out)
    elif isinstance(e, Select):
        for o in e.options:
            objects_in(o, out)
    return out


def differentiated_objects(e: Expr, under: bool = False, out: set | None = None) -> set[Obj]:
    """Objects that occur inside a derivative (their dependence on the variable matters)."""
    if out is None:
        out = set()
    if isinstance(e, Entry):
        if under:
            out.add(e.obj)
    elif isinstance(e, (Add, Mul)):
        for a in e.args:
            differentiated_objects(a, under, out)
    elif isinstance(e, Pow):
        differentiated_objects(e.base, under, out)
    elif isinstance(e, Sum):
        differentiated_objects(e.body, under, out)
    elif isinstance(e, Deriv):
        differentiated_objects(e.body, True, out)
    elif isinstance(e, Fold):
        differentiated_objects(e.body, under, out)
    elif isinstance(e, Select):
        for o in e.options:
            differentiated_objects(o, under, out)
    return out


def alpha_equal(a: Expr, b: Expr) -> bool:
    """Syntactic equality up to the names of bound indices (Σ binders).

    Conservative: expressions in which a binder reuses a name already bound or free are never
    called equal here (the caller then decides them the long way)."""
    if not (_clean_binders(a) and _clean_binders(b)):
        return False
    return _alpha(a, b, {}, {})


def _binders(e: Expr, out: list) -> None:
    if isinstance(e, Sum):
        out.append(e.index)
        _binders(e.body, out)
    elif isinstance(e, (Add, Mul)):
        for x in e.args:
            _binders(x, out)
    elif isinstance(e, Pow):
        _binders(e.base, out)
    elif isinstance(e, (Deriv, Fold)):
        _binders(e.body, out)
    elif isinstance(e, Select):
        for o in e.options:
            _binders(o, out)


def _clean_binders(e: Expr) -> bool:
    names: list = []
    _binders(e, names)
    return len(set(names)) == len(names) and not (set(names) & free_slots(e))


def _alpha(a: Expr, b: Expr, fwd: dict, rev: dict) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, Sum):
        if a.index.dim != b.index.dim:
            return False
        if not (_opt_alpha(a.lo, b.lo, fwd, rev) and _opt_alpha(a.hi, b.hi, fwd, rev)):
            return False
        f2 = {k: v for k, v in fwd.items() if v != b.index and k != a.index}
        r2 = {k: v for k, v in rev.items() if v != a.index and k != b.index}
        f2[a.index] = b.index
        r2[b.index] = a.index
        return _alpha(a.body, b.body, f2, r2)
    if isinstance(a, Entry):
        return (a.obj == b.obj and _slots_alpha(a.idx, b.idx, fwd, rev)
                and len(a.derivs) == len(b.derivs)
                and all(v1 == v2 and _slots_alpha(d1, d2, fwd, rev)
                        for (v1, d1), (v2, d2) in zip(a.derivs, b.derivs)))
    if isinstance(a, Delta):
        return _slots_alpha((a.a, a.b), (b.a, b.b), fwd, rev)
    if isinstance(a, (Add, Mul)):
        return len(a.args) == len(b.args) and all(_alpha(x, y, fwd, rev) for x, y in zip(a.args, b.args))
    if isinstance(a, Pow):
        return a.exp == b.exp and _alpha(a.base, b.base, fwd, rev)
    if isinstance(a, Deriv):
        return a.var == b.var and _slots_alpha(a.idx, b.idx, fwd, rev) and _alpha(a.body, b.body, fwd, rev)
    if isinstance(a, Fold):
        return a.tag == b.tag and _alpha(a.body, b.body, fwd, rev)
    if isinstance(a, Select):
        return (_slots_alpha((a.index,), (b.index,), fwd, rev) and len(a.options) == len(b.options)
                and all(_alpha(x, y, fwd, rev) for x, y in zip(a.options, b.options)))
    return a == b


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
