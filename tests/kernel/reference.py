"""An exact reference semantics for index expressions, independent of the kernel.

It shares only the term dataclasses (`vecproof.kernel.terms`) with the kernel: no normal form, no
`grid.Evaluator`, no SymPy. An expression is evaluated at concrete sizes and concrete values of its
free indices to a polynomial with rational coefficients in the entries of the declared objects:

* a polynomial is a dict {monomial: coefficient}; a monomial is a sorted tuple of (key, power);
* a key is (object name, index values, derivatives) where derivatives is a sorted tuple of
  (variable name, index values) — the unknown ∂^k obj[idx] / ∂var[d1]…∂var[dk];
* a symmetric matrix has one unknown per unordered pair of indices (S[i,j] and S[j,i] are the same);
* ∂/∂x[k] is the formal derivative of the polynomial: ∂x[k]/∂x[k] = 1, other entries of x and every
  constant give 0, and an entry of a function u(x) gives the unknown with one more derivative (the
  chain rule; mixed partial derivatives commute because derivative tuples are sorted).

Sums run over their explicit range (lo..hi, default 1..size), so partial ranges are evaluated too.
"""

from __future__ import annotations

import itertools
import re
from fractions import Fraction

from vecproof.kernel.terms import (
    Add, Delta, Deriv, Dim, Entry, Fold, Index, Mul, Num, Obj, Pow, Select, Size, Sum,
)


class Undefined(Exception):
    """The expression has no value at this point (e.g. an entry outside its object's range)."""


# ---- polynomials ---------------------------------------------------------------------------------


def _norm(c):
    if isinstance(c, Fraction) and c.denominator == 1:
        return int(c)
    return c


def pconst(c) -> dict:
    c = _norm(c)
    return {(): c} if c else {}


def pvar(key) -> dict:
    return {((key, 1),): 1}


def padd(p: dict, q: dict, scale=1) -> dict:
    out = dict(p)
    for mono, c in q.items():
        v = out.get(mono, 0) + scale * c
        if v:
            out[mono] = _norm(v)
        else:
            out.pop(mono, None)
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


def pmul(p: dict, q: dict) -> dict:
    if not p or not q:
        return {}
    out: dict = {}
    for ma, ca in p.items():
        for mb, cb in q.items():
            m = _mono_mul(ma, mb)
            v = out.get(m, 0) + ca * cb
            if v:
                out[m] = _norm(v)
            else:
                out.pop(m, None)
    return out


def ppow(p: dict, e: int) -> dict:
    out = pconst(1)
    for _ in range(e):
        out = pmul(out, p)
    return out


def pdiff(p: dict, var: Obj, at: tuple, objs: dict) -> dict:
    """∂p/∂var[at] with the chain rule through functions of `var`."""
    out: dict = {}
    for mono, c in p.items():
        for pos, (key, power) in enumerate(mono):
            name, idx, derivs = key
            obj = objs[name]
            if name == var.name and obj.kind == "var" and not derivs:
                if idx != at:
                    continue
                extra = None
            elif obj.kind == "func" and obj.depends_on == var.name:
                extra = (name, idx, tuple(sorted(derivs + ((var.name, at),))))
            else:
                continue
            rest = list(mono)
            if power == 1:
                del rest[pos]
            else:
                rest[pos] = (key, power - 1)
            m = tuple(rest)
            if extra is not None:
                m = _mono_mul(m, ((extra, 1),))
            v = out.get(m, 0) + c * power
            if v:
                out[m] = _norm(v)
            else:
                out.pop(m, None)
    return out


def peval(p: dict, values: dict) -> Fraction:
    """The value of `p` with unknown `key` set to values.get(key, 0)."""
    total = Fraction(0)
    for mono, c in p.items():
        t = Fraction(c)
        for key, power in mono:
            t *= Fraction(values.get(key, 0)) ** power
            if not t:
                break
        total += t
    return total


# ---- structure -----------------------------------------------------------------------------------


def free_indices(e, bound: frozenset = frozenset()) -> frozenset:
    """The index variables free in `e` (own implementation, not terms.free_slots)."""
    if isinstance(e, Entry):
        slots = list(e.idx) + [s for _, d in e.derivs for s in d]
        return frozenset(s for s in slots if isinstance(s, Index) and s not in bound)
    if isinstance(e, Delta):
        return frozenset(s for s in (e.a, e.b) if isinstance(s, Index) and s not in bound)
    if isinstance(e, (Add, Mul)):
        return frozenset().union(*(free_indices(a, bound) for a in e.args))
    if isinstance(e, Pow):
        return free_indices(e.base, bound)
    if isinstance(e, Sum):
        out = free_indices(e.body, bound | {e.index})
        for x in (e.lo, e.hi):
            if x is not None:
                out |= free_indices(x, bound)
        return out
    if isinstance(e, Deriv):
        own = frozenset(s for s in e.idx if isinstance(s, Index) and s not in bound)
        return own | free_indices(e.body, bound)
    if isinstance(e, Fold):
        return free_indices(e.body, bound)
    if isinstance(e, Select):
        out = frozenset().union(*(free_indices(o, bound) for o in e.options))
        if isinstance(e.index, Index) and e.index not in bound:
            out |= {e.index}
        return out
    return frozenset()


