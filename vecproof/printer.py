"""Index expressions as `.vproof` text: what elaboration gave the kernel, in the language it came from.

`Printer(scope).print(lhs, rhs)` writes index expressions in the ASCII spelling (`sum(i, …)`,
`delta(i, k)`, `d(…)/dx[k]`, `A[i,j]`, `^`). The text parses and elaborates back to the same
expression up to the names of bound indices — exactly so for what elaboration produces (a `Fold`
is printed as its body), and otherwise to an expression the kernel decides equal. Bound indices
(`i'3`, `j~12`) get readable names that capture nothing: the source name when it is free, else
another index the file declares over the same dimension, else a numbered one (`i2`).
`statement` prints a theorem's two sides as one equation at named entry slots.
"""

from __future__ import annotations

import itertools
import re
from fractions import Fraction

from .checker.check import COL, ROW
from .elaboration import BUILTINS
from .kernel import Add, App, VApp, Delta, Deriv, Dim, Entry, Expr, Fold, Index, Mul, Num, Pow, Select, Size, Sum
from .kernel.terms import Det, Inverse, LogDet, binders, free_slots

SUM, PROD, POSTFIX, ATOM = range(4)  # what a printed form is, loosest first (see grammar/vproof.lark)

_FRESH = re.compile(r"(?:['~][0-9]+)+$")
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_KEYWORDS = {"layout", "dim", "index", "var", "const", "func", "scalar", "vector", "matrix", "symmetric",
             "theorem", "lemma", "proof", "qed", "component", "by", "numerator", "denominator", "T", "d"}
_SLOT_BASE = {ROW: "r", COL: "c"}


def show(e: Expr, scope=None) -> str:
    """One expression as `.vproof` text (see `Printer`)."""
    return Printer(scope).print(e)[0]


