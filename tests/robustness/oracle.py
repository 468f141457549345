"""An independent oracle for the semantics of .vproof source, for the mutation tests.

It reads vecproof's syntax tree (`vecproof.syntax.parse`; the parser is shared, nothing else is) and
evaluates expressions at concrete sizes to matrices of exact SymPy expressions, following
docs/language.md directly — it does NOT use vecproof.elaboration or vecproof.kernel:

* a declared `var`/`const` is a matrix of SymPy Symbols named like ``A[1,2]`` (a `symmetric` matrix
  uses the sorted index pair, so ``S[2,1]`` is ``S[1,2]``); a scalar is one Symbol;
* a `func u(x)` entry is ``sympy.Function('u[1]')(x[1], …, x[n])`` over every entry of its variable,
  so ∂/∂x[k], grad, D and ∂/∂x all come from ``sympy.diff`` (constants and functions of another
  variable give 0; mixed partials commute because SymPy orders the variables of a Derivative);
* `sum` is the sum of the concrete terms over its range (full, or the explicit bounds), `delta` is
  1 or 0, literals are matrices, `dot`/`tr`/norms by their definitions, and the whole-variable
  derivatives follow the layout table of docs/language.md;
* the identity `I` is c·I for a scalar c until an operand gives it a size (`I x`, `A + I`, `I[i, j]`
  by the range of i), `I(n)` is the n×n identity; `hess(f, x)`/`∇²f` is the matrix of
  ``sympy.diff(f, x[i], x[j])`` (both layouts: SymPy's mixed partials commute), and `d(E)/dt` by a
  scalar variable differentiates every entry of E, in either layout;
* `inv(X)`, `X^-1`, `X⁻¹` of a declared square matrix X declared `invertible` (or of Xᵀ) is its
  exact inverse, adjugate over determinant (Berkowitz: no division, no pivoting), a matrix of
  rational functions of X's entries; `det(X)` (also of Xᵀ, or of X⁻¹: its reciprocal) the exact
  determinant, and `logdet(X)` / `log(det(X))` is ``sympy.log`` of it, so every derivative of these
  is ``sympy.diff``'s, not a law;
* `exp`, `log`, `sqrt`, `tanh` are SymPy's, `sigmoid`/`σ` is 1/(1 + exp(−t)) (its definition, not
  its derivative law), all entrywise; `softmax(x)[i]` is exp(x[i])/Σ_j exp(x[j]) and `logsumexp(x)`
  log Σ_j exp(x[j]); `E / t` divides every entry by the scalar t; `a ⊙ b` multiplies entrywise and
  `diag(v)` puts v on the diagonal; a `func f : scalar -> scalar` is a
  SymPy function class whose derivative is the class of f′ (`f'(t)`), and so on;
* a step ``a = b`` is *equal* at a point iff ``sympy.expand(a - b) == 0`` for every entry (for
  rational functions of an inverse's entries, or with log det: ``sympy.cancel`` of it after
  ``sympy.together``); where the difference applies functions or divides (`transcendental`), iff it
  vanishes, to 40 digits, at three random positive rational points with every declared scalar
  function replaced by a random cubic (its derivatives by the cubic's) — a value that does not vanish
  is a genuine difference; one that vanishes at every point is taken as equal (with probability of
  error negligible for these sizes).

Text is never given to `sympify`, `parse_expr` or `eval`: SymPy objects are built from the tree.

`Oracle(decls, sizes)` evaluates at one size assignment and memoises sub-expressions by their
canonical text (`canon`) and the values of the indices they use, so repeated sub-expressions across
steps, mutants and free-index values are computed once. `compare` runs a grid of sizes.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass

import sympy

from vecproof.syntax import ast

BUILTINS = {"sum", "Σ", "delta", "δ", "grad", "hess", "D", "dot", "norm", "normF", "tr",
            "exp", "log", "sqrt", "sigmoid", "σ", "tanh", "softmax", "logsumexp", "diag"}
FUNCTIONS = {"exp": sympy.exp, "log": sympy.log, "sqrt": sympy.sqrt, "tanh": sympy.tanh,
             "sigmoid": lambda t: 1 / (1 + sympy.exp(-t)), "σ": lambda t: 1 / (1 + sympy.exp(-t))}
PRIMES = "'′"
_CLASSES: dict = {}  # (name, order) -> the SymPy function class of f⁽ᵒʳᵈᵉʳ⁾


def scalar_function(name: str, order: int):
    """The SymPy class of the order-th derivative of the declared scalar function `name`."""
    key = (name, order)
    cls = _CLASSES.get(key)
    if cls is None:
        cls = _CLASSES[key] = type(f"{name}{'′' * order}", (sympy.Function,), {
            "nargs": 1, "fdiff": lambda self, argindex=1: scalar_function(name, order + 1)(self.args[0]),
            "_vp": (name, order)})
    return cls


def vector_function(name: str, m: int, at: tuple = ()):
    """The SymPy class of ∂F/∂y[at…] for a declared F : ℝᵐ → ℝ (m arguments); its derivative by
    argument a is the class of ∂F/∂y[at…, a], so SymPy's chain rule gives Σ_a ∂_a F(u) ∂u[a]/∂x[k]."""
    key = (name, m, tuple(sorted(at)))
    cls = _CLASSES.get(key)
    if cls is None:
        cls = _CLASSES[key] = type(f"{name}{'′' * len(at)}{list(key[2]) if at else ''}", (sympy.Function,), {
            "nargs": m, "_vf": key,
            "fdiff": lambda self, argindex=1: vector_function(name, m, key[2] + (argindex,))(*self.args)})
    return cls


def transcendental(e) -> bool:
    """Whether `e` applies a function or divides (so expand alone does not decide it)."""
    return bool(e.atoms(sympy.exp, sympy.log, sympy.tanh)) or any(
        hasattr(f, "_vp") or hasattr(f, "_vf") for f in e.atoms(sympy.Function)) or any(
        not (p.exp.is_Integer and p.exp >= 0) for p in e.atoms(sympy.Pow))


