"""The typed syntax tree of a .vproof file; every node carries its source span."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..diagnostics import Span


@dataclass(frozen=True)
class Ident:
    name: str
    span: Span


# ---- expressions ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Node:
    span: Span


@dataclass(frozen=True)
class Name(Node):
    name: str


@dataclass(frozen=True)
class Number(Node):
    value: int


@dataclass(frozen=True)
class Call(Node):
    callee: Ident
    args: tuple


@dataclass(frozen=True)
class BoundedIndex(Node):
    """`i = lo..hi` as the first argument of sum."""

    index: Ident
    lo: Node
    hi: Node


@dataclass(frozen=True)
class BinOp(Node):
    op: str  # + - * /
    left: Node
    right: Node


@dataclass(frozen=True)
class Neg(Node):
    operand: Node


@dataclass(frozen=True)
class Transpose(Node):
    operand: Node


@dataclass(frozen=True)
class Power(Node):
    operand: Node
    exponent: int


@dataclass(frozen=True)
class IndexItem:
    kind: str  # "name" | "number" | "all"
    value: object
    span: Span


@dataclass(frozen=True)
class Indexed(Node):
    operand: Node
    indices: tuple[IndexItem, ...]


@dataclass(frozen=True)
class NormSquared(Node):
    operand: Node
    frobenius: bool
    exponent: int


@dataclass(frozen=True)
class Wrt:
    """What a derivative is taken by: a whole variable `dx` or one entry `dx[k]`."""

    var: Ident
    indices: tuple[IndexItem, ...] | None
    span: Span


@dataclass(frozen=True)
class Partial(Node):
    """d(body)/dx[k] or the operator form d/dx[k] body."""

    body: Node
    wrt: Wrt


@dataclass(frozen=True)
class GradOp(Node):
    """∇ body (order 1) or ∇² body, the Hessian (order 2)."""

    body: Node
    order: int = 1


@dataclass(frozen=True)
class Unsupported(Node):
    """Notation that parses but is outside the language for now (`X^-1`, `X⁻¹`): elaboration
    refuses it with a sentence naming it. `construct` is the notation as written."""

    construct: str
    operands: tuple[Node, ...]


@dataclass(frozen=True)
class Literal(Node):
    rows: tuple[tuple[Node, ...], ...]


# ---- declarations and proofs ------------------------------------------------------------------------


@dataclass(frozen=True)
class Import:
    """`import "path.vproof"` (`path` set) or `import vecproof.name` (`module` set)."""

    path: str | None
    module: str | None
    span: Span


@dataclass(frozen=True)
class LayoutDecl:
    kind: str
    span: Span


@dataclass(frozen=True)
class DimDecl:
    name: Ident
    size: int | None
    span: Span


@dataclass(frozen=True)
class IndexDecl:
    names: tuple[Ident, ...]
    dim: Ident
    span: Span


@dataclass(frozen=True)
class ShapeSpec:
    kind: str  # scalar | vector | matrix
    dims: tuple[Ident, ...]
    span: Span


@dataclass(frozen=True)
class ObjectDecl:
    kind: str  # var | const | func
    name: Ident
    depends: Ident | None
    shape: ShapeSpec
    symmetric: bool
    span: Span
    invertible: bool = False  # a square matrix declared invertible: inv, ⁻¹ and logdet may be applied
    result: ShapeSpec | None = None  # `func f : scalar -> scalar`: a scalar function (shape is its argument's)


@dataclass(frozen=True)
class Binding:
    """`A := B + C` in a citation: a declared object or size of the cited theorem, and what replaces it."""

    name: Ident
    value: Node
    span: Span


@dataclass(frozen=True)
class Cite:
    """One name a step cites (a rule, or a proved theorem, maybe `file.name`) and its explicit instantiation."""

    name: Ident
    bindings: tuple[Binding, ...]
    span: Span


@dataclass(frozen=True)
class Step:
    expr: Node
    rules: tuple[Ident, ...]  # the cited names
    span: Span  # from "=" to the end of the citation
    cites: tuple[Cite, ...] = ()  # the same citations, with their instantiations


@dataclass(frozen=True)
class Proof:
    component: tuple[Ident, ...] | None
    first: Node
    steps: tuple[Step, ...]
    span: Span
    qed: Span
    missing: bool = False  # the theorem has no `proof … qed` block (`first` is its left side, no steps)


@dataclass(frozen=True)
class Theorem:
    kind: str  # theorem | lemma
    name: Ident
    lhs: Node
    rhs: Node
    proof: Proof
    span: Span


@dataclass(frozen=True)
class File:
    items: tuple = field(default=())
