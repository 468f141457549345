"""Index expressions as text a reader can check (hover, messages): Σ_j A[k,j] x[j] + …"""

from __future__ import annotations

import re

from .kernel import Add, Delta, Deriv, Entry, Expr, Fold, Index, Mul, Num, Pow, Select, Size, Sum

_FRESH = re.compile(r"(?:['~][0-9]+)+$")


def index_name(s) -> str:
    if isinstance(s, Index):
        return _FRESH.sub("", s.name).strip("()") or s.name
    return str(s)


def show(e: Expr) -> str:
    """A compact one-line rendering; bound indices keep their source names."""
    return _show(e, 0)


def _slots(slots) -> str:
    return ",".join(index_name(s) for s in slots)


def _show(e: Expr, prec: int) -> str:
    if isinstance(e, Num):
        v = e.value
        text = str(v.numerator) if v.denominator == 1 else f"{v.numerator}/{v.denominator}"
        return f"({text})" if (v < 0 or v.denominator != 1) and prec > 1 else text
    if isinstance(e, Size):
        return e.dim.name
    if isinstance(e, Entry):
        base = f"{e.obj.name}[{_slots(e.idx)}]" if e.idx else e.obj.name
        if not e.derivs:
            return base
        den = "".join(f"∂{v.name}[{_slots(d)}]" for v, d in e.derivs)
        order = len(e.derivs)
        return f"∂{'' if order == 1 else order}{base}/{den}"
    if isinstance(e, Delta):
        return f"δ({index_name(e.a)},{index_name(e.b)})"
    if isinstance(e, Add):
        parts = []
        for k, a in enumerate(e.args):
            text = _show(a, 1)
            if k and text.startswith("-"):
                parts.append(" - " + text[1:])
            elif k:
                parts.append(" + " + text)
            else:
                parts.append(text)
        out = "".join(parts)
        return f"({out})" if prec > 0 else out
    if isinstance(e, Mul):
        args = list(e.args)
        sign = ""
        if args and isinstance(args[0], Num) and args[0].value == -1 and len(args) > 1:
            sign, args = "-", args[1:]
        out = sign + " ".join(_show(a, 2) for a in args)
        return f"({out})" if prec > 1 else out
    if isinstance(e, Pow):
        return f"{_show(e.base, 3)}^{e.exp}"
    if isinstance(e, Sum):
        rng = ""
        if e.lo is not None or e.hi is not None:
            rng = f"={_show(e.lo, 0) if e.lo is not None else 1}..{_show(e.hi, 0) if e.hi is not None else e.index.dim.name}"
        out = f"Σ_{index_name(e.index)}{rng} {_show(e.body, 1)}"
        return f"({out})" if prec > 1 else out
    if isinstance(e, Deriv):
        return f"∂({_show(e.body, 0)})/∂{e.var.name}[{_slots(e.idx)}]"
    if isinstance(e, Fold):
        return _show(e.body, prec)
    if isinstance(e, Select):
        return f"[{', '.join(_show(o, 0) for o in e.options)}][{index_name(e.index)}]"
    return repr(e)
