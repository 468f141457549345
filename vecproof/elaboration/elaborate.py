"""Elaboration: check names, shapes and index types of matrix notation and lower it to index
expressions for the kernel. Matrix notation becomes `Fold`s so the rule checker can see it."""

from __future__ import annotations

import dataclasses

import itertools
from dataclasses import dataclass
from fractions import Fraction
from typing import Callable

from .. import diagnostics as dg
from ..kernel import (
    Add, App, VApp, Delta, Deriv, Dim, Entry, Expr, Fold, Index, Mul, Num, Obj, Pow, Select, Size, Sum,
)
from ..kernel.terms import Det, Inverse, LogDet
from ..numtext import number_text
from ..syntax import ast
from . import edge
from .scope import BUILTINS, ElabError, Scope

MAX_EXPONENT = 64
IDENTITY = "I"  # the identity matrix, unless a file declares the name I itself
MATRIX_FUNCTIONS = ("inv", "det", "logdet")  # of a declared square matrix, unless a file declares the name
INVERSE_MARKS = ("⁻¹", "^-1")
FUNCTIONS = {"exp": "exp", "log": "log", "sqrt": "sqrt", "sigmoid": "sigmoid", "σ": "sigmoid", "tanh": "tanh"}
PRIMES = "'′"


def same_dim(a: Dim | None, b: Dim | None) -> bool:
    """Shapes agree: the same dimension, or two concrete dimensions of the same size (or both 1)."""
    if a is None or b is None:
        return _size1(a) and _size1(b)
    return a == b or (a.size is not None and a.size == b.size)


def _size1(d: Dim | None) -> bool:
    return d is None or d.size == 1


def shape_text(rows: Dim | None, cols: Dim | None) -> str:
    if rows is None and cols is None:
        return "a scalar"
    return f"{'1' if rows is None else rows.name}×{'1' if cols is None else cols.name}"


Comp = Callable[[object, object], Expr]


@dataclass(frozen=True)
class Typed:
    """A matrix-notation expression with its shape; `comp(r, c)` is its (r, c) entry in index form.
    r (c) is None when the rows (columns) dimension is 1. An expression whose size comes from its
    context (the identity `I`, and `2 I`, `-I`, …) has `fit`: its value as an n×n matrix, given n."""

    rows: Dim | None
    cols: Dim | None
    comp: Comp
    fit: Callable[[Dim], "Typed"] | None = None

    @property
    def scalar(self) -> bool:
        return self.rows is None and self.cols is None

    @property
    def shape(self) -> str:
        return shape_text(self.rows, self.cols)

    def value(self) -> Expr:
        return self.comp(None, None)


def _one(slot):
    return 1 if slot is None else slot


def _deriv(var: Obj, slots, body: Expr) -> Deriv:
    """∂body/∂var[slots]; a slot reached as None (a dimension of size 1) is entry 1."""
    return Deriv(var, tuple(_one(s) for s in slots), body)


def _norm(d: Dim | None) -> Dim | None:
    """Literal dimensions of size 1 behave as 1."""
    return None if d is not None and d.size == 1 and d.name.startswith("#") else d


