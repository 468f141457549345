"""The language's edge: mathematics vecproof reads but does not check (yet), each refused with a
sentence naming it (VP111) instead of "not declared". One table gives the messages and the list in
docs/language.md."""

from __future__ import annotations

from dataclasses import dataclass

from .. import diagnostics as dg
from .scope import ElabError

DOCS = "see docs/language.md, \"The language's edge\""


@dataclass(frozen=True)
class Construct:
    written: str  # as a reader writes it
    meaning: str  # what it is, in words
    planned: bool  # True: on the way (issue "Beyond polynomials"); False: stays out
    why: str = ""  # for what stays out (or is only partly planned): the reason

    def message(self) -> str:
        if self.planned:
            return f"`{self.written}` ({self.meaning}) is not supported yet — {DOCS}"
        return f"`{self.written}` ({self.meaning}) is not supported: {self.why}"


_OUT = "it is not differentiable everywhere, so its derivative laws do not hold at every point; vecproof will keep it out"
_PERIODIC = ("only its derivative law is planned; identities from periodicity (sin² + cos² = 1, "
             "angle sums) are out of scope")

CONSTRUCTS: dict[str, Construct] = {
    "sin": Construct("sin", "the sine", True, _PERIODIC),
    "cos": Construct("cos", "the cosine", True, _PERIODIC),
    "abs": Construct("abs", "the absolute value", False, _OUT + " (|t| has no derivative at 0)"),
    "relu": Construct("relu", "max(0, t)", False, _OUT + " (relu has no derivative at 0)"),
    "sign": Construct("sign", "the sign function", False, _OUT + " (sign jumps at 0)"),
}


def refuse(key: str, span: dg.Span) -> ElabError:
    """The VP111 error for the construct `key` (a function name or the notation as parsed), at `span`."""
    c = CONSTRUCTS.get(key)
    if c is None:  # `X^-2` and other negative powers
        return ElabError(dg.NOT_YET, f"the negative power `{key}` is not supported yet; write a product "
                         f"of inverses, as in X⁻¹ X⁻¹ — {DOCS}", span)
    detail = (c.why,) if c.planned and c.why else ()
    return ElabError(dg.NOT_YET, c.message(), span, *detail)


def markdown_list() -> str:
    """The constructs of docs/language.md's "The language's edge", one line each."""
    rows = ["| you write | what it is | status |", "|---|---|---|"]
    for c in CONSTRUCTS.values():
        status = (f"planned in part: {c.why}" if c.why else "planned") if c.planned else f"stays out: {c.why}"
        rows.append(f"| `{c.written}` | {c.meaning} | {status.replace('|', chr(92) + '|')} |")
    return "\n".join(rows)
