"""What each rule does to an index expression: the rewrites behind `Rule.apply`.

Every function here takes an expression and returns the rewritten expression, or None when the rule
finds nothing to rewrite. The results are ordinary index expressions that the kernel decides like
any line a person writes: nothing here is trusted.
"""

from __future__ import annotations

from fractions import Fraction

from ..kernel import Add, App, VApp, Delta, Deriv, Entry, Expr, Fold, Index, KernelLimit, Mul, Num, Pow, Select, Size, Sum
from ..kernel.functions import ExprAlgebra, law
from ..kernel.terms import MATRIX_ATOMS, Inverse, free_slots, substitute

ZERO = Num(Fraction(0))
ONE = Num(Fraction(1))
MAX_TERMS = 10_000  # index_collapse distributes products: past this many terms it raises KernelLimit


# ---- traversal ------------------------------------------------------------------------------------

def _rebuild(e: Expr, visit) -> Expr:
    """`e` with `visit` applied to each direct subexpression (slots untouched)."""
    if isinstance(e, Add):
        return Add(tuple(visit(a) for a in e.args))
    if isinstance(e, Mul):
        return Mul(tuple(visit(a) for a in e.args))
    if isinstance(e, Pow):
        return Pow(visit(e.base), e.exp)
    if isinstance(e, Sum):
        return Sum(e.index, visit(e.body), e.lo, e.hi)
    if isinstance(e, Deriv):
        return Deriv(e.var, e.idx, visit(e.body))
    if isinstance(e, Fold):
        return Fold(e.tag, visit(e.body))
    if isinstance(e, Select):
        return Select(e.index, tuple(visit(o) for o in e.options))
    if isinstance(e, App):
        return App(e.fn, visit(e.arg), e.order)
    return e


def _children(e: Expr) -> tuple:
    if isinstance(e, (Add, Mul)):
        return e.args
    if isinstance(e, Pow):
        return (e.base,)
    if isinstance(e, (Sum, Deriv, Fold)):
        return (e.body,)
    if isinstance(e, Select):
        return e.options
    if isinstance(e, App):
        return (e.arg,)
    return ()


def _changed(new: Expr, old: Expr) -> Expr | None:
    return None if new == old else new


def _names(e: Expr, out: set) -> set:
    """Every index name in `e`, free or bound."""
    out.update(i.name for i in free_slots(e))
    if isinstance(e, Sum):
        out.add(e.index.name)
    for kid in _children(e):
        _names(kid, out)
    return out


def distinct_binders(e: Expr) -> Expr:
    """`e` with every Σ binder renamed, where needed, so that no two binders share a name and none
    shares a free index's name: substituting and moving factors across Σ then captures nothing."""
    taken = {i.name for i in free_slots(e)}
    every = _names(e, set())

    def fresh(i: Index) -> Index:
        if i.name not in taken:
            taken.add(i.name)
            return i
        base, n = i.name.split("'")[0], 0
        while f"{base}'{n}" in taken or f"{base}'{n}" in every:
            n += 1
        taken.add(f"{base}'{n}")
        return Index(f"{base}'{n}", i.dim)

    def visit(e: Expr) -> Expr:
        if isinstance(e, Sum):
            new = fresh(e.index)
            body = e.body if new == e.index else substitute(e.body, {e.index: new})
            return Sum(new, visit(body), e.lo, e.hi)
        return _rebuild(e, visit)

    return visit(e)


# ---- definitions ----------------------------------------------------------------------------------

def unfold(tags: frozenset, e: Expr) -> Expr | None:
    """Every folded notation whose tag is in `tags` replaced by its definition (its body)."""
    def visit(e: Expr) -> Expr:
        if isinstance(e, Fold) and e.tag in tags:
            return visit(e.body)
        return _rebuild(e, visit)

    return _changed(visit(e), e)


# ---- the product rule -----------------------------------------------------------------------------

def _add(parts) -> Expr:
    parts = [p for p in parts if p != ZERO]
    return ZERO if not parts else parts[0] if len(parts) == 1 else Add(tuple(parts))


def _mul(parts) -> Expr:
    if any(p == ZERO for p in parts):
        return ZERO
    parts = [p for p in parts if p != ONE]
    return ONE if not parts else parts[0] if len(parts) == 1 else Mul(tuple(parts))


