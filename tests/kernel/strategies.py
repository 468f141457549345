"""Hypothesis strategies: random index expressions in the decided fragment, semantics-preserving
rewrites of them, and corruptions (edits that usually, not always, change the value).

Objects (the same vocabulary as the seeds' proofs):
  dims   n, m symbolic; p = 3 concrete
  x : vector(n)  the variable of differentiation
  a : vector(n), c : vector(m), A : matrix(n, n), B : matrix(n, m), S : matrix(n, n) symmetric,
  e : vector(p), C : matrix(p, n)                                      constants
  u(x) : vector(m), f(x) : scalar                                      functions of x
  Z : matrix(n, m), y : vector(p)        two more variables;  w(y) : vector(n), a function of y
  G(x) : matrix(n, n) symmetric                                        a symmetric function of x
Free indices: k, l : n;  r : m;  q : p.

Bound names are mostly unique along a path (siblings often reuse a name); about one sum in eight
reuses the name of an index in scope, which shadows it (legal, and a trap for renaming). Numerals
only fill slots of the concrete dimension p.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from hypothesis import strategies as st

from vecproof.kernel.terms import (
    Add, Delta, Deriv, Dim, Entry, Index, Mul, Num, Obj, Pow, Select, Size, Sum,
)

from .reference import free_indices

N = Dim("n")
M = Dim("m")
P = Dim("p", 3)

X = Obj("x", "var", (N,))
AV = Obj("a", "const", (N,))
CV = Obj("c", "const", (M,))
A = Obj("A", "const", (N, N))
B = Obj("B", "const", (N, M))
S = Obj("S", "const", (N, N), symmetric=True)
EV = Obj("e", "const", (P,))
CM = Obj("C", "const", (P, N))
U = Obj("u", "func", (M,), depends_on="x")
F = Obj("f", "func", (), depends_on="x")
Y = Obj("y", "var", (P,))
W = Obj("w", "func", (N,), depends_on="y")
Z = Obj("Z", "var", (N, M))
G = Obj("G", "func", (N, N), symmetric=True, depends_on="x")

K = Index("k", N)
L = Index("l", N)
R = Index("r", M)
Q = Index("q", P)

SYMBOLIC_OBJECTS = (X, AV, CV, A, B, S, U, F, Z, G)
CONCRETE_OBJECTS = (EV, CM, Y, W)
VARIABLES = (X, Z, Y)
BOUND_NAMES = {N: ("i", "j", "h", "g"), M: ("s", "t", "v"), P: ("b", "d")}


def num(v) -> Num:
    return Num(Fraction(v))


def neg(e):
    return Mul((num(-1), e))


# ---- paths ---------------------------------------------------------------------------------------


def children(e) -> tuple:
    if isinstance(e, (Add, Mul)):
        return e.args
    if isinstance(e, Pow):
        return (e.base,)
    if isinstance(e, (Sum, Deriv)):
        return (e.body,)
    if isinstance(e, Select):
        return e.options
    return ()


def with_children(e, kids: tuple):
    if isinstance(e, Add):
        return Add(tuple(kids))
    if isinstance(e, Mul):
        return Mul(tuple(kids))
    if isinstance(e, Pow):
        return Pow(kids[0], e.exp)
    if isinstance(e, Sum):
        return Sum(e.index, kids[0], e.lo, e.hi)
    if isinstance(e, Deriv):
        return Deriv(e.var, e.idx, kids[0])
    if isinstance(e, Select):
        return Select(e.index, tuple(kids))
    return e


def positions(e, scope: tuple = (), path: tuple = ()):
    """Every (path, node, indices bound around the node) in `e`, outermost first."""
    yield path, e, scope
    inner = scope + (e.index,) if isinstance(e, Sum) else scope
    for k, c in enumerate(children(e)):
        yield from positions(c, inner, path + (k,))


def replace_at(e, path: tuple, new):
    if not path:
        return new
    kids = list(children(e))
    kids[path[0]] = replace_at(kids[path[0]], path[1:], new)
    return with_children(e, tuple(kids))


def all_names(e) -> set[str]:
    out = set()
    for _, node, _ in positions(e):
        if isinstance(node, Sum):
            out.add(node.index.name)
        out.update(i.name for i in free_indices(node))
    return out


def fresh(e, dim: Dim, base: str = "w") -> Index:
    used = all_names(e)
    k = 0
    while f"{base}'{k}" in used:
        k += 1
    return Index(f"{base}'{k}", dim)


def binds(e, name: str) -> bool:
    return any(isinstance(n, Sum) and n.index.name == name for _, n, _ in positions(e))


def subst(e, sub: dict):
    """Replace free index variables (by slots); stops at a binder of the same index. The caller
    makes sure no replacement is captured (checked here: a capture raises)."""
    if not sub:
        return e
    if isinstance(e, Entry):
        return Entry(e.obj, tuple(sub.get(s, s) for s in e.idx),
                     tuple((v, tuple(sub.get(s, s) for s in d)) for v, d in e.derivs))
    if isinstance(e, Delta):
        return Delta(sub.get(e.a, e.a), sub.get(e.b, e.b))
    if isinstance(e, Sum):
        inner = {k: v for k, v in sub.items() if k != e.index}
        if inner and any(v == e.index for v in inner.values()) and free_indices(e.body) & set(inner):
            raise AssertionError("substitution would capture an index")
        return Sum(e.index, subst(e.body, inner), e.lo, e.hi)
    if isinstance(e, Deriv):
        return Deriv(e.var, tuple(sub.get(s, s) for s in e.idx), subst(e.body, sub))
    if isinstance(e, Select):
        return Select(sub.get(e.index, e.index), tuple(subst(o, sub) for o in e.options))
    kids = children(e)
    if kids:
        return with_children(e, tuple(subst(c, sub) for c in kids))
    return e


# ---- random expressions --------------------------------------------------------------------------


@dataclass
class Budget:
    nodes: int
    sums: int
    derivs: int
    pows: int


class _Gen:
    def __init__(self, draw, concrete: bool, budget: Budget, free: tuple):
        self.draw = draw
        self.concrete = concrete
        self.b = budget
        self.free = set(free)
        self.in_deriv = 0

    def pick(self, seq):
        return self.draw(st.sampled_from(list(seq)))

    def slots_for(self, dim: Dim, scope) -> list:
        """Candidate slots of `dim`, weighted by repetition: bound indices (the innermost most)
        over free ones, so that sums mostly use their index."""
        out = []
        bound = [i for i in scope if i.dim == dim and i not in self.free]
        for k, i in enumerate(bound):
            out += [i] * (2 + (k == len(bound) - 1) * 2)
        out += [i for i in scope if i.dim == dim and i in self.free]
        if not dim.symbolic:
            out += list(range(1, dim.size + 1))
        return out

    def expr(self, scope: tuple, depth: int, composite: bool = False):
        self.b.nodes -= 1
        kinds = [] if composite else ["entry"] * 4 + ["delta"] * 2 + ["num", "size"]
        if depth > 0 and (self.b.nodes > 0 or composite):
            kinds += ["mul", "mul", "mul", "add", "add", "scale"]
            if self.b.sums > 0:
                kinds += ["sum"] * (12 if composite else 5)
            if self.b.derivs > 0 and self._variables(scope):
                kinds += ["deriv"] * 2
            if self.b.pows > 0:
                kinds += ["pow"]
            if self.concrete and self.slots_for(P, scope):
                kinds += ["select"]
        kind = self.pick(kinds)
        return getattr(self, "_" + kind)(scope, depth)

    # leaves
    def _entry(self, scope, depth):
        objs = [o for o in SYMBOLIC_OBJECTS + (CONCRETE_OBJECTS if self.concrete else ())
                if all(self.slots_for(d, scope) for d in o.dims)]
        if len(objs) > 1:
            objs = [o for o in objs if o is not F] + ([F] if self.draw(st.integers(0, 3)) == 0 else [])
        if self.in_deriv:
            objs += [o for o in objs if o.kind != "const"]  # mostly something that depends on x
        obj = self.pick(objs)
        idx = tuple(self.pick(self.slots_for(d, scope)) for d in obj.dims)
        derivs = ()
        var = {"x": X, "y": Y}.get(obj.depends_on)
        if var is not None and all(self.slots_for(d, scope) for d in var.dims):
            order = self.draw(st.sampled_from([0, 0, 0, 1, 1, 2]))
            derivs = tuple((var, tuple(self.pick(self.slots_for(d, scope)) for d in var.dims))
                           for _ in range(order))
        return Entry(obj, idx, derivs)

    def _delta(self, scope, depth):
        dims = [d for d in (N, M) + ((P,) if self.concrete else ()) if self.slots_for(d, scope)]
        if not dims:
            return self._num(scope, depth)
        d = self.pick(dims)
        first = self.pick(self.slots_for(d, scope))
        others = [c for c in self.slots_for(d, scope) if c != first]
        if others and self.draw(st.integers(0, 3)):
            return Delta(first, self.pick(others))
        return Delta(first, self.pick(self.slots_for(d, scope)))

    def _num(self, scope, depth):
        v = self.draw(st.sampled_from([1, 1, 2, 2, -1, -2, 3, 0, Fraction(1, 2)]))
        return num(v)

    def _size(self, scope, depth):
        return Size(self.pick([N, N, M] + ([P] if self.concrete else [])))

    # composites
    def _mul(self, scope, depth):
        k = self.draw(st.integers(2, 3))
        return Mul(tuple(self.expr(scope, depth - 1) for _ in range(k)))

    def _add(self, scope, depth):
        k = self.draw(st.integers(2, 3))
        return Add(tuple(self.expr(scope, depth - 1) for _ in range(k)))

    def _scale(self, scope, depth):
        c = self.pick([num(2), num(-1), num(3), Size(N), Size(M), Mul((Size(N), Size(N)))])
        return Mul((c, self.expr(scope, depth - 1)))

    def _sum(self, scope, depth):
        self.b.sums -= 1
        dims = [N, N, M] + ([P] if self.concrete else [])
        d = self.pick(dims)
        names = [nm for nm in BOUND_NAMES[d] if nm not in {i.name for i in scope}]
        if not names or self.draw(st.integers(0, 7)) == 0:
            names = list(BOUND_NAMES[d])  # may shadow an index in scope: legal, and a trap
        i = Index(self.pick(names), d)
        scope = tuple(x for x in scope if x != i)
        lo = hi = None
        if not d.symbolic and self.draw(st.booleans()):
            a = self.draw(st.integers(1, d.size))
            b = self.draw(st.integers(a, d.size))
            lo, hi = num(a), num(b)
        body = self.expr(scope + (i,), depth - 1)
        return Sum(i, body, lo, hi)

    def _variables(self, scope):
        return [v for v in VARIABLES if (self.concrete or v is not Y)
                and all(self.slots_for(d, scope) for d in v.dims)]

    def _deriv(self, scope, depth):
        self.b.derivs -= 1
        var = self.pick([X, X] + self._variables(scope)) if X in self._variables(scope) else \
            self.pick(self._variables(scope))
        idx = tuple(self.pick(self.slots_for(d, scope)) for d in var.dims)
        self.in_deriv += 1
        body = self.expr(scope, depth - 1)
        self.in_deriv -= 1
        return Deriv(var, idx, body)

    def _pow(self, scope, depth):
        self.b.pows -= 1
        base = self.expr(scope, min(depth - 1, 2))
        return Pow(base, self.draw(st.sampled_from([2, 2, 2, 3, 0, 1])))

    def _select(self, scope, depth):
        s = self.pick(self.slots_for(P, scope))
        return Select(s, tuple(self.expr(scope, 0) for _ in range(P.size)))


@st.composite
def expressions(draw, concrete: bool = False, max_nodes: int = 12, max_sums: int = 3,
                max_depth: int = 4):
    free_pool = [K, L, R] + ([Q] if concrete else [])
    free = draw(st.lists(st.sampled_from(free_pool), unique=True, max_size=2))
    budget = Budget(nodes=max_nodes, sums=max_sums, derivs=2, pows=1)
    return _Gen(draw, concrete, budget, tuple(free)).expr(tuple(free), max_depth, composite=True)


# ---- semantics-preserving rewrites ---------------------------------------------------------------
# Each takes (expr, path, node, scope, draw) and returns the rewritten node or None.


def rw_rename_bound(e, path, node, scope, draw):
    if not isinstance(node, Sum):
        return None
    new = fresh(e, node.index.dim, node.index.name.split("'")[0])
    return Sum(new, subst(node.body, {node.index: new}), node.lo, node.hi)


def rw_shadow(e, path, node, scope, draw):
    """Σ_j g(j) → Σ_i g(i) where i is an index in scope (so the new binder shadows it) that g does
    not use: a legal renaming that reuses a name."""
    if not isinstance(node, Sum):
        return None
    body_free = free_indices(node.body)
    names = [i for i in scope if i.dim == node.index.dim and i != node.index and i not in body_free
             and not binds(node.body, i.name)]
    if not names:
        return None
    i = draw(st.sampled_from(sorted(names)))
    return Sum(i, subst(node.body, {node.index: i}), node.lo, node.hi)


def rw_swap_sums(e, path, node, scope, draw):
    if not (isinstance(node, Sum) and isinstance(node.body, Sum)):
        return None
    inner = node.body
    if inner.index == node.index:
        return None
    return Sum(inner.index, Sum(node.index, inner.body, node.lo, node.hi), inner.lo, inner.hi)


def rw_pull_into_sum(e, path, node, scope, draw):
    """f · Σ_j g  →  Σ_j f·g   (j not free in f)."""
    if not isinstance(node, Mul):
        return None
    spots = [p for p, a in enumerate(node.args) if isinstance(a, Sum)]
    if not spots:
        return None
    p = draw(st.sampled_from(spots))
    s = node.args[p]
    others = node.args[:p] + node.args[p + 1:]
    if any(s.index in free_indices(o) for o in others):
        return None
    return Sum(s.index, Mul(others[:p] + (s.body,) + others[p:]), s.lo, s.hi)


def rw_pull_out_of_sum(e, path, node, scope, draw):
    """Σ_j f·g  →  f · Σ_j g   (j not free in f)."""
    if not (isinstance(node, Sum) and isinstance(node.body, Mul)):
        return None
    out = [a for a in node.body.args if node.index not in free_indices(a)]
    keep = [a for a in node.body.args if node.index in free_indices(a)]
    if not out:
        return None
    return Mul(tuple(out) + (Sum(node.index, Mul(tuple(keep)), node.lo, node.hi),))


def rw_collapse_delta(e, path, node, scope, draw):
    """Σ_i δ(i, t) g(i)  →  g(t)   over the full range of i."""
    if not isinstance(node, Sum) or node.lo is not None:
        return None
    i = node.index
    args = node.body.args if isinstance(node.body, Mul) else (node.body,)
    for p, a in enumerate(args):
        if isinstance(a, Delta) and (a.a == i) != (a.b == i):
            t = a.b if a.a == i else a.a
            rest = args[:p] + args[p + 1:]
            if isinstance(t, Index) and any(binds(r, t.name) for r in rest):
                return None
            return subst(Mul(rest), {i: t}) if rest else num(1)
    return None


def rw_expand_delta(e, path, node, scope, draw):
    """g(t)  →  Σ_i δ(i, t) g(i)  for one index slot t of an entry."""
    if not isinstance(node, Entry):
        return None
    spots = [p for p, s in enumerate(node.idx) if isinstance(s, Index)]
    if not spots:
        return None
    p = draw(st.sampled_from(spots))
    t = node.idx[p]
    i = fresh(e, t.dim, "z")
    entry = Entry(node.obj, node.idx[:p] + (i,) + node.idx[p + 1:], node.derivs)
    order = draw(st.booleans())
    d = Delta(i, t) if order else Delta(t, i)
    return Sum(i, Mul((d, entry) if order else (entry, d)))


def rw_reorder(e, path, node, scope, draw):
    if not isinstance(node, (Add, Mul)) or len(node.args) < 2:
        return None
    perm = draw(st.permutations(list(range(len(node.args)))))
    return with_children(node, tuple(node.args[p] for p in perm))


def rw_distribute(e, path, node, scope, draw):
    """f·(g + h)  →  f·g + f·h."""
    if not isinstance(node, Mul):
        return None
    spots = [p for p, a in enumerate(node.args) if isinstance(a, Add)]
    if not spots:
        return None
    p = draw(st.sampled_from(spots))
    return Add(tuple(Mul(node.args[:p] + (t,) + node.args[p + 1:]) for t in node.args[p].args))


def rw_power_to_product(e, path, node, scope, draw):
    if not isinstance(node, Pow):
        return None
    if node.exp == 0:
        return num(1)
    return Mul((node.base,) * node.exp)


def rw_symmetric_swap(e, path, node, scope, draw):
    if not (isinstance(node, Entry) and node.obj.symmetric):
        return None
    return Entry(node.obj, (node.idx[1], node.idx[0]), node.derivs)


def rw_size_to_sum(e, path, node, scope, draw):
    """n  →  Σ_i 1."""
    if not (isinstance(node, Size) and node.dim.symbolic):
        return None
    return Sum(fresh(e, node.dim, "o"), num(1))


def rw_sum_constant(e, path, node, scope, draw):
    """Σ_i g  →  n · g   when i is not free in g (full range)."""
    if not isinstance(node, Sum) or node.lo is not None or node.index in free_indices(node.body):
        return None
    if not node.index.dim.symbolic:
        return Mul((num(node.index.dim.size), node.body))
    return Mul((Size(node.index.dim), node.body))


def rw_split_sum(e, path, node, scope, draw):
    """Σ_i (g + h)  →  Σ_i g + Σ_i h."""
    if not (isinstance(node, Sum) and isinstance(node.body, Add)):
        return None
    return Add(tuple(Sum(node.index, t, node.lo, node.hi) for t in node.body.args))


def rw_unroll_concrete(e, path, node, scope, draw):
    """Σ_{b ∈ lo..hi} g(b)  →  g(lo) + … + g(hi) over a concrete dimension."""
    if not (isinstance(node, Sum) and not node.index.dim.symbolic):
        return None
    lo = 1 if node.lo is None else int(node.lo.value)
    hi = node.index.dim.size if node.hi is None else int(node.hi.value)
    return Add(tuple(subst(node.body, {node.index: v}) for v in range(lo, hi + 1))) if hi >= lo else num(0)


def rw_select_numeral(e, path, node, scope, draw):
    if not (isinstance(node, Select) and isinstance(node.index, int)):
        return None
    return node.options[node.index - 1]


def rw_deriv_linear(e, path, node, scope, draw):
    if not (isinstance(node, Deriv) and isinstance(node.body, Add)):
        return None
    return Add(tuple(Deriv(node.var, node.idx, t) for t in node.body.args))


def rw_deriv_product(e, path, node, scope, draw):
    if not (isinstance(node, Deriv) and isinstance(node.body, Mul)):
        return None
    args = node.body.args
    return Add(tuple(Mul(args[:p] + (Deriv(node.var, node.idx, a),) + args[p + 1:])
                     for p, a in enumerate(args)))


def rw_deriv_power(e, path, node, scope, draw):
    if not (isinstance(node, Deriv) and isinstance(node.body, Pow)) or node.body.exp == 0:
        return None
    b, k = node.body.base, node.body.exp
    return Mul((num(k), Pow(b, k - 1), Deriv(node.var, node.idx, b)))


def rw_deriv_into_sum(e, path, node, scope, draw):
    if not (isinstance(node, Deriv) and isinstance(node.body, Sum)):
        return None
    s = node.body
    if s.index in node.idx:
        return None
    return Sum(s.index, Deriv(node.var, node.idx, s.body), s.lo, s.hi)


def rw_deriv_swap(e, path, node, scope, draw):
    """Mixed partial derivatives commute."""
    if not (isinstance(node, Deriv) and isinstance(node.body, Deriv)):
        return None
    inner = node.body
    return Deriv(inner.var, inner.idx, Deriv(node.var, node.idx, inner.body))


def rw_deriv_leaf(e, path, node, scope, draw):
    if not isinstance(node, Deriv):
        return None
    b, k = node.body, node.idx
    if isinstance(b, (Num, Size, Delta)):
        return num(0)
    if isinstance(b, Entry):
        if b.obj == node.var and not b.derivs:
            return Mul(tuple(Delta(s, t) for s, t in zip(b.idx, k)))
        if b.obj.kind == "func" and b.obj.depends_on == node.var.name:
            return Entry(b.obj, b.idx, b.derivs + ((node.var, k),))
        return num(0)
    return None


def rw_two_to_sum(e, path, node, scope, draw):
    """2·g  →  g + g."""
    if isinstance(node, Mul) and len(node.args) == 2 and node.args[0] == num(2):
        return Add((node.args[1], node.args[1]))
    return None


def rw_double(e, path, node, scope, draw):
    """2·g  →  g + g,   g  →  (−1)·(−1)·g."""
    if isinstance(node, Mul) and len(node.args) == 2 and node.args[0] == num(2):
        return Add((node.args[1], node.args[1]))
    return Mul((num(-1), Mul((num(-1), node))))


REWRITES = [
    rw_rename_bound, rw_shadow, rw_swap_sums, rw_pull_into_sum, rw_pull_out_of_sum, rw_collapse_delta,
    rw_expand_delta, rw_reorder, rw_distribute, rw_power_to_product, rw_symmetric_swap,
    rw_size_to_sum, rw_sum_constant, rw_split_sum, rw_unroll_concrete, rw_select_numeral,
    rw_deriv_linear, rw_deriv_product, rw_deriv_power, rw_deriv_into_sum, rw_deriv_swap,
    rw_deriv_leaf, rw_two_to_sum,
]


def _apply_random(draw, e, moves, fallback=None):
    """Apply one of `moves` (tried in a random order) at a random position where it applies."""
    spots = list(positions(e))
    for k in draw(st.permutations(list(range(len(moves))))):
        mv = moves[k]
        for p in draw(st.permutations(list(range(len(spots))))):
            path, node, scope = spots[p]
            new = mv(e, path, node, scope, draw)
            if new is not None and new != node:
                return replace_at(e, path, new), f"{mv.__name__} at {path}"
    if fallback is not None:
        return replace_at(e, (), fallback(e, (), e, (), draw)), f"{fallback.__name__} at ()"
    return None, None


@st.composite
def rewritten(draw, e, steps: int = 3):
    """(e', log): e after 1..steps random semantics-preserving rewrites."""
    log = []
    count = draw(st.integers(1, steps))
    for _ in range(count):
        new, what = _apply_random(draw, e, REWRITES, fallback=rw_double)
        if new is None:
            break
        e = new
        log.append(what)
    return e, log


# ---- corruptions ---------------------------------------------------------------------------------


def _scope_indices(e, scope) -> list:
    return sorted(set(scope) | free_indices(e) | {K, L, R})  # may introduce a new free index


def cr_index(e, path, node, scope, draw):
    """Replace one index slot by another index of the same dimension."""
    if isinstance(node, Entry):
        slots = [("idx", p, 0) for p, s_ in enumerate(node.idx) if isinstance(s_, Index)]
        slots += [("der", p, q) for p, (_, d) in enumerate(node.derivs)
                  for q, s_ in enumerate(d) if isinstance(s_, Index)]
    elif isinstance(node, Delta):
        slots = [("δ", p, 0) for p, s_ in enumerate((node.a, node.b)) if isinstance(s_, Index)]
    elif isinstance(node, Deriv):
        slots = [("did", p, 0) for p, s_ in enumerate(node.idx) if isinstance(s_, Index)]
    else:
        return None
    if not slots:
        return None
    where, p, q = draw(st.sampled_from(slots))
    if where == "idx":
        old = node.idx[p]
    elif where == "der":
        old = node.derivs[p][1][q]
    elif where == "δ":
        old = (node.a, node.b)[p]
    else:
        old = node.idx[p]
    choices = [i for i in _scope_indices(e, scope) if i.dim == old.dim and i != old]
    if not choices:
        return None
    new = draw(st.sampled_from(choices))

    def put(t, k):
        return t[:k] + (new,) + t[k + 1:]

    if where == "idx":
        return Entry(node.obj, put(node.idx, p), node.derivs)
    if where == "der":
        ds = list(node.derivs)
        ds[p] = (ds[p][0], put(ds[p][1], q))
        return Entry(node.obj, node.idx, tuple(ds))
    if where == "δ":
        return Delta(new, node.b) if p == 0 else Delta(node.a, new)
    return Deriv(node.var, put(node.idx, p), node.body)


def cr_drop_term(e, path, node, scope, draw):
    if not isinstance(node, Add) or len(node.args) < 2:
        return None
    p = draw(st.integers(0, len(node.args) - 1))
    rest = node.args[:p] + node.args[p + 1:]
    return rest[0] if len(rest) == 1 else Add(rest)


def cr_drop_factor(e, path, node, scope, draw):
    if not isinstance(node, Mul) or len(node.args) < 2:
        return None
    p = draw(st.integers(0, len(node.args) - 1))
    return Mul(node.args[:p] + node.args[p + 1:])


def cr_flip_sign(e, path, node, scope, draw):
    return neg(node)


def cr_coefficient(e, path, node, scope, draw):
    if isinstance(node, Num):
        return num(node.value + draw(st.sampled_from([1, -1, 2])))
    if isinstance(node, Size):
        other = {N: M, M: N, P: N}[node.dim]
        return draw(st.sampled_from([Size(other), num(2), Add((node, num(1)))]))
    if isinstance(node, Pow):
        return Pow(node.base, node.exp + 1)
    return None


def cr_transpose(e, path, node, scope, draw):
    """A[i,j] → A[j,i] (for S this is an identity; then the kernel must say proved)."""
    if not (isinstance(node, Entry) and len(node.idx) == 2 and node.obj.dims[0] == node.obj.dims[1]):
        return None
    return Entry(node.obj, (node.idx[1], node.idx[0]), node.derivs)


def cr_drop_deriv(e, path, node, scope, draw):
    if not isinstance(node, Deriv):
        return None
    return node.body


def cr_capture(e, path, node, scope, draw):
    """Rename a bound index to an index already free in its body (a capture)."""
    if not isinstance(node, Sum):
        return None
    victims = [i for i in free_indices(node.body) if i.dim == node.index.dim and i != node.index]
    if not victims:
        return None
    v = draw(st.sampled_from(sorted(victims)))
    return Sum(v, _rename_all(node.body, node.index, v), node.lo, node.hi)


def _rename_all(e, old, new):
    """Rename `old` to `new` everywhere, binders included (deliberately capture-blind)."""
    if isinstance(e, Entry):
        return Entry(e.obj, tuple(new if s == old else s for s in e.idx),
                     tuple((v, tuple(new if s == old else s for s in d)) for v, d in e.derivs))
    if isinstance(e, Delta):
        return Delta(new if e.a == old else e.a, new if e.b == old else e.b)
    if isinstance(e, Sum):
        return Sum(new if e.index == old else e.index, _rename_all(e.body, old, new), e.lo, e.hi)
    if isinstance(e, Deriv):
        return Deriv(e.var, tuple(new if s == old else s for s in e.idx), _rename_all(e.body, old, new))
    if isinstance(e, Select):
        return Select(new if e.index == old else e.index, tuple(_rename_all(o, old, new) for o in e.options))
    kids = children(e)
    return with_children(e, tuple(_rename_all(c, old, new) for c in kids)) if kids else e


def cr_square_inside(e, path, node, scope, draw):
    """(Σ_i g)^2 → Σ_i g^2."""
    if not (isinstance(node, Pow) and isinstance(node.base, Sum)):
        return None
    s = node.base
    return Sum(s.index, Pow(s.body, node.exp), s.lo, s.hi)


def cr_merge_sums(e, path, node, scope, draw):
    """(Σ_i g)(Σ_j h) → Σ_i g·h[j:=i]  (flattening without fresh names)."""
    if not isinstance(node, Mul):
        return None
    sums = [p for p, a in enumerate(node.args) if isinstance(a, Sum)]
    if len(sums) < 2:
        return None
    p, q = sums[0], sums[1]
    s, t = node.args[p], node.args[q]
    if s.index.dim != t.index.dim or s.lo != t.lo or s.hi != t.hi:
        return None
    body = Mul((s.body, _rename_all(t.body, t.index, s.index)))
    rest = tuple(a for k, a in enumerate(node.args) if k not in (p, q))
    return Mul(rest + (Sum(s.index, body, s.lo, s.hi),))


def cr_collapse_partial(e, path, node, scope, draw):
    """Σ_{b ∈ lo..hi} δ(b, t) g(b) → g(t), ignoring that the range is partial (a concrete trap)."""
    if not (isinstance(node, Sum) and node.lo is not None):
        return None
    full = Sum(node.index, node.body)
    return rw_collapse_delta(e, path, full, scope, draw)


def cr_double_count(e, path, node, scope, draw):
    """Σ_i g → Σ_i Σ_j g (an extra sum over an unused index: a factor n)."""
    if not isinstance(node, Sum):
        return None
    j = fresh(e, node.index.dim, "y")
    return Sum(node.index, Sum(j, node.body), node.lo, node.hi)


CORRUPTIONS = [
    cr_index, cr_index, cr_drop_term, cr_drop_factor, cr_flip_sign, cr_coefficient, cr_transpose,
    cr_drop_deriv, cr_capture, cr_square_inside, cr_merge_sums, cr_collapse_partial, cr_double_count,
]


RENAMINGS = [rw_rename_bound, rw_shadow, cr_capture, cr_merge_sums]


@st.composite
def renamed(draw, e):
    """(e', what): one renaming of a bound index: a fresh name, a legal shadowing one, or a capture
    (usually wrong); or sums merged under one name (usually wrong)."""
    return _apply_random(draw, e, RENAMINGS)


@st.composite
def corrupted(draw, e):
    """(e', what): e after one corruption, or (None, None) if none applies."""
    return _apply_random(draw, e, CORRUPTIONS)


# ---- printing ------------------------------------------------------------------------------------


def show(e) -> str:
    """A compact human-readable form (failure messages print this and the repr, which is code)."""
    def slot(s):
        return s.name if isinstance(s, Index) else str(s)

    if isinstance(e, Num):
        return str(e.value)
    if isinstance(e, Size):
        return e.dim.name
    if isinstance(e, Entry):
        base = e.obj.name + (f"[{','.join(slot(s) for s in e.idx)}]" if e.idx else "")
        if not e.derivs:
            return base
        return f"∂{base}/" + "".join(f"∂{v.name}[{','.join(slot(s) for s in d)}]" for v, d in e.derivs)
    if isinstance(e, Delta):
        return f"δ({slot(e.a)},{slot(e.b)})"
    if isinstance(e, Add):
        return "(" + " + ".join(show(a) for a in e.args) + ")"
    if isinstance(e, Mul):
        return "·".join(show(a) for a in e.args) if e.args else "1"
    if isinstance(e, Pow):
        return f"({show(e.base)})^{e.exp}"
    if isinstance(e, Sum):
        rng = "" if e.lo is None and e.hi is None else f"={show(e.lo) if e.lo else 1}..{show(e.hi) if e.hi else e.index.dim.name}"
        return f"Σ_{e.index.name}{rng}[{show(e.body)}]"
    if isinstance(e, Deriv):
        return f"∂/∂{e.var.name}[{','.join(slot(s) for s in e.idx)}]({show(e.body)})"
    if isinstance(e, Select):
        return "[" + ", ".join(show(o) for o in e.options) + f"][{slot(e.index)}]"
    return repr(e)


# ---- renaming and reordering (for the normal form's invariance) ----------------------------------


@st.composite
def shuffled(draw, e):
    """e with every bound index renamed, every sum and product reordered, and the slots of every
    δ and of every symmetric entry swapped at random."""
    counter = iter(range(10_000))

    def go(e, sub):
        if isinstance(e, Sum):
            new = Index(f"β{next(counter)}", e.index.dim)
            return Sum(new, go(e.body, {**sub, e.index: new}), e.lo, e.hi)
        if isinstance(e, Entry):
            idx = tuple(sub.get(s_, s_) for s_ in e.idx)
            if e.obj.symmetric and draw(st.booleans()):
                idx = (idx[1], idx[0])
            derivs = tuple((v, tuple(sub.get(s_, s_) for s_ in d)) for v, d in e.derivs)
            if derivs:
                derivs = tuple(derivs[p] for p in draw(st.permutations(list(range(len(derivs))))))
            return Entry(e.obj, idx, derivs)
        if isinstance(e, Delta):
            a_, b_ = sub.get(e.a, e.a), sub.get(e.b, e.b)
            return Delta(b_, a_) if draw(st.booleans()) else Delta(a_, b_)
        if isinstance(e, (Add, Mul)):
            args = [go(c, sub) for c in e.args]
            perm = draw(st.permutations(list(range(len(args)))))
            return with_children(e, tuple(args[p] for p in perm))
        if isinstance(e, Deriv):
            return Deriv(e.var, tuple(sub.get(s_, s_) for s_ in e.idx), go(e.body, sub))
        if isinstance(e, Select):
            return Select(sub.get(e.index, e.index), tuple(go(o, sub) for o in e.options))
        kids = children(e)
        return with_children(e, tuple(go(c, sub) for c in kids)) if kids else e

    return go(e, {})
