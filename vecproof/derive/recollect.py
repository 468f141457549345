"""Index form back to matrix notation: Σ_j A[k,j] x[j] is (A x)[k], Σ_i x[i] A[i,k] is (Aᵀ x)[k], a cycle
is a trace, a[k] b[p] is (a bᵀ)[k,p], and a factor common to every term is pulled out.

`recollect(expr, row, col)` returns the matrix-notation text of the array whose (row, col) entry is
`expr` (a column vector when `col` is None, a scalar when both are None), or None with the reason when
there is no matrix form (an index shared by three factors, a function applied entrywise, …).
Untrusted: the text is a line for the checker to decide like any other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from ..kernel import Add, App, Delta, Entry, Expr, Fold, Index, Mul, Num, Pow, Size, Sum, VApp
from ..kernel.terms import free_slots
from ..kernel.terms import Det, Inverse, LogDet


class NoMatrixForm(Exception):
    """The expression has no matrix form here; the message says why."""


@dataclass(frozen=True)
class Atom:
    """A matrix or vector as it stands in a product: `name` (A, x, inv(A)), transposed or not."""

    name: str
    transposed: bool = False
    symmetric: bool = False

    def text(self) -> str:
        if not self.transposed or self.symmetric:
            return self.name
        return f"{self.name}^T" if "(" not in self.name or _one_call(self.name) else f"({self.name})^T"

    def flipped(self) -> "Atom":
        return self if self.symmetric else Atom(self.name, not self.transposed, self.symmetric)


@dataclass(frozen=True)
class Term:
    """coeff · scalars · chain: `chain` is a product of atoms (empty for a scalar term)."""

    coeff: Fraction
    scalars: tuple[str, ...]
    chain: tuple[Atom, ...]
    outer: tuple[Atom, ...] = ()  # for u wᵀ: the atoms of w's chain, printed transposed after `chain`


def recollect(expr: Expr, row: Index | None, col: Index | None) -> list[Term]:
    """The terms of the array whose entry at (row, col) is `expr`, in matrix notation (equal terms
    added up). NoMatrixForm when there is none."""
    if row is None and col is not None:  # a row: the transpose of the column with these entries
        rows = [Term(t.coeff, t.scalars, tuple(a.flipped() for a in reversed(t.chain)))
                for t in recollect(expr, col, None)]
        return sorted(rows, key=_transposes)
    merged: dict = {}
    for c, bound, factors in _flatten(expr):
        t = _term(c, bound, factors, row, col)
        key = (t.scalars, t.chain, t.outer)  # equal terms add up: x + x is 2 x
        merged[key] = merged.get(key, Fraction(0)) + t.coeff
    terms = [Term(c, s, ch, o) for (s, ch, o), c in merged.items() if c]
    return sorted(terms, key=_transposes)


def _transposes(t: Term) -> int:
    return sum(a.transposed and not a.symmetric for a in t.chain + t.outer)


def whole(terms: list[Term]) -> str:
    """The array in matrix notation, a common factor pulled out: `(A + A^T) x`."""
    return _sum_text(terms) if terms else "0"


def entrywise(terms: list[Term], at: str) -> str:
    """The entry `at` (`[k]`, `[k, p]`, or "" for a scalar) term by term: `(A x)[k] + (A^T x)[k]`."""
    if not terms:
        return "0"
    out = ""
    for n, t in enumerate(terms):
        chain = _chain_text(t)
        if at:
            single = len(t.chain) + len(t.outer) == 1 and not (t.chain + t.outer)[0].transposed
            chain = f"{chain}{at}" if single else f"({chain}){at}"
        text = _term_text(t, chain)
        out += ("-" if n == 0 else " - ") + text if t.coeff < 0 else (" + " if n else "") + text
    return out


# ---- terms ------------------------------------------------------------------------------------------

def _flatten(e: Expr) -> list:
    """`e` as (coefficient, bound indices, factors) terms: products distributed over sums, Σ pulled out."""
    if isinstance(e, Fold):
        return _flatten(e.body)
    if isinstance(e, Num):
        return [(e.value, (), ())] if e.value else []
    if isinstance(e, Add):
        return [t for a in e.args for t in _flatten(a)]
    if isinstance(e, Mul):
        acc = [(Fraction(1), (), ())]
        for a in e.args:
            combo = _combination(a)  # (x[i] - mu[i]) stays one factor: (x - mu)[i]
            if combo is None and isinstance(a, Add) and not free_slots(a):
                combo = _scalar_group(a)  # (1 - σ(aᵀx)) stays one scalar factor
            parts = [(Fraction(1), (), (combo,))] if combo is not None else _flatten(a)
            acc = [(c1 * c2, b1 + b2, f1 + f2) for c1, b1, f1 in acc for c2, b2, f2 in parts]
            if len(acc) > 200:
                raise NoMatrixForm("the expression has too many terms")
        return acc
    if isinstance(e, Sum) and e.lo is None and e.hi is None:
        return [(c, (e.index,) + b, f) for c, b, f in _flatten(e.body)]
    if isinstance(e, Pow) and e.exp > 0 and isinstance(e.base, (Entry, Inverse, App)):
        return [(Fraction(1), (), (e.base,) * e.exp)]
    return [(Fraction(1), (), (e,))]


@dataclass(frozen=True)
class ScalarGroup:
    """A sum free of indices, as one scalar factor: its text, in parentheses."""

    text: str


def _scalar_group(e: Expr) -> ScalarGroup | None:
    try:
        text = whole(recollect(e, None, None))
    except NoMatrixForm:
        return None
    return ScalarGroup(f"({text})" if " " in text else text)


def _softmax(factors: tuple) -> tuple:
    """exp(v[i]) · 1/(Σ_j exp(v[j])) is softmax(v)[i]: each such pair of factors becomes that entry."""
    factors = list(factors)
    for n, f in enumerate(factors):
        if not (isinstance(f, App) and f.fn == "recip" and isinstance(f.arg, Sum) and isinstance(f.arg.body, App)
                and f.arg.body.fn == "exp" and isinstance(f.arg.body.arg, Entry)
                and f.arg.body.arg.idx == (f.arg.index,) and not f.arg.body.arg.derivs):
            continue
        v = f.arg.body.arg.obj
        m = next((m for m, g in enumerate(factors) if isinstance(g, App) and g.fn == "exp" and
                  isinstance(g.arg, Entry) and g.arg.obj == v and len(g.arg.idx) == 1 and not g.arg.derivs), None)
        if m is not None:
            factors[n] = Softmax(Atom(f"softmax({v.name})"), factors[m].arg.idx)
            del factors[m]
            return _softmax(tuple(factors))
    return tuple(factors)


@dataclass(frozen=True)
class Softmax:
    """softmax(v)[i], recognised from exp(v[i]) / Σ_j exp(v[j])."""

    atom: Atom
    slots: tuple


@dataclass(frozen=True)
class Combination:
    """A sum of entries at the same slots, as one factor: x[i] - mu[i] is (x - mu)[i]."""

    atom: Atom
    slots: tuple


def _combination(e: Expr) -> Combination | None:
    """`e` as a Combination when it is a sum of (number ×) entries of arrays at the same index slots."""
    if not isinstance(e, Add) or len(e.args) < 2:
        return None
    parts, slots = [], None
    for a in e.args:
        c, f = Fraction(1), a
        if isinstance(a, Mul) and len(a.args) == 2 and isinstance(a.args[0], Num):
            c, f = a.args[0].value, a.args[1]
        if not isinstance(f, (Entry, Inverse)) or not f.idx or not all(isinstance(s, Index) for s in f.idx):
            return None
        atom, idx = _atom(f)
        if slots is None:
            slots = idx
        if idx != slots or atom.transposed:
            return None
        parts.append((c, atom.name))
    text = ""
    for n, (c, name) in enumerate(parts):
        mag = abs(c)
        word = name if mag == 1 else (f"{mag.numerator} {name}" if mag.denominator == 1 else f"{mag} {name}")
        text += ("-" if n == 0 else " - ") + word if c < 0 else (" + " if n else "") + word
    return Combination(Atom(f"({text})"), slots)


def _atom(f) -> tuple[Atom, tuple]:
    """The atom a factor is an entry of, and its slots: d(X)/dt for a derivative by a scalar."""
    if isinstance(f, Inverse):
        return Atom(f"inv({f.obj.name})", symmetric=f.obj.symmetric), f.idx
    name = f.obj.name
    for var, slots in f.derivs:
        if slots:
            raise NoMatrixForm("a derivative by an entry has no matrix notation here")
        name = f"d({name})/d{var.name}"
    return Atom(name, symmetric=f.obj.symmetric), f.idx


def _term(coeff: Fraction, bound: tuple, factors: tuple, row: Index | None, col: Index | None) -> Term:
    scalars: list[str] = []
    arrays: list[tuple[Atom, tuple]] = []
    for f in _softmax(factors):
        if isinstance(f, ScalarGroup):
            scalars.append(f.text)
        elif isinstance(f, Softmax):
            arrays.append((f.atom, f.slots))
        elif isinstance(f, Size):
            scalars.append(f.dim.name if f.dim.symbolic else str(f.dim.size))
        elif isinstance(f, Det):
            scalars.append(f"det({f.obj.name})" if f.power == 1 else f"det(inv({f.obj.name}))")
        elif isinstance(f, LogDet):
            scalars.append(f"logdet({f.obj.name})")
        elif isinstance(f, App) and not free_slots(f):  # exp(a^T x): the argument recollected too
            arg = whole(recollect(f.arg, None, None))
            norm = re.fullmatch(r"(\w+)\^T \1", arg)
            if f.fn == "recip":
                scalars.append(f"1/{arg}" if re.fullmatch(r"‖\w+‖", arg) else f"1/({arg})")
            elif f.fn == "sqrt" and not f.order and norm:  # sqrt(x^T x) is the norm ‖x‖
                scalars.append(f"‖{norm.group(1)}‖")
            else:
                scalars.append(f"{f.fn}{chr(39) * f.order}({arg})")
        elif isinstance(f, VApp) and not f.at:
            scalars.append(f"{f.fn}({f.obj.name})")
        elif isinstance(f, Delta) and isinstance(f.a, Index) and isinstance(f.b, Index):
            dim = f.a.dim.name if f.a.dim.symbolic else str(f.a.dim.size)
            arrays.append((Atom(f"I({dim})", symmetric=True), (f.a, f.b)))  # δ(i,j) is the identity's entry
        elif isinstance(f, Combination):
            arrays.append((f.atom, f.slots))
        elif isinstance(f, (Entry, Inverse)):
            atom, slots = _atom(f)
            if not slots:
                scalars.append(atom.name)
            elif any(not isinstance(s, Index) for s in slots):
                raise NoMatrixForm("an entry is named by a number")
            else:
                arrays.append((atom, slots))
        else:
            raise NoMatrixForm(f"{type(f).__name__.lower()} has no matrix notation here")
    if row is not None and col is not None:  # δ(k,p) v[k]: diag(v)[k,p]
        deltas = [n for n, (a, slots) in enumerate(arrays) if a.name.startswith("I(") and set(slots) == {row, col}]
        vectors = [n for n, (_, slots) in enumerate(arrays) if len(slots) == 1 and slots[0] in (row, col)]
        if deltas and vectors:
            name = " ⊙ ".join(sorted(arrays[n][0].name for n in vectors))
            gone = {deltas[0], *vectors}
            arrays = [a for n, a in enumerate(arrays) if n not in gone] + [
                (Atom(f"diag({name})", symmetric=True), (row, col))]
    for idx in (row, col):  # x[k] y[k]: the entrywise product (x ⊙ y)[k]
        at = [n for n, (_, slots) in enumerate(arrays) if idx in slots]
        if idx is not None and len(at) > 1 and all(len(arrays[n][1]) == 1 for n in at):
            name = " ⊙ ".join(sorted(arrays[n][0].name for n in at))
            arrays = [a for n, a in enumerate(arrays) if n not in at] + [(Atom(f"({name})"), (idx,))]
    seen: dict[Index, list] = {}
    for n, (_, slots) in enumerate(arrays):
        for pos, s in enumerate(slots):
            seen.setdefault(s, []).append((n, pos))
    for idx, where in seen.items():
        want = 1 if idx in (row, col) else 2
        if idx not in (row, col) and idx not in bound:
            raise NoMatrixForm(f"index {_shown(idx)} is free")
        if len(where) != want:
            raise NoMatrixForm(f"index {_shown(idx)} occurs {len(where)} times in a term (a matrix product "
                               f"joins two)" if want == 2 else f"index {_shown(idx)} occurs {len(where)} times")
    for idx in (row, col):
        if idx is not None and idx not in seen:
            raise NoMatrixForm(f"a term does not depend on {_shown(idx)}")
    used: set[int] = set()

    def walk(idx: Index, came: int | None) -> tuple[list[Atom], Index | None]:
        """From index `idx`, leaving factor `came`: the atoms met, and the free index reached (None: a vector)."""
        out = []
        while True:
            nxt = [(n, pos) for n, pos in seen[idx] if n != came or len(seen[idx]) == 1 and n not in used]
            nxt = [(n, pos) for n, pos in nxt if n not in used]
            if not nxt:
                raise NoMatrixForm("a product does not close")
            n, pos = nxt[0]
            used.add(n)
            atom, slots = arrays[n]
            if len(slots) == 1:
                out.append(atom)
                return out, None
            other = slots[1 - pos]
            out.append(atom if pos == 0 else atom.flipped())
            if other in (row, col):
                return out, other
            idx, came = other, n

    chain: list[Atom] = []
    outer: list[Atom] = []
    if row is not None:
        chain, end = walk(row, None)
        if end is None and col is not None:
            outer, end2 = walk(col, None)
            if end2 is not None:
                raise NoMatrixForm("a product does not close")
        elif end is not None and end != col:
            raise NoMatrixForm("a product does not close")
        elif end is None and col is None:
            pass
    elif col is not None:
        raise NoMatrixForm("a row result")
    for n, (atom, slots) in enumerate(arrays):  # what is left: closed chains, scalars
        if n in used:
            continue
        used.add(n)
        if len(slots) == 1:
            rest, end = walk(slots[0], n)
            scalars.append(_product([atom.flipped()] + rest))
        elif slots[0] == slots[1]:
            scalars.append(f"tr({atom.name})")
        else:
            start = slots[0]
            cyc = [atom]
            idx, came = slots[1], n
            while idx != start:
                nxt = [(m, pos) for m, pos in seen[idx] if m != came and m not in used]
                if not nxt:
                    rest, end = walk(idx, came)  # ran into a vector: vᵀ … is a row; not a cycle
                    raise NoMatrixForm("a product does not close")
                m, pos = nxt[0]
                used.add(m)
                a, sl = arrays[m]
                if len(sl) == 1:
                    raise NoMatrixForm("a product does not close")
                cyc.append(a if pos == 0 else a.flipped())
                idx, came = sl[1 - pos], m
            scalars.append(f"tr({_product(_canonical_cycle(cyc))})")
    return Term(coeff, tuple(sorted(scalars)), tuple(chain), tuple(outer))


def _shown(idx: Index) -> str:
    """An index's name as the file writes it (without the suffixes of a fresh bound index)."""
    return re.sub(r"(?:['~][0-9]+)+$", "", idx.name)