def _derive(e: Expr, d: Deriv) -> Expr:
    """∂e/∂var[idx] by the product rule, linearity, ∂x[i]/∂x[k] = δ(i,k), ∂c = 0 and Jacobian
    entries; `e` contains no derivative and no binder named like a slot of `d`."""
    var, idx = d.var, d.idx
    if isinstance(e, Entry):
        if e.obj == var and not e.derivs:
            return _mul([Delta(a, b) for a, b in zip(e.idx, idx)])
        if e.obj.kind == "func" and e.obj.depends_on == var.name:
            return Entry(e.obj, e.idx, e.derivs + ((var, tuple(idx)),))
        return ZERO
    if isinstance(e, Add):
        return _add([_derive(a, d) for a in e.args])
    if isinstance(e, Mul):
        return _add([_mul(list(e.args[:p]) + [_derive(a, d)] + list(e.args[p + 1:])) for p, a in enumerate(e.args)])
    if isinstance(e, Pow):
        if e.exp == 0:
            return ZERO
        return _mul([Num(Fraction(e.exp)), Pow(e.base, e.exp - 1) if e.exp > 2 else e.base, _derive(e.base, d)]
                    if e.exp > 1 else [_derive(e.base, d)])
    if isinstance(e, Sum):
        body = _derive(e.body, d)
        return ZERO if body == ZERO else Sum(e.index, body, e.lo, e.hi)
    if isinstance(e, Fold):  # the derivative of folded notation, still folded
        body = _derive(e.body, d)
        return ZERO if body == ZERO else Fold(e.tag, body)
    if isinstance(e, Select):
        return Select(e.index, tuple(_derive(o, d) for o in e.options))
    if type(e) in MATRIX_ATOMS and not (e.obj == var or (e.obj.kind == "func" and e.obj.depends_on == var.name)):
        return ZERO  # the inverse (or determinant) of a matrix independent of the variable
    if isinstance(e, Deriv) or type(e) in MATRIX_ATOMS:
        # not taken here: by a symmetric variable, or of an inverse or determinant (their laws)
        return Deriv(var, idx, e)
    if isinstance(e, App):  # the chain rule, with the function's derivative law
        return _mul([law(e.fn, e.order, e.arg, ExprAlgebra), _derive(e.arg, d)])
    if isinstance(e, VApp):  # F(u): by u itself F′(u)[k]; through u(x), Σ_j F′(u)[j] ∂u[j]/∂x[k]
        if e.obj == var:
            return VApp(e.fn, e.obj, e.at + tuple(idx))
        if e.obj.kind == "func" and e.obj.depends_on == var.name:
            j = Index(f"y'{e.fn}{len(e.at)}", e.obj.dims[0])
            return Sum(j, Mul((VApp(e.fn, e.obj, e.at + (j,)), Entry(e.obj, (j,), ((var, tuple(idx)),)))))
        return ZERO
    return ZERO  # Num, Size, Delta


def differentiate(e: Expr) -> Expr | None:
    """Every derivative taken, innermost first: pushed through sums, products, powers and folded
    notation down to the entries. A derivative by a symmetric variable is left as it is."""
    def visit(e: Expr) -> Expr:
        e = _rebuild(e, visit)
        if isinstance(e, Deriv) and not e.var.symmetric and not _has_deriv(e.body):
            return _derive(e.body, e)
        return e

    return _changed(visit(distinct_binders(e)), e)


def _has_deriv(e: Expr) -> bool:
    return any(isinstance(kid, Deriv) or _has_deriv(kid) for kid in _children(e))


# ---- collapsing deltas against sums ---------------------------------------------------------------

def collapse(e: Expr) -> Expr | None:
    """Σ_i δ(i,k) a[i] = a[k] and Σ_i c = n c, after distributing products over sums. None when no
    delta meets a sum over one of its indices and no sum is of a term free of its index."""
    did = []

    def visit(e: Expr) -> Expr:
        if not isinstance(e, (Add, Mul, Sum)) or (isinstance(e, Sum) and e.lo is not None):
            return _rebuild(e, visit)
        out = []
        for coeff, bound, factors in _expand(e, visit):
            coeff, bound, factors = _collapse_term(coeff, bound, factors, did)
            if coeff:
                body = _mul(([Num(coeff)] if coeff != 1 else []) + list(factors))
                for b in reversed(bound):
                    body = Sum(b, body)
                out.append(body)
        return _add(out)

    new = visit(distinct_binders(e))
    return new if did else None


