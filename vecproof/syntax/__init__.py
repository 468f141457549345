"""Syntax: the Lark grammar, parsing to a typed tree with positions, syntax diagnostics."""


def __getattr__(name):  # lazy: importing vecproof.syntax.grammar does not import Lark
    if name in ("ParseFailure", "parse"):
        from . import parser

        return getattr(parser, name)
    raise AttributeError(name)


__all__ = ["ParseFailure", "parse"]
