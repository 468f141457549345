"""Scalar functions in the kernel: `App(fn, t)` for exp, log, sqrt, sigmoid, tanh, 1/t (`recip`) and
declared scalar functions f, f′, f″, … (uninterpreted).

One table of derivative laws (`law`) is read by the normal form (the chain rule) and by the exact
evaluation (jets), so the two stay consistent. The normal form keys an application by the normal
form of its argument (its free indices are the atom's slots), cancels t·(1/t) for an atomic t,
splits 1/(c·g·h) into (1/c)(1/g)(1/h), and clears denominators free of a term's bound indices at
the top (`ClearingNormalizer`): each a valid identity where the denominators are non-zero, which
the verdict assumes. The exact evaluation (`app_value`) gives a declared function a fresh value per
distinct argument; an evaluator with a `real_value` method (the interval arithmetic of the
counterexample search, vecproof/counterexamples/intervals.py, not trusted) evaluates exp, log, … as
real functions instead.
"""

from __future__ import annotations

from fractions import Fraction

from . import grid as _grid
from .normal_form import Normalizer, OutsideFragment, Term, _collapse, _freeze_repr, _mask, _pconst, _pmul, _relabel, _tmul
from .terms import (
    Add, App, Delta, Deriv, Entry, Expr, Fold, Index, Mul, Num, Pow, Sum, VApp, free_slots, map_children, substitute,
    walk,
)

BUILTIN = ("exp", "log", "sqrt", "sigmoid", "tanh")
INVERSES = {"log": "exp", "exp": "log"}  # log(exp(u)) = u for every u; exp(log(u)) = u for u > 0
RECIP = "recip"
POSITIVE = ("log", "sqrt")  # defined (and their laws valid) for t > 0


class Singular(_grid.GridLimit):
    """A point where a denominator vanishes (or log, sqrt meet t ≤ 0), or where a declared function
    meets an argument known only to an interval: no value there."""


def law(fn: str, order: int, t, alg):
    """The derivative of fn⁽ᵒʳᵈᵉʳ⁾ at t, built with `alg` (its num, add, mul, app): exp′ = exp,
    log′ = 1/t, sqrt′ = 1/(2 sqrt t), σ′ = σ(1 − σ), tanh′ = 1 − tanh², (1/t)′ = −1/t², and a declared
    f⁽ᵏ⁾′ = f⁽ᵏ⁺¹⁾."""
    a = alg
    if fn == "exp":
        return a.app("exp", t)
    if fn == "log":
        return a.app(RECIP, t)
    if fn == "sqrt":
        return a.mul(a.num(Fraction(1, 2)), a.app(RECIP, a.app("sqrt", t)))
    if fn == "sigmoid":
        s = a.app("sigmoid", t)
        return a.mul(s, a.add(a.num(1), a.mul(a.num(-1), s)))
    if fn == "tanh":
        s = a.app("tanh", t)
        return a.add(a.num(1), a.mul(a.num(-1), s, s))
    if fn == RECIP:
        r = a.app(RECIP, t)
        return a.mul(a.num(-1), r, r)
    return a.app(fn, t, order + 1)


class ExprAlgebra:
    """`law` building index expressions (the normal form's chain rule and the rules' rewrite)."""

    num = staticmethod(lambda q: Num(Fraction(q)))
    add = staticmethod(lambda *xs: Add(xs))
    mul = staticmethod(lambda *xs: Mul(xs))
    app = staticmethod(lambda fn, x, order=0: App(fn, x, order))


def has_apps(e: Expr) -> bool:
    return any(type(node) is App or type(node) is VApp for node in walk(e))


def uses_builtins(e: Expr) -> bool:
    """Whether `e` applies exp, log, sqrt, sigmoid or tanh (directly or through a derivative law)."""
    return any(type(node) is App and node.fn in BUILTIN for node in walk(e))


# ---- the normal form ----------------------------------------------------------------------------

