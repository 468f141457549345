"""Citing a proved theorem: instances of its statement, found by matching or given explicitly, and
whether replacing one subterm of a line by an instance (or every occurrence of it) explains a step.

An instance maps the theorem's declared objects to expressions (an entry of the object becomes the
expression at that entry), its variables to variables, its sizes to sizes and its free indices to
index slots. `refusal` says when an instance is unsound (docs/language.md, "Citing theorems"): a
`const` object only by an expression independent of the variable, the variable only by a variable,
a `symmetric` object only by an expression proved symmetric, shapes and ranges alike.

Nothing here is trusted: the kernel decides every step whatever explains it.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field, replace
from fractions import Fraction

from ..kernel import Add, Delta, Deriv, Dim, Entry, Expr, Fold, Index, KernelLimit, Mul, Num, Obj, Pow, Select, Size, Sum
from ..kernel.normal_form import OutsideFragment
from ..kernel.terms import ZERO, children, free_slots, map_children, map_slots, objects_in, slots, walk

_fresh = itertools.count()


@dataclass
class Instance:
    """What the theorem's names stand for: `objects` maps an object to (params, body) — its entry
    at `params` is `body` — or, for a variable, to a variable; `indices` maps free indices to slots."""

    objects: dict = field(default_factory=dict)
    dims: dict = field(default_factory=dict)
    indices: dict = field(default_factory=dict)

    def copy(self) -> "Instance":
        return Instance(dict(self.objects), dict(self.dims), dict(self.indices))

    def dim(self, d: Dim) -> Dim:
        return self.dims.get(d, d)


def params_for(obj: Obj, inst: Instance) -> tuple[Index, ...]:
    """Fresh index variables for the entry slots of `obj`, over its dimensions as instantiated."""
    return tuple(Index(f"#{obj.name}{n}", inst.dim(d)) for n, d in enumerate(obj.dims))


# ---- matching ----------------------------------------------------------------------------------------

class _Deferred(Exception):
    """An object's entry met before the indices that name its slots were matched."""


def match(pattern: Expr, target: Expr, preset: Instance) -> Instance | None:
    """An instance extending `preset` that turns `pattern` into `target` (the same tree, up to the
    names of bound indices), or None. First-order, except that an object's entry matches any
    expression over the indices its slots were matched to."""
    inst = preset.copy()
    try:
        # a first pass binds the indices that later entries are abstracted over
        if not _match(pattern, target, inst, {}, defer=True):
            return None
        return inst if _match(pattern, target, inst, {}, defer=False) else None
    except _Deferred:
        return None


def _dim_ok(p: Dim, t: Dim, inst: Instance) -> bool:
    if p in inst.dims:
        got = inst.dims[p]
        return got == t or (not got.symbolic and not t.symbolic and got.size == t.size)
    if p.symbolic:
        inst.dims[p] = t
        return True
    return p == t or (not t.symbolic and t.size == p.size)


def _slot_ok(p, t, inst: Instance, bound: dict) -> bool:
    if isinstance(p, int) or isinstance(t, int):
        return p == t if isinstance(p, int) else False
    if p in bound:
        return bound[p] == t
    if t in bound.values():
        return False  # a free index of the theorem cannot become an index bound inside the match
    if p in inst.indices:
        return inst.indices[p] == t
    if not _dim_ok(p.dim, t.dim, inst):
        return False
    inst.indices[p] = t
    return True


def _var_ok(p: Obj, t: Obj, inst: Instance) -> bool:
    if t.kind != "var" or len(p.dims) != len(t.dims):
        return False
    if p in inst.objects:
        return inst.objects[p] == t
    if t in inst.objects.values():
        return False  # two variables of the theorem, independent there, cannot become one
    if not all(_dim_ok(a, b, inst) for a, b in zip(p.dims, t.dims)):
        return False
    inst.objects[p] = t
    return True


