"""The exact check at concrete sizes: the cross-check evaluates both sides at random points modulo a
large prime (`PointEvaluator`). The same evaluator works in the rationals for the counterexample
searches, which are not trusted and live outside the kernel (vecproof/counterexamples/).

`grid_bounds` gives, per symbolic dimension τ, N_τ (the most distinct τ-indices a flattened term can
hold) and D_τ (the most "coefficient degree in n_τ + bound τ-indices"); by the size-grid theorem
(docs/reliability.md) an identity in the fragment holds for all sizes iff it holds exactly at every
size in {N_τ … N_τ + D_τ}. These bounds are read off the expression structurally, independently of
the normal form.
"""

from __future__ import annotations

import itertools
import operator
from fractions import Fraction


from .terms import (
    MATRIX_ATOMS, IllFormed, Add, App, Delta, Deriv, Det, Dim, Entry, Expr, Fold, Index, Inverse, Mul, Num,
    Pow, Select, Size, Sum, VApp, children, free_slots, slots, walk,
)


class GridLimit(Exception):
    """The exact check would be too large to run."""


class UnusablePoint(Exception):
    """A random point outside what a step assumes (a matrix it inverts is singular there): the
    caller draws another."""



def grid_bounds(expr: Expr) -> dict[Dim, tuple[int, int]]:
    """{symbolic dim: (N, D)} for every symbolic dimension the expression mentions."""
    dims = _dims_in(expr)
    free = free_slots(expr)
    out = {}
    for d in sorted(dims):
        n_free = sum(1 for i in free if i.dim == d)
        out[d] = (n_free + _bound_count(expr, d, False), _bound_count(expr, d, True))
    return out


def _dims_in(e: Expr) -> set[Dim]:
    """The symbolic dimensions `e` mentions: as sizes, through index slots and through Σ binders."""
    out = set()
    for node in walk(e):
        if type(node) is Size:
            dims = (node.dim,)
        elif type(node) is Sum:
            dims = (node.index.dim,)
        elif type(node) in MATRIX_ATOMS:
            dims = node.obj.dims
        elif type(node) is VApp:  # F(u) reads every entry of u
            dims = node.obj.dims + tuple(s.dim for s in node.at if isinstance(s, Index))
        else:
            dims = tuple(s.dim for s in slots(node) if isinstance(s, Index))
        out.update(d for d in dims if d.symbolic)
    return out


def _bound_count(e: Expr, d: Dim, with_degree: bool) -> int:
    """Max over flattened terms of (#bound d-indices [+ degree in n_d if with_degree]).

    Alternatives (a sum's terms, an explicit list's options) take the max; anything else adds up
    its children (a product's factors; the one body of a derivative or a folded notation), which
    for a new kind of term errs on the safe side (a larger grid)."""
    if isinstance(e, Size):
        return 1 if (with_degree and e.dim == d) else 0
    if isinstance(e, VApp):  # F(u) = F(u[1], …, u[m]): counted as one more index over u's dimension
        return 1 if e.obj.dims[0] == d else 0
    if isinstance(e, (Add, Select)):
        return max((_bound_count(a, d, with_degree) for a in children(e)), default=0)
    if isinstance(e, Pow):
        return e.exp * _bound_count(e.base, d, with_degree)
    if isinstance(e, Sum):
        extra = max(
            (_bound_count(x, d, with_degree) for x in (e.lo, e.hi) if x is not None), default=0
        )
        return _bound_count(e.body, d, with_degree) + (1 if e.index.dim == d else 0) + extra
    return sum(_bound_count(a, d, with_degree) for a in children(e))


def anchored_bounds(expr: Expr, bounds: dict[Dim, tuple[int, int]]) -> dict[Dim, tuple[int, int]]:
    """`bounds` with each D_τ lowered, where the expression is in F, to the largest (coefficient degree
    in n_τ + number of *unanchored* bound τ-indices) of a flattened term; `bounds` unchanged outside F.

    A bound index is anchored in a term when it sits in a slot of an entry of that term (an entry of an
    object not differentiated there: ∂/∂x turns x's entries into deltas). Given a monomial of the
    entries, the anchored indices take finitely many values (those of the monomial), whatever the
    size, and the unanchored ones, tied by deltas, contribute n_τ^(free components): the coefficient of
    the monomial is a polynomial of degree ≤ this D_τ (docs/reliability.md, the size-grid theorem)."""
    dims = sorted(bounds)
    try:
        profiles = _profiles(expr, dims, frozenset())
    except _NotF:
        return bounds
    out = dict(bounds)
    for k, d in enumerate(dims):
        n, deg = bounds[d]
        out[d] = (n, min(deg, max((p[0][k] for p in profiles), default=0)))
    return out


