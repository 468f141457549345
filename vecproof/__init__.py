"""vecproof: a rule-based proof checker for vector and matrix calculus.

Library entry points (every front end is an adapter over these):
    check_text(text, path) -> FileResult
    check_path(path) -> FileResult
"""

__version__ = "0.1.0"

__all__ = ["__version__", "check_path", "check_text"]


def __getattr__(name):  # lazy: importing vecproof does not import SymPy
    if name in ("check_text", "check_path"):
        from . import checker

        return getattr(checker, name)
    raise AttributeError(name)