def _match(p: Expr, t: Expr, inst: Instance, bound: dict, defer: bool) -> bool:
    if type(p) is Entry and p.obj.kind != "var" and not p.derivs and not (type(t) is Entry and not t.derivs
                                                                          and p.obj not in inst.objects):
        return _entry(p, t, inst, bound, defer)
    if type(p) is not type(t):
        return False
    if type(p) is Entry:
        if len(p.idx) != len(t.idx) or len(p.derivs) != len(t.derivs):
            return False
        if p.obj.kind == "var":
            if not _var_ok(p.obj, t.obj, inst):
                return False
        elif p.obj in inst.objects:
            params, body = inst.objects[p.obj]
            if not (type(body) is Entry and body.idx == params and body.obj == t.obj):
                return False
        else:
            if len(t.obj.dims) != len(p.obj.dims) or \
                    not all(_dim_ok(a, b, inst) for a, b in zip(p.obj.dims, t.obj.dims)):
                return False
            params = params_for(p.obj, inst)
            inst.objects[p.obj] = (params, Entry(t.obj, params))
        for (pv, pi), (tv, ti) in zip(p.derivs, t.derivs):
            if not _var_ok(pv, tv, inst) or len(pi) != len(ti) or \
                    not all(_slot_ok(a, b, inst, bound) for a, b in zip(pi, ti)):
                return False
        return all(_slot_ok(a, b, inst, bound) for a, b in zip(p.idx, t.idx))
    if type(p) is Num:
        return p == t
    if type(p) is Size:
        return _dim_ok(p.dim, t.dim, inst)
    if type(p) is Delta:
        return _slot_ok(p.a, t.a, inst, bound) and _slot_ok(p.b, t.b, inst, bound)
    if type(p) is Pow and p.exp != t.exp:
        return False
    if type(p) is Fold and p.tag != t.tag:
        return False
    if type(p) is Deriv:
        if not _var_ok(p.var, t.var, inst) or len(p.idx) != len(t.idx) or \
                not all(_slot_ok(a, b, inst, bound) for a, b in zip(p.idx, t.idx)):
            return False
    if type(p) is Select and not _slot_ok(p.index, t.index, inst, bound):
        return False
    if type(p) is Sum:
        if (p.lo is None) != (t.lo is None) or (p.hi is None) != (t.hi is None):
            return False
        if not _dim_ok(p.index.dim, t.index.dim, inst):
            return False
        for a, b in ((p.lo, t.lo), (p.hi, t.hi)):
            if a is not None and not _match(a, b, inst, bound, defer):
                return False
        return _match(p.body, t.body, inst, {**bound, p.index: t.index}, defer)
    xs, ys = children(p), children(t)
    return len(xs) == len(ys) and all(_match(a, b, inst, bound, defer) for a, b in zip(xs, ys))


def _entry(p: Entry, t: Expr, inst: Instance, bound: dict, defer: bool) -> bool:
    """An entry of a declared object against any expression: the object stands for `t` with the
    entry's indices abstracted."""
    targets = []
    for s in p.idx:
        got = bound.get(s) if isinstance(s, Index) else None
        if got is None and isinstance(s, Index):
            got = inst.indices.get(s)
        targets.append(got)
    if p.obj in inst.objects:  # the object's value is known: fit it, finding the indices not known yet
        params, body = inst.objects[p.obj]
        unknown = {a for a, got in zip(params, targets) if got is None}
        fitted: dict = {}
        known = {a: got for a, got in zip(params, targets) if got is not None}
        if not _fit(substitute_fresh(body, known), t, unknown, fitted, {}):
            return False
        return all(_slot_ok(s, fitted[a], inst, bound) for s, a, got in zip(p.idx, params, targets)
                   if got is None and a in fitted)
    if any(got is None or not isinstance(got, Index) for got in targets):
        if defer:
            return True
        raise _Deferred
    if len(set(targets)) != len(targets):
        return False
    for d, s in zip(p.obj.dims, targets):
        if not _dim_ok(d, s.dim, inst):
            return False
    inner = set(bound.values()) - set(targets)
    if free_slots(t) & inner:
        return False  # it would carry an index bound outside it
    params = params_for(p.obj, inst)
    inst.objects[p.obj] = (params, substitute_fresh(t, dict(zip(targets, params))))
    return True