class _NotF(Exception):
    """Outside the fragment F (or too many term profiles): keep the structural bounds."""


_MAX_PROFILES = 256


def _profiles(e: Expr, dims: list[Dim], under: frozenset) -> list[tuple[tuple[int, ...], frozenset]]:
    """The (degree per dimension of `dims`, anchored indices) of every flattened term of `e`, up to
    duplicates; `under`: the variables being differentiated by around `e`."""
    t = type(e)
    zero = (0,) * len(dims)
    if t is Num:
        return [(zero, frozenset())]
    if t is Size:
        return [(tuple(int(d == e.dim) for d in dims), frozenset())]
    if t is Entry:
        if not all(type(s) is Index for s in e.idx) or not all(type(s) is Index for _, d in e.derivs for s in d):
            raise _NotF
        return [(zero, frozenset() if e.obj.name in under else frozenset(e.idx))]
    if t is Delta:
        if type(e.a) is not Index or type(e.b) is not Index or e.a.dim != e.b.dim:
            raise _NotF
        return [(zero, frozenset())]
    if t is Add:
        out = {p for a in e.args for p in _profiles(a, dims, under)}
    elif t is Mul or t is Pow:
        factors = e.args if t is Mul else (e.base,) * e.exp
        out = {(zero, frozenset())}
        for f in factors:
            fp = _profiles(f, dims, under)
            out = {(tuple(x + y for x, y in zip(a[0], b[0])), a[1] | b[1]) for a in out for b in fp}
            if len(out) > _MAX_PROFILES:
                raise _NotF
    elif t is Sum:
        if e.lo is not None or e.hi is not None:
            raise _NotF
        i = e.index
        bump = tuple(int(d == i.dim) for d in dims)
        out = {(deg if i in anch else tuple(x + y for x, y in zip(deg, bump)), anch - {i})
               for deg, anch in _profiles(e.body, dims, under)}
    elif t is Deriv:
        if e.var.kind != "var" or not all(type(s) is Index for s in e.idx):
            raise _NotF
        return _profiles(e.body, dims, under | {e.var.name})
    elif t is Fold:
        return _profiles(e.body, dims, under)
    else:  # explicit lists, inverses, determinants, applied functions: outside F
        raise _NotF
    if len(out) > _MAX_PROFILES:
        raise _NotF
    return list(out)


def size_grid(bounds: dict[Dim, tuple[int, int]]) -> list[dict[Dim, int]]:
    """Every size assignment of the grid {N_τ … N_τ + D_τ}, smallest first."""
    dims = list(bounds)
    ranges = []
    for d in dims:
        n, deg = bounds[d]
        start = max(n, 1)
        ranges.append(range(start, start + deg + 1))
    points = [dict(zip(dims, p)) for p in itertools.product(*ranges)]
    points.sort(key=lambda s: (sum(s.values()), [s[d] for d in dims]))
    return points


def sizes_up_to(bounds: dict[Dim, tuple[int, int]]) -> list[dict[Dim, int]]:
    """Every size assignment from 1 up to the top of the grid, smallest first (for counterexamples)."""
    dims = list(bounds)
    ranges = [range(1, max(n, 1) + deg + 1) for n, deg in (bounds[d] for d in dims)]
    points = [dict(zip(dims, p)) for p in itertools.product(*ranges)]
    points.sort(key=lambda s: (sum(s.values()), [s[d] for d in dims]))
    return points