def objects(e, out: dict | None = None) -> dict:
    if out is None:
        out = {}
    if isinstance(e, Entry):
        out[e.obj.name] = e.obj
        for v, _ in e.derivs:
            out[v.name] = v
    elif isinstance(e, (Add, Mul)):
        for a in e.args:
            objects(a, out)
    elif isinstance(e, Pow):
        objects(e.base, out)
    elif isinstance(e, (Sum, Fold)):
        objects(e.body, out)
    elif isinstance(e, Deriv):
        out[e.var.name] = e.var
        objects(e.body, out)
    elif isinstance(e, Select):
        for o in e.options:
            objects(o, out)
    return out


def dims_of(e, out: set | None = None) -> set:
    """Every symbolic dimension mentioned (index variables, sizes)."""
    if out is None:
        out = set()
    if isinstance(e, Size):
        if e.dim.symbolic:
            out.add(e.dim)
    elif isinstance(e, Entry):
        for s in list(e.idx) + [s for _, d in e.derivs for s in d]:
            if isinstance(s, Index) and s.dim.symbolic:
                out.add(s.dim)
        for d in e.obj.dims:
            if d.symbolic:
                out.add(d)
    elif isinstance(e, Delta):
        for s in (e.a, e.b):
            if isinstance(s, Index) and s.dim.symbolic:
                out.add(s.dim)
    elif isinstance(e, (Add, Mul)):
        for a in e.args:
            dims_of(a, out)
    elif isinstance(e, Pow):
        dims_of(e.base, out)
    elif isinstance(e, Sum):
        if e.index.dim.symbolic:
            out.add(e.index.dim)
        for x in (e.body, e.lo, e.hi):
            if x is not None:
                dims_of(x, out)
    elif isinstance(e, Deriv):
        for s in e.idx:
            if isinstance(s, Index) and s.dim.symbolic:
                out.add(s.dim)
        dims_of(e.body, out)
    elif isinstance(e, Fold):
        dims_of(e.body, out)
    elif isinstance(e, Select):
        if isinstance(e.index, Index) and e.index.dim.symbolic:
            out.add(e.index.dim)
        for o in e.options:
            dims_of(o, out)
    return out


# ---- evaluation ----------------------------------------------------------------------------------