def is_zero(e, seed: int = 11) -> bool:
    """`e` is zero: exactly by expand for polynomials, by cancelling over a common denominator for
    rational functions (an inverse's entries) and log det; else at three random points (module doc)."""
    e = sympy.expand(e)
    if e == 0:
        return True
    if not transcendental(e):
        return False
    if not (e.atoms(sympy.exp, sympy.tanh) or any(hasattr(f, "_vp") for f in e.atoms(sympy.Function))):
        if sympy.cancel(sympy.together(e)) == 0:  # rational, or log of a determinant: exact
            return True
    import random
    rng = random.Random(seed)
    evaluated = 0
    for _ in range(3):
        fns: dict = {}

        def concrete(a):
            name, order = a._vp
            if name not in fns:
                t = sympy.Dummy("t")
                fns[name] = (t, sum(sympy.Rational(rng.randint(-9, 9), rng.randint(1, 5)) * t ** k for k in range(4)))
            t, poly = fns[name]
            return sympy.diff(poly, t, order).subs(t, a.args[0])

        def concrete_vector(a):
            name, m, at = a._vf
            if name not in fns:
                ys = sympy.symbols(f"y1:{m + 1}", cls=sympy.Dummy)
                poly = sympy.Rational(rng.randint(-9, 9), 3) + sum(
                    sympy.Rational(rng.randint(-9, 9), rng.randint(1, 5)) * ys[i] * ys[j]
                    for i in range(m) for j in range(i, m)) + sum(rng.randint(-9, 9) * y for y in ys)
                fns[name] = (ys, poly)
            ys, poly = fns[name]
            for b in at:
                poly = sympy.diff(poly, ys[b - 1])
            return poly.xreplace(dict(zip(ys, a.args)))

        v = e.replace(lambda a: hasattr(a, "_vf") and isinstance(a, sympy.Function), concrete_vector)
        for kind in (sympy.Derivative, sympy.core.function.AppliedUndef):  # a func u(x)'s entries
            v = v.xreplace({d: sympy.Rational(rng.randint(1, 40), 9) for d in v.atoms(kind)})
        try:
            v = v.replace(lambda a: hasattr(a, "_vp") and isinstance(a, sympy.Function), concrete)
            v = v.xreplace({s: sympy.Rational(rng.randint(1, 40), rng.randint(7, 20)) for s in v.free_symbols})
            val = complex(sympy.N(v, 40))
        except (TypeError, ValueError, ZeroDivisionError):
            continue
        if abs(val.imag) > 1e-25:  # log or sqrt of a negative number: not a real point, no reading
            continue
        evaluated += 1
        if abs(val) > 1e-25:
            return False
    if not evaluated:  # undefined at every point tried (log of a negative, say): no reading, not "differ"
        raise OracleError("the difference has no real value at the points tried")
    return True


class OracleError(Exception):
    """The oracle gives this expression no value (ill-typed, undeclared, unsupported, out of range)."""


class OracleUndefined(OracleError):
    """A division by an entry that is zero at this point (a sum over an empty range): the sides have
    no value here, so the point is skipped (vecproof assumes the denominators non-zero)."""


class OracleTimeout(Exception):
    """An evaluation ran past its time budget."""


# ---- canonical text ------------------------------------------------------------------------------


def canon(node) -> str:
    """A fully parenthesised, position-free rendering of an expression node; it is valid .vproof
    expression text (it re-parses to the same tree, up to positions)."""
    if isinstance(node, ast.Name):
        return node.name
    if isinstance(node, ast.Number):
        return str(node.value)
    if isinstance(node, ast.BinOp):
        return f"({canon(node.left)} {node.op} {canon(node.right)})"
    if isinstance(node, ast.Neg):
        return f"(-({canon(node.operand)}))"
    if isinstance(node, ast.Transpose):
        return f"({canon(node.operand)})^T"
    if isinstance(node, ast.Power):
        return f"({canon(node.operand)})^{node.exponent}"
    if isinstance(node, ast.Indexed):
        return f"({canon(node.operand)})[{', '.join(_item(i) for i in node.indices)}]"
    if isinstance(node, ast.NormSquared):
        return f"‖{canon(node.operand)}‖{'_F' if node.frobenius else ''}^{node.exponent}"
    if isinstance(node, ast.Call):
        return f"{node.callee.name}({', '.join(canon(a) for a in node.args)})"
    if isinstance(node, ast.BoundedIndex):
        return f"{node.index.name} = {canon(node.lo)}..{canon(node.hi)}"
    if isinstance(node, ast.Partial):
        w = node.wrt
        idx = "" if w.indices is None else f"[{', '.join(_item(i) for i in w.indices)}]"
        return f"(d({canon(node.body)})/d{w.var.name}{idx})"
    if isinstance(node, ast.GradOp):
        return f"({'∇²' if node.order == 2 else '∇'} ({canon(node.body)}))"
    if isinstance(node, ast.Unsupported):
        if node.construct == "⊙":
            return f"(({canon(node.operands[0])}) ⊙ ({canon(node.operands[1])}))"
        return f"({canon(node.operands[0])}){node.construct}"
    if isinstance(node, ast.Literal):
        return "([" + "; ".join(", ".join(canon(c) for c in row) for row in node.rows) + "])"
    raise TypeError(f"not an expression node: {node!r}")


def _item(item: ast.IndexItem) -> str:
    return ":" if item.kind == "all" else str(item.value)


def names_used(node) -> frozenset:
    """Every identifier an expression mentions (names, index items, callees, wrt variables)."""
    out: set = set()

    def walk(n):
        if isinstance(n, ast.Name):
            out.add(n.name)
        elif isinstance(n, ast.BinOp):
            walk(n.left), walk(n.right)
        elif isinstance(n, (ast.Neg, ast.Transpose, ast.Power, ast.NormSquared)):
            walk(n.operand)
        elif isinstance(n, ast.Indexed):
            walk(n.operand)
            out.update(i.value for i in n.indices if i.kind == "name")
        elif isinstance(n, ast.Call):
            out.add(n.callee.name)
            for a in n.args:
                walk(a)
        elif isinstance(n, ast.BoundedIndex):
            out.add(n.index.name)
            walk(n.lo), walk(n.hi)
        elif isinstance(n, ast.Partial):
            out.add(n.wrt.var.name)
            if n.wrt.indices:
                out.update(i.value for i in n.wrt.indices if i.kind == "name")
            walk(n.body)
        elif isinstance(n, ast.GradOp):
            walk(n.body)
        elif isinstance(n, ast.Unsupported):
            for o in n.operands:
                walk(o)
        elif isinstance(n, ast.Literal):
            for row in n.rows:
                for c in row:
                    walk(c)

    walk(node)
    return frozenset(out)


def free_index_names(node, indices: dict) -> set:
    """Declared index names used in `node` outside a sum that binds them."""
    out: set = set()

    def use(name, bound):
        if name in indices and name not in bound:
            out.add(name)

    def walk(n, bound):
        if isinstance(n, ast.Name):
            use(n.name, bound)
        elif isinstance(n, ast.BinOp):
            walk(n.left, bound), walk(n.right, bound)
        elif isinstance(n, (ast.Neg, ast.Transpose, ast.Power, ast.NormSquared)):
            walk(n.operand, bound)
        elif isinstance(n, ast.Indexed):
            walk(n.operand, bound)
            for i in n.indices:
                if i.kind == "name":
                    use(i.value, bound)
        elif isinstance(n, ast.Call):
            if n.callee.name in ("sum", "Σ") and len(n.args) == 2:
                head, body = n.args
                if isinstance(head, ast.BoundedIndex):
                    walk(head.lo, bound), walk(head.hi, bound)
                    name = head.index.name
                elif isinstance(head, ast.Name):
                    name = head.name
                else:
                    walk(head, bound)
                    name = None
                walk(body, bound | {name} if name else bound)
                return
            for a in n.args:
                walk(a, bound)
        elif isinstance(n, ast.BoundedIndex):
            use(n.index.name, bound)
            walk(n.lo, bound), walk(n.hi, bound)
        elif isinstance(n, ast.Partial):
            if n.wrt.indices:
                for i in n.wrt.indices:
                    if i.kind == "name":
                        use(i.value, bound)
            walk(n.body, bound)
        elif isinstance(n, ast.GradOp):
            walk(n.body, bound)
        elif isinstance(n, ast.Unsupported):
            for o in n.operands:
                walk(o, bound)
        elif isinstance(n, ast.Literal):
            for row in n.rows:
                for c in row:
                    walk(c, bound)

    walk(node, frozenset())
    return out