def _fit(p: Expr, t: Expr, unknown: set, got: dict, bound: dict) -> bool:
    """`p` and `t` are the same tree up to bound names, where an index in `unknown` may stand for any
    slot of `t` (the same one wherever it occurs; recorded in `got`)."""
    if type(p) is not type(t) or _blank(p) != _blank(t):
        return False
    if type(p) is Sum:
        if p.index.dim != t.index.dim:
            return False
        if any((a is None) != (b is None) or (a is not None and not _fit(a, b, unknown, got, bound))
               for a, b in ((p.lo, t.lo), (p.hi, t.hi))):
            return False
        return _fit(p.body, t.body, unknown, got, {**bound, p.index: t.index})
    for a, b in zip(slots(p), slots(t)):
        if a in bound:
            if bound[a] != b:
                return False
        elif a in unknown:
            if got.setdefault(a, b) != b:
                return False
        elif a != b or b in bound.values():
            return False
    xs, ys = children(p), children(t)
    return len(xs) == len(ys) and all(_fit(a, b, unknown, got, bound) for a, b in zip(xs, ys))


def _blank(e: Expr) -> Expr:
    """`e` with its children and slots blanked: what is left to compare once they are compared."""
    return map_slots(map_children(e, lambda _: ZERO), lambda _: 0)


# ---- instances ----------------------------------------------------------------------------------------

def substitute_fresh(e: Expr, sub: dict) -> Expr:
    """`e` with free indices replaced by `sub`, every Σ binder renamed to a fresh name on the way (so
    that nothing substituted is captured, wherever the result is put)."""
    if type(e) is Sum:
        new = Index(f"{e.index.name.split('~')[0]}~{next(_fresh)}", e.index.dim)
        return Sum(new, substitute_fresh(e.body, {**sub, e.index: new}),
                   None if e.lo is None else substitute_fresh(e.lo, sub),
                   None if e.hi is None else substitute_fresh(e.hi, sub))
    e = map_slots(e, lambda s: sub.get(s, s))
    return map_children(e, lambda c: substitute_fresh(c, sub))


def apply(e: Expr, inst: Instance) -> Expr:
    """The theorem's expression `e` under the instance: objects, variables, sizes and free indices
    replaced; bound indices fresh."""
    return _apply(e, inst, {})


def _index(i: Index, inst: Instance, bound: dict):
    if i in bound:
        return bound[i]
    if i in inst.indices:
        return inst.indices[i]
    return Index(i.name, inst.dim(i.dim)) if i.dim in inst.dims else i


def _obj(o: Obj, inst: Instance) -> Obj:
    got = inst.objects.get(o)
    if isinstance(got, Obj):
        return got
    return replace(o, dims=tuple(inst.dim(d) for d in o.dims)) if any(d in inst.dims for d in o.dims) else o


def _apply(e: Expr, inst: Instance, bound: dict) -> Expr:
    def slot(s):
        return _index(s, inst, bound) if isinstance(s, Index) else s

    if type(e) is Sum:
        new = Index(f"{e.index.name.split('~')[0]}~{next(_fresh)}", inst.dim(e.index.dim))
        return Sum(new, _apply(e.body, inst, {**bound, e.index: new}),
                   None if e.lo is None else _apply(e.lo, inst, bound),
                   None if e.hi is None else _apply(e.hi, inst, bound))
    if type(e) is Entry:
        idx = tuple(slot(s) for s in e.idx)
        got = inst.objects.get(e.obj)
        if isinstance(got, tuple):
            out = substitute_fresh(got[1], dict(zip(got[0], idx)))
        else:
            out = Entry(_obj(e.obj, inst), idx)
        for v, ds in e.derivs:
            ds = tuple(slot(s) for s in ds)
            if isinstance(out, Entry) and out.obj.kind == "func":
                out = Entry(out.obj, out.idx, out.derivs + ((_obj(v, inst), ds),))
            else:
                out = Deriv(_obj(v, inst), ds, out)
        return out
    if type(e) is Deriv:
        return Deriv(_obj(e.var, inst), tuple(slot(s) for s in e.idx), _apply(e.body, inst, bound))
    if type(e) is Size:
        d = inst.dim(e.dim)
        return Size(d) if d.symbolic else Num(Fraction(d.size))
    e = map_slots(e, slot)
    return map_children(e, lambda c: _apply(c, inst, bound))