class Elaborator:
    def __init__(self, scope: Scope):
        self.scope = scope
        self._counter = itertools.count()

    # -- entry point -----------------------------------------------------------------------------
    def expr(self, node: ast.Node, env: dict | None = None) -> Typed:
        """Elaborate one expression. Bound indices are named deterministically (i'0, j'1, …), so the
        same text under the same declarations always gives the same index expression. `env` names
        index variables local to the expression's theorem (a proof's undeclared component index)."""
        self._counter = itertools.count()
        return self._expr(node, dict(env or {}))

    def _expr(self, node: ast.Node, env: dict | None = None, unsized: bool = False) -> Typed:
        """Elaborate `node`; unless `unsized`, an expression whose size would come from its context
        (the identity `I` where nothing says n) is an error here."""
        method = getattr(self, "_" + type(node).__name__)
        t = method(node, env or {})
        if t.fit is not None and not unsized:
            raise ElabError(dg.SHAPE, "the size of the identity I does not follow from its context here; "
                            "write I(n) for the n×n identity", node.span)
        return t

    def _fresh(self, name: str, dim: Dim) -> Index:
        return Index(f"{name}'{next(self._counter)}", dim)

    # -- leaves ----------------------------------------------------------------------------------
    def _Number(self, node: ast.Number, env) -> Typed:
        v = Num(Fraction(node.value))
        return Typed(None, None, lambda r, c: v)

    def _Name(self, node: ast.Name, env) -> Typed:
        if node.name in env:
            raise ElabError(dg.UNSUPPORTED, f"index {node.name} is used as a number; an index can only "
                            f"select entries, as in x[{node.name}]", node.span)
        if node.name not in self.scope.names:
            if node.name == IDENTITY:
                return _unsized(self._identity)
            if node.name in MATRIX_FUNCTIONS:
                raise ElabError(dg.UNSUPPORTED, f"{node.name} is applied with parentheses, as in "
                                f"{node.name}(X)", node.span)
            if node.name in edge.CONSTRUCTS:
                raise edge.refuse(node.name, node.span)
        d = self.scope.lookup(node.name, node.span)
        if d.what == "dim":
            dim = d.dim
            v = Size(dim) if dim.symbolic else Num(Fraction(dim.size))
            return Typed(None, None, lambda r, c: v)
        if d.what == "index":
            raise ElabError(dg.UNSUPPORTED, f"index {node.name} is used as a number; an index can only "
                            f"select entries, as in x[{node.name}]", node.span)
        if d.what == "fn":
            raise ElabError(dg.SHAPE, f"{node.name} is a function: apply it, as in {node.name}(t)", node.span)
        return self._object(d.obj)

    def _identity(self, dim: Dim | None) -> Typed:
        """The identity matrix over `dim`: entry (r, c) is δ(r, c)."""
        if dim is None:
            raise _NoSize()
        return Typed(dim, dim, lambda r, c: Fold("identity", Delta(_one(r), _one(c))))

    def _object(self, obj: Obj) -> Typed:
        # A slot of a dimension of size 1 may be reached as "no index" (None): it is entry 1.
        if not obj.dims:
            return Typed(None, None, lambda r, c: Entry(obj, ()))
        if len(obj.dims) == 1:
            return Typed(_norm(obj.dims[0]), None, lambda r, c: Entry(obj, (_one(r),)))
        return Typed(obj.dims[0], obj.dims[1], lambda r, c: Entry(obj, (_one(r), _one(c))))

    # -- arithmetic ------------------------------------------------------------------------------
    def _BinOp(self, node: ast.BinOp, env) -> Typed:
        if node.op == "/":
            return self._divide(node, self._expr(node.left, env), env)
        if node.op == "⊙":
            return self._hadamard(node, self._expr(node.left, env), self._expr(node.right, env))
        left = self._expr(node.left, env, unsized=True)
        right = self._expr(node.right, env, unsized=True)
        if node.op == "*":
            return self.product(left, right, node.span)
        return self._add(node, left, right)

    def _add(self, node: ast.BinOp, left: Typed, right: Typed) -> Typed:
        """left + right or left − right; an identity of unknown size takes the other side's size."""
        if left.fit is not None and right.fit is not None:
            return _unsized(lambda d: self._add(node, left.fit(d), right.fit(d)))
        if left.fit is not None or right.fit is not None:
            other = right if left.fit is not None else left
            if other.rows is None or not same_dim(other.rows, other.cols):
                raise ElabError(dg.SHAPE, f"cannot {'add' if node.op == '+' else 'subtract'} the identity I "
                                f"and {other.shape}: I is square", node.span)
            left, right = (left.fit(other.rows), right) if left.fit is not None else (left, right.fit(other.rows))
        if not (same_dim(left.rows, right.rows) and same_dim(left.cols, right.cols)):
            raise ElabError(dg.SHAPE, f"cannot {'add' if node.op == '+' else 'subtract'} {left.shape} "
                            f"and {right.shape}", node.span, *self._transpose_hint(left, right))
        sign = Num(Fraction(1 if node.op == "+" else -1))
        lc, rc = left.comp, right.comp
        if node.op == "+":
            return Typed(left.rows, left.cols, lambda r, c: Add((lc(r, c), rc(r, c))))
        return Typed(left.rows, left.cols, lambda r, c: Add((lc(r, c), Mul((sign, rc(r, c))))))

    def product(self, left: Typed, right: Typed, span) -> Typed:
        if left.fit is not None or right.fit is not None:
            left, right = self._fit_factors(left, right, span)
            if left.fit is not None or right.fit is not None:
                return _unsized(lambda d: self.product(_fitted(left, d), _fitted(right, d), span))
        lc, rc = left.comp, right.comp
        if left.scalar:
            return Typed(right.rows, right.cols, lambda r, c: Mul((lc(None, None), rc(r, c))))
        if right.scalar:
            return Typed(left.rows, left.cols, lambda r, c: Mul((lc(r, c), rc(None, None))))
        if not same_dim(left.cols, right.rows):
            raise ElabError(dg.SHAPE, f"cannot multiply {left.shape} by {right.shape}: the inner "
                            f"dimensions {shape_text(left.cols, None).split('×')[0]} and "
                            f"{shape_text(right.rows, None).split('×')[0]} differ", span,
                            *self._product_hint(left, right))
        inner = left.cols if left.cols is not None else right.rows
        if inner is None or inner.size == 1 and (left.cols is None or right.rows is None):
            return Typed(left.rows, right.cols, lambda r, c: Fold(
                "matmul", Mul((lc(r, None if left.cols is None else 1), rc(None if right.rows is None else 1, c)))))
        j = self._fresh("j", inner)
        return Typed(left.rows, right.cols,
                     lambda r, c: Fold("matmul", Sum(j, Mul((lc(r, j), rc(j, c))))))

    def _fit_factors(self, left: Typed, right: Typed, span) -> tuple[Typed, Typed]:
        """The factors of a product with an identity of unknown size sized by the other factor: I x
        takes x's rows, xᵀ I takes xᵀ's columns; beside a scalar (2 I) or another I it stays unsized."""
        try:
            if left.fit is not None and right.fit is None and not right.scalar:
                return left.fit(right.rows), right
            if right.fit is not None and left.fit is None and not left.scalar:
                return left, right.fit(left.cols)
        except _NoSize:
            raise ElabError(dg.SHAPE, "the identity I here would be 1×1; write 1", span) from None
        return left, right

    def _divide(self, node: ast.BinOp, left: Typed, env) -> Typed:
        den = node.right
        if not isinstance(den, ast.Number):
            by = den.operand if isinstance(den, ast.Indexed) else den  # `d(E)/dx[l]/dx[k]`: the last dx[k]
            wrt = isinstance(by, ast.Name) and len(by.name) > 1 and by.name[0] in "d∂"
            if isinstance(node.left, ast.Partial) and wrt:
                raise ElabError(dg.UNSUPPORTED, "only division by a whole number or a scalar is supported; "
                                "for a second derivative write d(d(E)/dx[l])/dx[k]", den.span)
            if wrt and by.name not in self.scope.names:
                raise ElabError(dg.UNSUPPORTED, "only division by a whole number or a scalar expression is "
                                "supported", den.span)
            d = self._expr(den, env)
            if not d.scalar:
                raise ElabError(dg.SHAPE, f"cannot divide by {d.shape}: only division by a scalar is defined",
                                den.span)
            lc, dc = left.comp, d.comp
            return Typed(left.rows, left.cols, lambda r, c: Mul((lc(r, c), App("recip", dc(None, None)))))
        if den.value == 0:
            raise ElabError(dg.UNSUPPORTED, "division by zero", den.span)
        q = Num(Fraction(1, den.value))
        lc = left.comp
        return Typed(left.rows, left.cols, lambda r, c: Mul((q, lc(r, c))))

    def _hadamard(self, node: ast.BinOp, left: Typed, right: Typed) -> Typed:
        """a ⊙ b, the entrywise product of two arrays of one shape: (a ⊙ b)[i,j] = a[i,j] b[i,j]."""
        if not (same_dim(left.rows, right.rows) and same_dim(left.cols, right.cols)) or left.scalar:
            raise ElabError(dg.SHAPE, f"the entrywise product ⊙ takes two arrays of one shape; these are "
                            f"{left.shape} and {right.shape}", node.span)
        lc, rc = left.comp, right.comp
        return Typed(left.rows, left.cols, lambda r, c: Fold("hadamard", Mul((lc(r, c), rc(r, c)))))

    def _Neg(self, node: ast.Neg, env) -> Typed:
        inner = self._expr(node.operand, env, unsized=True)
        if inner.fit is not None:
            return _unsized(lambda d: self._negate(inner.fit(d)))
        return self._negate(inner)

    def _negate(self, inner: Typed) -> Typed:
        m1 = Num(Fraction(-1))
        ic = inner.comp
        return Typed(inner.rows, inner.cols, lambda r, c: Mul((m1, ic(r, c))))

    def _Transpose(self, node: ast.Transpose, env) -> Typed:
        inner = self._expr(node.operand, env, unsized=True)
        if inner.fit is not None:
            return _unsized(lambda d: self._transposed(inner.fit(d)))
        return self._transposed(inner)

    def _transposed(self, inner: Typed) -> Typed:
        ic = inner.comp
        return Typed(inner.cols, inner.rows, lambda r, c: ic(c, r))

    def _Power(self, node: ast.Power, env) -> Typed:
        if isinstance(node.operand, ast.Call) and node.operand.callee.name in ("norm", "normF"):
            call = node.operand
            if len(call.args) != 1:
                raise ElabError(dg.SHAPE, f"{call.callee.name} takes one argument", call.span)
            return self._norm_squared(call.args[0], call.callee.name == "normF", node.exponent, node.span, env)
        if node.exponent > MAX_EXPONENT:
            raise ElabError(dg.LIMIT, f"exponent {node.exponent} is larger than the limit {MAX_EXPONENT}", node.span)
        base = self._expr(node.operand, env)
        if base.scalar:
            bc = base.comp
            k = node.exponent
            return Typed(None, None, lambda r, c: Pow(bc(None, None), k))
        if base.rows is not None and same_dim(base.rows, base.cols):
            if node.exponent == 0:
                raise ElabError(dg.UNSUPPORTED, "A^0 is not supported; write the identity explicitly", node.span)
            out = base
            for _ in range(node.exponent - 1):
                out = self.product(out, base, node.span)
            return out
        raise ElabError(dg.SHAPE, f"only scalars and square matrices have powers; this is {base.shape}",
                        node.span, "for a squared norm write ‖x‖^2 or x^T x")

    # -- indexing ----------------------------------------------------------------------------------
    def slot(self, item: ast.IndexItem, dim: Dim | None, env, where: str):
        """Resolve an index item against a slot of dimension `dim` (None: a dimension of size 1)."""
        if item.kind == "number":
            v = item.value
            if dim is None:
                if v != 1:
                    raise ElabError(dg.INDEX_TYPE, f"index {v} is out of range: this slot ({where}) has size 1", item.span)
                return None
            if dim.symbolic:
                raise ElabError(dg.UNSUPPORTED, f"a numbered index into the symbolic dimension {dim.name} "
                                f"is outside what vecproof decides; use an index variable, or declare "
                                f"`dim {dim.name} = …`", item.span)
            if not 1 <= v <= dim.size:
                raise ElabError(dg.INDEX_TYPE, f"index {v} is out of range: this slot ({where}) runs over 1..{dim.size}",
                                item.span)
            return v
        if item.kind == "all":
            raise ElabError(dg.SHAPE, "':' selects a whole row or column and is allowed only in A[:, j] "
                            "or A[i, :]", item.span)
        name = item.value
        idx = env.get(name)
        if idx is None:
            d = self.scope.lookup(name, item.span)
            if d.what != "index":
                raise ElabError(dg.INDEX_TYPE, f"'{name}' is not an index variable (it is: {d.text}); "
                                f"declare it with `index {name} : …`", item.span)
            idx = d.index
        if dim is None or not same_dim(idx.dim, dim):
            ranges = "1" if dim is None else dim.name
            raise ElabError(dg.INDEX_TYPE, f"index {name} ranges over {idx.dim.name}, but this slot "
                            f"({where}) ranges over {ranges}", item.span)
        return idx

    def _index_dim(self, items, env, span) -> Dim:
        """The size of an identity of unknown size read off its first index variable: I[i, j] is over i's range."""
        for item in items:
            if item.kind == "name":
                idx = env.get(item.value)
                if idx is None:
                    d = self.scope.lookup(item.value, item.span)
                    idx = d.index if d.what == "index" else None
                if idx is not None:
                    return idx.dim
        raise ElabError(dg.SHAPE, "the size of the identity I does not follow from these indices; write I(n)", span)

    def _Indexed(self, node: ast.Indexed, env) -> Typed:
        base = self._expr(node.operand, env, unsized=True)
        items = node.indices
        if base.fit is not None:
            base = base.fit(self._index_dim(items, env, node.span))
        bc = base.comp
        if len(items) == 1:
            if base.scalar:
                raise ElabError(dg.SHAPE, "a scalar has no entries to index", node.span)
            if base.cols is None:
                s = self.slot(items[0], base.rows, env, "an entry of the vector")
                return Typed(None, None, lambda r, c: bc(s, None))
            if base.rows is None:
                s = self.slot(items[0], base.cols, env, "an entry of the row")
                return Typed(None, None, lambda r, c: bc(None, s))
            raise ElabError(dg.SHAPE, f"this is a {base.shape} matrix: give two indices, as in A[i, j]",
                            node.span)
        if len(items) != 2:
            raise ElabError(dg.SHAPE, f"too many indices ({len(items)}); a matrix takes two", node.span)
        ri, ci = items
        if ri.kind == "all" and ci.kind == "all":
            return base
        if ri.kind == "all":
            s = self.slot(ci, base.cols, env, "a column")
            return Typed(base.rows, None, lambda r, c: bc(r, s))
        if ci.kind == "all":
            s = self.slot(ri, base.rows, env, "a row")
            return Typed(None, base.cols, lambda r, c: bc(s, c))
        rs = self.slot(ri, base.rows, env, "a row")
        cs = self.slot(ci, base.cols, env, "a column")
        return Typed(None, None, lambda r, c: bc(rs, cs))

    # -- calls -------------------------------------------------------------------------------------
    def _Call(self, node: ast.Call, env) -> Typed:
        name = node.callee.name
        args = node.args
        if name not in self.scope.names:
            if name == IDENTITY:
                return self._identity(self._dim_arg(node))
            if name in MATRIX_FUNCTIONS or (name == "log" and _is_det_call(node, self.scope)):
                return self._matrix_function(node, env)
            if name in edge.CONSTRUCTS:
                raise edge.refuse(name, node.callee.span)
        if name in FUNCTIONS:
            return self._apply(node, FUNCTIONS[name], 0, env)
        if name in ("softmax", "logsumexp"):
            return self._softmax(node, name, env)
        if name == "diag":
            self._arity(node, 1)
            v = self._expr(args[0], env)
            if v.rows is None or v.cols is not None:
                raise ElabError(dg.SHAPE, f"diag takes a column vector; this is {v.shape}", node.span)
            vc = v.comp
            return Typed(v.rows, v.rows, lambda r, c: Fold("diag", Mul((Delta(_one(r), _one(c)), vc(r, None)))))
        base = name.rstrip(PRIMES)
        if base in self.scope.names and self.scope.names[base].what == "fn":
            if self.scope.names[base].obj.dims:
                return self._apply_vector(node, self.scope.names[base].obj, len(name) - len(base))
            return self._apply(node, base, len(name) - len(base), env)
        if base != name:
            raise ElabError(dg.SHAPE, f"{name}: primes mark the derivatives of a function declared "
                            f"`func {base} : scalar -> scalar`", node.callee.span)
        if name in ("sum", "Σ"):
            return self._sum(node, env)
        if name in ("delta", "δ"):
            self._arity(node, 2)
            a, b = args
            sa = self._delta_slot(a, env)
            sb = self._delta_slot(b, env)
            if isinstance(sa, Index) and isinstance(sb, Index) and not same_dim(sa.dim, sb.dim):
                raise ElabError(dg.INDEX_TYPE, f"δ({sa.name.split(chr(39))[0]}, {sb.name.split(chr(39))[0]}) "
                                f"compares an index over {sa.dim.name} with one over {sb.dim.name}", node.span)
            for s, arg in ((sa, a), (sb, b)):
                if isinstance(s, int):
                    other = sb if s is sa else sa
                    if not isinstance(other, Index) or other.dim.symbolic or not 1 <= s <= other.dim.size:
                        raise ElabError(dg.UNSUPPORTED, "δ compares a number with an index only over a "
                                        "concrete dimension containing that number", arg.span)
            return Typed(None, None, lambda r, c: Delta(sa, sb))
        if name == "grad":
            if not 1 <= len(args) <= 2:
                raise ElabError(dg.SHAPE, "grad takes an expression and optionally the variable: grad(f, x)",
                                node.span)
            var = self._var(args[1] if len(args) == 2 else None, node.span)
            return self._gradient(self._expr(args[0], env), var, node.span)
        if name == "hess":
            if not 1 <= len(args) <= 2:
                raise ElabError(dg.SHAPE, "hess takes an expression and optionally the variable: hess(f, x)", node.span)
            var = self._var(args[1] if len(args) == 2 else None, node.span)
            return self._hessian(self._expr(args[0], env), var, node.span)
        if name == "D":
            if not 1 <= len(args) <= 2:
                raise ElabError(dg.SHAPE, "D takes an expression and optionally the variable: D(u, x)", node.span)
            var = self._var(args[1] if len(args) == 2 else None, node.span)
            return self._jacobian(self._expr(args[0], env), var, node.span)
        if name == "dot":
            self._arity(node, 2)
            u, v = (self._expr(a, env) for a in args)
            for t, a in ((u, args[0]), (v, args[1])):
                if t.cols is not None or t.rows is None:
                    raise ElabError(dg.SHAPE, f"dot takes two column vectors; this is {t.shape}", a.span)
            if not same_dim(u.rows, v.rows):
                raise ElabError(dg.SHAPE, f"dot of vectors of different sizes {u.rows.name} and {v.rows.name}",
                                node.span)
            j = self._fresh("j", u.rows)
            uc, vc = u.comp, v.comp
            return Typed(None, None, lambda r, c: Fold("matmul", Sum(j, Mul((uc(j, None), vc(j, None))))))
        if name in ("norm", "normF"):
            self._arity(node, 1)
            return self._norm_squared(args[0], name == "normF", 1, node.span, env)
        if name == "tr":
            self._arity(node, 1)
            a = self._expr(args[0], env)
            if a.rows is None or not same_dim(a.rows, a.cols):
                raise ElabError(dg.SHAPE, f"the trace needs a square matrix; this is {a.shape}", node.span)
            j = self._fresh("j", a.rows)
            ac = a.comp
            return Typed(None, None, lambda r, c: Fold("trace", Sum(j, ac(j, j))))
        d = self.scope.lookup(name, node.callee.span)
        if d.what == "func" and len(args) == 1 and isinstance(args[0], ast.Name) and args[0].name == d.obj.depends_on:
            return self._object(d.obj)
        if d.what == "func":
            raise ElabError(dg.SHAPE, f"{name} is a function of {d.obj.depends_on}: write {name}"
                            f"({d.obj.depends_on}) or just {name}", node.span)
        if len(args) == 1 and d.what in ("var", "const", "dim"):
            # `A(x + y)`: a product written without a space.
            return self.product(self._expr(ast.Name(node.callee.span, name), env), self._expr(args[0], env), node.span)
        raise ElabError(dg.SHAPE, f"'{name}' is not a function", node.callee.span)

    def _apply(self, node: ast.Call, fn: str, order: int, env) -> Typed:
        """A scalar function (its `order`-th derivative) applied entrywise: f(E)[r, c] = f(E[r, c])."""
        self._arity(node, 1)
        t = self._expr(node.args[0], env)
        tc = t.comp
        return Typed(t.rows, t.cols, lambda r, c: App(fn, tc(r, c), order))

    def _apply_vector(self, node: ast.Call, fn: Obj, order: int) -> Typed:
        """F(u) for F : ℝᵐ → ℝ and a declared vector u (a variable, or a function `u(x)`); F′(u) is
        the gradient (a column), F″(u) the Hessian."""
        self._arity(node, 1)
        arg = node.args[0]
        if isinstance(arg, ast.Call) and len(arg.args) == 1 and isinstance(arg.args[0], ast.Name):
            arg = ast.Name(arg.callee.span, arg.callee.name)  # `u(x)`: the function u itself
        d = self.scope.names.get(arg.name) if isinstance(arg, ast.Name) else None
        obj = d.obj if d is not None and d.what in ("var", "func") else None
        if obj is None or len(obj.dims) != 1 or not same_dim(obj.dims[0], fn.dims[0]):
            raise ElabError(dg.UNSUPPORTED, f"{fn.name} applies to a declared vector of size {fn.dims[0].name} "
                            f"(a variable, or a function u(x) : vector({fn.dims[0].name})); an expression as its "
                            "argument is not supported yet", arg.span)
        m = fn.dims[0]
        name = fn.name
        if order == 0:
            return Typed(None, None, lambda r, c: VApp(name, obj, ()))
        if order == 1:
            return Typed(m, None, lambda r, c: VApp(name, obj, (_one(r),)))
        if order == 2:
            return Typed(m, m, lambda r, c: VApp(name, obj, (_one(r), _one(c))))
        raise ElabError(dg.UNSUPPORTED, f"{name}: derivatives beyond the Hessian ({name}'') are not supported",
                        node.callee.span)

    def _softmax(self, node: ast.Call, name: str, env) -> Typed:
        """softmax(x)[r] = exp(x[r]) / Σ_j exp(x[j]) and logsumexp(x) = log Σ_j exp(x[j]), for a
        column vector x: definitions a proof unfolds (softmax_def, logsumexp_def)."""
        self._arity(node, 1)
        t = self._expr(node.args[0], env)
        if t.rows is None or t.cols is not None:
            raise ElabError(dg.SHAPE, f"{name} takes a column vector; this is {t.shape}", node.span)
        j = self._fresh("j", t.rows)
        tc = t.comp
        total = lambda: Sum(j, App("exp", tc(j, None)))  # noqa: E731
        if name == "logsumexp":
            return Typed(None, None, lambda r, c: Fold("logsumexp", App("log", total())))
        return Typed(t.rows, None, lambda r, c: Fold("softmax", Mul((App("exp", tc(r, None)), App("recip", total())))))

    def _dim_arg(self, node: ast.Call) -> Dim:
        """The dimension named by the one argument of `I(n)`."""
        if len(node.args) != 1 or not isinstance(node.args[0], ast.Name):
            raise ElabError(dg.SHAPE, "I(…) takes a dimension, as in I(n)", node.span)
        arg = node.args[0]
        d = self.scope.lookup(arg.name, arg.span)
        if d.what != "dim":
            raise ElabError(dg.SHAPE, f"I(…) takes a dimension, as in I(n); '{arg.name}' is: {d.text}", arg.span)
        return d.dim

    def _arity(self, node: ast.Call, n: int) -> None:
        if len(node.args) != n or any(isinstance(a, ast.BoundedIndex) for a in node.args):
            raise ElabError(dg.SHAPE, f"{node.callee.name} takes {n} argument{'s' if n > 1 else ''}", node.span)

    def _delta_slot(self, arg, env):
        if isinstance(arg, ast.Number):
            return arg.value
        if not isinstance(arg, ast.Name):
            raise ElabError(dg.UNSUPPORTED, "δ takes two indices, as in δ(i, k)", arg.span)
        idx = env.get(arg.name)
        if idx is not None:
            return idx
        d = self.scope.lookup(arg.name, arg.span)
        if d.what != "index":
            raise ElabError(dg.INDEX_TYPE, f"'{arg.name}' is not an index variable (it is: {d.text})", arg.span)
        return d.index

    def _sum(self, node: ast.Call, env) -> Typed:
        if len(node.args) != 2:
            raise ElabError(dg.SHAPE, "sum takes an index and a body: sum(i, …) or sum(i = 1..n, …)", node.span)
        head, body = node.args
        lo = hi = None
        if isinstance(head, ast.BoundedIndex):
            ident = head.index
            name, span = ident.name, ident.span
        elif isinstance(head, ast.Name):
            name, span = head.name, head.span
        else:
            raise ElabError(dg.SHAPE, "the first argument of sum is its index: sum(i, …)", head.span)
        if name not in self.scope.names and name not in env:
            dim = self._inferred_range(name, span, body, env)
        elif name in env and name not in self.scope.names:
            dim = env[name].dim  # a sum over a proof's undeclared component index: its range
        else:
            d = self.scope.lookup(name, span)
            if d.what != "index":
                raise ElabError(dg.INDEX_TYPE, f"'{name}' is not an index variable (it is: {d.text}); declare "
                                f"it with `index {name} : …`", span)
            dim = d.index.dim
        if isinstance(head, ast.BoundedIndex):
            lo, hi = self._bounds(head, dim)
        bound = self._fresh(name, dim)
        inner = self._expr(body, {**env, name: bound})
        ic = inner.comp
        return Typed(inner.rows, inner.cols, lambda r, c: Sum(bound, ic(r, c), lo, hi))

    def _inferred_range(self, name: str, span, body, env) -> Dim:
        """The range of a sum's undeclared index, read off its uses in the body (`sum(i, x[i])`: the
        range of x's entries) when every use agrees; otherwise say which declaration is needed."""
        found: list[Dim] = []
        self._uses(name, body, env, found)
        dims = []
        for d in found:
            if not any(same_dim(d, e) for e in dims):
                dims.append(d)
        if len(dims) == 1:
            return dims[0]
        named = [d for d in dims if d.name and not d.name.startswith("#")]
        choices = named or [d.dim for d in self.scope.names.values() if d.what == "dim"]
        if len(dims) > 1:
            why = f"its uses range over {' and '.join(d.name for d in named) or 'different sizes'}"
        else:
            why = "its range does not follow from its uses"
        decls = [f"index {name} : {d.name}" for d in choices[:2]] or [f"index {name} : n"]
        example = " or ".join(f"`{d}`" for d in decls)
        raise ElabError(dg.UNKNOWN_NAME, f"'{name}' is not a declared index variable and {why}: declare it, "
                        f"e.g. {example}", span, fixes=tuple(dg.Suggestion("declare", text=d) for d in decls))

    def _uses(self, name: str, node, env, found: list) -> None:
        """Collect the ranges of the slots where index `name` is used in `node` (an entry x[name],
        A[name, j], (A x)[name]; a delta against a declared index)."""
        if isinstance(node, ast.Indexed):
            positions = [k for k, item in enumerate(node.indices) if item.kind == "name" and item.value == name]
            if positions:
                try:
                    base = self._expr(node.operand, env)
                    slots = [base.rows, base.cols] if base.cols is not None else [base.rows]
                    if base.rows is None and base.cols is not None:
                        slots = [base.cols]
                    for k in positions:
                        if k < len(slots) and slots[k] is not None:
                            found.append(slots[k])
                except ElabError:
                    pass
        elif isinstance(node, ast.Call) and node.callee.name in ("delta", "δ") and len(node.args) == 2:
            a, b = node.args
            for this, other in ((a, b), (b, a)):
                if isinstance(this, ast.Name) and this.name == name and isinstance(other, ast.Name):
                    d = self.scope.names.get(other.name)
                    if d is not None and d.what == "index":
                        found.append(d.index.dim)
                    elif other.name in env:
                        found.append(env[other.name].dim)
        if isinstance(node, ast.Call) and node.callee.name in ("sum", "Σ") and node.args:
            head = node.args[0]
            inner = head.index.name if isinstance(head, ast.BoundedIndex) else getattr(head, "name", None)
            if inner == name:
                return  # an inner sum over the same name binds its own index
        for f in dataclasses.fields(node) if dataclasses.is_dataclass(node) else ():
            value = getattr(node, f.name)
            for child in (value if isinstance(value, tuple) else (value,)):
                if isinstance(child, tuple):
                    for c in child:
                        self._uses(name, c, env, found)
                elif isinstance(child, ast.Node):
                    self._uses(name, child, env, found)

    def _bounds(self, head: ast.BoundedIndex, dim: Dim):
        """Check `i = lo..hi` stays inside 1..dim for every size; None, None for the full range."""
        lo = _linear(self._size_expr(head.lo, {}))
        hi = _linear(self._size_expr(head.hi, {}))
        name = head.index.name
        if lo is None or set(lo) - {None}:
            raise ElabError(dg.UNSUPPORTED, f"the lower bound of {name} must be a whole number", head.lo.span)
        low = lo.get(None, 0)
        if low < 1 or low.denominator != 1:
            raise ElabError(dg.INDEX_TYPE, f"the lower bound {number_text(low)} of {name} is below 1: indices run over "
                            f"1..{dim.name}", head.lo.span)
        if hi is None or (set(hi) - {None, dim}) or hi.get(dim, 0) not in (0, 1) or hi.get(None, 0).denominator != 1:
            raise ElabError(dg.UNSUPPORTED, f"the upper bound of {name} must be a whole number or "
                            f"{dim.name} minus a whole number", head.hi.span)
        if dim.symbolic and hi.get(dim, 0) == 0:
            raise ElabError(dg.UNSUPPORTED, f"a numbered bound for {name}, which ranges over the symbolic "
                            f"dimension {dim.name}, could pass the end of the range; write {dim.name} − c",
                            head.hi.span)
        top = hi.get(None, 0) + (hi.get(dim, 0) * (dim.size or 0))
        if (not dim.symbolic and top > dim.size) or (dim.symbolic and hi.get(None, 0) > 0):
            raise ElabError(dg.INDEX_TYPE, f"the upper bound of {name} passes the end of its range "
                            f"1..{dim.name}", head.hi.span)
        if low == 1 and ((dim.symbolic and hi == {dim: 1}) or (not dim.symbolic and top == dim.size)):
            return None, None
        lo_e = Num(Fraction(low))
        if dim.symbolic:
            c = hi.get(None, 0)
            hi_e = Size(dim) if not c else Add((Size(dim), Num(Fraction(c))))
        else:
            hi_e = Num(Fraction(top))
        return lo_e, hi_e

    def _size_expr(self, node, env) -> Expr:
        t = self._expr(node, env)
        v = t.value() if t.scalar else None
        if v is None or not _is_size_expr(v):
            raise ElabError(dg.UNSUPPORTED, "a summation bound must be built from numbers and dimensions",
                            node.span)
        return v

    # -- norms ---------------------------------------------------------------------------------------
    def _NormSquared(self, node: ast.NormSquared, env) -> Typed:
        return self._norm_squared(node.operand, node.frobenius, node.exponent, node.span, env)

    def _norm_squared(self, operand, frobenius: bool, exponent: int, span, env) -> Typed:
        """‖t‖^k, the Euclidean (or, for a matrix, Frobenius) norm to the power k: the sum of squares
        to the power k/2 — for an odd k, sqrt of the sum of squares to the power k (‖x‖ = sqrt(Σ x_i²),
        which the verdict assumes positive, as it does any sqrt)."""
        if exponent > MAX_EXPONENT:
            raise ElabError(dg.LIMIT, f"exponent {exponent} is larger than the limit {MAX_EXPONENT}", span)
        t = self._expr(operand, env)
        tc = t.comp
        if t.rows is not None and t.cols is not None:
            if not frobenius:
                written = "‖X‖_F" + ("" if exponent == 1 else f"^{exponent}")
                raise ElabError(dg.UNSUPPORTED, f"the norm of a {t.shape} matrix is ambiguous; for the "
                                f"Frobenius norm write {written} or normF(X)" + ("" if exponent == 1 else f"^{exponent}"),
                                span)
            i, j = self._fresh("i", t.rows), self._fresh("j", t.cols)
            squares = lambda: Sum(i, Sum(j, Pow(tc(i, j), 2)))  # noqa: E731
        elif t.scalar:
            squares = lambda: Pow(tc(None, None), 2)  # noqa: E731
        else:
            dim = t.rows if t.rows is not None else t.cols
            i = self._fresh("i", dim)
            if t.cols is None:
                squares = lambda: Sum(i, Pow(tc(i, None), 2))  # noqa: E731
            else:
                squares = lambda: Sum(i, Pow(tc(None, i), 2))  # noqa: E731
        if exponent == 2:
            return Typed(None, None, lambda r, c: Fold("norm", squares()))
        if exponent % 2 == 0:
            return Typed(None, None, lambda r, c: Fold("norm", Pow(squares(), exponent // 2)))
        if exponent == 1:
            return Typed(None, None, lambda r, c: Fold("norm", App("sqrt", squares())))
        return Typed(None, None, lambda r, c: Fold("norm", Pow(App("sqrt", squares()), exponent)))

    # -- derivatives ---------------------------------------------------------------------------------
    def _var(self, node, span) -> Obj:
        if node is None:
            vs = self.scope.variables()
            if len(vs) == 1:
                return vs[0]
            if not vs:
                raise ElabError(dg.DECLARATION, "no variable of differentiation is declared (add `var x : "
                                "vector(n)`)", span)
            raise ElabError(dg.WHICH_VARIABLE, f"several variables are declared ({', '.join(v.name for v in vs)}); "
                            "say which one, as in grad(f, x)", span)
        if not isinstance(node, ast.Name):
            raise ElabError(dg.DECLARATION, "the variable of differentiation must be a name", node.span)
        d = self.scope.lookup(node.name, node.span)
        if d.what != "var":
            raise ElabError(dg.DECLARATION, f"'{node.name}' is not a variable of differentiation (it is: "
                            f"{d.text}); declare it with `var`", node.span)
        return d.obj

    def _need_layout(self, span) -> str:
        if self.scope.layout is None:
            raise ElabError(dg.LAYOUT, "this derivative depends on the layout convention; declare "
                            "`layout numerator` (gradients are rows, ∂y/∂x is the Jacobian) or "
                            "`layout denominator` (gradients are columns, ∂y/∂x is the Jacobian's transpose)",
                            span)
        return self.scope.layout

    def _gradient(self, f: Typed, var: Obj, span) -> Typed:
        if not f.scalar:
            raise ElabError(dg.SHAPE, f"the gradient is taken of a scalar; this is {f.shape} (use D(…) for "
                            "the Jacobian of a vector)", span)
        layout = self._need_layout(span)
        fc = f.comp
        if len(var.dims) == 1:
            n = var.dims[0]
            if layout == "numerator":
                return Typed(None, n, lambda r, c: Fold("gradient", _deriv(var, (c,), fc(None, None))))
            return Typed(n, None, lambda r, c: Fold("gradient", _deriv(var, (r,), fc(None, None))))
        if len(var.dims) == 2:
            p, q = var.dims
            if layout == "numerator":
                return Typed(q, p, lambda r, c: Fold("gradient", _deriv(var, (c, r), fc(None, None))))
            return Typed(p, q, lambda r, c: Fold("gradient", _deriv(var, (r, c), fc(None, None))))
        return Typed(None, None, lambda r, c: Fold("gradient", _deriv(var, (), fc(None, None))))

    def _jacobian(self, f: Typed, var: Obj, span) -> Typed:
        if len(var.dims) != 1:
            raise ElabError(dg.SHAPE, f"D(…) is the Jacobian by a vector variable; {var.name} is not a vector",
                            span)
        n = var.dims[0]
        fc = f.comp
        if f.scalar:
            return Typed(None, n, lambda r, c: Fold("jacobian", _deriv(var, (c,), fc(None, None))))
        if f.cols is None:
            return Typed(f.rows, n, lambda r, c: Fold("jacobian", _deriv(var, (c,), fc(r, None))))
        raise ElabError(dg.SHAPE, f"the Jacobian D(…) is taken of a column vector or a scalar; this is "
                        f"{f.shape}", span)

    def _Partial(self, node: ast.Partial, env) -> Typed:
        wrt = node.wrt
        d = self.scope.lookup(wrt.var.name, wrt.var.span)
        if d.what != "var":
            raise ElabError(dg.DECLARATION, f"'{wrt.var.name}' is not a variable of differentiation (it is: "
                            f"{d.text}); declare it with `var`", wrt.var.span)
        var = d.obj
        body = self._expr(node.body, env)
        if wrt.indices is None and not var.dims:
            # By a scalar variable t: entry by entry, in either layout.
            bc = body.comp
            return Typed(body.rows, body.cols, lambda r, c: _deriv(var, (), bc(r, c)))
        if wrt.indices is None:
            if body.scalar:
                return self._gradient(body, var, node.span)
            if body.cols is not None or len(var.dims) != 1:
                raise ElabError(dg.SHAPE, f"∂(…)/∂{var.name} is defined here for a scalar or a column vector by "
                                f"a vector; this is {body.shape} by {len(var.dims)}-index {var.name}", node.span)
            layout = self._need_layout(node.span)
            n = var.dims[0]
            bc = body.comp
            if layout == "numerator":
                return Typed(body.rows, n, lambda r, c: Fold("gradient", _deriv(var, (c,), bc(r, None))))
            return Typed(n, body.rows, lambda r, c: Fold("gradient", _deriv(var, (r,), bc(c, None))))
        if len(wrt.indices) != len(var.dims):
            raise ElabError(dg.SHAPE, f"{var.name} has {len(var.dims)} index slot(s); "
                            f"d{var.name}[…] gives {len(wrt.indices)}", wrt.span)
        slots = tuple(self.slot(item, dim, env, f"slot {k + 1} of {var.name}")
                      for k, (item, dim) in enumerate(zip(wrt.indices, var.dims)))
        bc = body.comp
        return Typed(body.rows, body.cols, lambda r, c: _deriv(var, slots, bc(r, c)))

    def _GradOp(self, node: ast.GradOp, env) -> Typed:
        if node.order == 2:
            return self._hessian(self._expr(node.body, env), self._var(None, node.span), node.span)
        return self._gradient(self._expr(node.body, env), self._var(None, node.span), node.span)

    def _hessian(self, f: Typed, var: Obj, span) -> Typed:
        """The Hessian of a scalar by a vector (or scalar) variable. Both layouts give the matrix of
        second partials; they differ in the order the two derivatives are taken: denominator
        H[r, c] = ∂/∂x[r] (∂f/∂x[c]) (the gradient's Jacobian, transposed), numerator
        H[r, c] = ∂/∂x[c] (∂f/∂x[r]) (the Jacobian of the gradient)."""
        if not f.scalar:
            raise ElabError(dg.SHAPE, f"the Hessian is taken of a scalar; this is {f.shape}", span)
        if len(var.dims) > 1:
            raise ElabError(dg.SHAPE, f"hess(…) is by a vector or scalar variable; {var.name} is a matrix", span)
        fc = f.comp
        if not var.dims:
            return Typed(None, None, lambda r, c: Fold("hessian", _deriv(var, (), _deriv(var, (), fc(None, None)))))
        layout = self._need_layout(span)
        n = var.dims[0]
        if layout == "numerator":
            return Typed(n, n, lambda r, c: Fold("hessian", _deriv(var, (c,), _deriv(var, (r,), fc(None, None)))))
        return Typed(n, n, lambda r, c: Fold("hessian", _deriv(var, (r,), _deriv(var, (c,), fc(None, None)))))

    def _Unsupported(self, node: ast.Unsupported, env) -> Typed:
        if node.construct in INVERSE_MARKS:
            operand = node.operands[0]
            if self._is_scalar(operand, env):  # (t + 1)^-1, sigmoid(t)^-1: a reciprocal, not an inverse
                written = f"{operand.callee.name}(…)" if isinstance(operand, ast.Call) else "…"
                raise ElabError(dg.NOT_YET, f"`^-1` and `⁻¹` are the inverse of a declared square matrix; "
                                f"for the reciprocal of a scalar write 1/({written})", node.span)
            return self._inverse(operand, node.span)
        raise edge.refuse(node.construct, node.span)

    # -- inverse, determinant, log-determinant (kernel/inverse.py) -------------------------------------
    def _matrix_function(self, node: ast.Call, env) -> Typed:
        """inv(X), det(X), logdet(X) and log(det(X)) of a declared square matrix X (det also of X⁻¹)."""
        name = node.callee.name
        if len(node.args) != 1 or isinstance(node.args[0], ast.BoundedIndex):
            raise ElabError(dg.SHAPE, f"{name} takes one matrix, as in {name}(X)", node.span)
        arg = node.args[0]
        if name == "inv":
            return self._inverse(arg, node.span)
        if name == "log":
            name, arg = "logdet", arg.args[0]
        power = 1
        if name == "det" and _inverse_written(arg, self.scope):
            power, arg = -1, _inverse_operand(arg)
        obj = self._square_matrix(arg, name, invertible=name == "logdet" or power == -1)
        if name == "det":
            return Typed(None, None, lambda r, c: Det(obj, power))
        return Typed(None, None, lambda r, c: LogDet(obj))

    def _is_scalar(self, node: ast.Node, env) -> bool:
        """Whether `node` elaborates to a scalar (False where it does not elaborate at all)."""
        try:
            got = self._expr(node, env)
        except ElabError:
            return False
        return got.rows is None and got.cols is None

    def _inverse(self, arg: ast.Node, span) -> Typed:
        """The inverse of a declared invertible matrix X (or of Xᵀ, which is (X⁻¹)ᵀ)."""
        transposed = isinstance(arg, ast.Transpose)
        obj = self._square_matrix(arg.operand if transposed else arg, "inv", invertible=True)
        n = obj.dims[0]
        if transposed:
            return Typed(n, n, lambda r, c: Inverse(obj, (_one(c), _one(r))))
        return Typed(n, n, lambda r, c: Inverse(obj, (_one(r), _one(c))))

    def _square_matrix(self, node: ast.Node, what: str, invertible: bool) -> Obj:
        """The declared square matrix `node` names (X, or X(t) for a function of t) that `what` (inv,
        det, logdet) is applied to, declared invertible where `invertible`; else a positioned error."""
        while isinstance(node, ast.Transpose) and what != "inv":  # det Xᵀ = det X
            node = node.operand
        name = node.name if isinstance(node, ast.Name) else (
            node.callee.name if isinstance(node, ast.Call) and len(node.args) == 1
            and isinstance(node.args[0], ast.Name) else None)
        d = self.scope.names.get(name) if name is not None else None
        if d is None or d.obj is None or (isinstance(node, ast.Call) and node.args[0].name != d.obj.depends_on):
            if d is None and name is not None and name not in MATRIX_FUNCTIONS and name != IDENTITY \
                    and name not in BUILTINS:
                self.scope.lookup(name, node.span)  # not declared: VP101
            raise ElabError(dg.NOT_YET, f"{what} of an expression is not supported yet: vecproof applies it to a "
                            f"declared square matrix, as in {what}(X) with `var X : matrix(n, n) invertible`",
                            node.span)
        obj = d.obj
        if len(obj.dims) != 2 or not same_dim(obj.dims[0], obj.dims[1]):
            raise ElabError(dg.SHAPE, f"{what} needs a square matrix; {obj.name} is not one", node.span)
        if invertible and not d.invertible:
            raise ElabError(dg.DECLARATION, f"{obj.name} is not declared invertible: declare it "
                            f"`{obj.kind} {obj.name}{f'({obj.depends_on})' if obj.depends_on else ''} : "
                            f"matrix({obj.dims[0].name}, {obj.dims[1].name}) invertible` (the verdict then "
                            f"assumes it)", node.span)
        return obj

    # -- literals --------------------------------------------------------------------------------------
    def _Literal(self, node: ast.Literal, env) -> Typed:
        rows = node.rows
        width = len(rows[0])
        for row in rows:
            if len(row) != width:
                raise ElabError(dg.SHAPE, f"the rows of this matrix have different lengths ({width} and "
                                f"{len(row)})", node.span)
        cells = []
        for row in rows:
            out = []
            for cell in row:
                t = self._expr(cell, env)
                if not t.scalar:
                    raise ElabError(dg.SHAPE, f"an entry of an explicit matrix must be a scalar; this is {t.shape}",
                                    cell.span)
                out.append(t.comp)
            cells.append(out)
        rdim = None if len(rows) == 1 else Dim(f"#{len(rows)}", len(rows))
        cdim = None if width == 1 else Dim(f"#{width}", width)

        def comp(r, c):
            def pick_col(row):
                if cdim is None:
                    return row[0](None, None)
                if isinstance(c, int):
                    return row[c - 1](None, None)
                return Select(c, tuple(x(None, None) for x in row))
            if rdim is None:
                return pick_col(cells[0])
            if isinstance(r, int):
                return pick_col(cells[r - 1])
            return Select(r, tuple(pick_col(row) for row in cells))
        return Typed(rdim, cdim, comp)

    def _BoundedIndex(self, node, env):
        raise ElabError(dg.SYNTAX, "`i = lo..hi` is only allowed as the first argument of sum", node.span)

    # -- hints -----------------------------------------------------------------------------------------
    def _transpose_hint(self, a: Typed, b: Typed) -> tuple[str, ...]:
        if same_dim(a.rows, b.cols) and same_dim(a.cols, b.rows):
            return (self.layout_note("the two shapes differ by a transpose"),)
        return ()

    def _product_hint(self, a: Typed, b: Typed) -> tuple[str, ...]:
        if same_dim(a.rows, b.rows):
            return ("transposing the left factor would make the product defined",)
        if same_dim(a.cols, b.cols):
            return ("transposing the right factor would make the product defined",)
        return ()

    def layout_note(self, lead: str) -> str:
        if self.scope.layout == "numerator":
            return f"{lead}: a layout slip? This file declares layout numerator (gradients are rows; ∂y/∂x is m×n)"
        if self.scope.layout == "denominator":
            return f"{lead}: a layout slip? This file declares layout denominator (gradients are columns; ∂y/∂x is n×m)"
        return f"{lead} — a layout slip?"


class _NoSize(Exception):
    """An identity of unknown size was asked to be 1×1 (beside a row or a column of size 1)."""


def _is_det_call(node: ast.Call, scope: Scope) -> bool:
    """`log(det(X))`: the log-determinant (det not declared by the file)."""
    [arg] = node.args if len(node.args) == 1 else [None]
    return isinstance(arg, ast.Call) and arg.callee.name == "det" and "det" not in scope.names


def _inverse_written(node: ast.Node, scope: Scope) -> bool:
    """`node` is X⁻¹, X^-1 or inv(X) (inv not declared by the file)."""
    if isinstance(node, ast.Unsupported):
        return node.construct in INVERSE_MARKS
    return isinstance(node, ast.Call) and node.callee.name == "inv" and "inv" not in scope.names and len(node.args) == 1


def _inverse_operand(node: ast.Node) -> ast.Node:
    return node.operands[0] if isinstance(node, ast.Unsupported) else node.args[0]


def _unsized_comp(r, c) -> Expr:
    raise AssertionError("an identity of unknown size is sized before its entries are read")  # pragma: no cover


def _unsized(fit: Callable[[Dim], Typed]) -> Typed:
    """An expression whose size comes from its context: `fit(n)` is its value as an n×n matrix."""
    return Typed(None, None, _unsized_comp, fit=fit)


def _fitted(t: Typed, dim: Dim) -> Typed:
    return t.fit(dim) if t.fit is not None else t


def _linear(e: Expr):
    """{dim: coefficient, None: constant} for a linear size expression, else None."""
    if isinstance(e, Num):
        return {None: e.value}
    if isinstance(e, Size):
        return {e.dim: Fraction(1)}
    if isinstance(e, Add):
        out: dict = {}
        for a in e.args:
            part = _linear(a)
            if part is None:
                return None
            for k, v in part.items():
                out[k] = out.get(k, 0) + v
        return {k: v for k, v in out.items() if v or k is None}
    if isinstance(e, Mul):
        const, var = Fraction(1), None
        for a in e.args:
            part = _linear(a)
            if part is None:
                return None
            if set(part) == {None}:
                const *= part[None]
            elif var is None:
                var = part
            else:
                return None
        if var is None:
            return {None: const}
        return {k: v * const for k, v in var.items()}
    return None


def _is_size_expr(e: Expr) -> bool:
    if isinstance(e, (Num, Size)):
        return True
    if isinstance(e, (Add, Mul)):
        return all(_is_size_expr(a) for a in e.args)
    return False