class Printer:
    """Prints expressions that share their free indices (two sides of an equation, two lines of a
    step) with one choice of names. `scope`: the file's declarations, so that bound indices take
    names the file declares over the right dimension and no name shadows an object. `used` maps
    every index name printed so far to its dimension (what a file must declare to read the text)."""

    def __init__(self, scope=None, names: dict[Index, str] | None = None):
        decls = scope.names if scope is not None else {}
        self.declared = {n: d.index.dim for n, d in decls.items() if d.what == "index"} if scope is not None else None
        self.taken = {n for n, d in decls.items() if d.what != "index"} | BUILTINS | _KEYWORDS
        self.names: dict[Index, str] = dict(names or {})
        self.used: dict[str, Dim] = {n: i.dim for i, n in self.names.items()}

    def print(self, *exprs: Expr) -> list[str]:
        """The text of each expression; free indices are named once for all of them."""
        free = set().union(*(free_slots(e) for e in exprs)) if exprs else set()
        bases = {_base(i.name) for e in exprs for i in binders(e)}
        for idx in sorted(free - set(self.names), key=lambda i: (i.name in _SLOT_BASE, i.name)):
            # a free index keeps its name; an entry slot takes one that no bound index wants
            slot = idx.name in _SLOT_BASE
            name = self._pick(idx, set(self.names.values()) | (bases if slot else set()), slot)
            self.names[idx] = name
            self.used[name] = idx.dim
        env = dict(self.names)
        return [self._at(e, SUM, env, frozenset(env.values())) for e in exprs]

    # -- names -------------------------------------------------------------------------------------
    def _pick(self, idx: Index, avoid: set, slot: bool = False) -> str:
        """A name for `idx`: not in `avoid`, not an object or keyword, and never a name the file
        declares over another dimension. Declared names come first, so the text reads in the file."""
        base = _SLOT_BASE.get(idx.name) or _base(idx.name)
        declared = [n for n, d in (self.declared or {}).items() if _fits(d, idx.dim)]
        if slot:
            order = declared + [base]
        elif self.declared is None or base in declared:
            order = [base] + declared
        else:
            order = declared + [base]
        for name in itertools.chain(order, (f"{base}{k}" for k in itertools.count(2))):
            if name in avoid or name in self.taken or not _IDENT.fullmatch(name):
                continue
            if self.declared is not None and not _fits(self.declared.get(name, idx.dim), idx.dim):
                continue
            return name
        raise AssertionError("unreachable")

    def _bind(self, idx: Index, bound: frozenset) -> str:
        name = self._pick(idx, set(self.names.values()) | bound)
        self.used[name] = idx.dim
        return name

    # -- text --------------------------------------------------------------------------------------
    def _at(self, e: Expr, level: int, env: dict, bound: frozenset) -> str:
        text, own = self._form(e, env, bound)
        return f"({text})" if own < level else text

    def _slot(self, s, env: dict) -> str:
        return env.get(s, _base(s.name)) if isinstance(s, Index) else str(s)

    def _slots(self, slots, env: dict) -> str:
        return ",".join(self._slot(s, env) for s in slots)

    def _form(self, e: Expr, env: dict, bound: frozenset) -> tuple[str, int]:
        """The text of `e` and the level of its outermost construct."""
        if isinstance(e, Fold):
            return self._form(e.body, env, bound)
        if isinstance(e, Num):
            v = e.value
            text = str(abs(v.numerator)) if v.denominator == 1 else f"{abs(v.numerator)}/{v.denominator}"
            if v < 0:
                return "-" + text, SUM
            return text, ATOM if v.denominator == 1 else PROD
        if isinstance(e, Size):
            return (str(e.dim.size) if e.dim.name.startswith("#") else e.dim.name), ATOM
        if isinstance(e, Entry):
            text = f"{e.obj.name}[{self._slots(e.idx, env)}]" if e.idx else e.obj.name
            for var, d in e.derivs:
                text = f"d({text})/d{var.name}" + (f"[{self._slots(d, env)}]" if d else "")
            return text, ATOM if e.derivs or not e.idx else POSTFIX
        if isinstance(e, Delta):
            if isinstance(e.a, int) and isinstance(e.b, int):  # the language compares numbers with indices only
                return ("1" if e.a == e.b else "0"), ATOM
            return f"delta({self._slot(e.a, env)}, {self._slot(e.b, env)})", ATOM
        if isinstance(e, Add):
            return self._add(e, env, bound)
        if isinstance(e, Mul):
            return self._mul(e, env, bound)
        if isinstance(e, Pow):
            b = e.base
            fold_free = b.body if isinstance(b, Fold) else b
            paren = isinstance(fold_free, (Pow, Deriv)) or (isinstance(fold_free, Entry) and fold_free.derivs)
            base = self._at(b, POSTFIX, env, bound)
            if paren and not _wrapped(base):
                base = f"({base})"
            return f"{base}^{e.exp}", POSTFIX
        if isinstance(e, Sum):
            name = self._bind(e.index, bound)
            head = name
            if e.lo is not None or e.hi is not None:
                dim = e.index.dim
                lo = e.lo if e.lo is not None else Num(Fraction(1))
                hi = e.hi if e.hi is not None else (Size(dim) if dim.symbolic else Num(Fraction(dim.size)))
                head = f"{name} = {self._at(lo, SUM, env, bound)}..{self._at(hi, SUM, env, bound)}"
            body = self._at(e.body, SUM, {**env, e.index: name}, bound | {name})
            return f"sum({head}, {body})", ATOM
        if isinstance(e, Deriv):
            wrt = f"[{self._slots(e.idx, env)}]" if e.idx else ""
            return f"d({self._at(e.body, SUM, env, bound)})/d{e.var.name}{wrt}", ATOM
        if isinstance(e, Select):
            return self._select(e, env, bound)
        if isinstance(e, Inverse):
            return f"inv({e.obj.name})[{self._slots(e.idx, env)}]", POSTFIX
        if isinstance(e, Det):
            return (f"det({e.obj.name})" if e.power == 1 else f"det(inv({e.obj.name}))"), ATOM
        if isinstance(e, LogDet):
            return f"logdet({e.obj.name})", ATOM
        if isinstance(e, App):  # 1/t as a quotient; f, f', f'' of a declared function with primes
            arg = self._at(e.arg, SUM, env, bound)
            if e.fn == "recip":
                return f"1/({arg})", PROD
            return f"{e.fn}{chr(39) * e.order}({arg})", ATOM
        if isinstance(e, VApp):  # F(u), F'(u)[j], F''(u)[j,l]
            text = f"{e.fn}{chr(39) * len(e.at)}({e.obj.name})"
            return (f"{text}[{self._slots(e.at, env)}]", POSTFIX) if e.at else (text, ATOM)
        raise TypeError(f"not an index expression: {e!r}")

    def _add(self, e: Add, env, bound) -> tuple[str, int]:
        if not e.args:
            return "0", ATOM
        if len(e.args) == 1:
            return self._form(e.args[0], env, bound)
        parts = []
        for k, a in enumerate(e.args):
            pos = _negated(a)
            if pos is not None:
                parts.append(("-" if k == 0 else " - ") + self._at(pos, PROD, env, bound))
            else:
                parts.append((" + " if k else "") + self._at(a, PROD if k else SUM, env, bound))
        return "".join(parts), SUM

    def _mul(self, e: Mul, env, bound) -> tuple[str, int]:
        args = e.args
        if not args:
            return "1", ATOM
        if len(args) == 1:
            return self._form(args[0], env, bound)
        pos = _negated(e)
        if pos is not None:
            return "-" + self._at(pos, PROD, env, bound), SUM
        first = args[0]
        if isinstance(first, Num) and first.value.denominator != 1:  # (p/q) E is written p E / q
            p, q = first.value.numerator, first.value.denominator
            rest = args[1:]
            top = rest[0] if p == 1 and len(rest) == 1 else Mul(((Num(Fraction(p)),) if p != 1 else ()) + rest)
            return f"{self._at(top, PROD, env, bound)} / {q}", PROD
        text = self._at(first, PROD, env, bound)
        for a in args[1:]:
            t = self._at(a, POSTFIX, env, bound)
            # juxtaposition cannot start with `[` (that would index); a numeral reads better after `*`
            text += (" * " if t[0] == "[" or t[0].isdigit() else " ") + t
        return text, PROD

    def _select(self, e: Select, env, bound) -> tuple[str, int]:
        opts = e.options
        if len(opts) == 1:  # the index ranges over a dimension of size 1
            return self._form(opts[0], env, bound)
        rows = [o.body if isinstance(o, Fold) else o for o in opts]
        if all(isinstance(o, Select) and o.index == rows[0].index and len(o.options) == len(rows[0].options) > 1
               for o in rows):
            cells = "; ".join(", ".join(self._at(c, SUM, env, bound) for c in o.options) for o in rows)
            return f"[{cells}][{self._slot(e.index, env)},{self._slot(rows[0].index, env)}]", POSTFIX
        cells = ", ".join(self._at(o, SUM, env, bound) for o in opts)
        return f"[{cells}][{self._slot(e.index, env)}]", POSTFIX