# ---- declarations --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ODim:
    name: str
    size: int | None  # None: symbolic


@dataclass(frozen=True)
class OObj:
    name: str
    kind: str  # var | const | func
    dims: tuple
    symmetric: bool
    depends: str | None
    invertible: bool = False


class Decls:
    """The declarations of a file, read from the syntax tree by the rules of docs/language.md.
    A declaration that breaks a rule is left out (and listed in `errors`)."""

    def __init__(self, items):
        self.layout: str | None = None
        self.dims: dict[str, ODim] = {}
        self.indices: dict[str, ODim] = {}
        self.objects: dict[str, OObj] = {}
        self.errors: list[str] = []
        flat = []
        for item in items:
            flat.extend(item if isinstance(item, list) else [item])
        parts = []
        for item in flat:
            if isinstance(item, ast.LayoutDecl):
                parts.append(f"layout {item.kind}")
                if self.layout is not None:
                    self.errors.append("layout declared twice")
                else:
                    self.layout = item.kind
            elif isinstance(item, ast.DimDecl):
                parts.append(f"dim {item.name.name}" + ("" if item.size is None else f" = {item.size}"))
                if self._fresh(item.name.name):
                    if item.size is not None and item.size < 1:
                        self.errors.append(f"dim {item.name.name} < 1")
                    else:
                        self.dims[item.name.name] = ODim(item.name.name, item.size)
            elif isinstance(item, ast.IndexDecl):
                parts.append(f"index {', '.join(i.name for i in item.names)} : {item.dim.name}")
                dim = self.dims.get(item.dim.name)
                if dim is None:
                    self.errors.append(f"index over undeclared dim {item.dim.name}")
                    continue
                for ident in item.names:
                    if self._fresh(ident.name):
                        self.indices[ident.name] = dim
            elif isinstance(item, ast.ObjectDecl):
                sh = item.shape
                parts.append(f"{item.kind} {item.name.name}" + (f"({item.depends.name})" if item.depends else "")
                             + f" : {sh.kind}({', '.join(d.name for d in sh.dims)})"
                             + (f" -> {item.result.kind}" if item.result is not None else "")
                             + (" symmetric" if item.symmetric else "")
                             + (" invertible" if getattr(item, "invertible", False) else ""))
                self._object(item)
        self.key = "; ".join(parts)

    def _fresh(self, name: str) -> bool:
        if name in BUILTINS or name in self.dims or name in self.indices or name in self.objects:
            self.errors.append(f"{name} declared twice or built in")
            return False
        return True

    def _object(self, item: ast.ObjectDecl) -> None:
        name = item.name.name
        if not self._fresh(name):
            return
        dims = []
        for d in item.shape.dims:
            if d.name not in self.dims:
                self.errors.append(f"{name}: {d.name} is not a dimension")
                return
            dims.append(self.dims[d.name])
        dims = tuple(dims)
        if item.result is not None:  # `func f : scalar -> scalar`, `func F : vector(m) -> scalar`
            if item.kind != "func" or item.depends is not None or len(dims) > 1 or item.result.kind != "scalar" \
                    or item.symmetric:
                self.errors.append(f"{name}: only func f : scalar -> scalar or vector(m) -> scalar")
                return
            self.objects[name] = OObj(name, "fn", dims, False, None)
            return
        if item.symmetric and (len(dims) != 2 or dims[0] != dims[1]):
            self.errors.append(f"{name}: only a square matrix can be symmetric")
            return
        depends = None
        if item.kind == "func":
            if item.depends is None:
                self.errors.append(f"{name}: a func needs its variable")
                return
            dep = self.objects.get(item.depends.name)
            if dep is None or dep.kind != "var":
                self.errors.append(f"{name}: {item.depends.name} is not a var")
                return
            depends = dep.name
        elif item.depends is not None:
            self.errors.append(f"{name}: only func takes an argument")
            return
        if item.kind == "var" and item.symmetric:
            self.errors.append(f"{name}: symmetric var")
            return
        invertible = getattr(item, "invertible", False)
        if invertible and (len(dims) != 2 or dims[0] != dims[1]):
            self.errors.append(f"{name}: only a square matrix can be invertible")
            return
        self.objects[name] = OObj(name, item.kind, dims, item.symmetric, depends, invertible)

    def variables(self) -> list[OObj]:
        return [o for o in self.objects.values() if o.kind == "var"]

    def symbolic_dims(self) -> list[str]:
        return sorted(d.name for d in self.dims.values() if d.size is None)

    def dims_of_names(self, names) -> set:
        """The symbolic dimensions an expression mentioning `names` can depend on."""
        out: set = set()
        todo = list(names)
        seen = set()
        while todo:
            n = todo.pop()
            if n in seen:
                continue
            seen.add(n)
            if n in self.dims:
                out.add(self.dims[n])
            elif n in self.indices:
                out.add(self.indices[n])
            elif n in self.objects:
                o = self.objects[n]
                out.update(o.dims)
                if o.depends:
                    todo.append(o.depends)
            elif n in ("grad", "hess", "D", "∇"):
                todo.extend(v.name for v in self.variables())
        return {d.name for d in out if d.size is None}


# ---- values --------------------------------------------------------------------------------------


class Val:
    """A matrix-notation value: row and column dimensions (None for 1) and a list of rows."""

    __slots__ = ("rows", "cols", "m")

    def __init__(self, rows, cols, m):
        self.rows, self.cols, self.m = rows, cols, m

    @property
    def scalar(self) -> bool:
        return self.rows is None and self.cols is None

    def shape(self) -> str:
        return f"{'1' if self.rows is None else self.rows.name}×{'1' if self.cols is None else self.cols.name}"


class ScaledIdentity(Val):
    """c·I with the size not known yet: it takes the size of what it meets. Reading its entries
    before that (`.m`) is an OracleError, so every use that needs a size and has none is refused."""

    __slots__ = ("c",)

    def __init__(self, c):
        self.rows = self.cols = None
        self.c = c

    @property
    def m(self):
        raise OracleError("the size of I does not follow from its context")


def same_dim(a, b) -> bool:
    """Shapes agree: the same dimension, or concrete dimensions of the same size (1 agrees with a
    concrete dimension of size 1)."""
    if a is None or b is None:
        return (a is None or a.size == 1) and (b is None or b.size == 1)
    return a == b or (a.size is not None and a.size == b.size)


def _scalar(e) -> Val:
    return Val(None, None, [[e]])


_ZERO = sympy.Integer(0)