def _expand(e: Expr, visit) -> list:
    """`e` as a list of (coefficient, bound indices, factors): products distributed over sums and
    full-range Σ pulled out (binders are distinct); anything else a factor, rewritten by `visit`."""
    if isinstance(e, Num):
        return [(e.value, (), ())] if e.value else []
    if isinstance(e, Add):
        return [t for a in e.args for t in _expand(a, visit)]
    if isinstance(e, Mul):
        acc = [(Fraction(1), (), ())]
        for a in e.args:
            parts = _expand(a, visit)
            if len(acc) * len(parts) > MAX_TERMS:
                raise KernelLimit(f"distributing the products gives more than {MAX_TERMS} terms")
            acc = [(c1 * c2, b1 + b2, f1 + f2) for c1, b1, f1 in acc for c2, b2, f2 in parts]
        return acc
    if isinstance(e, Sum) and e.lo is None:
        return [(c, (e.index,) + b, f) for c, b, f in _expand(e.body, visit)]
    return [(Fraction(1), (), (visit(e),))]


def _collapse_term(coeff, bound, factors, did: list):
    bound, factors = list(bound), list(factors)
    k = 0
    while k < len(factors):
        f = factors[k]
        if isinstance(f, Delta):
            a, b = f.a, f.b
            if a == b or (isinstance(a, int) and isinstance(b, int)):
                did.append(f)
                if a != b:
                    return Fraction(0), (), ()
                del factors[k]
                k = 0
                continue
            gone, keep = (a, b) if a in bound else (b, a) if b in bound else (None, None)
            if gone is not None and (not isinstance(keep, Index) or keep.dim == gone.dim) and \
                    (isinstance(keep, Index) or not gone.dim.symbolic):
                did.append(f)
                del factors[k]
                bound.remove(gone)
                factors = [substitute(g, {gone: keep}) for g in factors]
                k = 0
                continue
        k += 1
    used = set().union(*(free_slots(f) for f in factors)) if factors else set()
    for b in [b for b in bound if b not in used]:  # Σ_i c = n c
        did.append(b)
        bound.remove(b)
        factors.insert(0, Size(b.dim) if b.dim.symbolic else Num(Fraction(b.dim.size)))
    return coeff, tuple(bound), tuple(factors)


# ---- symmetry -------------------------------------------------------------------------------------

def _slot_key(s) -> tuple:
    return (0, s, "") if isinstance(s, int) else (1, 0, s.name)


def sort_symmetric(e: Expr) -> Expr | None:
    """S[j,i] written S[i,j] (slots in order) for every S declared symmetric."""
    def visit(e: Expr) -> Expr:
        if isinstance(e, Entry) and e.obj.symmetric and len(e.idx) == 2:
            return Entry(e.obj, tuple(sorted(e.idx, key=_slot_key)), e.derivs)
        if isinstance(e, Inverse) and e.obj.symmetric:  # the inverse of a symmetric matrix is symmetric
            return Inverse(e.obj, tuple(sorted(e.idx, key=_slot_key)))
        return _rebuild(e, visit)

    return _changed(visit(e), e)


def notation_inside(tags: frozenset, e: Expr, inside: bool = False, out: set | None = None) -> set:
    """The tags of the folded notation written inside notation tagged in `tags` (the products
    inside tr(A X B), the difference inside ‖A X − C‖²): a definition's argument."""
    if out is None:
        out = set()
    if isinstance(e, Fold):
        if inside:
            out.add(e.tag)
        inside = inside or e.tag in tags
    for kid in _children(e):
        notation_inside(tags, kid, inside, out)
    return out


def notation_count(tags: frozenset, e: Expr) -> int:
    """How many times notation tagged in `tags` is written in `e`."""
    return int(isinstance(e, Fold) and e.tag in tags) + sum(notation_count(tags, kid) for kid in _children(e))
