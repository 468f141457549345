"""Declarations: dimensions, index variables, objects and the layout, with their positions."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from .. import diagnostics as dg
from ..diagnostics import Diagnostic, Span
from ..kernel import Dim, Index, Obj
from ..syntax import ast

BUILTINS = {"sum", "Σ", "delta", "δ", "grad", "hess", "D", "dot", "norm", "normF", "tr",
            "exp", "log", "sqrt", "sigmoid", "σ", "tanh", "softmax", "logsumexp", "diag"}


class ElabError(Exception):
    """One positioned problem found while elaborating; carries a diagnostic."""

    def __init__(self, code: dg.Code, message: str, span: Span, *detail: str, fixes: tuple = ()):
        super().__init__(message)
        self.diagnostic = Diagnostic(span, code, message, tuple(detail), fixes=fixes)


@dataclass
class Declared:
    what: str  # "dim" | "index" | "var" | "const" | "func" | "fn" (a scalar function: func f : scalar -> scalar)
    span: Span
    text: str  # the declaration as a user reads it, for hover and messages
    dim: Dim | None = None
    index: Index | None = None
    obj: Obj | None = None
    invertible: bool = False  # for a square matrix: declared `invertible`


# Keywords the grammar reads as names where an expression is expected, and what their place there says.
KEYWORDS = {
    "by": "the expression before the citation is incomplete",
    "proof": "a theorem's statement `lhs = rhs` comes before `proof`",
    "qed": "the expression before `qed` is incomplete",
}


@dataclass
class Scope:
    layout: str | None = None
    layout_span: Span | None = None
    names: dict[str, Declared] = field(default_factory=dict)

    def variables(self) -> list[Obj]:
        return [d.obj for d in self.names.values() if d.what == "var"]

    def lookup(self, name: str, span: Span) -> Declared:
        got = self.names.get(name)
        if got is None and name in KEYWORDS:  # e.g. `= x + by algebra`: the grammar took `by` as a name
            raise ElabError(dg.SYNTAX, f"`{name}` is a keyword, not a name: {KEYWORDS[name]}", span)
        if got is None:
            raise ElabError(dg.UNKNOWN_NAME, f"'{name}' is not declared{self.suggest(name)}", span)
        return got

    def suggest(self, name: str) -> str:
        base, sep, sub = name.partition("_")
        if sep and sub and base in self.names and self.names[base].what in ("var", "const", "func"):
            return f"; `{name}` is LaTeX subscript notation: write {base}[{sub}] for an entry"
        close = difflib.get_close_matches(name, list(self.names) + sorted(BUILTINS), n=1)
        return f"; did you mean '{close[0]}'?" if close and close[0] != name else ""


def declare(items, errors: list[Diagnostic]) -> Scope:
    """Read every declaration of a file (in order) into a scope; problems go to `errors`."""
    scope = Scope()
    for item in items:
        try:
            if isinstance(item, ast.LayoutDecl):
                if scope.layout is not None:
                    raise ElabError(dg.DUPLICATE, "the layout is declared twice", item.span,
                                    f"first declared as {scope.layout} at line {scope.layout_span.line}")
                scope.layout, scope.layout_span = item.kind, item.span
            elif isinstance(item, ast.DimDecl):
                _fresh_name(scope, item.name)
                if item.size is not None and item.size < 1:
                    raise ElabError(dg.DECLARATION, f"dimension {item.name.name} must be at least 1", item.span)
                dim = Dim(item.name.name, item.size)
                text = f"dim {dim.name}" + (f" = {dim.size}" if dim.size is not None else "  (symbolic)")
                scope.names[dim.name] = Declared("dim", item.name.span, text, dim=dim)
            elif isinstance(item, ast.IndexDecl):
                dim = _dim(scope, item.dim)
                for ident in item.names:
                    _fresh_name(scope, ident)
                    scope.names[ident.name] = Declared(
                        "index", ident.span, f"index {ident.name} : {dim.name}", index=Index(ident.name, dim)
                    )
            elif isinstance(item, ast.ObjectDecl):
                _declare_object(scope, item)
        except ElabError as err:
            errors.append(err.diagnostic)
    return scope


def _fresh_name(scope: Scope, ident: ast.Ident) -> None:
    if ident.name in BUILTINS:
        raise ElabError(dg.DUPLICATE, f"'{ident.name}' is a built-in name and cannot be declared", ident.span)
    if ident.name in KEYWORDS:
        raise ElabError(dg.DECLARATION, f"'{ident.name}' is a keyword and cannot be declared", ident.span)
    prev = scope.names.get(ident.name)
    if prev is not None:
        raise ElabError(dg.DUPLICATE, f"'{ident.name}' is already declared at line {prev.span.line}",
                        ident.span, f"earlier: {prev.text}")


def _dim(scope: Scope, ident: ast.Ident) -> Dim:
    got = scope.lookup(ident.name, ident.span)
    if got.what != "dim":
        raise ElabError(dg.DECLARATION, f"'{ident.name}' is not a dimension (it is declared as: {got.text})",
                        ident.span)
    return got.dim


def _declare_object(scope: Scope, item: ast.ObjectDecl) -> None:
    _fresh_name(scope, item.name)
    dims = tuple(_dim(scope, d) for d in item.shape.dims)
    if item.symmetric and (len(dims) != 2 or dims[0] != dims[1]):
        raise ElabError(dg.DECLARATION, f"only a square matrix can be symmetric; {item.name.name} is "
                        f"{_shape_words(item.shape.kind, dims)}", item.span)
    depends = None
    if item.result is not None:
        if item.kind != "func" or item.depends is not None or item.shape.kind == "matrix" \
                or item.result.kind != "scalar" or item.symmetric:
            raise ElabError(dg.DECLARATION, f"a function declared with `->` maps a scalar or a vector to a "
                            f"scalar: write `func {item.name.name} : scalar -> scalar` (applied entrywise) or "
                            f"`func {item.name.name} : vector(m) -> scalar`", item.span)
        obj = Obj(item.name.name, "func", dims)
        text = f"func {obj.name} : {_shape_words(item.shape.kind, dims)} -> scalar"
        scope.names[obj.name] = Declared("fn", item.name.span, text, obj=obj)
        return
    if item.kind == "func":
        if item.depends is None:
            raise ElabError(dg.DECLARATION, f"say what {item.name.name} is a function of, as in "
                            f"`func {item.name.name}(x) : …`", item.name.span)
        dep = scope.lookup(item.depends.name, item.depends.span)
        if dep.what != "var":
            raise ElabError(dg.DECLARATION, f"{item.name.name} must be a function of a variable declared "
                            f"with `var`; '{item.depends.name}' is: {dep.text}", item.depends.span)
        depends = dep.obj.name
    elif item.depends is not None:
        raise ElabError(dg.DECLARATION, f"only `func` declarations take an argument; write "
                        f"`func {item.name.name}({item.depends.name}) : …`", item.depends.span)
    if item.invertible and (len(dims) != 2 or dims[0] != dims[1]):
        raise ElabError(dg.DECLARATION, f"only a square matrix can be invertible; {item.name.name} is "
                        f"{_shape_words(item.shape.kind, dims)}", item.span)
    if item.kind == "var":
        if item.symmetric:
            raise ElabError(dg.UNSUPPORTED, "a symmetric variable of differentiation is not supported "
                            "(its entries are not independent)", item.span)
    obj = Obj(item.name.name, item.kind, dims, item.symmetric, depends)
    text = f"{item.kind} {obj.name}" + (f"({depends})" if depends else "") + " : " + _shape_words(
        item.shape.kind, dims) + (" symmetric" if item.symmetric else "") + (" invertible" if item.invertible else "")
    scope.names[obj.name] = Declared(item.kind, item.name.span, text, obj=obj, invertible=item.invertible)


def _shape_words(kind: str, dims) -> str:
    if kind == "scalar":
        return "scalar"
    return f"{kind}({', '.join(d.name for d in dims)})"
