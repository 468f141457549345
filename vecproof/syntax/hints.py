"""Habits from NumPy, MATLAB, Python and LaTeX that are syntax errors in .vproof, each with the
vecproof spelling. One table gives both the VP001 hints and the table in docs/language.md."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Habit:
    written: str  # an example of the habit, as shown in messages and in the docs
    origin: str  # where the habit comes from
    pattern: str  # a regex matched at the offending character (lookbehind sees the start of its line)
    hint: str  # the vecproof spelling, as a sentence

    def message(self) -> str:
        return f"`{self.written}` is {self.origin} notation; {self.hint}"


_TRANSPOSE = "write x^T or xᵀ for the transpose"
_PRODUCT = "write A x or A * x for the product"
_SUM = "write sum(i, …) or sum(i = 1..n, …) for Σ"

HABITS: tuple[Habit, ...] = (
    Habit("x'", "MATLAB", r"'", _TRANSPOSE),
    Habit("x.'", "MATLAB", r"\.'", _TRANSPOSE),
    Habit("x.T", "NumPy", r"\.(?:T|transpose)\b", _TRANSPOSE),
    Habit("np.dot(u, v)", "NumPy", r"(?:(?<=\bnp)|(?<=\bnumpy))\.",
          "write the operation itself: dot(u, v), A x, x^T, sum(i, …)"),
    Habit("x.sum()", "NumPy", r"\.sum\b", "write sum(i, x[i]) for the sum of the entries"),
    Habit("A.dot(x)", "NumPy", r"\.dot\b", "write A x for the product, dot(u, v) for an inner product"),
    Habit("A .* x", "MATLAB", r"\.\*", "write the entries, x[i] y[i], for an entrywise product"),
    Habit("x.^2", "MATLAB", r"\.\^", "write x[i]^2 for the power of an entry"),
    Habit("A.x", "physics", r"\.(?=\s*[A-Za-z_(])", _PRODUCT + ", dot(u, v) or u^T v for an inner product"),
    Habit("A @ x", "NumPy", r"@", _PRODUCT),
    Habit("x**2", "Python", r"(?<=\*)\*", "write x^2 for a power"),
    Habit(r"\nabla f", "LaTeX", r"\\nabla(?![A-Za-z])", "write grad(f, x) or ∇f for the gradient"),
    Habit(r"\partial", "LaTeX", r"\\partial(?![A-Za-z])",
          "write d(E)/dx[k] or ∂(E)/∂x[k] for a partial derivative"),
    Habit(r"\frac{a}{b}", "LaTeX", r"\\frac(?![A-Za-z])",
          "write d(E)/dx[k] for a derivative and E / 2 for a division by a whole number"),
    Habit(r"\sum", "LaTeX", r"\\sum(?![A-Za-z])", _SUM),
    Habit(r"\cdot", "LaTeX", r"\\(?:cdot|times)(?![A-Za-z])", _PRODUCT),
    Habit(r"x^\top", "LaTeX", r"\\(?:top|intercal)(?![A-Za-z])", _TRANSPOSE),
    Habit(r"\delta_{ik}", "LaTeX", r"\\delta(?![A-Za-z])", "write delta(i, k) or δ(i, k) for the Kronecker delta"),
    Habit(r"\|x\|^2", "LaTeX", r"\\(?:\||[lr]?Vert(?![A-Za-z]))", "write norm(x)^2 or ‖x‖^2 for the squared norm"),
    Habit(r"\left(", "LaTeX", r"\\(?:left|right)(?![A-Za-z])", "write the brackets ( ) without \\left and \\right"),
    Habit("sum_{i=1}^n", "LaTeX", r"(?<=\bsum_)\{", _SUM),
    Habit("x_{i}", "LaTeX", r"(?<=_)\{", "write x[i] for an entry"),
    Habit("x^{T}", "LaTeX", r"(?<=\^)\{", "write x^T or x^2, without braces"),
    Habit("∑", "typeset", r"∑", "write Σ(i, …) (Greek capital sigma) or sum(i, …) for Σ"),
    Habit("u · v", "typeset", r"[·⋅×]", _PRODUCT + ", dot(u, v) or u^T v for an inner product"),
    Habit("x⊤", "typeset", r"[⊤′]", _TRANSPOSE),
    Habit("2 ‖x‖", "handwritten", r"(?:(?<=[\w)\]ᵀ²‖|])|(?<=[\w)\]ᵀ²‖|]\s))(?:‖|\|\|)",
          "write 2 * ‖x‖: a norm bar after an expression would close a norm, so a product with a norm "
          "needs its *"),
)

_COMPILED = tuple((re.compile(h.pattern), h) for h in HABITS)


def habit_at(line: str, col: int) -> Habit | None:
    """The first habit whose pattern matches `line` at 0-based column `col` (the offending character), or None."""
    for pattern, habit in _COMPILED:
        if pattern.match(line, col):
            return habit
    return None


def markdown_table() -> str:
    """The table of habits for docs/language.md ("Coming from NumPy, MATLAB or LaTeX")."""
    rows = ["| you write | from | in vecproof, write |", "|---|---|---|"]
    for h in HABITS:
        hint = h.hint.removeprefix("write ")
        rows.append(f"| {_code(h.written)} | {h.origin} | {_cell(hint)} |")
    return "\n".join(rows)


def _code(text: str) -> str:
    return "`" + text.replace("|", "\\|") + "`"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")