def _fits(declared: Dim, dim: Dim) -> bool:
    """An index declared over `declared` can stand for one over `dim` (an explicit list's
    dimension `#k` is any concrete dimension of size k)."""
    return declared == dim or (dim.name.startswith("#") and declared.size == dim.size)


def _base(name: str) -> str:
    """The source name of an index: without the suffixes that made it fresh."""
    out = _FRESH.sub("", name).strip("()")
    return out if _IDENT.fullmatch(out) else "i"


def _negated(e: Expr) -> Expr | None:
    """-e when e is visibly negative (a negative number, or a product led by one), else None."""
    if isinstance(e, Num) and e.value < 0:
        return Num(-e.value)
    if isinstance(e, Mul) and len(e.args) > 1 and isinstance(e.args[0], Num) and e.args[0].value < 0:
        v, rest = -e.args[0].value, e.args[1:]
        if v == 1:
            return rest[0] if len(rest) == 1 else Mul(rest)
        return Mul((Num(v),) + rest)
    return None


# ---- statements -----------------------------------------------------------------------------------


def statement(lhs: Expr, rhs: Expr, scope=None, at: tuple[str, ...] = ()) -> tuple[str, str]:
    """A theorem's statement as the kernel has it: (where, equation). `lhs`/`rhs` have the free
    entry slots "(row)"/"(col)" (none for a scalar); `at`: names for them, in that order (a
    componentwise proof's indices), else the printer picks. `where` says which printed names stand
    for the row and column and their ranges ("at row k, for every k in 1..n"), empty for a scalar;
    `equation` is `lhs = rhs`."""
    found = {i.name: i for i in free_slots(lhs) | free_slots(rhs) if i.name in (ROW, COL)}
    slots = [found[n] for n in (ROW, COL) if n in found]
    printer = Printer(scope, {s: name for s, name in zip(slots, at)})
    left, right = printer.print(lhs, rhs)
    if not slots:
        return "", f"{left} = {right}"
    named = [("row" if s.name == ROW else "column", printer.names[s], s.dim) for s in slots]
    place = ", ".join(f"{word} {name}" for word, name, _ in named)
    ranges = ", ".join(f"{name} in 1..{_extent(dim)}" for _, name, dim in named)
    return f"at {place}, for every {ranges}", f"{left} = {right}"