def flatten_app(nz: Normalizer, e: App) -> list[Term]:
    """The flattened terms of an application: exp(0) = 1; 1/(c·g·h) = (1/c)(1/g)(1/h) for a single
    closed term; 1/(1/t) = t; log(exp(u)) = u and exp(log(u)) = u; otherwise the application itself,
    one atom."""
    if e.fn not in ("exp", "log", RECIP) or e.order:
        return [Term(_pconst(1), (), (e,))]
    if e.fn == "log":
        inner = _applied(e.arg)
        if inner is not None and inner.fn == "exp":
            return nz.flatten(inner.arg)
        return [Term(_pconst(1), (), (e,))]
    parts = nz.flatten(e.arg)
    if e.fn == "exp" and len(parts) == 1 and parts[0].coeff == {(): 1} and not parts[0].bound \
            and len(parts[0].factors) == 1:
        inner = parts[0].factors[0]
        if type(inner) is App and inner.fn == "log" and not inner.order:
            return nz.flatten(inner.arg)
    if not nz._terms_to_keys([Term(dict(p.coeff), p.bound, p.factors) for p in parts]):
        if e.fn == "exp":
            return [Term(_pconst(1), (), ())]
        raise OutsideFragment(f"the denominator {text(e.arg)} is zero: the quotient is not defined")
    if e.fn == "exp" or len(parts) != 1:
        return [Term(_pconst(1), (), (e,))]
    t = parts[0]
    if t.bound or set(t.coeff) != {()} or any(type(f) is not Entry and type(f) is not App for f in t.factors):
        return [Term(_pconst(1), (), (e,))]
    acc = [Term(_pconst(1 / t.coeff[()]), (), ())]
    for f in t.factors:
        inner = nz.flatten(f.arg) if type(f) is App and f.fn == RECIP else [Term(_pconst(1), (), (App(RECIP, f),))]
        acc = [_tmul(x, nz._refresh(y)) for x in acc for y in inner]
    return acc


def _stripped(e: Expr, powers: bool = False) -> Expr:
    """`e` under its folds (and, with `powers`, under powers of it)."""
    while type(e) is Fold or (powers and type(e) is Pow):
        e = e.body if type(e) is Fold else e.base
    return e


def _applied(e: Expr, powers: bool = False) -> App | None:
    """The application (of order 0) `e` is, under its folds (and, with `powers`, its powers), or None."""
    e = _stripped(e, powers)
    return e if type(e) is App and not e.order else None


def derive_app(nz: Normalizer, t: Term, p: int, d: Deriv) -> list[Term]:
    """The chain rule on factor p (an application f(u)) of term t: f′(u) · ∂u/∂var[idx], by `law`."""
    f = t.factors[p]
    rest = t.factors[:p], t.factors[p + 1:]
    mul = ExprAlgebra.mul
    out = []
    for u in nz.flatten(mul(law(f.fn, f.order, f.arg, ExprAlgebra), Deriv(d.var, d.idx, f.arg))):
        out.append(Term(_pmul(t.coeff, u.coeff), t.bound + u.bound, rest[0] + u.factors + rest[1]))
    return out


def derive_vapp(nz: Normalizer, t: Term, p: int, d: Deriv) -> list[Term]:
    """The chain rule on factor p (F⁽ᵃᵗ⁾(u), u a declared vector) of term t: by u's own entries
    ∂F(u)/∂u[k] = F′(u)[k]; through a function u(x), Σ_j F′(u)[j] ∂u[j]/∂x[k]; else 0."""
    f = t.factors[p]
    before, after = t.factors[:p], t.factors[p + 1:]
    if f.obj == d.var:
        return [Term(t.coeff, t.bound, before + (VApp(f.fn, f.obj, f.at + tuple(d.idx)),) + after)]
    if f.obj.kind == "func" and f.obj.depends_on == d.var.name:
        j = nz._fresh_index(Index("j", f.obj.dims[0]))
        inner = Entry(f.obj, (j,), ((d.var, tuple(d.idx)),))
        return [Term(t.coeff, t.bound + (j,), before + (VApp(f.fn, f.obj, f.at + (j,)), inner) + after)]
    return []