def _canonical_cycle(cyc: list[Atom]) -> list[Atom]:
    """One way to write a trace: tr(A B C) = tr(B C A) = tr(Cᵀ Bᵀ Aᵀ), the first in text order, so that
    equal traces are written alike (and add up)."""
    turned = [a.flipped() for a in reversed(cyc)]
    ways = [c[k:] + c[:k] for c in (cyc, turned) for k in range(len(c))]
    # fewest transposes; not led by a derivative (tr(X⁻¹ dX/dt), which trace_def alone explains, rather than
    # tr(dX/dt X⁻¹), which the rules judge as a derivative to take); then text order
    return min(ways, key=lambda w: (sum(a.transposed and not a.symmetric for a in w), w[0].name.startswith("d("),
                                    _product(w)))


# ---- text -------------------------------------------------------------------------------------------

def _product(atoms) -> str:
    return " ".join(a.text() for a in atoms)


def _chain_text(t: Term) -> str:
    return _product(list(t.chain) + [a.flipped() for a in reversed(t.outer)])


def _powers(scalars: tuple) -> list[str]:
    """Repeated scalar factors as a power: σ(t) σ(t) is σ(t)^2."""
    out = []
    for s in dict.fromkeys(scalars):
        n = scalars.count(s)
        out.append(s if n == 1 else f"{s}^{n}" if "(" not in s or s.endswith(")") and _one_call(s) else f"({s})^{n}")
    return out


