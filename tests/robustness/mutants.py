"""Source-level mutants of the example proofs.

Every expression of every theorem of examples/*.vproof (the statement's two sides, the proof's first
line and every step) and every declaration is a mutation site. A mutant is the example's text with
one edit, made on the source through the positions of vecproof's syntax tree (the rest of the text,
spelling and layout included, is untouched). For a mutant of a theorem, the other theorems are
blanked out (replaced by spaces, so line and column numbers stay those of the example); a mutant of
a declaration keeps the whole file.

Operators (`OPERATORS`): swap two indices, rename an index, rename a sum's bound index, drop or add
a transpose, flip a sign, change a coefficient or an exponent, insert a coefficient, drop a term,
drop a factor, swap the partners of a product rule, drop a derivative, change a summation range
(explicit bounds, or another dimension's index), drop a step, change a componentwise proof's index;
for the identity, Hessians and derivatives by a scalar: the identity replaced by a square constant or
sized by another dimension, a Hessian confused with the outer product of gradients, the two factors of
a matrix product commuted (d(XY)/dt = (dX/dt)Y + X dY/dt with a factor order slipped);
for inverses and determinants: a transpose added to or dropped from an inverse (∂log det X = X⁻¹), the
inverse forgotten (X⁻¹ → X), the det factor of Jacobi's formula dropped, log det read as det; for
functions: another function in a function's place (exp ↔ log, σ ↔ tanh, f ↔ g), the order of a
composition exchanged (f(g(t)) → g(f(t)): the chain rule's factors in the wrong order), a derivative
order changed (f′ → f, f → f′);
and on declarations: exchange two
dimensions, change a concrete size, declare a function constant (and a constant a function, a
variable constant), add or remove `symmetric` or `invertible`, swap or drop the layout.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from vecproof.syntax import ast, parse

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

OPERATORS = (
    "swap_indices", "rename_index", "rename_bound", "drop_transpose", "add_transpose", "flip_sign",
    "change_coefficient", "change_exponent", "insert_coefficient", "drop_term", "drop_factor",
    "swap_partners", "drop_derivative", "change_range", "sum_other_dim", "drop_step",
    "component_index", "replace_identity", "identity_size", "hess_to_outer", "commute_product",
    "inverse_transpose", "forget_inverse", "drop_det", "logdet_to_det",
    "swap_function", "swap_composition", "change_prime",
    "exchange_dims", "change_size", "func_to_const", "const_to_func", "var_to_const",
    "toggle_symmetric", "toggle_invertible", "swap_layout", "drop_layout",
)
INVERSE_MARKS = ("⁻¹", "^-1")


@dataclass(frozen=True)
class Mutant:
    id: str  # example:line:col:op:n — stable across runs
    example: str
    op: str
    theorem: str | None  # None for a declaration mutant (the whole file is kept)
    line: int
    original: str  # the text replaced
    replacement: str
    text: str  # the mutated source

    def compact(self) -> str:
        """The mutated source without comments and blank lines (for reports)."""
        out = []
        for line in self.text.split("\n"):
            stripped = re.sub(r"#.*$", "", line).rstrip()
            if stripped.strip():
                out.append(stripped)
        return "\n".join(out)


_IDENT = re.compile(r"[A-Za-z0-9_]")


class Source:
    def __init__(self, name: str, text: str):
        self.name = name
        self.text = text
        self.starts = [0]
        for i, ch in enumerate(text):
            if ch == "\n":
                self.starts.append(i + 1)
        self.tree = parse(text)
        items = []
        for it in self.tree.items:
            items.extend(it if isinstance(it, list) else [it])
        self.items = items
        self.theorems = [i for i in items if isinstance(i, ast.Theorem)]
        self.decls = [i for i in items if not isinstance(i, ast.Theorem)]
        self.indices: dict[str, str] = {}  # index name -> dim name
        self.dims: dict[str, int | None] = {}
        self.objects: dict[str, ast.ObjectDecl] = {}
        for d in self.decls:
            if isinstance(d, ast.IndexDecl):
                for n in d.names:
                    self.indices[n.name] = d.dim.name
            elif isinstance(d, ast.DimDecl):
                self.dims[d.name.name] = d.size
            elif isinstance(d, ast.ObjectDecl):
                self.objects[d.name.name] = d

    def off(self, line: int, col: int) -> int:
        return self.starts[line - 1] + col - 1

    def range(self, span) -> tuple[int, int]:
        return self.off(span.line, span.col), self.off(span.end_line, span.end_col)

    def slice(self, span) -> str:
        a, b = self.range(span)
        return self.text[a:b]

    def blank_except(self, keep: ast.Theorem) -> str:
        """The text with every theorem but `keep` replaced by spaces (newlines kept)."""
        chars = list(self.text)
        for th in self.theorems:
            if th is keep:
                continue
            a, b = self.range(th.span)
            for i in range(a, b):
                if chars[i] != "\n":
                    chars[i] = " "
        return "".join(chars)


# ---- node helpers --------------------------------------------------------------------------------


def children(n) -> list:
    if isinstance(n, ast.BinOp):
        return [n.left, n.right]
    if isinstance(n, (ast.Neg, ast.Transpose, ast.Power, ast.NormSquared)):
        return [n.operand]
    if isinstance(n, ast.Indexed):
        return [n.operand]
    if isinstance(n, ast.Call):
        return list(n.args)
    if isinstance(n, ast.BoundedIndex):
        return [n.lo, n.hi]
    if isinstance(n, (ast.Partial, ast.GradOp)):
        return [n.body]
    if isinstance(n, ast.Literal):
        return [c for row in n.rows for c in row]
    if isinstance(n, ast.Unsupported):
        return list(n.operands)
    return []


def is_inverse(src, n) -> bool:
    """`n` is X⁻¹, X^-1 or inv(X) (inv not declared by the file)."""
    if isinstance(n, ast.Unsupported):
        return n.construct in INVERSE_MARKS
    return isinstance(n, ast.Call) and n.callee.name == "inv" and "inv" not in src.objects and len(n.args) == 1


def walk(n, parent=None):
    yield n, parent
    for c in children(n):
        yield from walk(c, n)


def factors(n) -> list:
    if isinstance(n, ast.BinOp) and n.op == "*":
        return factors(n.left) + factors(n.right)
    return [n]


def free_occurrences(n, name: str, bound: frozenset = frozenset()) -> list:
    """Spans of the free occurrences of index `name` in an expression (index items, δ arguments,
    the index of dx[…]), not those under a sum that binds it."""
    out = []
    if isinstance(n, ast.Name):
        if n.name == name and name not in bound:
            out.append(n.span)
        return out
    if isinstance(n, ast.Indexed):
        out += [i.span for i in n.indices if i.kind == "name" and i.value == name and name not in bound]
        return out + free_occurrences(n.operand, name, bound)
    if isinstance(n, ast.Partial) and n.wrt.indices:
        out += [i.span for i in n.wrt.indices if i.kind == "name" and i.value == name and name not in bound]
    if isinstance(n, ast.Call) and n.callee.name in ("sum", "Σ") and len(n.args) == 2:
        head, body = n.args
        hname = head.index.name if isinstance(head, ast.BoundedIndex) else getattr(head, "name", None)
        if isinstance(head, ast.BoundedIndex):
            out += free_occurrences(head.lo, name, bound) + free_occurrences(head.hi, name, bound)
        return out + free_occurrences(body, name, bound | {hname})
    for c in children(n):
        out += free_occurrences(c, name, bound)
    return out


class _Edits:
    """Collects (start, end, replacement) edits for one site, as mutants."""

    def __init__(self, src: Source):
        self.src = src
        self.out: list[tuple[str, list[tuple[int, int, str]]]] = []

    def add(self, op: str, edits: list[tuple[int, int, str]]) -> None:
        self.out.append((op, edits))

    def replace(self, op: str, node_or_span, text: str) -> None:
        span = node_or_span.span if hasattr(node_or_span, "span") else node_or_span
        a, b = self.src.range(span)
        if self.src.text[a:b] == text:
            return
        self.add(op, [(a, b, text)])


def _text(src: Source, n) -> str:
    return src.slice(n.span)


def _is_operator_partial(src: Source, n) -> bool:
    """`d/dx[k] E` (which takes the whole product after it) rather than `d(E)/dx[k]`."""
    return isinstance(n, ast.Partial) and _text(src, n)[1:].lstrip().startswith("/")


def wrap(src: Source, n, text: str | None = None) -> str:
    text = _text(src, n) if text is None else text
    if isinstance(n, (ast.Name, ast.Number, ast.Call, ast.Indexed, ast.Transpose, ast.Power)):
        return text
    if isinstance(n, ast.Partial) and not _is_operator_partial(src, n):
        return text
    return f"({text})"


# ---- expression operators --------------------------------------------------------------------------


def expression_edits(src: Source, root, bound_names=()) -> list[tuple[str, list]]:
    E = _Edits(src)
    idx_by_dim: dict[str, list[str]] = {}
    for name, dim in src.indices.items():
        idx_by_dim.setdefault(dim, []).append(name)

    def other_indices(name):
        dim = src.indices.get(name)
        return [o for o in idx_by_dim.get(dim, []) if o != name]

    def item_edits(items, dims_hint=None):
        named = [i for i in items]
        if len(named) == 2 and named[0].kind != "all" and named[1].kind != "all" and \
                str(named[0].value) != str(named[1].value):
            a0, b0 = src.range(named[0].span)
            a1, b1 = src.range(named[1].span)
            E.add("swap_indices", [(a0, b0, str(named[1].value)), (a1, b1, str(named[0].value))])
        for it in items:
            if it.kind == "name":
                for o in other_indices(it.value):
                    E.replace("rename_index", it.span, o)
            elif it.kind == "number":
                for v in (it.value - 1, it.value + 1):
                    if v >= 1:
                        E.replace("rename_index", it.span, str(v))

    scalar_fns = [name for name, d in src.objects.items() if getattr(d, "result", None) is not None]
    others = {"exp": ("log",), "log": ("exp",), "sigmoid": ("tanh",), "tanh": ("sigmoid",), "sqrt": ("exp",),
              "σ": ("tanh",), **{f: tuple(g for g in scalar_fns if g != f) for f in scalar_fns}}

    def function_name(n):
        """The function a call applies (exp, f′, …) as (base name, primes), or None."""
        if not isinstance(n, ast.Call) or len(n.args) != 1:
            return None
        base = n.callee.name.rstrip("'′")
        if base in others and (base in scalar_fns or base not in src.objects):
            return base, n.callee.name[len(base):]
        return None

    square = [name for name, d in src.objects.items()
              if d.kind == "const" and len(d.shape.dims) == 2 and d.shape.dims[0].name == d.shape.dims[1].name]
    for n, parent in walk(root):
        identity_call = isinstance(n, ast.Call) and n.callee.name == "I" and "I" not in src.objects
        if identity_call or (isinstance(n, ast.Name) and n.name == "I" and "I" not in src.objects):
            for o in square:
                E.replace("replace_identity", n, o)
            for d in src.dims:  # sized explicitly: the same n (equal), or another dimension
                E.replace("identity_size", n, f"I({d})")
        hessian = isinstance(n, ast.GradOp) and n.order == 2 or isinstance(n, ast.Call) and n.callee.name == "hess"
        if hessian:
            args = [n.body] if isinstance(n, ast.GradOp) else n.args
            g = "grad(" + ", ".join(_text(src, a) for a in args) + ")"
            E.replace("hess_to_outer", n, f"({g} {g}^T)")
        if isinstance(n, ast.BinOp) and n.op == "*" and not any(isinstance(f, ast.Number) for f in (n.left, n.right)):
            rl, rr = src.range(n.left.span), src.range(n.right.span)
            E.add("commute_product", [(rl[0], rl[1], wrap(src, n.right)), (rr[0], rr[1], wrap(src, n.left))])
        called = function_name(n)
        if called is not None:
            base, primes = called
            for o in others[base]:
                E.replace("swap_function", n.callee.span, o + primes)
            inner = function_name(n.args[0])
            if inner is not None:  # f(g(E)) → g(f(E))
                ib, ip = inner
                arg = _text(src, n.args[0].args[0])
                E.replace("swap_composition", n, f"{ib}{ip}({base}{primes}({arg}))")
            if base in scalar_fns:
                E.replace("change_prime", n.callee.span, base + primes + "'")
                if primes:
                    E.replace("change_prime", n.callee.span, base + primes[:-1])
        if isinstance(n, ast.Indexed):
            item_edits(n.indices)
        if isinstance(n, ast.Partial):
            if n.wrt.indices:
                item_edits(n.wrt.indices)
            if not _is_operator_partial(src, n):
                E.replace("drop_derivative", n, wrap(src, n.body))
        if isinstance(n, ast.Call) and n.callee.name in ("delta", "δ") and len(n.args) == 2:
            a, b = n.args
            if _text(src, a) != _text(src, b):
                ra, rb = src.range(a.span), src.range(b.span)
                E.add("swap_indices", [(ra[0], ra[1], _text(src, b)), (rb[0], rb[1], _text(src, a))])
            for arg in n.args:
                if isinstance(arg, ast.Name):
                    for o in other_indices(arg.name):
                        E.replace("rename_index", arg, o)
        if isinstance(n, ast.Call) and n.callee.name in ("sum", "Σ") and len(n.args) == 2:
            head = n.args[0]
            name = head.index.name if isinstance(head, ast.BoundedIndex) else getattr(head, "name", None)
            dim = src.indices.get(name)
            if name and dim:
                for o in other_indices(name):
                    if isinstance(head, ast.Name):
                        E.replace("rename_bound", head, o)
                    else:
                        E.replace("rename_bound", head.index.span, o)
                size = src.dims.get(dim)
                top = dim if size is None else str(size)
                variants = [f"{name} = 1..{top}", f"{name} = 2..{top}",
                            f"{name} = 1..{dim} - 1" if size is None else f"{name} = 1..{size - 1}"]
                if isinstance(head, ast.BoundedIndex):
                    variants.append(name)
                for v in variants:
                    if size is not None and size < 2 and "2.." in v:
                        continue
                    E.replace("change_range", head, v)
                for odim, names in sorted(idx_by_dim.items()):
                    if odim != dim:
                        E.replace("sum_other_dim", head.index.span if isinstance(head, ast.BoundedIndex) else head,
                                  names[0])
        if isinstance(n, ast.Transpose):
            E.replace("drop_transpose", n, wrap(src, n.operand))
        if is_inverse(src, n):
            inner = n.operands[0] if isinstance(n, ast.Unsupported) else n.args[0]
            if isinstance(parent, ast.Transpose):
                E.replace("inverse_transpose", parent, f"({_text(src, n)})")
            else:
                E.replace("inverse_transpose", n, f"({_text(src, n)})^T")
            E.replace("forget_inverse", n, wrap(src, inner))
        if isinstance(n, ast.BinOp) and n.op == "*":
            for side, other in ((n.left, n.right), (n.right, n.left)):
                if isinstance(side, ast.Call) and side.callee.name == "det" and "det" not in src.objects:
                    E.replace("drop_det", n, _text(src, other))
        if isinstance(n, ast.Call) and n.callee.name == "logdet" and "logdet" not in src.objects:
            E.replace("logdet_to_det", n.callee.span, "det")
        if isinstance(n, ast.Name) and n.name in src.objects and src.objects[n.name].shape.kind != "scalar" \
                and not (isinstance(parent, ast.Transpose)):
            E.replace("add_transpose", n, n.name + "^T")
        if isinstance(n, ast.Call) and n.callee.name in ("D", "grad") and not isinstance(parent, ast.Transpose):
            E.replace("add_transpose", n, _text(src, n) + "^T")
        if isinstance(n, ast.BinOp) and n.op in "+-":
            a, b = src.range(n.left.span)[1], src.range(n.right.span)[0]
            between = src.text[a:b]
            flipped = between.replace(n.op, "-" if n.op == "+" else "+", 1)
            if flipped != between:
                E.add("flip_sign", [(a, b, flipped)])
            E.replace("drop_term", n, _text(src, n.left))
            E.replace("drop_term", n, _text(src, n.right) if n.op == "+" else "-" + wrap(src, n.right))
            for side in (n.left, n.right):
                E.replace("insert_coefficient", side, "2 * " + wrap(src, side))
        if isinstance(n, ast.Neg):
            E.replace("flip_sign", n, _text(src, n.operand))
        if isinstance(n, ast.Number) and not isinstance(parent, ast.BoundedIndex):
            for v in (n.value + 1, n.value - 1):
                if v >= 0 and not (v == 0 and isinstance(parent, ast.BinOp) and parent.op == "/"):
                    E.replace("change_coefficient", n, str(v))
        if isinstance(n, ast.Power) and not (isinstance(n.operand, ast.Call) and n.operand.callee.name in ("norm", "normF")):
            # the exponent is the node's suffix (`^2`, `^ 3`, `²`); the operand's span may end inside
            # parentheses that the node's span includes, as in `(s)^2`
            m = re.search(r"(\^\s*[0-9]+|²)\s*$", _text(src, n))
            if m:
                a, end = src.range(n.span)
                base = a + m.start()
                for e in (n.exponent + 1, n.exponent - 1):
                    if e >= 1:
                        E.add("change_exponent", [(base, end, f"^{e}")])
        if isinstance(n, ast.NormSquared):
            # ‖x‖² → ‖x‖ and ‖x‖³, ‖x‖ → ‖x‖²: the norm's own power, written as its suffix (or none)
            a, end = src.range(n.span)
            m = re.search(r"(\^\s*[0-9]+|²)\s*$", _text(src, n))
            base = a + m.start() if m else end
            for e in (n.exponent + 1, n.exponent - 1):
                if e >= 1:
                    E.add("change_exponent", [(base, end, "" if e == 1 else f"^{e}")])
        if isinstance(n, ast.BinOp) and n.op == "*":
            E.replace("drop_factor", n, _text(src, n.left))
            E.replace("drop_factor", n, _text(src, n.right))
        if isinstance(n, ast.BinOp) and n.op == "*" and not (isinstance(parent, ast.BinOp) and parent.op == "*"):
            fs = factors(n)
            for p in fs:
                if not isinstance(p, ast.Partial) or _is_operator_partial(src, p):
                    continue
                for f in fs:
                    if f is p or isinstance(f, ast.Number):
                        continue
                    rb, rf = src.range(p.body.span), src.range(f.span)
                    E.add("swap_partners", [(rb[0], rb[1], _text(src, f)), (rf[0], rf[1], wrap(src, p.body))])
    # the whole line
    E.replace("flip_sign", root, "-" + wrap(src, root))
    E.replace("insert_coefficient", root, "2 * " + wrap(src, root))
    E.replace("add_transpose", root, wrap(src, root) + "^T")
    return E.out


# ---- declaration operators ---------------------------------------------------------------------------


def _shape_text(kind: str, dims) -> str:
    return kind if kind == "scalar" else f"{kind}({', '.join(dims)})"


def _object_text(kind, name, depends, shape_kind, dims, symmetric, invertible=False) -> str:
    dep = f"({depends})" if depends else ""
    return (f"{kind} {name}{dep} : {_shape_text(shape_kind, dims)}" + (" symmetric" if symmetric else "")
            + (" invertible" if invertible else ""))


def declaration_edits(src: Source) -> list[tuple[str, list, ast.Node]]:
    E = _Edits(src)
    dims = list(src.dims)
    variables = [o.name.name for o in src.objects.values() if o.kind == "var"]
    for d in src.decls:
        if isinstance(d, ast.LayoutDecl):
            other = "numerator" if d.kind == "denominator" else "denominator"
            E.replace("swap_layout", d, f"layout {other}")
            E.replace("drop_layout", d, "")
        elif isinstance(d, ast.DimDecl):
            if d.size is None:
                for s in (1, 2):
                    E.replace("change_size", d, f"{d.name.name} = {s}")
            else:
                E.replace("change_size", d, d.name.name)
                for s in (d.size - 1, d.size + 1):
                    if s >= 1:
                        E.replace("change_size", d, f"{d.name.name} = {s}")
        elif isinstance(d, ast.IndexDecl):
            for o in dims:
                if o != d.dim.name:
                    E.replace("exchange_dims", d.dim, o)
        elif isinstance(d, ast.ObjectDecl):
            name = d.name.name
            sdims = [x.name for x in d.shape.dims]
            dep = d.depends.name if d.depends else None
            sym = d.symmetric
            kind, sk = d.kind, d.shape.kind

            def obj(k=kind, dp=dep, ds=sdims, sy=sym, iv=d.invertible):
                return _object_text(k, name, dp, sk, ds, sy, iv)

            if len(sdims) == 2 and sdims[0] != sdims[1]:
                E.replace("exchange_dims", d, obj(ds=[sdims[1], sdims[0]]))
            for pos in range(len(sdims)):
                for o in dims:
                    if o != sdims[pos]:
                        ds = list(sdims)
                        ds[pos] = o
                        E.replace("exchange_dims", d, obj(ds=ds))
            if kind == "func":
                E.replace("func_to_const", d, obj(k="const", dp=None))
            if kind == "const":
                for v in variables:
                    E.replace("const_to_func", d, obj(k="func", dp=v))
            if kind == "var":
                E.replace("var_to_const", d, obj(k="const"))
            if kind != "var" and len(sdims) == 2 and sdims[0] == sdims[1]:
                E.replace("toggle_symmetric", d, obj(sy=not sym))
            if d.invertible:
                E.replace("toggle_invertible", d, obj(iv=False))
    return E.out


# ---- mutants -------------------------------------------------------------------------------------


def _apply(text: str, edits) -> str:
    for a, b, rep in sorted(edits, key=lambda e: -e[0]):
        before = text[a - 1] if a > 0 else ""
        after = text[b] if b < len(text) else ""
        if rep and _IDENT.match(before or " ") and (_IDENT.match(rep[0]) or rep[0] == "("):
            rep = " " + rep
        if rep and after and (_IDENT.match(after) or after == "(") and _IDENT.match(rep[-1]):
            rep = rep + " "
        text = text[:a] + rep + text[b:]
    return text


def mutants_of(path: Path) -> list[Mutant]:
    text = path.read_text(encoding="utf-8")
    name = path.name if path.parent.name != "bad" else "bad/" + path.name
    # a deliberately wrong example declares `# expect: VPnnn`; its mutants are ordinary files
    text = re.sub(r"(?m)^#(\s*)expect:", r"#\1wrong:", text)
    try:
        src = Source(name, text)
    except Exception:  # noqa: BLE001 - an example with a syntax error has no sites
        return []
    out: list[Mutant] = []
    seen: set = set()

    def emit(op, edits, theorem, base):
        text = _apply(base, edits)
        if text in seen or text == src.text:
            return
        seen.add(text)
        a = min(e[0] for e in edits)
        line = src.text.count("\n", 0, a) + 1
        col = a - src.starts[line - 1] + 1
        original = " | ".join(src.text[x:y] for x, y, _ in sorted(edits))
        replacement = " | ".join(r for _, _, r in sorted(edits))
        out.append(Mutant(f"{name}:{line}:{col}:{op}:{len(out)}", name, op, theorem, line,
                          original, replacement, text))

    for th in src.theorems:
        base = src.blank_except(th)
        exprs = [th.lhs, th.rhs, th.proof.first] + [s.expr for s in th.proof.steps]
        for e in exprs:
            for op, edits in expression_edits(src, e):
                emit(op, edits, th.name.name, base)
        # the indices of a componentwise proof: another index (possibly the other component's, or
        # one the expressions use), or the two exchanged
        comp = th.proof.component or ()
        for ident in comp:
            a, b = src.range(ident.span)
            for other in src.indices:
                if other != ident.name:
                    emit("component_index", [(a, b, other)], th.name.name, base)
        if len(comp) == 2 and comp[0].name != comp[1].name:
            (a0, b0), (a1, b1) = src.range(comp[0].span), src.range(comp[1].span)
            emit("component_index", [(a0, b0, comp[1].name), (a1, b1, comp[0].name)], th.name.name, base)
        # … or renamed consistently, in the spec and in every line of the proof
        lines = [th.proof.first] + [st.expr for st in th.proof.steps]
        for ident in comp:
            for other in src.indices:
                if other == ident.name or src.indices[other] != src.indices.get(ident.name):
                    continue
                spans = [ident.span] + [sp for e in lines for sp in free_occurrences(e, ident.name)]
                emit("component_index", [(*src.range(sp), other) for sp in spans], th.name.name, base)
        # drop a step: the line and its citation
        steps = th.proof.steps
        for st in steps:
            a, b = src.range(st.span)
            emit("drop_step", [(a, b, "")], th.name.name, base)
    for op, edits in declaration_edits(src):
        emit(op, edits, None, src.text)
    return out


def example_files(bad: bool = False, examples: Path = EXAMPLES) -> list[Path]:
    files = sorted(examples.glob("*.vproof"))
    if bad:
        files += sorted((examples / "bad").glob("*.vproof"))
    return files


def all_mutants(bad: bool = False, examples: Path = EXAMPLES) -> list[Mutant]:
    """Every mutant of every example (and, with `bad`, of the deliberately wrong ones)."""
    out = []
    for p in example_files(bad, examples):
        out.extend(mutants_of(p))
    return out