def app_view(nz: Normalizer, f: App):
    """(head, slots, groups) of an application: keyed by the normal form of its argument (not
    rescaled: exp(2t) is not 2·exp(t)), its free indices as slots in order of first appearance."""
    cached = nz._opaque_cache.get(f)
    if cached is not None:
        return cached
    visible = sorted(free_slots(f.arg))
    nf = nz._terms_to_keys(nz.flatten(f.arg))
    names = {v.name for v in visible}
    seen: list[str] = []
    for _, text in sorted((_mask(k, names), repr(k)) for k in nf):
        for v in visible:
            if v.name in text and v.name not in seen:
                seen.append(v.name)
    seen += [v.name for v in visible if v.name not in seen]
    position = {name: k for k, name in enumerate(seen)}
    by_name = {v.name: v for v in visible}
    body = tuple(sorted((_relabel(k, position), _freeze_repr(co)) for k, co in nf.items()))
    view = (("fn", f.fn, f.order, body), tuple(by_name[n] for n in seen), ())
    nz._opaque_cache[f] = view
    return view


MAX_REDUCTIONS = 1000  # rewrites of 1/u · L per term, at most


def reduce_recips(nz: Normalizer, t: Term) -> list[Term]:
    """t rewritten by r·u = 1 for each reciprocal r = 1/u it holds: u's leading monomial c·L (a term
    of u free of bound indices, the most factors first) is taken out by r·L = (1 − r·(u − c·L))/c
    wherever the term holds r and every factor of L (at the same indices). For an atomic u this is
    r·u = 1. Valid where u ≠ 0, which the verdict assumes; the exact evaluation takes 1/u exactly."""
    todo, out, steps = [t], [], 0
    while todo:
        t = todo.pop()
        got = _reduce_once(nz, t)
        if got is None:
            out.append(t)
            continue
        steps += 1
        if steps > MAX_REDUCTIONS:
            from .normal_form import KernelLimit
            raise KernelLimit("cancelling reciprocals against their denominators does not terminate")
        for u in got:
            u = _collapse(u) if nz.policy.collapse else u
            if u is not None:
                todo.append(u)
    return out


def _reduce_once(nz: Normalizer, t: Term) -> list[Term] | None:
    for p, f in enumerate(t.factors):
        if type(f) is not App or f.fn != RECIP:
            continue
        lead, rest = _leading(nz, f.arg)
        if lead is None:
            continue
        free = [q for q in range(len(t.factors)) if q != p]
        taken = []
        for g in lead.factors:
            view = nz._factor_view(g)
            nz.budget.spend(1 + len(free))
            hit = next((q for q in free if nz._factor_view(t.factors[q]) == view), None)
            if hit is None:
                break
            free.remove(hit)
            taken.append(hit)
        else:
            c = lead.coeff[()]
            others = tuple(t.factors[q] for q in free)
            out = [Term(_pmul(t.coeff, _pconst(1 / c)), t.bound, others)]
            for m in rest:
                m = nz._refresh(m)
                out.append(Term(_pmul(_pmul(t.coeff, m.coeff), _pconst(-1 / c)), t.bound + m.bound,
                                others + (f,) + m.factors))
            return out
    return None


def reduce_sqrts(nz: Normalizer, t: Term) -> list[Term] | None:
    """t with one pair of equal factors sqrt(u)·sqrt(u) replaced by u's terms, or None when it holds
    no such pair. Valid where u ≥ 0; the verdict assumes u > 0 for every sqrt written."""
    roots = [p for p, f in enumerate(t.factors) if type(f) is App and f.fn == "sqrt" and not f.order]
    nz.budget.spend(len(roots) ** 2)
    views = {p: nz._factor_view(t.factors[p]) for p in roots}
    for n, p in enumerate(roots):
        q = next((q for q in roots[n + 1:] if views[q] == views[p]), None)
        if q is None:
            continue
        others = tuple(f for r, f in enumerate(t.factors) if r not in (p, q))
        return [Term(_pmul(t.coeff, u.coeff), t.bound + u.bound, others + u.factors)
                for u in (nz._refresh(u) for u in nz.flatten(t.factors[p].arg))]
    return None