def _one_call(s: str) -> bool:
    """Whether `s` is one name applied or one parenthesised group (so `^2` binds to all of it)."""
    depth, opened = 0, False
    for k, ch in enumerate(s):
        if ch == "(":
            depth += 1
            opened = True
        elif ch == ")":
            depth -= 1
            if depth == 0 and k != len(s) - 1:
                return False
        elif depth == 0 and (ch == " " or opened):
            return False
    return True


def _term_text(t: Term, chain: str | None = None) -> str:
    chain = _chain_text(t) if chain is None else chain
    parts = [p for p in (*_powers(t.scalars), chain) if p]
    c = abs(t.coeff)
    below = [p for p in parts if re.fullmatch(r"1/(‖\w+‖|\w+)", p)]
    if below and len(below) < len(parts) and c.denominator == 1:  # x / ‖x‖ rather than 1/‖x‖ x
        parts = [p for p in parts if p not in below]
        body = _juxtaposed(parts) + "".join(f" / {p[2:]}" for p in below)
        return body if c == 1 else _juxtaposed([str(c.numerator), body])
    body = _juxtaposed(parts)
    if c != 1 or not body:
        num = str(c.numerator) if c.denominator == 1 else None
        if num is None:
            top = body if c.numerator == 1 else _juxtaposed([str(c.numerator), body])
            return f"{top} / {c.denominator}" if body else f"{c.numerator}/{c.denominator}"
        body = _juxtaposed([num, body]).strip()
    return body


