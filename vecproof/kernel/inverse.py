"""The inverse, the determinant and the log-determinant of a declared square matrix X, as opaque atoms
(Y = X⁻¹ entry by entry, d = det X, 1/d, L = log det X), with the identities the normal form rewrites
them by, each valid for every invertible X (L: for det X > 0); docs/reliability.md, "Inverses and
determinants", gives the argument for each.

    inverse_def         Σ_j X[a,j] Y[j,b] = δ(a,b) and Σ_j Y[a,j] X[j,b] = δ(a,b)
    det_inverse         d · (1/d) = 1
    inverse_derivative  ∂Y[a,b] = −Σ_{p,q} Y[a,p] ∂X[p,q] Y[q,b]
    det_derivative      ∂d^k = k d^k Σ_{p,q} Y[q,p] ∂X[p,q]   (k = ±1; Jacobi's formula)
    logdet_derivative   ∂L = Σ_{p,q} Y[q,p] ∂X[p,q]

`Policy.matrix_laws` names the laws a partial normalisation may use (None: all of them).
"""

from __future__ import annotations

from fractions import Fraction

from .terms import (
    MATRIX_ATOMS, Add, Delta, Deriv, Det, Entry, Expr, Index, Inverse, LogDet, Pow, Select, children, free_slots, walk,
)

_DERIVATIVE_LAW = {Inverse: "inverse_derivative", Det: "det_derivative", LogDet: "logdet_derivative"}


def allows(policy, law: str) -> bool:
    """Whether `policy` may rewrite by `law`."""
    return policy.matrix_laws is None or law in policy.matrix_laws


def has_atoms(e: Expr) -> bool:
    """Whether `e` mentions an inverse, a determinant or a log-determinant."""
    return any(type(node) in MATRIX_ATOMS for node in walk(e))


def view(f, symmetry: bool = True):
    """The canonical-key view (head, slots, symmetric groups) of a matrix atom; the inverse of a
    symmetric matrix is symmetric (its slots interchangeable where the policy uses symmetry)."""
    if type(f) is Inverse:
        return (("inv", f.obj.name), f.idx, (((0,), (1,)),) if f.obj.symmetric and symmetry else ())
    if type(f) is Det:
        return (("det", f.obj.name, f.power), (), ())
    return (("logdet", f.obj.name), (), ())


def derive(f, var, idx, policy, fresh, derive_entry):
    """∂f/∂var[idx] for a matrix atom f, as a list of (coefficient, new bound indices, factors), one
    per term: none when its matrix does not depend on var (∂c = 0, whatever the policy), None when
    it does and the policy does not allow the atom's derivative law. `fresh(index)` names a
    new bound index; `derive_entry(entry, var, idx)` is the normal form's derivative of an entry (its
    alternative factor tuples), so ∂X[p,q] is δ(p,·)δ(q,·) for the variable X itself and the
    derivative unknown of a function X(t)."""
    x = f.obj
    p, q = fresh(Index("p", x.dims[0])), fresh(Index("q", x.dims[1]))
    dxs = derive_entry(Entry(x, (p, q)), var, idx)
    if dxs and not allows(policy, _DERIVATIVE_LAW[type(f)]):
        return None
    out = []
    for dx in dxs:
        if type(f) is Inverse:
            a, b = f.idx
            out.append((Fraction(-1), (p, q), (Inverse(x, (a, p)),) + dx + (Inverse(x, (q, b)),)))
        elif type(f) is Det:
            out.append((Fraction(f.power), (p, q), (f, Inverse(x, (q, p))) + dx))
        else:
            out.append((Fraction(1), (p, q), (Inverse(x, (q, p)),) + dx))
    return out


def reduce(bound: tuple, factors: tuple, policy) -> tuple[tuple, tuple] | None:
    """(bound, factors) of a term after det_inverse (d · 1/d = 1) and inverse_def (a contraction
    Σ_j X[a,j] Y[j,b], j bound and used nowhere else, is δ(a,b); the same for Y X), as far as they
    go; None when neither applies."""
    bound, factors = list(bound), list(factors)
    changed = False
    if allows(policy, "det_inverse"):
        while True:
            up = next((k for k, f in enumerate(factors) if type(f) is Det and f.power == 1), None)
            down = None if up is None else next(
                (k for k, f in enumerate(factors) if type(f) is Det and f.power == -1 and f.obj == factors[up].obj), None)
            if down is None:
                break
            factors = [f for k, f in enumerate(factors) if k not in (up, down)]
            changed = True
    if allows(policy, "inverse_def"):
        while True:
            found = _contraction(bound, factors)
            if found is None:
                break
            j, ks, delta = found
            factors = [f for k, f in enumerate(factors) if k not in ks] + [delta]
            bound.remove(j)
            changed = True
    return (tuple(bound), tuple(factors)) if changed else None