def _leading(nz: Normalizer, u: Expr):
    """(c·L, the other terms) of u's flattened terms, like terms merged: L the closed monomial
    (no bound index, no δ, a constant coefficient, at least one factor) with the most factors, ties
    by key; (None, None) when there is none."""
    merged: dict = {}
    rest = []
    for t in nz.flatten(u):
        t = _collapse(t) if nz.policy.collapse else t
        if t is None:
            continue
        if t.bound or not t.factors or set(t.coeff) - {()} or any(type(g) is Delta for g in t.factors):
            rest.append(t)
            continue
        key = tuple(sorted(repr(nz._factor_view(g)) for g in t.factors))
        if key in merged:
            old = merged[key]
            merged[key] = Term({(): old.coeff[()] + t.coeff[()]}, (), old.factors)
        else:
            merged[key] = Term(dict(t.coeff), (), t.factors)
    live = {k: v for k, v in merged.items() if v.coeff.get((), 0)}
    if not live:
        return None, None
    key = max(live, key=lambda k: (len(live[k].factors), k))
    return live[key], rest + [v for k, v in live.items() if k != key]


class ClearingNormalizer(Normalizer):
    """The normal form of an equation `diff = 0` with its closed denominators cleared: the whole
    difference is multiplied by each 1/t's t (as often as 1/t occurs at most in one term) where t has
    none of the term's bound indices. Valid where every such t ≠ 0."""

    def _top(self, terms: list[Term]) -> list[Term]:
        if not any(type(f) is App and f.fn == RECIP for t in terms for f in t.factors):
            return terms
        ready = []
        for t in terms:
            t = _collapse(t) if self.policy.collapse else t
            if t is not None:
                ready.extend(reduce_recips(self, t))
        power: dict = {}
        args: dict = {}
        counted = []
        for t in ready:
            here: dict = {}
            for f in t.factors:
                if type(f) is App and f.fn == RECIP and not (free_slots(f.arg) & set(t.bound)):
                    key = self._factor_view(f)
                    here[key] = here.get(key, 0) + 1
                    args[key] = f.arg
            for key, k in here.items():
                power[key] = max(power.get(key, 0), k)
            counted.append(here)
        if not power:
            return ready
        out = []
        for t, here in zip(ready, counted):
            keep = tuple(f for f in t.factors if not (type(f) is App and f.fn == RECIP
                                                      and self._factor_view(f) in here))
            acc = [Term(t.coeff, t.bound, keep)]
            for key, top in power.items():
                for _ in range(top - here.get(key, 0)):
                    parts = [self._refresh(u) for u in self.flatten(args[key])]
                    self._check_size_product(acc, parts)
                    acc = [_tmul(x, y) for x in acc for y in parts]
            out.extend(acc)
            self._check_size(out)
        return out


# ---- exact evaluation -----------------------------------------------------------------------------

def app_value(ev, fn: str, order: int, a):
    """fn⁽ᵒʳᵈᵉʳ⁾(a) in the evaluator `ev` (a PointEvaluator); on a jet a = lo + ε·hi (the last
    direction split off), f(a) = f(lo) + ε·f′(lo)·hi, with f′ from `law`."""
    if type(a) is not tuple:
        return _base(ev, fn, order, a)
    half = len(a) // 2
    lo, hi = _shrink(a[:half]), _shrink(a[half:])
    alg = _ValueAlg(ev)
    upper = alg.mul(law(fn, order, lo, alg), hi)
    return _widen(app_value(ev, fn, order, lo), half) + _widen(upper, half)


def vapp_value(ev, fn: str, at: tuple, vec: list):
    """F⁽ᵃᵗ⁾ at the vector `vec` (numbers or jets): a fresh unknown per (F, at, exact vector); on jets
    F(lo + ε·hi) = F(lo) + ε·Σ_j ∂_j F(lo)·hi[j]."""
    width = max((len(v) for v in vec if type(v) is tuple), default=0)
    if not width:
        iv = getattr(ev, "iv", None)
        if iv is not None and any(isinstance(v, iv.mpf) for v in vec):
            raise Singular(f"{fn} meets an argument known only to an interval")
        return ev._entry_value(("vapp", fn, tuple(sorted(at)), tuple(v if ev.mod else Fraction(v) for v in vec)))
    half = width // 2
    lo = [_shrink(_widen(v, width)[:half]) for v in vec]
    hi = [_shrink(_widen(v, width)[half:]) for v in vec]
    alg = _ValueAlg(ev)
    upper = alg.add(*(alg.mul(vapp_value(ev, fn, at + (j + 1,), lo), h) for j, h in enumerate(hi)))
    return _widen(vapp_value(ev, fn, at, lo), half) + _widen(upper, half)


