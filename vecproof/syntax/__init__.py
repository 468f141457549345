"""Syntax: the Lark grammar, parsing to a typed tree with positions, syntax diagnostics."""

from .parser import ParseFailure, parse

__all__ = ["ParseFailure", "parse"]