# ---- soundness -----------------------------------------------------------------------------------------

def renamed(inst: Instance) -> dict[str, str]:
    """The theorem's object names that the instance only renames (A := B, x := y), to their new names."""
    out = {}
    for obj, value in inst.objects.items():
        if isinstance(value, Obj):
            out[obj.name] = value.name
        elif type(value[1]) is Entry and value[1].idx == value[0] and not value[1].derivs:
            out[obj.name] = value[1].obj.name
    return out


def differentiates(e: Expr) -> bool:
    """Whether `e` takes a derivative (the theorem is then not closed under every substitution)."""
    return any(type(n) is Deriv or (type(n) is Entry and n.derivs) for n in walk(e))


def refusal(obj: Obj, value, inst: Instance, statement: Expr, symmetric_test, show=str) -> str | None:
    """Why mapping the theorem's `obj` to `value` (params, body) or a variable is unsound, or None.
    `statement` is the theorem's (lhs + rhs); `symmetric_test(body_ij, body_ji)` says whether the
    kernel proves the two equal; `show` prints an expression for the sentence."""
    if obj.kind == "var":
        if not isinstance(value, Obj) or value.kind != "var":
            return (f"{obj.name} is a variable of differentiation: it can be instantiated only by a declared "
                    f"variable, not by {show(value)}")
        return None
    params, body = value
    if obj.kind == "const" and differentiates(statement):
        wrt = {v for v in objects_in(statement) if v.kind == "var"}
        images = {_obj(v, inst) for v in wrt}
        names = {v.name for v in images}
        uses = sorted({o.name for o in objects_in(body)
                       if o in images or (o.kind == "func" and o.depends_on in names)})
        if uses:
            via = "" if set(uses) <= names else f" through {', '.join(uses)}"
            return (f"{obj.name} is declared const (independent of {', '.join(sorted(names))}), but {show(value)} "
                    f"depends on {', '.join(sorted(names))}{via}: a const object can be instantiated only by an "
                    "expression independent of the variable")
    if obj.symmetric:
        a, b = params
        swapped = substitute_fresh(body, {a: b, b: a})
        if not symmetric_test(body, swapped):
            return (f"{obj.name} is declared symmetric, but {show(value)} is not proved symmetric: a symmetric "
                    "object can be instantiated only by an expression equal to its transpose")
    return None


# ---- explaining a step -----------------------------------------------------------------------------------

def _sites(e: Expr):
    """(subterm, rebuild) for every subterm of `e`: rebuild(x) is `e` with that subterm replaced by x."""
    yield e, (lambda x: x)
    kids = children(e)
    for n, kid in enumerate(kids):
        for sub, rebuild in _sites(kid):
            def outer(x, rebuild=rebuild, n=n):
                counter = itertools.count()
                new = rebuild(x)
                return map_children(e, lambda c: new if next(counter) == n else c)
            yield sub, outer


MAX_SITES = 2000  # subterms tried per line


def rewrites(lhs: Expr, rhs: Expr, line: Expr, preset: Instance):
    """Every (instance, rewritten line): `line` with one subterm that is an instance of one side of
    the theorem replaced by the same instance of the other side; and, where that instance occurs
    more than once in the line, with every occurrence replaced at once."""
    everywhere: set = set()  # the lines with every occurrence replaced, each yielded once
    for n, (sub, rebuild) in enumerate(_sites(line)):
        if n >= MAX_SITES:
            return
        for a, b in ((lhs, rhs), (rhs, lhs)):
            inst = match(a, sub, preset)
            if inst is None or not _fixed(a, b, inst):
                continue  # the other side has a free index this match does not fix
            yield inst, rebuild(apply(b, inst))
            new, count = _replace_all(line, a, b, inst)
            if count > 1 and new not in everywhere:
                everywhere.add(new)
                yield inst, new