def _shrink(jet: tuple):
    return jet[0] if len(jet) == 1 else jet


def _widen(v, width: int) -> tuple:
    if type(v) is tuple:
        return v
    return (v,) + (0,) * (width - 1)


class _ValueAlg:
    """`law` computing values (numbers or jets of one width) in an evaluator."""

    def __init__(self, ev):
        self.ev = ev

    def num(self, q):
        return self.ev._num(Fraction(q))

    def add(self, *xs):
        out = 0
        for x in xs:
            if type(x) is tuple or type(out) is tuple:
                w = max(len(v) for v in (x, out) if type(v) is tuple)
                mod = self.ev.mod
                out = tuple((p + q) % mod if mod else p + q for p, q in zip(_widen(out, w), _widen(x, w)))
            else:
                out = self.ev._add(out, x)
        return out

    def mul(self, *xs):
        out = 1
        for x in xs:
            if type(x) is tuple and type(out) is tuple and len(x) != len(out):
                w = max(len(x), len(out))
                x, out = _widen(x, w), _widen(out, w)
            out = self.ev._mul(out, x)
        return out

    def app(self, fn, x, order=0):
        return app_value(self.ev, fn, order, x)


def _base(ev, fn: str, order: int, a):
    """fn⁽ᵒʳᵈᵉʳ⁾ at a plain value: 1/a exactly; exp(0) = 1; otherwise (modulo the prime, or a
    declared function in exact rationals) a fresh unknown per distinct argument value."""
    real = getattr(ev, "real_value", None)
    if real is not None:
        return real(fn, order, a)
    if fn == RECIP:
        if ev.mod:
            if a % ev.mod == 0:
                raise Singular("a denominator is zero at this point")
            return pow(a, -1, ev.mod)
        if a == 0:
            raise Singular("a denominator is zero at this point")
        q = Fraction(1) / a
        return q.numerator if q.denominator == 1 else q
    if fn == "exp" and a == 0:
        return 1
    if fn == "sqrt" and not order and ev.mod:
        return _sqrt_mod(a, ev.mod)
    if fn in INVERSES and not order:
        # log and exp are inverse functions at the point: a value exp made, log takes back (and the
        # other way round), as log(exp(u)) = u and exp(log(u)) = u do in the normal form
        back = ev.values.get(("inverse", fn, a))
        if back is not None:
            return back
        v = ev._entry_value(("app", fn, order, a))
        ev.values.setdefault(("inverse", INVERSES[fn], v), a)
        return v
    return ev._entry_value(("app", fn, order, a))