def free_assignments(free: list[Index], sizes: dict[Dim, int], all_values: bool, generic=frozenset()):
    """Values for the free indices: every value for concrete dimensions; for symbolic ones (and the
    concrete ones in `generic`, which the expression uses only through index variables), one
    representative per equality pattern (entries are generic, so relabelling values is a symmetry),
    or every value when `all_values` (outside the fragment, where that symmetry is not available)."""
    by_dim: dict[Dim, list[Index]] = {}
    for i in free:
        by_dim.setdefault(i.dim, []).append(i)
    per_dim = []
    for d, idxs in by_dim.items():
        size = d.size if not d.symbolic else sizes[d]
        if (not d.symbolic and d not in generic) or all_values:
            per_dim.append([dict(zip(idxs, vals)) for vals in itertools.product(range(1, size + 1), repeat=len(idxs))])
        else:
            per_dim.append([dict(zip(idxs, vals)) for vals in _patterns(len(idxs), size)])
    for combo in itertools.product(*per_dim):
        env = {}
        for part in combo:
            env.update(part)
        yield env


def _patterns(k: int, size: int):
    """Restricted growth strings of length k with values ≤ size (1-based)."""
    def rec(prefix, top):
        if len(prefix) == k:
            yield tuple(prefix)
            return
        for v in range(1, min(top + 1, size) + 1):
            yield from rec(prefix + [v], max(top, v))
    yield from rec([], 0)


# ---- point evaluation: the cross-check and the quick counterexample search --------------------------

PRIME = 2**61 - 1  # the cross-check's field: a nonzero difference of degree d vanishes w.p. ≤ d / PRIME
POINTS = 2  # random points per size of the grid


