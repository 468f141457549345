r"""The LaTeX printer of the syntax tree: each expression as the author wrote it, in the notation of
the seed notes (bold vectors and matrices, `^\top`, bounded sums, `\delta_{ik}`, partial fractions).

Only names and numbers of the tree reach the output, each through `_name` or `str(int)`, so no
text of the file can inject TeX. Parentheses come from precedence: the tree keeps none."""

from __future__ import annotations

from dataclasses import dataclass

from ...syntax import ast

SUM, PREFIX, PROD, POSTFIX, ATOM = range(5)  # how tightly a printed form binds, loosest first


@dataclass(frozen=True)
class Style:
    """Notation choices: `bold` is the macro for vectors and matrices (`\\mathbf` or `\\bm`);
    `entries` is `lower` (a_{ij}, as the seed notes write) or `upper` (A_{ij})."""

    bold: str = r"\mathbf"
    entries: str = "lower"


class TexPrinter:
    """Prints expressions of one file; `scope` (the file's declarations) says which names are
    vectors, matrices and indices, and the range each index sums over."""

    def __init__(self, scope, style: Style = Style()):
        self.names = scope.names if scope is not None else {}
        self.style = style

    def expr(self, node: ast.Node) -> str:
        return self._at(node, SUM)

    def equation(self, lhs: ast.Node, rhs: ast.Node) -> str:
        return f"{self.expr(lhs)} = {self.expr(rhs)}"

    def name(self, name: str) -> str:
        """A declared name: bold when it is a vector or a matrix."""
        text = _name(name)
        if self._rank(name) > 0:
            return f"{self.style.bold}{{{text}}}"
        return text

    def binding(self, b: ast.Binding) -> str:
        """`A := S` of a citation; the cited theorem's name is bold when this file declares it so, or
        when the value is a declared vector or matrix (a binding keeps the shape)."""
        name = b.name.name
        shaped = name in self.names or not isinstance(b.value, ast.Name)
        bold = self._rank(name if shaped else b.value.name) > 0
        return (f"{self.style.bold}{{{_name(name)}}}" if bold else _name(name)) + f" := {self.expr(b.value)}"

    # -- the cases ---------------------------------------------------------------------------------
    def _at(self, node: ast.Node, least: int) -> str:
        text, prec = self._print(node)
        return text if prec >= least else rf"\left({text}\right)"

    def _print(self, node: ast.Node) -> tuple[str, int]:
        if isinstance(node, ast.Name):
            return self.name(node.name), ATOM
        if isinstance(node, ast.Number):
            return str(node.value), ATOM
        if isinstance(node, ast.BinOp):
            return self._binop(node)
        if isinstance(node, ast.Neg):
            return f"-{self._at(node.operand, PROD)}", SUM
        if isinstance(node, ast.Transpose):
            return f"{self._at(node.operand, ATOM)}^\\top", POSTFIX
        if isinstance(node, ast.Power):
            base = self._at(node.operand, POSTFIX if _entry(node.operand) else ATOM)
            return f"{base}^{{{node.exponent}}}", POSTFIX
        if isinstance(node, ast.Indexed):
            return self._indexed(node.operand, node.indices), POSTFIX
        if isinstance(node, ast.NormSquared):
            norm = rf"\left\|{self.expr(node.operand)}\right\|" + ("_F" if node.frobenius else "")
            return norm + (f"^{{{node.exponent}}}" if node.exponent != 1 else ""), POSTFIX
        if isinstance(node, ast.Partial):
            return self._partial(node)
        if isinstance(node, ast.GradOp):
            return rf"\nabla {self._at(node.body, PROD)}", PREFIX
        if isinstance(node, ast.Literal):
            rows = r" \\ ".join(" & ".join(self.expr(e) for e in row) for row in node.rows)
            return rf"\begin{{bmatrix}} {rows} \end{{bmatrix}}", ATOM
        if isinstance(node, ast.Call):
            return self._call(node)
        if isinstance(node, ast.Unsupported) and node.construct in ("⁻¹", "^-1"):
            return f"{self._at(node.operands[0], ATOM)}^{{-1}}", POSTFIX
        if isinstance(node, ast.BoundedIndex):  # only as a sum's first argument; printed there
            return f"{_name(node.index.name)} = {self.expr(node.lo)}", SUM
        raise TypeError(f"no LaTeX form for {type(node).__name__}")

    def _binop(self, node: ast.BinOp) -> tuple[str, int]:
        if node.op in "+-":
            return f"{self._at(node.left, SUM)} {node.op} {self._at(node.right, PREFIX)}", SUM
        if node.op == "/":
            return rf"\frac{{{self.expr(node.left)}}}{{{self.expr(node.right)}}}", PROD
        if node.op == "⊙":
            return rf"{self._at(node.left, PROD)} \odot {self._at(node.right, POSTFIX)}", PROD
        left = self._at(node.left, PROD)
        right, prec = self._print(node.right)
        if prec < PREFIX or (prec < POSTFIX and not isinstance(node.right, (ast.Partial, ast.Call, ast.GradOp))):
            right, prec = rf"\left({right}\right)", ATOM
        sep = r" \cdot " if right[:1].isdigit() else " "
        return left + sep + right, min(prec, PROD)  # a prefix form on the right reaches to the end

    def _indexed(self, operand: ast.Node, items) -> str:
        sub = _subscript([self._slot(i) for i in items])
        if isinstance(operand, ast.Name) and operand.name in self.names:
            whole = any(i.kind == "all" for i in items)
            letter = _name(operand.name)
            if self.style.entries == "lower" and self._rank(operand.name) == 2 and len(operand.name) == 1:
                letter = letter.lower()
            if whole:  # a row or column of a matrix is a vector
                letter = f"{self.style.bold}{{{letter}}}"
            return f"{letter}_{{{sub}}}"
        return f"{self._at(operand, ATOM)}_{{{sub}}}"

    def _slot(self, item: ast.IndexItem) -> str:
        if item.kind == "all":
            return ":"
        return str(item.value) if item.kind == "number" else _name(item.value)

    def _partial(self, node: ast.Partial) -> tuple[str, int]:
        wrt = node.wrt
        by = self.name(wrt.var.name) if wrt.indices is None else self._indexed(
            ast.Name(wrt.span, wrt.var.name), wrt.indices)
        if (wrt.span.line, wrt.span.col) < (node.body.span.line, node.body.span.col):  # d/dx[k] body
            return rf"\frac{{\partial}}{{\partial {by}}} {self._at(node.body, PROD)}", PREFIX
        return rf"\frac{{\partial {self._at(node.body, POSTFIX)}}}{{\partial {by}}}", PROD

    def _call(self, node: ast.Call) -> tuple[str, int]:
        f, args = node.callee.name, node.args
        if f in ("sum", "Σ") and len(args) == 2:
            index = args[0]
            if isinstance(index, ast.BoundedIndex):
                lo, hi = self.expr(index.lo), self.expr(index.hi)
                name = _name(index.index.name)
            else:
                name = self.expr(index)
                lo, hi = "1", self._range(index)
            return rf"\sum_{{{name}={lo}}}^{{{hi}}} {self._at(args[1], PREFIX)}", PREFIX
        if f in ("delta", "δ") and len(args) == 2:
            return rf"\delta_{{{_subscript([self.expr(a) for a in args])}}}", ATOM
        if f == "grad" and args:
            by = f"_{{{self.expr(args[1])}}}" if len(args) == 2 else ""
            return rf"\nabla{by} {self._at(args[0], PROD)}", PREFIX
        if f == "D" and len(args) == 1:
            return rf"\mathrm{{D}} {self._at(args[0], ATOM)}", PROD
        if f == "dot" and len(args) == 2:
            return rf"{self._at(args[0], POSTFIX)} \cdot {self._at(args[1], POSTFIX)}", PROD
        if f in ("norm", "normF") and len(args) == 1:
            return rf"\left\|{self.expr(args[0])}\right\|" + ("_F" if f == "normF" else ""), ATOM
        if f == "tr" and len(args) == 1:
            return rf"\operatorname{{tr}}\left({self.expr(args[0])}\right)", ATOM
        if f == "inv" and f not in self.names and len(args) == 1:
            return f"{self._at(args[0], ATOM)}^{{-1}}", POSTFIX
        if f in ("det", "logdet") and f not in self.names and len(args) == 1:
            head = r"\det" if f == "det" else r"\log\det"
            return rf"{head}\left({self.expr(args[0])}\right)", ATOM
        head = self.name(f) if f in self.names else r"\operatorname{" + f.replace("_", r"\_") + "}"
        return head + r"\left(" + ", ".join(self.expr(a) for a in args) + r"\right)", ATOM

    # -- declarations ------------------------------------------------------------------------------
    def _rank(self, name: str) -> int:
        d = self.names.get(name)
        if d is None or d.obj is None or d.what == "fn":  # a function's value is a scalar
            return 0
        return len(d.obj.dims)

    def _range(self, index: ast.Node) -> str:
        """The upper bound of a sum over a declared index: its dimension."""
        d = self.names.get(index.name) if isinstance(index, ast.Name) else None
        if d is None or d.index is None:
            return "?"
        return _name(d.index.dim.name)


def _entry(node: ast.Node) -> bool:
    return isinstance(node, ast.Indexed)


def _subscript(parts: list[str]) -> str:
    """`ij` when every part is one letter or digit, else `i,j`."""
    return "".join(parts) if all(len(p) == 1 and p.isalnum() for p in parts) else ",".join(parts)


def _name(name: str) -> str:
    """A name of the file as TeX: one letter as is, longer names upright-italic in `\\mathit`.
    Names are ASCII letters, digits and `_` (the grammar's NAME), so escaping `_` is enough."""
    if len(name) == 1:
        return name
    return r"\mathit{" + name.replace("_", r"\_") + "}"