def _sqrt_mod(a: int, p: int) -> int:
    """The square root of a modulo the prime p ≡ 3 (mod 4) (the cross-check's 2⁶¹ − 1), the smaller of
    the two, so that sqrt(u)·sqrt(u) = u holds at the point as it does in the normal form; a point
    where a has no square root is not used (about half of them: another is drawn)."""
    a %= p
    r = pow(a, (p + 1) // 4, p)
    if r * r % p != a:
        raise _grid.UnusablePoint("a square root's argument is not a square modulo the prime at this point")
    return min(r, p - r)


# ---- assumptions ---------------------------------------------------------------------------------

def assumptions(e: Expr) -> list[str]:
    """What the rewrites of applications assume: t ≠ 0 for each 1/t written, t > 0 for log t and
    sqrt t, in the user's terms; a declared function differentiated is differentiable."""
    out: list[str] = []
    for node in walk(e):
        if type(node) is App and node.fn == RECIP:
            base = _stripped(node.arg, powers=True)  # u^k ≠ 0 is u ≠ 0; ‖x‖ is sqrt(Σ x_i²) under its fold
            inner = _applied(base)
            if inner is not None and inner.fn in ("exp", "sqrt", "sigmoid"):
                continue  # exp(u), σ(u) ≠ 0 always; sqrt(u) ≠ 0 follows from u > 0, listed for the sqrt itself
            out.append(f"{text(_canonical_bound(base))} ≠ 0")
        elif type(node) is App and node.fn in POSITIVE:
            inner = _applied(node.arg)
            if inner is not None and inner.fn in ("exp", "sigmoid"):
                continue  # exp(u) > 0 and σ(u) > 0 always: log(exp(u)), log σ(u)
            out.append(f"{text(_canonical_bound(node.arg))} > 0")
    declared = sorted({n.fn for d in walk(e) if type(d) is Deriv for n in walk(d.body)
                       if (type(n) is App and n.fn not in BUILTIN and n.fn != RECIP) or type(n) is VApp})
    twice = sorted({n.fn for n in walk(e) if type(n) is VApp and len(n.at) > 1}
                   | {n.fn for d in walk(e) if type(d) is Deriv for n in walk(d.body) if type(n) is VApp and n.at})
    if declared:
        out.append(f"{', '.join(declared)} differentiable")
    if twice:
        out.append(f"{', '.join(twice)} twice continuously differentiable")
    return [a for a in dict.fromkeys(out) if not (a.endswith(" ≠ 0") and a[:-4] + " > 0" in out)]


_BOUND_NAMES = ("i", "j", "k", "l", "p", "q", "r", "s")


def _canonical_bound(e: Expr) -> Expr:
    """`e` with its sums' indices renamed i, j, k, … in the order they are met (skipping names free in
    e), so that the same assumption written with other bound names reads the same and is listed once."""
    taken = {i.name.split("'")[0].split("~")[0] for i in free_slots(e)}
    names = iter([n for n in _BOUND_NAMES if n not in taken] + [f"i{n}" for n in range(1, 1000)])

    def go(x: Expr) -> Expr:
        if type(x) is Sum:
            new = Index(next(names), x.index.dim)
            return Sum(new, go(substitute(x.body, {x.index: new})), x.lo, x.hi)
        return map_children(x, go)

    return go(e)


def text(e: Expr) -> str:
    """A short reading of an index expression for an assumption (bound-name suffixes dropped)."""
    from .terms import Select, Size
    k = type(e)
    if k is Num:
        v = e.value
        return str(v.numerator) if v.denominator == 1 else f"{v.numerator}/{v.denominator}"
    if k is Size:
        return e.dim.name
    if k is Entry:
        idx = ",".join(str(s) if isinstance(s, int) else _plain(s.name) for s in e.idx)
        return f"{e.obj.name}[{idx}]" if idx else e.obj.name
    if k is Add:
        out = text(e.args[0])
        for a in e.args[1:]:
            t = text(a)
            out += f" − {t[1:]}" if t.startswith("-") else f" + {t}"
        return out
    if k is Mul:
        args = [a for a in e.args if not (type(a) is App and a.fn == RECIP)]
        below = [a.arg for a in e.args if type(a) is App and a.fn == RECIP]
        sign = ""
        if args and type(args[0]) is Num and args[0].value == -1:
            sign, args = "-", args[1:]
        parts = [f"({text(a)})" if type(a) is Add else text(a) for a in args]
        out = sign + (" ".join(parts) if parts else "1")
        for d in below:
            out += f" / ({text(d)})" if type(d) in (Add, Mul) else f" / {text(d)}"
        return out
    if k is Pow:
        return f"({text(e.base)})^{e.exp}"
    if k is Sum:
        return f"Σ_{_plain(e.index.name)} {text(e.body)}"
    if k is App:
        if e.fn == RECIP:
            return f"1/({text(e.arg)})"
        return f"{e.fn}{chr(39) * e.order}({text(e.arg)})"
    if k is Fold:
        return text(e.body)
    if k is Deriv:
        return f"∂({text(e.body)})/∂{e.var.name}"
    if k is Delta:
        return "δ"
    if k is Select:
        return "[…]"
    return "…"


def _plain(name: str) -> str:
    return name.split("'")[0].split("~")[0]