class PointEvaluator:
    """Evaluates index expressions at fixed sizes and one point, exactly: modulo `modulus`, or in the
    rationals when it is None. Each entry (and each derivative unknown of a function) gets the value
    `draw()` the first time it is read (`values`, keyed by (object, indices, derivatives) in reading
    order). No polynomial is built.

    ∂/∂v[a] is taken in forward mode: inside k derivatives a value is a jet, a tuple of 2^k
    coefficients indexed by subsets of the active directions (hyper-dual numbers, εᵢ² = 0), so nested
    derivatives give exact mixed partials, with the chain rule through the functions' derivative
    unknowns. A sum is memoised by the values of its free indices, so a chain of k matrix products
    costs about k·n³, not n^k. The expressions are first compiled to tuples with index variables
    numbered. Work is charged to `budget` before it is done (a sum: its length times the size of its
    body outside inner sums; a product of jets: its width squared); past the budget, GridLimit."""

    def __init__(self, exprs: list[Expr], budget, modulus: int | None):
        self.budget = budget
        self.mod = modulus
        self._slots: dict[Index, int] = {}
        self._dims: dict[Dim, int] = {}
        self._logdets: dict[str, tuple] = {}  # the matrices whose log-determinant is written
        self._minus_one = self._num(Fraction(-1))
        self._plans: dict = {}  # (the factors of a product, in jets, recording) → `_plan`
        self._pins: dict = {}  # (a sum's index, its product's factors) → `_pin`
        self._code = {id(e): self._compile(e) for e in exprs}
        self._exprs = exprs  # keeps the ids above valid

    def reset(self, sizes: dict[Dim, int], draw) -> None:
        """A new point: sizes `sizes`, fresh entry values from `draw`. In the rationals, a matrix whose
        log-determinant is written gets determinant 1 (so log det is exactly 0, and det > 0)."""
        self._sz = [d.size if not d.symbolic else sizes[d] for d in self._dims]
        self.draw = draw
        self.values: dict[tuple, object] = {}
        self.read: set[tuple] | None = None  # when a set, every entry read is recorded in it
        self._memo: dict = {}
        self._dirs: tuple[tuple[str, tuple[int, ...]], ...] = ()
        if not self.mod:
            for name, spec in self._logdets.items():
                self._unimodular(name, self._sz[spec[1]], spec[4])

    def value(self, e: Expr, env: dict):
        """The value of `e` (one of the compiled expressions) with its free indices set by `env`."""
        slots = [0] * len(self._slots)
        for i, v in env.items():
            if i in self._slots:
                slots[self._slots[i]] = v
        return self._ev(self._code[id(e)], slots)

    def recorded(self, e: Expr, env: dict):
        """`value(e, env)` computed afresh, with the entries it reads added to `self.read`."""
        self._memo = {}
        if self.read is None:
            self.read = set()
        return self.value(e, env)

    # ---- compilation: (opcode, …) tuples; a slot is an index position ≥ 0 or −numeral --------------

    def _slot(self, s) -> int:
        if isinstance(s, Index):
            return self._slots.setdefault(s, len(self._slots))
        return -s

    def _dim(self, d: Dim) -> int:
        return self._dims.setdefault(d, len(self._dims))

    def _compile(self, e: Expr):
        t = type(e)
        if t is Num:
            return (_NUM, self._num(e.value))
        if t is Size:
            return (_SIZE, self._dim(e.dim))
        if t is Entry:
            o = e.obj
            derivs = tuple((v.name, tuple(map(self._slot, d))) for v, d in e.derivs)
            if derivs and o.kind != "func":
                raise IllFormed(f"{o.name} is not a function: its entries have no derivatives")
            if len(e.idx) != len(o.dims):
                raise IllFormed(f"{o.name} has {len(o.dims)} slots, not {len(e.idx)}")
            # an index of the slot's own dimension is always in range (sums and free values are)
            check = tuple((self._slot(s), self._dim(d)) for s, d in zip(e.idx, o.dims)
                          if not (isinstance(s, Index) and s.dim == d))
            return (_ENTRY, o.name, tuple(map(self._slot, e.idx)), check, derivs,
                    o.symmetric and len(o.dims) == 2, o.kind, o.depends_on)
        if t is Delta:
            return (_DELTA, self._slot(e.a), self._slot(e.b))
        if t is Add:
            return (_ADD, tuple(map(self._compile, e.args)))
        if t is Mul:  # a product within a product is spliced in: the same factors in the same order
            factors = []
            for a in map(self._compile, e.args):
                factors.extend(a[1] if a[0] == _MUL else (a,))
            return (_MUL, tuple(factors))
        if t is Pow:
            return (_POW, self._compile(e.base), e.exp)
        if t is Sum:
            body = self._compile(e.body)
            lo, hi = (None if x is None else self._compile(x) for x in (e.lo, e.hi))
            free = tuple(self._slot(i) for i in sorted(free_slots(e)))
            return (_SUM, self._slot(e.index), body, lo, hi, self._dim(e.index.dim), free, _local_size(e.body))
        if t is Deriv:
            return (_DERIV, e.var.name, tuple(map(self._slot, e.idx)), self._compile(e.body))
        if t is Fold:
            return self._compile(e.body)
        if t is Select:
            return (_SELECT, self._slot(e.index), tuple(map(self._compile, e.options)))
        if t in MATRIX_ATOMS:
            o = e.obj
            spec = (o.name, self._dim(o.dims[0]), o.kind, o.depends_on, o.symmetric)
            if t is Inverse:
                return (_INV, spec, tuple(map(self._slot, e.idx)))
            if t is Det:
                return (_DET, spec, e.power)
            self._logdets[o.name] = spec
            return (_LOGDET, spec)
        if t is App:
            return (_APP, e.fn, e.order, self._compile(e.arg))
        if t is VApp:
            o = e.obj
            entry = (_ENTRY, o.name, None, (), (), False, o.kind, o.depends_on)
            return (_VAPP, e.fn, entry, self._dim(o.dims[0]), tuple(map(self._slot, e.at)))
        raise TypeError(f"not an index expression: {e!r}")

    # ---- arithmetic on numbers and jets ------------------------------------------------------------

    def _num(self, q: Fraction):
        if self.mod:
            return q.numerator * pow(q.denominator, -1, self.mod) % self.mod
        return q.numerator if q.denominator == 1 else q

    def _add(self, a, b):
        if type(a) is tuple or type(b) is tuple:
            a, b = self._jet(a), self._jet(b)
            m = self.mod
            return tuple([(x + y) % m for x, y in zip(a, b)]) if m else tuple([x + y for x, y in zip(a, b)])
        return (a + b) % self.mod if self.mod else a + b

    def _mul(self, a, b):
        ta, tb = type(a) is tuple, type(b) is tuple
        if not (ta or tb):
            return (a * b) % self.mod if self.mod else a * b
        if not (ta and tb):
            c, jet = (b, a) if ta else (a, b)
            if not c:
                return 0
            m = self.mod
            return tuple([(c * x) % m for x in jet]) if m else tuple([c * x for x in jet])
        width = len(a)
        self.budget.spend(width * width, GridLimit)
        if width == 2:  # one direction: (a0 + a1 ε)(b0 + b1 ε) = a0 b0 + (a0 b1 + a1 b0) ε
            m = self.mod
            lo, hi = a[0] * b[0], a[0] * b[1] + a[1] * b[0]
            return (lo % m, hi % m) if m else (lo, hi)
        out = []
        for s in range(width):
            total, t = 0, s
            while True:  # every subset t of s: the ε-monomial s splits as t · (s \ t)
                total += a[t] * b[s ^ t]
                if not t:
                    break
                t = (t - 1) & s
            out.append(total % self.mod if self.mod else total)
        return tuple(out)

    def _jet(self, v):
        if type(v) is tuple:
            return v
        return (v,) + (0,) * ((1 << len(self._dirs)) - 1)

    def _entry_value(self, key: tuple):
        if self.read is not None:
            self.read.add(key)
        v = self.values.get(key)
        if v is None:
            v = self.values[key] = self.draw()
        return v

    # ---- evaluation ---------------------------------------------------------------------------------

    def _ev(self, c, env: list):
        op = c[0]
        if op == _ENTRY:
            return self._entry(c, env)
        if op == _MUL:
            return self._sum_of_products(c[1], env)
        if op == _SUM:
            return self._sum(c, env)
        if op == _ADD:
            out = 0
            for a in c[1]:
                out = self._add(out, self._ev(a, env))
            return out
        if op == _NUM:
            return c[1]
        if op == _DELTA:
            a, b = c[1], c[2]
            return 1 if (env[a] if a >= 0 else -a) == (env[b] if b >= 0 else -b) else 0
        if op == _SIZE:
            return self._sz[c[1]]
        if op == _POW:
            self.budget.spend(c[2], GridLimit)
            base, out = self._ev(c[1], env), 1
            for _ in range(c[2]):
                out = self._mul(out, base)
            return out
        if op == _DERIV:
            return self._derive(c, env)
        if op == _INV:
            y, _ = self._matrix(c[1])
            a, b = (env[s] if s >= 0 else -s for s in c[2])
            if not (1 <= a <= len(y) and 1 <= b <= len(y)):
                raise IllFormed(f"inv({c[1][0]})[{a},{b}] is outside its ranges")
            return y[a - 1][b - 1]
        if op == _DET:
            _, d = self._matrix(c[1])
            return d if c[2] == 1 else self._recip(d)
        if op == _LOGDET:
            return self._logdet(c[1])
        if op == _APP:
            from .functions import app_value  # the derivative laws' table
            self.budget.spend(1 << len(self._dirs), GridLimit)
            return app_value(self, c[1], c[2], self._ev(c[3], env))
        if op == _VAPP:
            from .functions import vapp_value
            _, fn, entry, dim, at = c
            size = self._sz[dim]
            self.budget.spend(size << len(self._dirs), GridLimit)
            vec = [self._entry(entry[:2] + ((-v,),) + entry[3:], env) for v in range(1, size + 1)]
            return vapp_value(self, fn, tuple(env[s] if s >= 0 else -s for s in at), vec)
        v = env[c[1]] if c[1] >= 0 else -c[1]  # _SELECT
        if not 1 <= v <= len(c[2]):
            raise IllFormed(f"entry {v} of an explicit list of {len(c[2])}")
        return self._ev(c[2][v - 1], env)

    def _entry(self, c, env: list):
        _, name, slots, check, derivs, symmetric, kind, depends_on = c
        idx = tuple([env[s] if s >= 0 else -s for s in slots])
        for s, d in check:
            if not 1 <= (env[s] if s >= 0 else -s) <= self._sz[d]:
                raise IllFormed(f"{name}[{','.join(map(str, idx))}] is outside its ranges")
        if symmetric and idx[0] > idx[1]:
            idx = (idx[1], idx[0])
        if derivs:
            derivs = tuple(sorted((v, tuple(env[s] if s >= 0 else -s for s in d)) for v, d in derivs))
        key = (name, idx, derivs)
        if self.read is not None:
            self.read.add(key)
        base = self.values.get(key)
        if base is None:
            base = self.values[key] = self.draw()
        dirs = self._dirs
        if not dirs or kind == "const":
            return base
        if kind == "var":
            hits = [b for b, d in enumerate(dirs) if d[0] == name and d[1] == idx]
            if not hits:
                return base
            jet = [base] + [0] * ((1 << len(dirs)) - 1)
            for b in hits:
                jet[1 << b] = 1
            return tuple(jet)
        mask = sum(1 << b for b, (v, _) in enumerate(dirs) if v == depends_on)
        if not mask:
            return base
        jet = [base] + [0] * ((1 << len(dirs)) - 1)
        s = mask
        while s:  # the chain rule: the coefficient of ε^s is the derivative unknown by the directions in s
            more = tuple(dirs[b] for b in range(len(dirs)) if s >> b & 1)
            jet[s] = self._entry_value((name, idx, tuple(sorted(derivs + more))))
            s = (s - 1) & mask
        return tuple(jet)

    def _sum(self, c, env: list):
        _, pos, body, lo_c, hi_c, dim, free, local = c
        size = self._sz[dim]
        lo = 1 if lo_c is None else self._int(lo_c, env)
        hi = size if hi_c is None else self._int(hi_c, env)
        if lo <= hi and (lo < 1 or hi > size):
            raise IllFormed(f"a sum runs over {lo}..{hi}, outside 1..{size}")
        key = (id(c), tuple([env[i] for i in free]), self._dirs)
        got = self._memo.get(key)
        if got is not None:
            return got
        self.budget.spend(1 + max(0, hi - lo + 1) * local, GridLimit)
        out, saved = 0, env[pos]
        if body[0] == _MUL:
            pin = self._pin(pos, body[1]) if self.mod and self.read is None else None
            if pin is not None:  # Σ_b δ(b, s)·g(b) = g(s) when lo ≤ s ≤ hi, else 0
                at = env[pin] if pin >= 0 else -pin
                lo, hi = (at, at) if lo <= at <= hi else (1, 0)
            out = self._sum_of_products(body[1], env, pos, lo, hi)
        else:
            for v in range(lo, hi + 1):
                env[pos] = v
                out = self._add(out, self._ev(body, env))
        env[pos] = saved
        self._memo[key] = out
        return out

    def _sum_of_products(self, factors: tuple, env: list, pos: int = -1, lo: int = 1, hi: int = 1):
        """Σ_{env[pos] = lo..hi} Π factors, or with `pos` −1 the product alone: what `_ev` of the
        product, summed with `_add`, gives. The factors are read as `_plan` says, in order, a product
        stopping at its first zero factor unless the entries read are being recorded; scalar
        products and their sum are reduced modulo the prime once, at the end (the same residue as
        reducing after every operation; residues are in 0..p−1, so an unreduced product is 0 iff a
        factor is)."""
        plan, stop = self._plan(factors)
        dirs, memo, values = self._dirs, self._memo, self.values
        out, acc = 0, 0
        for v in range(lo, hi + 1):
            if pos >= 0:
                env[pos] = v
            prod = 1
            for how, f, a, b in plan:
                if how == 1:
                    x = memo.get((a, b(env), dirs))
                    if x is None:
                        x = self._sum(f, env)
                elif how == 2:
                    x = values.get((a, b(env), ()))
                    if x is None:
                        x = self._entry(f, env)
                elif how == 4:
                    x = 1 if (env[a] if a >= 0 else -a) == (env[b] if b >= 0 else -b) else 0
                elif how == 5:
                    got = memo.get((*a, dirs))
                    r, c = (env[s] if s >= 0 else -s for s in b)
                    if got is None or not (1 <= r <= len(got[0]) and 1 <= c <= len(got[0])):
                        x = self._ev(f, env)
                    else:
                        x = got[0][r - 1][c - 1]
                elif how == 6:
                    x = a
                elif how == 3:
                    x = self._entry(f, env)
                else:
                    x = self._ev(f, env)
                if type(prod) is int and type(x) is int:
                    prod *= x
                    if stop and not prod:
                        break
                else:
                    prod = self._mul(prod, x)
                    if stop and not (any(prod) if type(prod) is tuple else prod):
                        prod = 0
                        break
            if type(prod) is tuple:
                out = self._add(out, prod)
            else:
                acc += prod
        return self._add(out, acc % self.mod if self.mod else acc)

    def _pin(self, pos: int, factors: tuple):
        """The slot s of a factor δ(b, s) (or δ(s, b)) of the product, b the index at `pos` and s not b:
        every term of the sum over b but the one at b = s has a zero factor. None if there is none.
        Used in the cross-check only (modulo the prime, not recording): the entries of the skipped
        terms are then not read, so the values are drawn in another order — still independent and
        uniform — and the counterexample searches, whose points are shown, keep their order."""
        key = (pos, id(factors))
        if key not in self._pins:  # (not where an entry's range is checked: its error is not skipped)
            checked = any(f[0] == _ENTRY and f[3] for f in factors)
            self._pins[key] = None if checked else next(
                (f[2] if f[1] == pos else f[1] for f in factors if f[0] == _DELTA and (f[1] == pos) != (f[2] == pos)),
                None)
        return self._pins[key]

    def _plan(self, factors: tuple) -> tuple:
        """How `_sum_of_products` reads each factor, for the current kind of evaluation (in jet
        directions or not, recording the entries read or not): 1 a full-range sum (its memo looked
        up), 2 an entry with index variables of its slots' own dimensions, not symmetric, whose value
        is not a jet here (`values` looked up), 3 any other entry, 4 a delta, 5 an entry of an
        inverse (the matrix's memo looked up), 6 a number, 0 anything else; every miss goes through
        `_ev`'s code."""
        stop = self.read is None
        key = (id(factors), bool(self._dirs), stop)
        got = self._plans.get(key)
        if got is not None:
            return got
        plan = []
        for f in factors:
            op = f[0]
            if op == _SUM:
                plan.append((1 if f[3] is None and f[4] is None else 0, f, id(f), _getter(f[6])))
            elif op == _ENTRY:
                simple = stop and not f[3] and not f[4] and not f[5] and (not self._dirs or f[6] == "const")
                plan.append((2 if simple else 3, f, f[1], _getter(f[2])))
            elif op == _DELTA:
                plan.append((4, f, f[1], f[2]))
            elif op == _INV:
                plan.append((5, f, ("matrix", f[1][0]), f[2]))
            elif op == _NUM:
                plan.append((6, f, f[1], None))
            else:
                plan.append((0, f, None, None))
        got = self._plans[key] = (tuple(plan), stop)
        return got

    def _derive(self, c, env: list):
        k = len(self._dirs)
        saved = self._dirs
        self._dirs = saved + ((c[1], tuple(env[s] if s >= 0 else -s for s in c[2])),)
        try:
            v = self._ev(c[3], env)
        finally:
            self._dirs = saved
        if type(v) is not tuple:
            return 0
        bit = 1 << k
        return v[bit] if not k else tuple(v[s | bit] for s in range(bit))

    # ---- inverses and determinants (kernel/inverse.py) -----------------------------------------------

    def _matrix(self, spec):
        """(X⁻¹ as rows, det X) for the declared matrix of `spec` at this point, in the current jet
        directions, exactly (Gauss–Jordan elimination); UnusablePoint where X is singular."""
        name, dim, kind, depends_on, symmetric = spec
        key = ("matrix", name, self._dirs)
        got = self._memo.get(key)
        if got is not None:
            return got
        n = self._sz[dim]
        self.budget.spend(1 + 2 * n ** 3 * (1 << len(self._dirs)) ** 2, GridLimit)
        x = [[self._entry((_ENTRY, name, (-i, -j), (), (), symmetric, kind, depends_on), [])
              for j in range(1, n + 1)] for i in range(1, n + 1)]
        rows = [row + [1 if i == j else 0 for j in range(n)] for i, row in enumerate(x)]
        det = 1
        for col in range(n):
            pivot = next((r for r in range(col, n) if self._head(rows[r][col])), None)
            if pivot is None:
                raise UnusablePoint(f"{name} is singular at this point")
            if pivot != col:
                rows[col], rows[pivot] = rows[pivot], rows[col]
                det = self._mul(self._minus_one, det)
            det = self._mul(det, rows[col][col])
            scale = self._recip(rows[col][col])
            rows[col] = [self._mul(scale, v) for v in rows[col]]
            for r in range(n):
                f = rows[r][col]
                if r != col and (any(f) if type(f) is tuple else f):
                    minus_f = self._mul(self._minus_one, f)
                    rows[r] = [self._add(v, self._mul(minus_f, w)) for v, w in zip(rows[r], rows[col])]
        got = self._memo[key] = ([row[n:] for row in rows], det)
        return got

    def _head(self, v):
        return v[0] if type(v) is tuple else v

    def _recip(self, v):
        """1/v exactly; for a jet v0 + u (u nilpotent of order ≤ the directions): (1/v0) Σ_k (−u/v0)^k."""
        if type(v) is not tuple:
            if not v:
                raise UnusablePoint("a determinant is 0 at this point")
            return pow(v, -1, self.mod) if self.mod else Fraction(1) / v
        inv0 = self._recip(v[0])
        step = self._mul(self._mul(self._minus_one, inv0), (0,) + v[1:])
        out, power = 1, 1
        for _ in self._dirs:
            power = self._mul(power, step)
            out = self._add(out, power)
        return self._mul(inv0, out)

    def _logdet(self, spec):
        """log det X: its value an independent unknown modulo the prime (no law relates it to X), 0 in
        the rationals (where X was drawn with det X = 1); its derivatives exact, by the series
        log(d0 + u) = log d0 + Σ_k (−1)^(k+1) (u/d0)^k / k of the determinant's jet."""
        _, d = self._matrix(spec)
        if self.mod:
            base = self._entry_value((f"log det {spec[0]}", (), ()))
        else:
            if self._head(d) != 1:
                raise UnusablePoint(f"det {spec[0]} is not 1 at this point")
            base = 0
        if type(d) is not tuple:
            return base
        u = self._mul(self._recip(d[0]), (0,) + d[1:])
        out, power = base, 1
        for k in range(1, len(self._dirs) + 1):
            power = self._mul(power, u)
            out = self._add(out, self._mul(self._num(Fraction((-1) ** (k + 1), k)), power))
        return out

    def _unimodular(self, name: str, n: int, symmetric: bool) -> None:
        """Draw the entries of matrix `name` as L·U·L' with L, L' unit lower and U unit upper
        triangular: det = 1, and no minor is forced to a value; a symmetric one as L·Lᵀ (det = 1)."""
        def triangle(lower: bool):
            return [[1 if i == j else self.draw() if (i > j) == lower else 0 for j in range(n)] for i in range(n)]

        def times(a, b):
            return [[sum(a[i][k] * b[k][j] for k in range(n)) for j in range(n)] for i in range(n)]

        if symmetric:
            low = triangle(True)
            x = times(low, [list(col) for col in zip(*low)])
        else:
            x = times(times(triangle(True), triangle(False)), triangle(True))
        for i in range(n):
            for j in range(i if symmetric else 0, n):
                self.values[(name, (i + 1, j + 1), ())] = x[i][j]

    def _int(self, c, env: list) -> int:
        v = self._ev(c, env)
        v = v[0] if type(v) is tuple else v
        if self.mod:
            return v if v <= self.mod // 2 else v - self.mod
        return int(v)


def _getter(positions: tuple):
    """A function of `env` giving tuple(env[p] for p in positions) (the positions are ≥ 0 where used)."""
    if len(positions) >= 2:
        return operator.itemgetter(*positions)
    if len(positions) == 1:
        p = positions[0]
        return lambda env: (env[p],)
    return lambda env: ()


_NUM, _SIZE, _ENTRY, _DELTA, _ADD, _MUL, _POW, _SUM, _DERIV, _SELECT, _INV, _DET, _LOGDET, _APP, _VAPP = range(15)


def _local_size(e: Expr) -> int:
    """The nodes of `e` outside inner sums: the work of one evaluation of a sum's body."""
    return 1 + sum(1 if type(a) is Sum else _local_size(a) for a in children(e))