def _extent(dim: Dim) -> str:
    return dim.name if dim.symbolic else str(dim.size)


def explanation(file_result, theorem_result) -> list[str]:
    """What `vecproof check --explain` prints under a theorem's verdict: its statement in index form,
    at the entry a componentwise proof names. A proved theorem's statement is the kernel's own
    (`theorem_result.theorem`); any other is elaborated again from the file's syntax tree, as the
    checker elaborated it. Empty when the statement does not elaborate (the file's errors say why)."""
    from .elaboration import ElabError, Elaborator, same_dim
    from .syntax import ast

    tree, scope = file_result.tree, file_result.scope
    node = None
    if tree is not None:
        node = next((i for i in tree.items if isinstance(i, ast.Theorem) and i.name.span == theorem_result.span), None)
    th = theorem_result.theorem
    if th is not None:
        sides, label = (th.lhs, th.rhs), "as proved"
    elif node is not None and scope is not None:
        el = Elaborator(scope)
        try:
            lhs, rhs = el.expr(node.lhs), el.expr(node.rhs)
        except ElabError:
            return []
        if not (same_dim(lhs.rows, rhs.rows) and same_dim(lhs.cols, rhs.cols)):
            return []
        slots = (Index(ROW, lhs.rows) if lhs.rows is not None else None,
                 Index(COL, lhs.cols) if lhs.cols is not None else None)
        sides, label = (lhs.comp(*slots), rhs.comp(*slots)), "as stated (not proved)"
    else:
        return []
    at = _component_names(node, scope, sides)
    where, equation = statement(*sides, scope=scope, at=at)
    return [f"{label}{', ' + where if where else ''}:", f"  {equation}"]


def _component_names(node, scope, sides) -> tuple[str, ...]:
    """The indices a `proof (component …)` names for the statement's slots, when the file declares
    them over the slots' dimensions; else ()."""
    comp = node.proof.component if node is not None else None
    if not comp or scope is None:
        return ()
    found = {i.name: i for i in free_slots(sides[0]) | free_slots(sides[1]) if i.name in (ROW, COL)}
    slots = [found[n] for n in (ROW, COL) if n in found]
    names = [c.name for c in comp]
    for s, name in zip(slots, names):
        d = scope.names.get(name)
        if len(names) != len(slots) or d is None or d.what != "index" or not _fits(d.index.dim, s.dim):
            return ()
    return tuple(names)


def _wrapped(text: str) -> bool:
    """Whether `text` is one parenthesised whole: `(a b)`, not `(2 s)^2` or `(a) (b)`."""
    if not text.startswith("("):
        return False
    depth = 0
    for k, ch in enumerate(text):
        depth += ch == "("
        depth -= ch == ")"
        if depth == 0:
            return k == len(text) - 1
    return False
