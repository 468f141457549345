"""The normal form of index expressions: Σ-of-products terms, deltas collapsed, bound indices
renamed canonically, like terms merged. lhs = rhs iff the normal form of lhs − rhs is empty.

`Policy` switches individual steps off; the rule checker uses that to ask "does this rule alone
explain the step?". Only the full policy decides equality.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction

from . import inverse
from .terms import (
    MATRIX_ATOMS, IllFormed, Add, App, Delta, Deriv, Dim, Entry, Expr, Fold, Index, Inverse, Mul, Num, Obj,
    Pow, Select, Size, Sum, VApp, free_slots, map_children, map_slots, node_count, slots, substitute, walk,
)


class OutsideFragment(Exception):
    """The expression leaves the fragment the normal form decides (e.g. a partial summation range)."""


class KernelLimit(Exception):
    """A resource cap was hit (expansion size, renaming work, concrete enumeration, the step budget)."""


@dataclass(frozen=True)
class Limits:
    max_terms: int = 50_000
    max_enumeration: int = 20_000
    max_permutations: int = 40_320
    max_exponent: int = 64
    step_work: int = 1_000_000  # units of work one step may spend (see Budget)


class Budget:
    """The work one step may do, in abstract units, shared by everything done for the step: the
    normal form, the exact cross-check, the counterexample search and the hints.

    A unit is about one elementary operation (about a microsecond here): an expression node visited
    or substituted into, a term built, a factor collapsed, a slot labelled while trying an ordering
    of bound indices; in the exact check, a pair of monomials multiplied or a term added (times the
    width of the polynomial ring). Work is charged before it is done, so one huge product is refused
    before it starts. The verdict depends on the work, never on the clock: the same step gets the
    same verdict on a busy and on a quiet machine."""

    def __init__(self, units: int):
        self.units = units
        self.spent = 0

    def spend(self, units: int, limit: type[Exception] = KernelLimit) -> None:
        """Charge `units`; raise `limit` (KernelLimit, or the exact check's GridLimit) past the budget."""
        self.spent += units
        if self.spent > self.units:
            raise limit(f"the step needs more work than its budget of {self.units:,} units")


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class Policy:
    """Which steps normalisation performs. `unfold=None` unfolds every folded notation."""

    unfold: frozenset[str] | None = None
    differentiate: bool = True
    collapse: bool = True
    symmetry: bool = True
    matrix_laws: frozenset[str] | None = None  # the laws of kernel/inverse.py it may use; None: all


FULL = Policy()

# ---- coefficients: polynomials in the symbolic sizes ---------------------------------------------
# A polynomial is a dict {monomial: Fraction}, a monomial a sorted tuple of (dim name, power).

Poly = dict


def _pconst(q) -> Poly:
    q = Fraction(q)
    return {(): q} if q else {}


def _pmul(a: Poly, b: Poly) -> Poly:
    out: Poly = {}
    for ma, ca in a.items():
        for mb, cb in b.items():
            m = _mono_mul(ma, mb)
            c = out.get(m, 0) + ca * cb
            if c:
                out[m] = c
            else:
                out.pop(m, None)
    return out


def _mono_mul(a: tuple, b: tuple) -> tuple:
    if not a:
        return b
    if not b:
        return a
    d = dict(a)
    for k, p in b:
        d[k] = d.get(k, 0) + p
    return tuple(sorted(d.items()))


def _padd_into(acc: Poly, b: Poly) -> None:
    for m, c in b.items():
        v = acc.get(m, 0) + c
        if v:
            acc[m] = v
        else:
            acc.pop(m, None)


# ---- flattened terms -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Opaque:
    """A sub-expression kept folded or underived by a partial policy: an atom with index slots."""

    source: Expr


@dataclass
class Term:
    coeff: Poly
    bound: tuple[Index, ...]
    factors: tuple  # Entry | Delta | Opaque | a matrix atom (Inverse, Det, LogDet)


def _tmul(a: Term, b: Term) -> Term:
    return Term(_pmul(a.coeff, b.coeff), a.bound + b.bound, a.factors + b.factors)


class Normalizer:
    """Normalises index expressions under a policy. Not thread-safe; cheap to create."""

    def __init__(self, policy: Policy = FULL, limits: Limits = DEFAULT_LIMITS, budget: Budget | None = None):
        self.policy = policy
        self.limits = limits
        self.budget = budget if budget is not None else Budget(limits.step_work)
        self._fresh = itertools.count()
        self._opaque_cache: dict = {}
        self._opaque_scale: dict = {}

    # -- public ----------------------------------------------------------------------------------
    def normal_form(self, expr: Expr) -> dict:
        """{(assignment of concrete free indices, term key): coefficient}, zero entries dropped.

        A concrete dimension that the expression uses only through index variables (no numeral in
        a slot, no explicit list, no partial range) is first normalised as a symbolic one, with the
        coefficients then evaluated at its size: every rewrite of the normal form holds for every
        size, so an empty result is equality at that size, found without enumerating the entries.
        A non-empty result stands only where the size reaches the grid's lower bound (docs/
        reliability.md, "Concrete sizes"); below it the entries are enumerated as before."""
        generic = generic_dims(expr)
        if generic:
            nf = self._normal_form(_retype(expr, generic))
            sizes = {g.name: d.size for d, g in generic.items()}
            out = {}
            for key, coeff in nf.items():
                value = _peval(coeff, sizes)
                if value:
                    out[key] = value
            if not out or _reaches_grid(expr, generic):
                return out
        return self._normal_form(expr)

    def _normal_form(self, expr: Expr) -> dict:
        free = sorted(free_slots(expr))
        for i in free:
            if "~" in i.name:
                raise IllFormed(f"index name {i.name!r} is reserved (the normal form names bound indices with ~)")
        concrete = [i for i in free if not i.dim.symbolic]
        total = 1
        for i in concrete:
            total *= i.dim.size
            if total > self.limits.max_enumeration:
                raise KernelLimit(
                    f"checking every component would enumerate more than "
                    f"{self.limits.max_enumeration} values of {', '.join(i.name for i in concrete)}"
                )
        out: dict = {}
        nodes = node_count(expr) if concrete else 0
        for values in itertools.product(*(range(1, i.dim.size + 1) for i in concrete)):
            self.budget.spend(nodes)
            asg = dict(zip(concrete, values))
            label = tuple((i.name, v) for i, v in asg.items())
            for key, coeff in self._terms_to_keys(self._top(self.flatten(substitute(expr, asg)))).items():
                out[(label, key)] = coeff
        return out

    def is_zero(self, expr: Expr) -> bool:
        return not self.normal_form(expr)

    def _top(self, terms: list[Term]) -> list[Term]:
        """The terms of the whole expression before they are keyed (a subclass may rewrite them)."""
        return terms

    # -- flattening ------------------------------------------------------------------------------
    def flatten(self, e: Expr) -> list[Term]:
        self.budget.spend(1)
        if isinstance(e, Num):
            return [Term(_pconst(e.value), (), ())] if e.value else []
        if isinstance(e, Size):
            if e.dim.symbolic:
                return [Term({((e.dim.name, 1),): Fraction(1)}, (), ())]
            return [Term(_pconst(e.dim.size), (), ())] if e.dim.size else []
        if isinstance(e, Entry):
            for s, d in zip(e.idx, e.obj.dims):
                if isinstance(s, int) and (d.symbolic or not 1 <= s <= d.size):
                    raise IllFormed(f"{e.obj.name}[…{s}…]: a numeral in a slot of {d.name}")
            return [Term(_pconst(1), (), (e,))]
        if type(e) in MATRIX_ATOMS:
            if type(e) is Inverse and any(isinstance(s, int) and d.symbolic for s, d in zip(e.idx, e.obj.dims)):
                raise IllFormed(f"inv({e.obj.name})[…]: a numeral in a slot of a symbolic dimension")
            return [Term(_pconst(1), (), (e,))]
        if isinstance(e, Delta):
            if isinstance(e.a, int) and isinstance(e.b, int):
                return [Term(_pconst(1), (), ())] if e.a == e.b else []
            return [Term(_pconst(1), (), (e,))]
        if isinstance(e, Add):
            out: list[Term] = []
            for a in e.args:
                out.extend(self.flatten(a))
                self._check_size(out)
            return out
        if isinstance(e, Mul):
            acc = [Term(_pconst(1), (), ())]
            for a in e.args:
                parts = self.flatten(a)
                self._check_size_product(acc, parts)
                acc = [_tmul(x, y) for x in acc for y in parts]
                if not acc:
                    return []
            return acc
        if isinstance(e, Pow):
            if e.exp < 0 or e.exp > self.limits.max_exponent:
                raise KernelLimit(f"exponent {e.exp} is outside 0..{self.limits.max_exponent}")
            acc = [Term(_pconst(1), (), ())]
            for _ in range(e.exp):
                parts = [self._refresh(t) for t in self.flatten(e.base)]
                self._check_size_product(acc, parts)
                acc = [_tmul(x, y) for x in acc for y in parts]
            return acc
        if isinstance(e, Sum):
            return self._flatten_sum(e)
        if isinstance(e, Deriv):
            return self._flatten_deriv(e)
        if isinstance(e, Fold):
            if self.policy.unfold is None or e.tag in self.policy.unfold:
                return self.flatten(e.body)
            return [Term(_pconst(1), (), (Opaque(e),))]
        if isinstance(e, App):
            from .functions import flatten_app
            return flatten_app(self, e)
        if isinstance(e, VApp):
            return [Term(_pconst(1), (), (e,))]
        if isinstance(e, Select):
            if not isinstance(e.index, int):
                raise OutsideFragment(f"entry {e.index.name} of an explicit matrix is not a number")
            if not 1 <= e.index <= len(e.options):
                raise OutsideFragment(f"entry {e.index} of an explicit list of {len(e.options)}")
            return self.flatten(e.options[e.index - 1])
        raise TypeError(f"not an index expression: {e!r}")

    def _check_size(self, terms: list) -> None:
        if len(terms) > self.limits.max_terms:
            raise KernelLimit(f"the expansion has more than {self.limits.max_terms} terms")

    def _check_size_product(self, a: list, b: list) -> None:
        if len(a) * len(b) > self.limits.max_terms:
            raise KernelLimit(f"the expansion has more than {self.limits.max_terms} terms")
        self.budget.spend(len(a) * len(b))

    def _fresh_index(self, i: Index) -> Index:
        return Index(f"{i.name.split('~')[0]}~{next(self._fresh)}", i.dim)

    def _refresh(self, t: Term) -> Term:
        if not t.bound:
            return t
        sub = {b: self._fresh_index(b) for b in t.bound}
        return Term(t.coeff, tuple(sub[b] for b in t.bound), tuple(_sub_factor(f, sub) for f in t.factors))

    def _flatten_sum(self, e: Sum) -> list[Term]:
        dim = e.index.dim
        lo, hi = _range_of(e)
        if dim.symbolic:
            if lo is not None:
                raise OutsideFragment(
                    f"the sum over {e.index.name} does not run over the full range 1..{dim.name}"
                )
            fresh = self._fresh_index(e.index)
            self.budget.spend(node_count(e.body))
            body = self.flatten(substitute(e.body, {e.index: fresh}))
            return [Term(t.coeff, (fresh,) + t.bound, t.factors) for t in body]
        lo, hi = (1, dim.size) if lo is None else (lo, hi)
        if hi - lo + 1 > self.limits.max_enumeration:
            raise KernelLimit(f"a sum over {hi - lo + 1} values of {e.index.name} is too long to expand")
        out: list[Term] = []
        nodes = node_count(e.body)
        for v in range(lo, hi + 1):
            self.budget.spend(nodes)
            out.extend(self.flatten(substitute(e.body, {e.index: v})))
            self._check_size(out)
        return out

    def _flatten_deriv(self, e: Deriv) -> list[Term]:
        if not self.policy.differentiate:
            return [Term(_pconst(1), (), (Opaque(e),))]
        out: list[Term] = []
        for t in self.flatten(e.body):
            self.budget.spend(1 + len(t.factors))
            for p, f in enumerate(t.factors):
                if type(f) in MATRIX_ATOMS:
                    out.extend(self._derive_matrix_atom(t, p, e))
                    continue
                if type(f) is App or type(f) is VApp:
                    from .functions import derive_app, derive_vapp
                    out.extend((derive_app if type(f) is App else derive_vapp)(self, t, p, e))
                    continue
                for extra in _derive_factor(f, e.var, e.idx):
                    out.append(Term(t.coeff, t.bound, t.factors[:p] + extra + t.factors[p + 1:]))
            self._check_size(out)
        return out

    def _derive_matrix_atom(self, t: Term, p: int, e: Deriv) -> list[Term]:
        """The terms of ∂/∂var[idx] applied to factor p of `t`, a matrix atom (kernel/inverse.py);
        kept underived (opaque) where the policy does not allow the atom's derivative law."""
        f = t.factors[p]
        rest = t.factors[:p], t.factors[p + 1:]
        parts = inverse.derive(f, e.var, e.idx, self.policy, self._fresh_index, _derive_factor)
        if parts is None:
            return [Term(t.coeff, t.bound, rest[0] + (Opaque(Deriv(e.var, tuple(e.idx), f)),) + rest[1])]
        return [Term(_pmul(t.coeff, _pconst(c)), t.bound + new, rest[0] + extra + rest[1])
                for c, new, extra in parts]

    def _matrix_laws(self, t: Term) -> Term | None:
        """`t` after the contraction and cancellation laws of kernel/inverse.py, δs collapsed again."""
        while True:
            self.budget.spend(1 + len(t.factors) ** 2)
            got = inverse.reduce(t.bound, t.factors, self.policy)
            if got is None:
                return t
            t = Term(t.coeff, got[0], got[1])
            if self.policy.collapse:
                t = _collapse(t)
                if t is None:
                    return None

    # -- collapse, canonical renaming, merging -----------------------------------------------------
    def _terms_to_keys(self, terms: list[Term]) -> dict:
        acc: dict = {}
        terms, k = list(terms), 0
        while k < len(terms):  # reducing reciprocals appends terms
            t = terms[k]
            k += 1
            deltas = sum(1 for f in t.factors if isinstance(f, Delta))
            self.budget.spend((1 + deltas) * (1 + len(t.factors)))
            if self.policy.collapse:
                t = _collapse(t)
                if t is None:
                    continue
            if any(type(f) in MATRIX_ATOMS for f in t.factors):
                t = self._matrix_laws(t)
                if t is None:
                    continue
            if any(type(f) is App and f.fn == "recip" for f in t.factors):
                from .functions import reduce_recips
                got = reduce_recips(self, t)
                if not got or got[0] is not t:
                    terms.extend(got)
                    continue
            if sum(1 for f in t.factors if type(f) is App and f.fn == "sqrt") > 1:
                from .functions import reduce_sqrts
                got = reduce_sqrts(self, t)
                if got is not None:
                    terms.extend(got)
                    continue
            key = self._canonical_key(t)
            if not t.coeff:
                continue
            if key not in acc:
                acc[key] = {}
            _padd_into(acc[key], t.coeff)
            if not acc[key]:
                del acc[key]
        return acc

    def _canonical_key(self, t: Term):
        used = set()
        views = [self._factor_view(f) for f in t.factors]
        for f in t.factors:
            if isinstance(f, Opaque):  # a folded sub-expression is c · (its normalised body / c)
                t.coeff = _pmul(t.coeff, _pconst(self._opaque_scale[f.source]))
        for _, slots, _ in views:
            used.update(s for s in slots if isinstance(s, Index))
        bound = [b for b in t.bound if b in used]
        unused = tuple(sorted(b.dim.name for b in t.bound if b not in used))
        if unused and self.policy.collapse:
            # Σ_i 1 = n: an unused bound index is a factor of its dimension.
            for name in unused:
                t.coeff = _pmul(t.coeff, {((name, 1),): Fraction(1)})
            unused = ()
        per_ordering = 1 + len(bound) + len(views) + sum(len(slots) for _, slots, _ in views)

        def key_of(ordering):
            self.budget.spend(per_ordering)
            labels = {b: ("b", k) for k, b in enumerate(ordering)}
            key = tuple(sorted(_factor_key(v, labels) for v in views))
            return (key, tuple(b.dim.name for b in ordering), unused)

        return _canonical_best(bound, views, self.limits.max_permutations, self.budget, key_of)

    def _factor_view(self, f):
        """(head, slots, symmetric groups) of a factor; groups are lists of interchangeable blocks."""
        if isinstance(f, Delta):
            return (("δ",), (f.a, f.b), (((0,), (1,)),))
        if isinstance(f, Entry):
            derivs = sorted(f.derivs, key=lambda d: d[0].name)
            slots = list(f.idx)
            groups = []
            if f.obj.symmetric and self.policy.symmetry and len(f.idx) == 2:
                groups.append(((0,), (1,)))
            head_d = []
            for var, ds in itertools.groupby(derivs, key=lambda d: d[0].name):
                blocks = []
                for _, d in ds:
                    blocks.append(tuple(range(len(slots), len(slots) + len(d))))
                    slots.extend(d)
                head_d.append((var, len(blocks)))
                if len(blocks) > 1:
                    groups.append(tuple(blocks))
            return (("E", f.obj.name, tuple(head_d)), tuple(slots), tuple(groups))
        if isinstance(f, Opaque):
            return self._opaque_view(f)
        if type(f) in MATRIX_ATOMS:
            return inverse.view(f, self.policy.symmetry)
        if isinstance(f, App):
            from .functions import app_view
            return app_view(self, f)
        if isinstance(f, VApp):  # the partial derivatives of F commute (F twice continuously differentiable)
            groups = (tuple((k,) for k in range(len(f.at))),) if len(f.at) > 1 else ()
            return (("F", f.fn, f.obj.name, len(f.at)), f.at, groups)
        raise TypeError(f"not a factor: {f!r}")

    def _opaque_view(self, f: Opaque):
        src = f.source
        cached = self._opaque_cache.get(src)
        if cached is not None:
            return cached
        if isinstance(src, Fold):
            prefix, lead, inner = ("fold", src.tag), (), src.body
        else:
            prefix, lead, inner = ("d", src.var.name), tuple(src.idx), src.body
        visible = sorted(free_slots(inner) - {s for s in lead if isinstance(s, Index)})
        nf = self._terms_to_keys(self.flatten(inner))
        names = {v.name for v in visible}
        masked = sorted((_mask(k, names), repr(k)) for k in nf)
        seen: list[str] = []
        for _, text in masked:
            for v in visible:
                if v.name in text and v.name not in seen:
                    seen.append(v.name)
        for v in visible:
            if v.name not in seen:
                seen.append(v.name)
        position = {name: k for k, name in enumerate(seen)}
        by_name = {v.name: v for v in visible}
        scale = Fraction(0)
        if nf:
            first = min(nf, key=lambda k: repr(_relabel(k, position)))
            lead = nf[first]
            scale = lead[min(lead)]
        self._opaque_scale[src] = scale
        body = tuple(sorted((_relabel(k, position), _freeze_repr({m: c / scale for m, c in co.items()}))
                            for k, co in nf.items()))
        lead_labels = tuple(("c", s) if isinstance(s, int) else ("s",) for s in lead)
        slots = tuple(s for s in lead if isinstance(s, Index)) + tuple(by_name[n] for n in seen)
        view = ((prefix + (lead_labels, body)), slots, ())
        self._opaque_cache[src] = view
        return view


def _peval(p: Poly, sizes: dict) -> Poly:
    """`p` with the dimensions named in `sizes` replaced by their values."""
    out: Poly = {}
    for mono, c in p.items():
        rest = []
        for name, power in mono:
            if name in sizes:
                c = c * sizes[name] ** power
            else:
                rest.append((name, power))
        _padd_into(out, {tuple(rest): c})
    return out


def generic_dims(expr: Expr) -> dict[Dim, Dim]:
    """{concrete dim: its symbolic stand-in} when every concrete dimension of `expr` is used only
    through index variables (full-range sums, free indices, sizes); {} otherwise."""
    concrete: set[Dim] = set()
    for node in walk(expr):
        kind = type(node)
        if kind is Select:
            return {}
        if kind is Sum:
            if node.lo is not None or node.hi is not None:
                return {}
            if not node.index.dim.symbolic:
                concrete.add(node.index.dim)
        elif kind is Size and not node.dim.symbolic:
            concrete.add(node.dim)
        for s in slots(node):
            if isinstance(s, int):
                return {}
            if not s.dim.symbolic:
                concrete.add(s.dim)
    return {d: Dim(f"{d.name}#", None) for d in concrete}


def _retype(expr: Expr, dims: dict[Dim, Dim]) -> Expr:
    """`expr` with every index of a dimension in `dims` (free, bound, or as a size) moved to its image."""
    def slot(s):
        return Index(s.name, dims[s.dim]) if isinstance(s, Index) and s.dim in dims else s

    def go(e: Expr) -> Expr:
        kind = type(e)
        if kind is Size:
            return Size(dims.get(e.dim, e.dim))
        if kind is Sum:
            return Sum(slot(e.index), go(e.body), e.lo, e.hi)
        return map_children(map_slots(e, slot), go)

    return go(expr)


def _reaches_grid(expr: Expr, dims: dict[Dim, Dim]) -> bool:
    """Whether every size in `dims` is at least the grid's lower bound N for its dimension: there, a
    non-empty normal form is a difference at that size (the size-grid theorem's distinctness)."""
    from .grid import grid_bounds

    bounds = grid_bounds(_retype(expr, dims))
    return all(d.size >= bounds[g][0] for d, g in dims.items() if g in bounds)


def _freeze_repr(p: Poly) -> str:
    return repr(sorted(p.items()))


def _mask(key, names: set[str]):
    if isinstance(key, tuple):
        if len(key) == 2 and key[0] == "f" and key[1] in names:
            return ("f", "?")
        return tuple(_mask(k, names) for k in key)
    return key


def _relabel(key, position: dict):
    if isinstance(key, tuple):
        if len(key) == 2 and key[0] == "f" and key[1] in position:
            return ("p", position[key[1]])
        return tuple(_relabel(k, position) for k in key)
    return key


def _range_of(e: Sum):
    """(lo, hi) as ints for a concrete range, (None, None) for the full range; else OutsideFragment."""
    if e.lo is None and e.hi is None:
        return None, None
    lo = _size_value(e.lo)
    hi = _size_value(e.hi)
    dim = e.index.dim
    if dim.symbolic:
        if lo == 1 and e.hi == Size(dim):
            return None, None
        raise OutsideFragment(f"the sum over {e.index.name} does not run over the full range 1..{dim.name}")
    if lo == 1 and hi == dim.size:
        return None, None
    if lo is None or hi is None or not isinstance(lo, int) or not isinstance(hi, int):
        raise OutsideFragment(f"the sum over {e.index.name} has a range that is not a pair of whole numbers")
    if lo < 1 or hi > dim.size:
        raise OutsideFragment(f"the range {lo}..{hi} of {e.index.name} leaves 1..{dim.size}")
    return lo, hi


def _size_value(e: Expr | None):
    """The value of a closed size expression, or None if it involves a symbolic size."""
    if e is None:
        return None
    if isinstance(e, Num):
        return e.value if e.value.denominator != 1 else int(e.value)
    if isinstance(e, Size):
        return e.dim.size
    if isinstance(e, (Add, Mul)):
        vals = [_size_value(a) for a in e.args]
        if any(v is None for v in vals):
            return None
        out = 0 if isinstance(e, Add) else 1
        for v in vals:
            out = out + v if isinstance(e, Add) else out * v
        return out
    return None


def _derive_factor(f, var: Obj, idx: tuple) -> list[tuple]:
    """∂f/∂var[idx] as a list of alternative factor tuples (the empty list is zero)."""
    if var.symmetric:
        raise IllFormed(f"differentiating by the symmetric variable {var.name} is not defined here")
    if isinstance(f, Entry):
        if f.obj == var and not f.derivs:
            return [tuple(Delta(a, b) for a, b in zip(f.idx, idx))]
        if f.obj.kind == "func" and f.obj.depends_on == var.name:
            return [(Entry(f.obj, f.idx, f.derivs + ((var, tuple(idx)),)),)]
        return []
    if isinstance(f, Delta):
        return []
    if isinstance(f, Opaque):
        src = f.source
        if isinstance(src, Fold):
            return [(Opaque(Fold(src.tag, Deriv(var, tuple(idx), src.body))),)]
        return [(Opaque(Deriv(var, tuple(idx), src)),)]
    raise TypeError(f"not a factor: {f!r}")


def _sub_factor(f, sub: dict):
    if isinstance(f, Opaque):
        return Opaque(substitute(f.source, sub))
    return substitute(f, sub)


def _collapse(t: Term) -> Term | None:
    """Collapse Kronecker deltas that touch a bound index; None if the term is zero."""
    bound = list(t.bound)
    factors = list(t.factors)
    changed = True
    while changed:
        changed = False
        for p, f in enumerate(factors):
            if not isinstance(f, Delta):
                continue
            a, b = f.a, f.b
            if a == b:
                del factors[p]
                changed = True
                break
            if isinstance(a, int) and isinstance(b, int):
                return None
            if isinstance(a, Index) and isinstance(b, Index) and a.dim != b.dim:
                raise OutsideFragment(f"δ({a.name}, {b.name}) relates indices of different dimensions")
            if isinstance(a, int) or isinstance(b, int):
                idx = a if isinstance(a, Index) else b
                if idx.dim.symbolic:
                    raise OutsideFragment(f"δ compares {idx.name} with a numeral")
            gone, keep = (a, b) if a in bound else (b, a) if b in bound else (None, None)
            if gone is None:
                # δ(k, l) between free indices: the rest of the term may use either name (merge
                # to the smaller), and a repeated δ(k, l) is δ(k, l).
                lo_, hi_ = sorted((a, b))
                sub = {hi_: lo_}
                rest = [_sub_factor(g, sub) if q != p else g for q, g in enumerate(factors)]
                rest = [g for q, g in enumerate(rest) if q == p or not (isinstance(g, Delta) and g.a == g.b)]
                rest = _dedupe_delta(rest, p, f)
                if rest != factors:
                    factors = rest
                    changed = True
                    break
                continue
            del factors[p]
            bound.remove(gone)
            sub = {gone: keep}
            factors = [_sub_factor(g, sub) for g in factors]
            changed = True
            break
    return Term(t.coeff, tuple(bound), tuple(factors))


def _dedupe_delta(factors: list, keep_at: int, delta) -> list:
    """Drop repeats of `delta` (δ·δ = δ), keeping the one at `keep_at`."""
    same = {delta, Delta(delta.b, delta.a)}
    return [g for q, g in enumerate(factors) if q == keep_at or g not in same]


def _label(s, labels: dict):
    if isinstance(s, int):
        return ("c", s)
    got = labels.get(s)
    if got is not None:
        return got
    return ("f", s.name)


def _factor_key(view, labels: dict):
    head, slots, groups = view
    lab = [_label(s, labels) for s in slots]
    for group in groups:
        blocks = sorted(tuple(lab[p] for p in block) for block in group)
        for block, vals in zip(group, blocks):
            for p, v in zip(block, vals):
                lab[p] = v
    return (head, tuple(lab))


def _canonical_best(bound: list[Index], views: list, cap: int, budget: Budget, key_of):
    """The least `key_of(ordering)` over the orderings of the bound indices that individualisation
    and refinement reach: the indices are coloured by how the factors use them (refined until
    stable); while a colour class has several members, the search branches on each member of the
    first such class, gives it a colour of its own and refines again; a leaf (every class one index)
    is an ordering. The tree is built from the term's structure only, so a renaming of the bound
    indices maps it onto itself and the least key over its leaves is canonical.

    A branch is skipped when an automorphism of the term maps an explored sibling onto it: the first
    leaves of the two branches have equal keys (so the map between them preserves the term), the
    map fixes the indices individualised on the way down and sends the sibling's index to this one —
    its leaves then have exactly the sibling's keys. The k interchangeable copies in (xᵀAx)^k cost
    about k² refinements instead of (k!)² orderings. More than `cap` leaves: KernelLimit."""
    if not bound:
        return key_of(())
    occurrences = {b: [] for b in bound}
    for fi, (_, slots, _) in enumerate(views):
        for s in slots:
            if s in occurrences:
                occurrences[s].append(fi)
    initial = {b: (b.dim.name, len(occurrences[b])) for b in bound}
    leaves = [0]
    best = [None]

    def tied(colour):
        classes: dict[int, list[Index]] = {}
        for b in bound:
            classes.setdefault(colour[b], []).append(b)
        return next((classes[c] for c in sorted(classes) if len(classes[c]) > 1), None)

    def child(colour, b):
        split = {c: (colour[c], 0 if c == b else 1) for c in bound}
        return _refine(bound, views, occurrences, _ranks(split), budget)

    def leaf(colour):
        leaves[0] += 1
        if leaves[0] > cap:
            raise KernelLimit(f"renaming {len(bound)} bound indices canonically needs more than {cap} trials")
        ordering = tuple(sorted(bound, key=colour.__getitem__))
        key = key_of(ordering)
        if best[0] is None or key < best[0]:
            best[0] = key
        return ordering, key

    def first_leaf(colour):
        while True:
            group = tied(colour)
            if group is None:
                return leaf(colour)
            colour = child(colour, group[0])

    def explore(colour, path):
        """Every leaf below `colour` (reached by individualising `path`); returns the first one."""
        group = tied(colour)
        if group is None:
            return leaf(colour)
        seen = []  # (individualised index, first leaf) of the branches explored
        first = None
        for b in group:
            sub = child(colour, b)
            probe = first_leaf(sub)
            if any(_maps(o, k, probe, path, a, b) for a, (o, k) in seen):
                continue
            got = explore(sub, path + (b,))
            seen.append((b, got))
            first = first or got
        return first

    explore(_refine(bound, views, occurrences, _ranks(initial), budget), ())
    return best[0]


def _maps(ordering, key, probe, path, a, b) -> bool:
    """Whether the leaves `(ordering, key)` and `probe` show an automorphism that fixes `path` and
    sends index `a` to `b` (equal keys: the position-wise map between the orderings keeps the term)."""
    other, other_key = probe
    if key != other_key:
        return False
    sigma = dict(zip(ordering, other))
    return sigma.get(a) == b and all(sigma.get(c) == c for c in path)


def _ranks(values: dict) -> dict:
    """Each key's value replaced by its rank among the distinct values."""
    order = {v: k for k, v in enumerate(sorted(set(values.values())))}
    return {b: order[v] for b, v in values.items()}


def _refine(bound: list[Index], views: list, occurrences: dict, colour: dict, budget: Budget) -> dict:
    """Colour refinement: split classes by the multiset of factor keys seen from each index, with the
    other bound indices labelled by their colours, until no class splits."""
    classes = len(set(colour.values()))
    for _ in range(len(bound)):
        sig = {}
        labels = {c: ("b", colour[c]) for c in bound}
        for b in bound:
            budget.spend(1 + len(occurrences[b]) * len(bound))
            parts = []
            mine = labels[b]
            labels[b] = ("s",)
            for fi in occurrences[b]:
                parts.append(_factor_key(views[fi], labels))
            labels[b] = mine
            sig[b] = (colour[b], tuple(sorted(parts)))
        colour = _ranks(sig)
        if len(set(colour.values())) == classes:
            break
        classes = len(set(colour.values()))
    return colour