def _fixed(a: Expr, b: Expr, inst: Instance) -> bool:
    """Whether every free index of `b` is one of `a` or fixed by the instance."""
    return not free_slots(b) - free_slots(a) - set(inst.indices)


def _replace_all(e: Expr, a: Expr, b: Expr, inst: Instance) -> tuple[Expr, int]:
    """`e` with every subterm that is the instance `inst` of `a` (outermost first) replaced by that
    instance of `b`, and how many were."""
    got = match(a, e, inst)
    if got is not None and _fixed(a, b, got):
        return apply(b, got), 1
    count = 0

    def visit(child: Expr) -> Expr:
        nonlocal count
        new, k = _replace_all(child, a, b, inst)
        count += k
        return new
    return map_children(e, visit), count


def explains_by(lemma_sides, line_before: Expr, line_after: Expr, preset: Instance, judge, refuse):
    """(instance, refusals): the instance (None if there is none) by which replacing one subterm of either line by an instance of the
    theorem (`lemma_sides` = (lhs, rhs)), or every occurrence of that instance, makes it the other line as `judge(x, y)` says (bookkeeping and
    the other cited rules). An instance that would explain it but that `refuse(inst)` refuses (a
    sentence) is not used; the sentences are returned when nothing explains the step."""
    lhs, rhs = lemma_sides
    refusals: list[str] = []
    for line, other in ((line_before, line_after), (line_after, line_before)):
        for inst, new in rewrites(lhs, rhs, line, preset):
            try:
                if not judge(new, other):
                    continue
            except (OutsideFragment, KernelLimit):
                continue
            why = refuse(inst)
            if why is None:
                return inst, []
            if why not in refusals:
                refusals.append(why)
    return None, refusals


# ---- writing an instance back ---------------------------------------------------------------------------

def bindings(inst: Instance, order, known) -> list[tuple[str, str]]:
    """The instance as `[name := value]` bindings a citation can give, `(name, text)` in the order of
    the theorem's declarations `order`: its objects, variables, sizes and free indices whose value is
    written in names the citing file declares (`known(name, what)`: whether it declares `name` as a
    "dim", "index", "var" or "const").
    A value that cannot be written so (an object's entry that is not a combination of declared
    objects and their transposes) is left out: matching finds it again."""
    out: dict[str, str] = {}
    for obj, value in inst.objects.items():
        text = value.name if isinstance(value, Obj) else _written(*value)
        if text is not None and all(known(o.name, o.kind) for o in _objects(value)):
            out[obj.name] = text
    for d, t in inst.dims.items():
        if d.symbolic and t.symbolic and known(t.name, "dim"):
            out[d.name] = t.name
    for i, t in inst.indices.items():
        if isinstance(t, Index) and i.name.isidentifier() and known(t.name, "index"):
            out[i.name] = t.name
    rank = {name: n for n, name in enumerate(order)}
    return sorted(out.items(), key=lambda kv: (rank.get(kv[0], len(rank)), kv[0]))


def _objects(value) -> set[Obj]:
    return {value} if isinstance(value, Obj) else objects_in(value[1])


def _written(params: tuple[Index, ...], body: Expr) -> str | None:
    """`B`, `B^T`, `2 B - C^T`: an object's value whose entry at `params` is `body`, or None."""
    terms = body.args if type(body) is Add else (body,)
    out = []
    for term in terms:
        coeff, entry = Fraction(1), term
        if type(term) is Mul and len(term.args) == 2 and type(term.args[0]) is Num:
            coeff, entry = term.args[0].value, term.args[1]
        if type(entry) is not Entry or entry.derivs or entry.obj.kind == "func" or len(entry.idx) != len(params):
            return None
        if entry.idx == params:
            name = entry.obj.name
        elif len(params) == 2 and entry.idx == params[::-1]:
            name = f"{entry.obj.name}^T"
        else:
            return None
        size = abs(coeff)
        word = name if size == 1 else f"{size} {name}" if size.denominator == 1 else f"({size}) {name}"
        out.append(("- " if coeff < 0 else "+ " if out else "") + word)
    return " ".join(out)
