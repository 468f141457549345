"""Elaboration: names, shapes and index types; lowering of matrix notation to index expressions."""

from .elaborate import Elaborator, Typed, same_dim, shape_text
from .scope import BUILTINS, Declared, ElabError, Scope, declare

__all__ = ["BUILTINS", "Declared", "ElabError", "Elaborator", "Scope", "Typed", "declare", "same_dim", "shape_text"]
