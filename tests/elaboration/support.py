"""Elaboration driven from source text, the way the checker drives it (declare, then elaborate)."""

from __future__ import annotations

from vecproof.elaboration import Elaborator, Scope, Typed, declare
from vecproof.syntax import ast, parse


def declarations(text: str) -> Scope:
    """The scope of a file made of declarations only; any problem in them fails the test."""
    return _read(text)[0]


def lower(header: str, expr: str) -> tuple[Scope, Typed]:
    """`expr` elaborated under the declarations `header`."""
    scope, theorems = _read(f"{header}\ntheorem t: {expr} = 0 proof: 0 qed\n")
    return scope, Elaborator(scope).expr(theorems[0].lhs)


def _read(text: str):
    items = []
    for item in parse(text).items:
        items.extend(item if isinstance(item, list) else [item])
    errors: list = []
    scope = declare(items, errors)
    assert not errors, [e.message for e in errors]
    return scope, [i for i in items if isinstance(i, ast.Theorem)]