class Reference:
    """Evaluates expressions at one size assignment; results are memoised per node and per value of
    the node's free indices, so enumerating free-index values is cheap."""

    def __init__(self, sizes: dict, objs: dict):
        self.sizes = sizes
        self.objs = objs
        self._memo: dict = {}
        self._free: dict = {}
        self._keep: list = []  # keep evaluated nodes alive so their ids stay unique

    def size(self, d: Dim) -> int:
        return d.size if d.size is not None else self.sizes[d]

    def _slot(self, s, env) -> int:
        if isinstance(s, Index):
            v = env[s]
        else:
            v = s
        return v

    def _check_range(self, v: int, d: Dim, what: str) -> None:
        if not 1 <= v <= self.size(d):
            raise Undefined(f"{what}: {v} is outside 1..{self.size(d)}")

    def _int(self, e) -> int:
        """A size expression (numerals, sizes, + and ×) as an integer."""
        if isinstance(e, Num):
            if e.value.denominator != 1:
                raise Undefined(f"a summation bound {e.value} is not a whole number")
            return int(e.value)
        if isinstance(e, Size):
            return self.size(e.dim)
        if isinstance(e, Add):
            return sum(self._int(a) for a in e.args)
        if isinstance(e, Mul):
            out = 1
            for a in e.args:
                out *= self._int(a)
            return out
        raise Undefined(f"not a size expression: {e!r}")

    def value(self, e, env: dict) -> dict:
        node = id(e)
        free = self._free.get(node)
        if free is None:
            free = tuple(sorted(free_indices(e)))
            self._free[node] = free
            self._keep.append(e)
        key = (node, tuple(env[i] for i in free))
        got = self._memo.get(key)
        if got is None:
            got = self._value(e, env)
            self._memo[key] = got
        return got

    def _value(self, e, env: dict) -> dict:
        if isinstance(e, Num):
            return pconst(e.value)
        if isinstance(e, Size):
            return pconst(self.size(e.dim))
        if isinstance(e, Entry):
            idx = tuple(self._slot(s, env) for s in e.idx)
            for v, d in zip(idx, e.obj.dims):
                self._check_range(v, d, f"an index of {e.obj.name}")
            if e.obj.symmetric and len(idx) == 2:
                idx = tuple(sorted(idx))
            derivs = []
            for var, d in e.derivs:
                at = tuple(self._slot(s, env) for s in d)
                for v, dd in zip(at, var.dims):
                    self._check_range(v, dd, f"an index of {var.name}")
                derivs.append((var.name, at))
            return pvar((e.obj.name, idx, tuple(sorted(derivs))))
        if isinstance(e, Delta):
            return pconst(1 if self._slot(e.a, env) == self._slot(e.b, env) else 0)
        if isinstance(e, Add):
            out: dict = {}
            for a in e.args:
                out = padd(out, self.value(a, env))
            return out
        if isinstance(e, Mul):
            out = pconst(1)
            for a in e.args:
                out = pmul(out, self.value(a, env))
                if not out:
                    break
            return out
        if isinstance(e, Pow):
            return ppow(self.value(e.base, env), e.exp)
        if isinstance(e, Sum):
            lo = 1 if e.lo is None else self._int(e.lo)
            hi = self.size(e.index.dim) if e.hi is None else self._int(e.hi)
            out = {}
            inner = dict(env)
            for v in range(lo, hi + 1):
                self._check_range(v, e.index.dim, f"the summation index {e.index.name}")
                inner[e.index] = v
                out = padd(out, self.value(e.body, inner))
            return out
        if isinstance(e, Deriv):
            at = tuple(self._slot(s, env) for s in e.idx)
            return pdiff(self.value(e.body, env), e.var, at, self.objs)
        if isinstance(e, Fold):
            return self.value(e.body, env)
        if isinstance(e, Select):
            v = self._slot(e.index, env)
            if not 1 <= v <= len(e.options):
                raise Undefined(f"entry {v} of a list of {len(e.options)}")
            return self.value(e.options[v - 1], env)
        raise TypeError(f"not an index expression: {e!r}")


def env_values(free: list, sizes: dict):
    """Every assignment of values to the free indices (all values, not only equality patterns)."""
    ranges = [range(1, (i.dim.size if i.dim.size is not None else sizes[i.dim]) + 1) for i in free]
    for vals in itertools.product(*ranges):
        yield dict(zip(free, vals))


def size_points(per_dim: dict) -> list[dict]:
    dims = sorted(per_dim)
    return [dict(zip(dims, p)) for p in itertools.product(*(sorted(set(per_dim[d])) for d in dims))]


def first_difference(lhs, rhs, points: list[dict], skip_undefined: bool = False):
    """The first (sizes, env, lhs poly, rhs poly) where lhs ≠ rhs, or None if equal at every point
    and every value of the free indices. With `skip_undefined`, points where a side has no value
    (an entry outside its range) are skipped instead of raising `Undefined`."""
    objs = objects(lhs)
    objects(rhs, objs)
    free = sorted(free_indices(lhs) | free_indices(rhs))
    for sizes in points:
        ref = Reference(sizes, objs)
        for env in env_values(free, sizes):
            try:
                a = ref.value(lhs, env)
                b = ref.value(rhs, env)
            except Undefined:
                if skip_undefined:
                    continue
                raise
            if a != b:
                return sizes, env, a, b
    return None


# ---- reading the kernel's counterexamples --------------------------------------------------------

_PLAIN = re.compile(r"^(\w+)(?:\[([0-9,]*)\])?$")
_DERIV = re.compile(r"^∂(\d*)(\w+)(?:\[([0-9,]*)\])?/((?:∂\w+(?:\[[0-9,]*\])?)+)$")
_DEN = re.compile(r"∂(\w+)(?:\[([0-9,]*)\])?")  # by a scalar t: ∂t


def _ints(text: str | None) -> tuple:
    if not text:
        return ()
    return tuple(int(t) for t in text.split(","))


def parse_unknown(text: str):
    """The reference key of an unknown as the kernel prints it (`A[1,2]`, `∂2u[1]/∂x[1]∂x[2]`)."""
    m = _PLAIN.match(text)
    if m:
        return (m.group(1), _ints(m.group(2)), ())
    m = _DERIV.match(text)
    if not m:
        raise ValueError(f"cannot read the unknown {text!r}")
    derivs = tuple(sorted((v, _ints(d)) for v, d in _DEN.findall(m.group(4))))
    order = int(m.group(1)) if m.group(1) else 1
    if order != len(derivs):
        raise ValueError(f"the order of {text!r} does not match its denominators")
    return (m.group(2), _ints(m.group(3)), derivs)