class Oracle:
    """Evaluates expressions of one file at one assignment of the symbolic sizes."""

    def __init__(self, decls: Decls, sizes: dict[str, int], deadline: float | None = None):
        self.d = decls
        self.sizes = dict(sizes)
        self.deadline = deadline
        self._memo: dict = {}
        self._objs: dict = {}
        self._canon: dict = {}  # id(node) -> (node, canon text, names used)

    # -- helpers ---------------------------------------------------------------------------------
    def size(self, d: ODim | None) -> int:
        if d is None:
            return 1
        return d.size if d.size is not None else self.sizes[d.name]

    def _info(self, node):
        got = self._canon.get(id(node))
        if got is None or got[0] is not node:
            got = (node, canon(node), names_used(node))
            self._canon[id(node)] = got
        return got

    def value(self, node, env: dict) -> Val:
        _, text, names = self._info(node)
        key = (text, tuple(sorted((k, v) for k, v in env.items() if k in names)))
        got = self._memo.get(key)
        if got is None:
            if self.deadline is not None and time.monotonic() > self.deadline:
                raise OracleTimeout(text[:80])
            got = getattr(self, "_" + type(node).__name__)(node, env)
            if isinstance(got, OracleError):  # memoised failure
                raise got
            self._memo[key] = got
        if isinstance(got, OracleError):
            raise got
        return got

    def _var_entries(self, var: OObj) -> list:
        return [e for row in self.object(var).m for e in row]

    def object(self, o: OObj) -> Val:
        got = self._objs.get(o.name)
        if got is not None:
            return got
        dims = o.dims
        shape = [self.size(d) for d in dims]
        if o.kind == "func":
            var = self.d.objects[o.depends]
            args = self._var_entries(var)

            def make(label):
                return sympy.Function(label)(*args)
        else:
            def make(label):
                return sympy.Symbol(label)
        if not dims:
            val = _scalar(make(o.name))
        elif len(dims) == 1:
            val = Val(dims[0], None, [[make(f"{o.name}[{i}]")] for i in range(1, shape[0] + 1)])
        else:
            def label(i, j):
                if o.symmetric:
                    i, j = min(i, j), max(i, j)
                return f"{o.name}[{i},{j}]"
            val = Val(dims[0], dims[1], [[make(label(i, j)) for j in range(1, shape[1] + 1)]
                                         for i in range(1, shape[0] + 1)])
        self._objs[o.name] = val
        return val

    # -- leaves ------------------------------------------------------------------------------------
    def _Number(self, node, env):
        return _scalar(sympy.Integer(node.value))

    def _undeclared(self, name: str) -> bool:
        return name not in self.d.objects and name not in self.d.dims and name not in self.d.indices

    def identity(self, dim, c=sympy.Integer(1)) -> Val:
        """c times the identity over `dim`."""
        if dim is None:
            raise OracleError("I would be 1×1 here")
        n = self.size(dim)
        return Val(dim, dim, [[c if r == k else _ZERO for k in range(n)] for r in range(n)])

    def _Name(self, node, env):
        name = node.name
        if name == "I" and self._undeclared(name) and name not in env:
            return ScaledIdentity(sympy.Integer(1))
        if name in env or name in self.d.indices:
            raise OracleError(f"index {name} used as a number")
        if name in self.d.dims:
            return _scalar(sympy.Integer(self.size(self.d.dims[name])))
        o = self.d.objects.get(name)
        if o is None:
            raise OracleError(f"unknown name {name}")
        if o.kind == "fn":
            raise OracleError(f"{name} is a function, not a value")
        return self.object(o)

    # -- arithmetic --------------------------------------------------------------------------------
    def _BinOp(self, node, env):
        a = self.value(node.left, env)
        if node.op == "/":
            d = self.value(node.right, env)
            if not d.scalar or isinstance(d, ScaledIdentity):
                raise OracleError("division by something other than a scalar")
            q = d.m[0][0]
            if sympy.expand(q) == 0:
                raise OracleUndefined("division by zero")
            return Val(a.rows, a.cols, [[e / q for e in row] for row in a.m])
        b = self.value(node.right, env)
        if node.op == "⊙":
            if isinstance(a, ScaledIdentity) or isinstance(b, ScaledIdentity) or a.scalar or not (
                    same_dim(a.rows, b.rows) and same_dim(a.cols, b.cols)):
                raise OracleError("⊙ of arrays of different shapes")
            return Val(a.rows, a.cols, [[x * y for x, y in zip(ra, rb)] for ra, rb in zip(a.m, b.m)])
        if node.op in "+-":
            s = 1 if node.op == "+" else -1
            if isinstance(a, ScaledIdentity) and isinstance(b, ScaledIdentity):
                return ScaledIdentity(a.c + s * b.c)
            if isinstance(a, ScaledIdentity) or isinstance(b, ScaledIdentity):
                other = b if isinstance(a, ScaledIdentity) else a
                if other.rows is None or not same_dim(other.rows, other.cols):
                    raise OracleError("I beside a non-square operand")
                a = self.identity(other.rows, a.c) if isinstance(a, ScaledIdentity) else a
                b = self.identity(other.rows, b.c) if isinstance(b, ScaledIdentity) else b
            if not (same_dim(a.rows, b.rows) and same_dim(a.cols, b.cols)):
                raise OracleError(f"cannot add {a.shape()} and {b.shape()}")
            s = 1 if node.op == "+" else -1
            return Val(a.rows, a.cols, [[x + s * y for x, y in zip(ra, rb)] for ra, rb in zip(a.m, b.m)])
        return self.product(a, b)

    def product(self, a: Val, b: Val) -> Val:
        if isinstance(a, ScaledIdentity) or isinstance(b, ScaledIdentity):
            if isinstance(a, ScaledIdentity) and isinstance(b, ScaledIdentity):
                return ScaledIdentity(a.c * b.c)
            if isinstance(a, ScaledIdentity):
                if b.scalar:
                    return ScaledIdentity(a.c * b.m[0][0])
                a = self.identity(b.rows, a.c)
            else:
                if a.scalar:
                    return ScaledIdentity(a.m[0][0] * b.c)
                b = self.identity(a.cols, b.c)
        if a.scalar:
            s = a.m[0][0]
            return Val(b.rows, b.cols, [[s * e for e in row] for row in b.m])
        if b.scalar:
            s = b.m[0][0]
            return Val(a.rows, a.cols, [[e * s for e in row] for row in a.m])
        if not same_dim(a.cols, b.rows):
            raise OracleError(f"cannot multiply {a.shape()} by {b.shape()}")
        inner = len(b.m)
        if len(a.m[0]) != inner:  # pragma: no cover - same_dim guarantees it
            raise OracleError("inner sizes differ")
        m = [[sympy.Add(*[ra[k] * b.m[k][c] for k in range(inner)]) for c in range(len(b.m[0]))] for ra in a.m]
        return Val(a.rows, b.cols, m)

    def _Neg(self, node, env):
        a = self.value(node.operand, env)
        if isinstance(a, ScaledIdentity):
            return ScaledIdentity(-a.c)
        return Val(a.rows, a.cols, [[-e for e in row] for row in a.m])

    def _Transpose(self, node, env):
        a = self.value(node.operand, env)
        if isinstance(a, ScaledIdentity):
            return a
        return Val(a.cols, a.rows, [list(col) for col in zip(*a.m)])

    def _Power(self, node, env):
        op = node.operand
        if isinstance(op, ast.Call) and op.callee.name in ("norm", "normF"):
            if len(op.args) != 1:
                raise OracleError("norm takes one argument")
            return self._norm_sq(op.args[0], op.callee.name == "normF", node.exponent, env)
        base = self.value(op, env)
        k = node.exponent
        if base.scalar:
            return _scalar(base.m[0][0] ** k)
        if base.rows is not None and same_dim(base.rows, base.cols):
            if k == 0:
                raise OracleError("A^0")
            out = base
            for _ in range(k - 1):
                out = self.product(out, base)
            return out
        raise OracleError(f"power of a {base.shape()} matrix")

    def _NormSquared(self, node, env):
        return self._norm_sq(node.operand, node.frobenius, node.exponent, env)

    def _norm_sq(self, operand, frobenius: bool, exponent: int, env):
        """‖a‖^k: the square root of the sum of the squared entries, to the power k (by definition,
        not by vecproof's lowering: an even k gives a polynomial, an odd one a sqrt)."""
        a = self.value(operand, env)
        if a.rows is not None and a.cols is not None and not frobenius:
            raise OracleError("the norm of a matrix needs _F")
        squares = sympy.Add(*[e ** 2 for row in a.m for e in row])
        if exponent % 2 == 0:
            return _scalar(squares ** (exponent // 2))
        return _scalar(sympy.sqrt(squares) ** exponent)

    # -- indexing ----------------------------------------------------------------------------------
    def slot(self, item: ast.IndexItem, dim, env) -> int:
        """The 0-based position an index item selects in a slot of dimension `dim`."""
        if item.kind == "number":
            v = item.value
            if dim is None:
                if v != 1:
                    raise OracleError("index out of range of a size-1 slot")
                return 0
            if dim.size is None:
                raise OracleError("numbered index into a symbolic dimension")
            if not 1 <= v <= dim.size:
                raise OracleError("numbered index out of range")
            return v - 1
        if item.kind == "all":
            raise OracleError("':' outside A[:, j] / A[i, :]")
        name = item.value
        if name not in self.d.indices or name not in env:
            raise OracleError(f"{name} is not an index variable")
        if dim is None or not same_dim(self.d.indices[name], dim):
            raise OracleError(f"index {name} in a slot of another dimension")
        v = env[name]
        if not 1 <= v <= self.size(dim):
            raise OracleError("index value outside its slot")
        return v - 1

    def _Indexed(self, node, env):
        a = self.value(node.operand, env)
        items = node.indices
        if isinstance(a, ScaledIdentity):
            named = [i.value for i in items if i.kind == "name" and i.value in self.d.indices]
            if not named:
                raise OracleError("the size of I does not follow from its indices")
            a = self.identity(self.d.indices[named[0]], a.c)
        if len(items) == 1:
            if a.scalar:
                raise OracleError("a scalar has no entries")
            if a.cols is None:
                return _scalar(a.m[self.slot(items[0], a.rows, env)][0])
            if a.rows is None:
                return _scalar(a.m[0][self.slot(items[0], a.cols, env)])
            raise OracleError("a matrix needs two indices")
        if len(items) != 2:
            raise OracleError("too many indices")
        ri, ci = items
        if ri.kind == "all" and ci.kind == "all":
            return a
        if ri.kind == "all":
            c = self.slot(ci, a.cols, env)
            return Val(a.rows, None, [[row[c]] for row in a.m])
        if ci.kind == "all":
            r = self.slot(ri, a.rows, env)
            return Val(None, a.cols, [list(a.m[r])])
        return _scalar(a.m[self.slot(ri, a.rows, env)][self.slot(ci, a.cols, env)])

    # -- calls -------------------------------------------------------------------------------------
    def _Call(self, node, env):
        name = node.callee.name
        args = node.args
        if any(isinstance(a, ast.BoundedIndex) for a in args[1:]) or (
                name not in ("sum", "Σ") and args and isinstance(args[0], ast.BoundedIndex)):
            raise OracleError("i = lo..hi outside sum")
        if name in ("sum", "Σ"):
            return self._sum(node, env)
        base = name.rstrip(PRIMES)
        vec = self.d.objects.get(base)
        if vec is not None and vec.kind == "fn" and vec.dims:
            return self._vector_function(vec, len(name) - len(base), args, env)
        fn = FUNCTIONS.get(name) if self._undeclared(name) else None
        if fn is None and self.d.objects.get(base) is not None and self.d.objects[base].kind == "fn":
            fn = scalar_function(base, len(name) - len(base))
        elif base != name:
            raise OracleError(f"{name}: primes on what is not a scalar function")
        if fn is not None:
            if len(args) != 1:
                raise OracleError(f"{name} takes one argument")
            v = self.value(args[0], env)
            if isinstance(v, ScaledIdentity):
                raise OracleError("a function of I")
            return Val(v.rows, v.cols, [[fn(e) for e in row] for row in v.m])
        if name == "diag" and self._undeclared(name):
            if len(args) != 1:
                raise OracleError("diag takes one argument")
            v = self.value(args[0], env)
            if v.rows is None or v.cols is not None or isinstance(v, ScaledIdentity):
                raise OracleError("diag takes a column vector")
            n = len(v.m)
            return Val(v.rows, v.rows, [[v.m[r][0] if r == c else _ZERO for c in range(n)] for r in range(n)])
        if name in ("softmax", "logsumexp") and self._undeclared(name):
            if len(args) != 1:
                raise OracleError(f"{name} takes one argument")
            v = self.value(args[0], env)
            if v.rows is None or v.cols is not None or isinstance(v, ScaledIdentity):
                raise OracleError(f"{name} takes a column vector")
            total = sympy.Add(*[sympy.exp(row[0]) for row in v.m])
            if name == "logsumexp":
                return _scalar(sympy.log(total))
            return Val(v.rows, None, [[sympy.exp(row[0]) / total] for row in v.m])
        if name == "I" and self._undeclared(name):
            if len(args) != 1 or not isinstance(args[0], ast.Name) or args[0].name not in self.d.dims:
                raise OracleError("I(…) takes a dimension")
            return self.identity(self.d.dims[args[0].name])
        if name in ("inv", "det", "logdet", "log") and self._undeclared(name):
            if len(args) != 1:
                raise OracleError(f"{name} takes one matrix")
            return self._matrix_function(name, args[0], env)
        if name == "hess":
            if not 1 <= len(args) <= 2:
                raise OracleError("hess takes one or two arguments")
            var = self._var(args[1] if len(args) == 2 else None)
            return self.hessian(self.value(args[0], env), var)
        if name in ("delta", "δ"):
            if len(args) != 2:
                raise OracleError("delta takes two indices")
            vals = []
            for a in args:
                if isinstance(a, ast.Number):
                    vals.append((a.value, None))
                elif isinstance(a, ast.Name) and a.name in self.d.indices and a.name in env:
                    vals.append((env[a.name], self.d.indices[a.name]))
                else:
                    raise OracleError("delta takes indices")
            (va, da), (vb, db) = vals
            if da is not None and db is not None and not same_dim(da, db):
                raise OracleError("delta of indices over different dimensions")
            for (v, d), (_, other) in (((va, da), (vb, db)), ((vb, db), (va, da))):
                if d is None and (other is None or other.size is None or not 1 <= v <= other.size):
                    raise OracleError("delta compares a number with an index only over a concrete dimension")
            return _scalar(sympy.Integer(1 if va == vb else 0))
        if name == "grad":
            if not 1 <= len(args) <= 2:
                raise OracleError("grad takes one or two arguments")
            var = self._var(args[1] if len(args) == 2 else None)
            return self.gradient(self.value(args[0], env), var)
        if name == "D":
            if not 1 <= len(args) <= 2:
                raise OracleError("D takes one or two arguments")
            var = self._var(args[1] if len(args) == 2 else None)
            return self.jacobian(self.value(args[0], env), var)
        if name == "dot":
            if len(args) != 2:
                raise OracleError("dot takes two vectors")
            u, v = (self.value(a, env) for a in args)
            for t in (u, v):
                if t.cols is not None or t.rows is None:
                    raise OracleError("dot takes column vectors")
            if not same_dim(u.rows, v.rows):
                raise OracleError("dot of vectors of different sizes")
            return _scalar(sympy.Add(*[a[0] * b[0] for a, b in zip(u.m, v.m)]))
        if name in ("norm", "normF"):
            if len(args) != 1:
                raise OracleError("norm takes one argument")
            return self._norm_sq(args[0], name == "normF", 1, env)
        if name == "tr":
            if len(args) != 1:
                raise OracleError("tr takes one matrix")
            a = self.value(args[0], env)
            if a.rows is None or not same_dim(a.rows, a.cols):
                raise OracleError("trace of a non-square matrix")
            return _scalar(sympy.Add(*[a.m[i][i] for i in range(len(a.m))]))
        o = self.d.objects.get(name)
        if o is not None and o.kind == "func":
            if len(args) == 1 and isinstance(args[0], ast.Name) and args[0].name == o.depends:
                return self.object(o)
            raise OracleError(f"{name} is a function of {o.depends}")
        if len(args) == 1 and (o is not None or name in self.d.dims):
            # `A(x + y)`: a product written without a space
            return self.product(self._Name(ast.Name(node.callee.span, name), env), self.value(args[0], env))
        raise OracleError(f"'{name}' is not a function")

    def _vector_function(self, fn: OObj, order: int, args, env) -> Val:
        """F(u) for F : ℝᵐ → ℝ of a declared vector u: SymPy's F(u[1], …, u[m]); F′(u) the column of
        its partial derivatives, F″(u) the matrix of second partials."""
        if len(args) != 1 or order > 2:
            raise OracleError(f"{fn.name} takes one argument, at most twice differentiated")
        arg = args[0]
        if isinstance(arg, ast.Call) and len(arg.args) == 1 and isinstance(arg.args[0], ast.Name):
            arg = ast.Name(arg.callee.span, arg.callee.name)
        o = self.d.objects.get(arg.name) if isinstance(arg, ast.Name) else None
        if o is None or o.kind not in ("var", "func") or len(o.dims) != 1 or not same_dim(o.dims[0], fn.dims[0]):
            raise OracleError(f"{fn.name} applies to a declared vector of its size")
        u = [row[0] for row in self.object(o).m]
        m = len(u)
        if order == 0:
            return _scalar(vector_function(fn.name, m)(*u))
        if order == 1:
            return Val(fn.dims[0], None, [[vector_function(fn.name, m, (a,))(*u)] for a in range(1, m + 1)])
        return Val(fn.dims[0], fn.dims[0], [[vector_function(fn.name, m, (a, b))(*u) for b in range(1, m + 1)]
                                            for a in range(1, m + 1)])

    def _sum(self, node, env):
        if len(node.args) != 2:
            raise OracleError("sum takes an index and a body")
        head, body = node.args
        if isinstance(head, ast.BoundedIndex):
            name = head.index.name
        elif isinstance(head, ast.Name):
            name = head.name
        else:
            raise OracleError("the first argument of sum is an index")
        dim = self.d.indices.get(name)
        if dim is None:
            raise OracleError(f"{name} is not an index variable")
        size = self.size(dim)
        lo, hi = 1, size
        if isinstance(head, ast.BoundedIndex):
            lo, hi = self._int(head.lo), self._int(head.hi)
            if lo < 1 or hi > size:
                raise OracleError(f"summation range {lo}..{hi} leaves 1..{size}")
        terms = [self.value(body, {**env, name: v}) for v in range(lo, hi + 1)]
        if not terms:
            shape = self.value(body, {**env, name: 1})  # for the shape only
            return Val(shape.rows, shape.cols, [[_ZERO for _ in row] for row in shape.m])
        first = terms[0]
        for t in terms[1:]:
            if not (same_dim(t.rows, first.rows) and same_dim(t.cols, first.cols)):  # pragma: no cover
                raise OracleError("terms of a sum differ in shape")
        return Val(first.rows, first.cols,
                   [[sympy.Add(*[t.m[r][c] for t in terms]) for c in range(len(first.m[0]))]
                    for r in range(len(first.m))])

    def _int(self, node) -> int:
        """A summation bound: numbers and dimensions with +, - and *."""
        if isinstance(node, ast.Number):
            return node.value
        if isinstance(node, ast.Name) and node.name in self.d.dims:
            return self.size(self.d.dims[node.name])
        if isinstance(node, ast.BinOp) and node.op in "+-*":
            a, b = self._int(node.left), self._int(node.right)
            return a + b if node.op == "+" else a - b if node.op == "-" else a * b
        if isinstance(node, ast.Neg):
            return -self._int(node.operand)
        raise OracleError("a summation bound must be built from numbers and dimensions")

    # -- derivatives -------------------------------------------------------------------------------
    def _var(self, node) -> OObj:
        if node is None:
            vs = self.d.variables()
            if len(vs) != 1:
                raise OracleError("the variable of differentiation must be named")
            return vs[0]
        if not isinstance(node, ast.Name):
            raise OracleError("the variable must be a name")
        o = self.d.objects.get(node.name)
        if o is None or o.kind != "var":
            raise OracleError(f"{node.name} is not a var")
        return o

    def _layout(self) -> str:
        if self.d.layout is None:
            raise OracleError("layout required")
        return self.d.layout

    def _diff(self, e, sym):
        return sympy.diff(e, sym)

    def gradient(self, f: Val, var: OObj) -> Val:
        if not f.scalar:
            raise OracleError("gradient of a non-scalar")
        layout = self._layout()
        e = f.m[0][0]
        xs = self.object(var)
        if len(var.dims) == 1:
            parts = [self._diff(e, row[0]) for row in xs.m]
            if layout == "numerator":
                return Val(None, var.dims[0], [parts])
            return Val(var.dims[0], None, [[p] for p in parts])
        if len(var.dims) == 2:
            p, q = var.dims
            g = [[self._diff(e, s) for s in row] for row in xs.m]  # p×q, (i, j) = ∂f/∂X[i,j]
            if layout == "numerator":
                return Val(q, p, [list(col) for col in zip(*g)])
            return Val(p, q, g)
        return _scalar(self._diff(e, xs.m[0][0]))

    def hessian(self, f: Val, var: OObj) -> Val:
        """The matrix of second partials: the same in both layouts (SymPy's mixed partials commute)."""
        if not f.scalar:
            raise OracleError("Hessian of a non-scalar")
        e = f.m[0][0]
        xs = self.object(var)
        if not var.dims:
            return _scalar(sympy.diff(e, xs.m[0][0], xs.m[0][0]))
        if len(var.dims) != 1:
            raise OracleError("Hessian by a matrix")
        self._layout()
        col = [row[0] for row in xs.m]
        return Val(var.dims[0], var.dims[0], [[sympy.diff(e, a, b) for b in col] for a in col])

    def jacobian(self, f: Val, var: OObj) -> Val:
        if len(var.dims) != 1:
            raise OracleError("D(…) needs a vector variable")
        xs = [row[0] for row in self.object(var).m]
        if f.scalar:
            return Val(None, var.dims[0], [[self._diff(f.m[0][0], s) for s in xs]])
        if f.cols is None:
            return Val(f.rows, var.dims[0], [[self._diff(row[0], s) for s in xs] for row in f.m])
        raise OracleError("D(…) of a matrix or a row")

    def _Partial(self, node, env):
        w = node.wrt
        var = self.d.objects.get(w.var.name)
        if var is None or var.kind != "var":
            raise OracleError(f"{w.var.name} is not a var")
        body = self.value(node.body, env)
        if w.indices is None and not var.dims:  # by a scalar variable: every entry, in either layout
            t = self.object(var).m[0][0]
            return Val(body.rows, body.cols, [[self._diff(e, t) for e in row] for row in body.m])
        if w.indices is None:
            if body.scalar:
                return self.gradient(body, var)
            if body.cols is not None or len(var.dims) != 1:
                raise OracleError("∂(…)/∂x of a matrix, or by a matrix")
            layout = self._layout()
            xs = [row[0] for row in self.object(var).m]
            jac = [[self._diff(row[0], s) for s in xs] for row in body.m]  # (i, j) = ∂b_i/∂x_j
            if layout == "numerator":
                return Val(body.rows, var.dims[0], jac)
            return Val(var.dims[0], body.rows, [list(col) for col in zip(*jac)])
        if len(w.indices) != len(var.dims):
            raise OracleError("wrong number of indices on the variable")
        xs = self.object(var)
        pos = [self.slot(item, d, env) for item, d in zip(w.indices, var.dims)]
        if not pos:  # pragma: no cover - the grammar gives at least one item
            sym = xs.m[0][0]
        elif len(pos) == 1:
            sym = xs.m[pos[0]][0]
        else:
            sym = xs.m[pos[0]][pos[1]]
        return Val(body.rows, body.cols, [[self._diff(e, sym) for e in row] for row in body.m])

    def _GradOp(self, node, env):
        if node.order == 2:
            return self.hessian(self.value(node.body, env), self._var(None))
        return self.gradient(self.value(node.body, env), self._var(None))

    def _Unsupported(self, node, env):
        if node.construct in ("⁻¹", "^-1"):
            return self._inverse(node.operands[0], env)
        raise OracleError(f"{node.construct} is outside the language")

    # -- inverse, determinant, log-determinant: exact, by their definitions ----------------------------
    def _matrix_function(self, name: str, arg, env) -> Val:
        if name == "inv":
            return self._inverse(arg, env)
        if name == "log":
            if not (isinstance(arg, ast.Call) and arg.callee.name == "det" and self._undeclared("det")
                    and len(arg.args) == 1):
                raise OracleError("log is outside the language except as log(det(X))")
            name, arg = "logdet", arg.args[0]
        reciprocal = name == "det" and _inverse_node(arg, self)
        if reciprocal:
            arg = arg.operands[0] if isinstance(arg, ast.Unsupported) else arg.args[0]
        while isinstance(arg, ast.Transpose):  # det Xᵀ = det X
            arg = arg.operand
        o = self._declared_square(arg, invertible=reciprocal or name == "logdet")
        det = self._exact(o)[1]
        if name == "logdet":
            return _scalar(sympy.log(det))
        return _scalar(1 / det if reciprocal else det)

    def _inverse(self, arg, env) -> Val:
        transposed = isinstance(arg, ast.Transpose)
        o = self._declared_square(arg.operand if transposed else arg, invertible=True)
        adj, det = self._exact(o)
        d = o.dims[0]
        n = self.size(d)
        m = [[(adj[c, r] if transposed else adj[r, c]) / det for c in range(n)] for r in range(n)]
        return Val(d, d, m)

    def _declared_square(self, node, invertible: bool) -> OObj:
        name = node.name if isinstance(node, ast.Name) else None
        if isinstance(node, ast.Call) and len(node.args) == 1 and isinstance(node.args[0], ast.Name):
            o = self.d.objects.get(node.callee.name)
            if o is not None and o.kind == "func" and node.args[0].name == o.depends:
                name = o.name
        o = self.d.objects.get(name) if name is not None else None
        if o is None or len(o.dims) != 2 or not same_dim(o.dims[0], o.dims[1]):
            raise OracleError("inv, det and logdet apply to a declared square matrix")
        if invertible and not o.invertible:
            raise OracleError(f"{o.name} is not declared invertible")
        return o

    def _exact(self, o: OObj):
        """(adjugate, determinant) of the declared matrix `o`, as SymPy matrices of its entries."""
        key = ("exact", o.name)
        got = self._objs.get(key)
        if got is None:
            m = sympy.Matrix(self.object(o).m)
            got = self._objs[key] = (m.adjugate(method="berkowitz"), m.det(method="berkowitz"))
        return got

    def _Literal(self, node, env):
        rows = node.rows
        width = len(rows[0])
        if any(len(r) != width for r in rows):
            raise OracleError("rows of different lengths")
        m = []
        for row in rows:
            out = []
            for cell in row:
                v = self.value(cell, env)
                if not v.scalar:
                    raise OracleError("an entry of a literal must be a scalar")
                out.append(v.m[0][0])
            m.append(out)
        rdim = None if len(rows) == 1 else ODim(f"#{len(rows)}", len(rows))
        cdim = None if width == 1 else ODim(f"#{width}", width)
        return Val(rdim, cdim, m)

    def _BoundedIndex(self, node, env):
        raise OracleError("i = lo..hi outside sum")


def _inverse_node(node, oracle: Oracle) -> bool:
    """`node` is X⁻¹, X^-1 or inv(X) (inv not declared by the file)."""
    if isinstance(node, ast.Unsupported):
        return node.construct in ("⁻¹", "^-1")
    return isinstance(node, ast.Call) and node.callee.name == "inv" and oracle._undeclared("inv") and len(node.args) == 1




# ---- comparing two sides on a grid ----------------------------------------------------------------


@dataclass(frozen=True)
class Side:
    """An expression, or entry `pick` (component index names) of it."""

    node: object
    pick: tuple | None = None


@dataclass
class Outcome:
    status: str  # "equal" | "differ" | "error" | "timeout"
    point: dict | None = None  # sizes and index values of a difference
    message: str = ""
    points: int = 0  # (size, index) points evaluated


def _entry(v: Val, pick: tuple, decls: Decls, env: dict, oracle: Oracle) -> Val:
    dims = [d for d in (v.rows, v.cols) if d is not None]
    if len(pick) != len(dims):
        raise OracleError("component indices do not match the shape")
    pos = []
    for name, d in zip(pick, dims):
        if name not in decls.indices or not same_dim(decls.indices[name], d):
            raise OracleError(f"component index {name} does not range over {d.name}")
        pos.append(env[name] - 1)
    it = iter(pos)
    r = next(it) if v.rows is not None else 0
    c = next(it) if v.cols is not None else 0
    return _scalar(v.m[r][c])


def grid(decls: Decls, names, sizes=(1, 2, 3, 4)) -> list[dict]:
    """Every assignment of `sizes` to the symbolic dimensions the names depend on (others are 1),
    smallest first."""
    rel = sorted(decls.dims_of_names(names))
    base = {d: 1 for d in decls.symbolic_dims()}
    pts = []
    for combo in itertools.product(sizes, repeat=len(rel)):
        p = dict(base)
        p.update(zip(rel, combo))
        pts.append(p)
    pts.sort(key=lambda p: (sum(p.values()), sorted(p.items())))
    return pts


MATRIX_SIZES = 2  # the largest size tried for a comparison with inv, det or logdet (see Comparer)


def has_matrix_functions(node) -> bool:
    """Whether `node` writes an inverse, a determinant or a log-determinant."""
    if isinstance(node, ast.Unsupported) and node.construct in ("⁻¹", "^-1"):
        return True
    if isinstance(node, ast.Call) and node.callee.name in ("inv", "det", "logdet"):
        return True
    return any(has_matrix_functions(c) for c in _children(node))


def _children(n) -> list:
    if isinstance(n, ast.BinOp):
        return [n.left, n.right]
    if isinstance(n, (ast.Neg, ast.Transpose, ast.Power, ast.NormSquared, ast.Indexed)):
        return [n.operand]
    if isinstance(n, ast.Call):
        return list(n.args)
    if isinstance(n, (ast.Partial, ast.GradOp)):
        return [n.body]
    if isinstance(n, ast.Unsupported):
        return list(n.operands)
    if isinstance(n, ast.Literal):
        return [c for row in n.rows for c in row]
    return []


class Comparer:
    """Compares sides on a grid; keeps one Oracle (and its memo) per size assignment, so repeated
    sub-expressions are evaluated once across many comparisons under the same declarations. A
    comparison with an inverse or a determinant runs on the sizes up to `matrix_sizes` only (exact
    inverses of 3×3 matrices, differentiated, take seconds each); None: the whole grid."""

    def __init__(self, decls: Decls, sizes=(1, 2, 3, 4), max_memo: int = 200_000,
                 matrix_sizes: int | None = MATRIX_SIZES):
        self.d = decls
        self.sizes = tuple(sizes)
        self.matrix_sizes = matrix_sizes
        self.oracles: dict = {}
        self.max_memo = max_memo

    def oracle(self, point: dict, deadline) -> Oracle:
        key = tuple(sorted(point.items()))
        o = self.oracles.get(key)
        if o is None:
            o = self.oracles[key] = Oracle(self.d, point)
        elif len(o._memo) > self.max_memo:
            o._memo.clear()
            o._canon.clear()
        o.deadline = deadline
        return o

    def compare(self, a: Side, b: Side, budget: float | None = None) -> Outcome:
        names = names_used(a.node) | names_used(b.node) | set(a.pick or ()) | set(b.pick or ())
        free = sorted(free_index_names(a.node, self.d.indices) | free_index_names(b.node, self.d.indices)
                      | set(a.pick or ()) | set(b.pick or ()))
        for f in free:
            if f not in self.d.indices:
                return Outcome("error", message=f"{f} is not an index")
        deadline = None if budget is None else time.monotonic() + budget
        count = 0
        sizes = self.sizes
        if self.matrix_sizes is not None and (has_matrix_functions(a.node) or has_matrix_functions(b.node)):
            sizes = tuple(s for s in sizes if s <= self.matrix_sizes)
        try:
            for point in grid(self.d, names, sizes):
                o = self.oracle(point, deadline)
                ranges = [range(1, o.size(self.d.indices[f]) + 1) for f in free]
                for vals in itertools.product(*ranges):
                    env = dict(zip(free, vals))
                    count += 1
                    try:
                        va = self._side(o, a, env)
                        vb = self._side(o, b, env)
                    except OracleUndefined:
                        continue
                    if not (same_dim(va.rows, vb.rows) and same_dim(va.cols, vb.cols)):
                        return Outcome("error", message=f"shapes differ: {va.shape()} and {vb.shape()}", points=count)
                    for ra, rb in zip(va.m, vb.m):
                        for x, y in zip(ra, rb):
                            if not is_zero(x - y):
                                return Outcome("differ", point={**point, **env}, points=count)
        except OracleError as err:
            return Outcome("error", message=str(err), points=count)
        except OracleTimeout as err:
            return Outcome("timeout", message=str(err), points=count)
        except RecursionError:
            return Outcome("error", message="nested too deeply", points=count)
        return Outcome("equal", points=count)

    def _side(self, o: Oracle, s: Side, env) -> Val:
        v = o.value(s.node, env)
        if s.pick is None:
            return v
        return _entry(v, s.pick, self.d, env, o)


def chain_outcomes(path, sizes, **comparer_options) -> list[tuple[str, list[str]]]:
    """(theorem, the oracle's outcome for each link of its chain: the left side against the first
    line, each step, the last line against the right side) for every theorem of the file at `path`."""
    from vecproof.syntax import parse

    tree = parse(path.read_text(encoding="utf-8"))
    cmp = Comparer(Decls(tree.items), sizes, **comparer_options)
    out = []
    for th in (i for i in tree.items if isinstance(i, ast.Theorem)):
        comp = tuple(i.name for i in th.proof.component) if th.proof.component else None
        chain = [th.proof.first] + [s.expr for s in th.proof.steps]
        pairs = [(Side(th.lhs, comp), Side(chain[0]))] + [(Side(a), Side(b)) for a, b in zip(chain, chain[1:])]
        pairs.append((Side(chain[-1]), Side(th.rhs, comp)))
        out.append((th.name.name, [cmp.compare(a, b).status for a, b in pairs]))
    return out