def _juxtaposed(parts: list[str]) -> str:
    """Factors written side by side, with `*` before a norm bar (after an expression, a bar would
    close a norm: 3 * ‖x‖ x)."""
    out = ""
    for p in parts:
        if not p:
            continue
        out += p if not out else (f" * {p}" if p.startswith("‖") else f" {p}")
    return out


def _sum_text(terms: list[Term]) -> str:
    """The terms added up, with a factor common to all of them pulled out: (A + Aᵀ) x, 2 Aᵀ (A x − b)."""
    if len(terms) > 1 and len({abs(t.coeff) for t in terms}) == 1 and len({t.scalars for t in terms}) == 1:
        chains = [tuple(t.chain) + tuple(a.flipped() for a in reversed(t.outer)) for t in terms]
        shortest = min(len(c) for c in chains)
        back = 0  # a common right factor first (it reads as the examples do), then a common left one
        while back < shortest - 1 and len({c[len(c) - 1 - back] for c in chains}) == 1:
            back += 1
        front = 0
        while front < shortest - 1 - back and len({c[front] for c in chains}) == 1:
            front += 1
        rests = [c[front:len(c) - back] for c in chains]
        if (front or back) and all(rests) and len(set(rests)) == len(rests):
            negative = all(t.coeff < 0 for t in terms)
            inner = ""
            for n, (t, rest) in enumerate(zip(terms, rests)):
                minus = (t.coeff < 0) != negative
                inner += ("-" if n == 0 else " - ") if minus else (" + " if n else "")
                inner += _product(rest)
            parts = [_product(chains[0][:front]), f"({inner})", _product(chains[0][len(chains[0]) - back:])]
            lead = Term(abs(terms[0].coeff), terms[0].scalars, ())
            text = _term_text(lead, " ".join(p for p in parts if p))
            return f"-{text}" if negative else text
    out = ""
    for n, t in enumerate(terms):
        text = _term_text(t)
        if t.coeff < 0:
            out += ("-" if n == 0 else " - ") + text
        else:
            out += (" + " if n else "") + text
    return out