def _contraction(bound: list, factors: list):
    """(the summed index j, the positions of the two factors, the δ they are equal to) for one
    contraction X[a,j] Y[j,b] or Y[a,j] X[j,b] in the term, or None."""
    uses: dict = {}
    for f in factors:
        for s in _slots_of(f):
            uses[s] = uses.get(s, 0) + 1
    for k, y in enumerate(factors):
        if type(y) is not Inverse:
            continue
        for m, x in enumerate(factors):
            if type(x) is not Entry or x.obj != y.obj or x.derivs:
                continue
            for xi, yi in _orientations(x.idx, y.idx, x.obj.symmetric):
                if xi[1] == yi[0] and xi[1] in bound and uses[xi[1]] == 2:
                    return xi[1], (k, m), Delta(xi[0], yi[1])
                if yi[1] == xi[0] and yi[1] in bound and uses[yi[1]] == 2:
                    return yi[1], (k, m), Delta(yi[0], xi[1])
    return None


def _orientations(xi: tuple, yi: tuple, symmetric: bool):
    """The slot orders to try: as written, and for a symmetric X (whose inverse is symmetric too)
    each read the other way round."""
    yield xi, yi
    if symmetric:
        yield xi[::-1], yi
        yield xi, yi[::-1]
        yield xi[::-1], yi[::-1]


def _slots_of(f) -> tuple:
    if type(f) is Entry:
        return f.idx + tuple(s for _, d in f.derivs for s in d)
    if type(f) is Delta:
        return (f.a, f.b)
    if type(f) is Inverse:
        return f.idx
    if hasattr(f, "source"):  # an Opaque factor: its free indices
        return tuple(free_slots(f.source))
    return ()


def assumptions(e: Expr) -> list[str]:
    """What a verdict on `e` assumes of its matrices: "X invertible" where X⁻¹ or 1/det X is written
    or det X is differentiated (Jacobi's formula brings X⁻¹), "det X > 0" where log det X is."""
    inv, pos = set(), set()
    for node in walk(e):
        if type(node) is Inverse or (type(node) is Det and node.power == -1):
            inv.add(node.obj.name)
        elif type(node) is LogDet:
            pos.add(node.obj.name)
        elif type(node) is Deriv:
            inv.update(a.obj.name for a in walk(node.body) if type(a) in MATRIX_ATOMS)
    return [f"{n} invertible" for n in sorted(inv)] + [f"det {n} > 0" for n in sorted(pos)]


def raise_bounds(e: Expr, bounds: dict) -> dict:
    """The size-grid bounds {dim: (N, D)} raised for the matrix atoms of `e`: each derivative of one
    may bring two bound indices (p, q) over its matrix's dimension, and where a determinant is
    written N exceeds the degree in X⁻¹ (case (b) of docs/reliability.md)."""
    if not has_atoms(e):
        return bounds
    out = dict(bounds)
    depth, degree = _deriv_depth(e), _degree(e)
    dets = {node.obj.dims[0] for node in walk(e) if type(node) in (Det, LogDet)}
    for dim in {node.obj.dims[0] for node in walk(e) if type(node) in MATRIX_ATOMS}:
        if not dim.symbolic:
            continue
        n, d = out.get(dim, (0, 0))
        n, d = n + 2 * depth, d + 2 * depth
        if dim in dets:
            n = max(n, degree + depth + 1)
        out[dim] = (n, d)
    return out


def _deriv_depth(e: Expr) -> int:
    """The most derivatives nested around a matrix atom of `e`."""
    if type(e) in MATRIX_ATOMS:
        return 0
    inner = [_deriv_depth(a) for a in children(e)]
    inner = [k for k in inner if k >= 0]
    if not inner:
        return -1
    return max(inner) + (1 if type(e) is Deriv else 0)


def _degree(e: Expr) -> int:
    """The most matrix atoms a flattened term of `e` can hold (before differentiating)."""
    if type(e) in MATRIX_ATOMS:
        return 1
    if type(e) in (Add, Select):
        return max((_degree(a) for a in children(e)), default=0)
    if type(e) is Pow:
        return e.exp * _degree(e.base)
    return sum(_degree(a) for a in children(e))

