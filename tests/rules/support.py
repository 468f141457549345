"""Steps of the examples as the checker sees them, and what a rule's `apply` reaches from a line."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from vecproof import check_text, rules
from vecproof.kernel import Add, Mul, Num, Policy
from vecproof.kernel.functions import ClearingNormalizer
from vecproof.kernel.terms import alpha_equal

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
BOOKKEEPING = Policy(unfold=frozenset(), differentiate=False, collapse=False, symmetry=False,
                     matrix_laws=frozenset())
ROUNDS = 6  # applying the cited rules again and again: a fixpoint within this many rounds


def example_steps():
    """(file name, line, cited rule names, before, after) for every proved step of examples/ (its
    subdirectories too, but not bad/)."""
    out = []
    for path in sorted(p for p in EXAMPLES.rglob("*.vproof") if "bad" not in p.relative_to(EXAMPLES).parts):
        result = check_text(path.read_text(encoding="utf-8"), str(path))
        for th in result.theorems:
            for s in th.steps:
                if s.status == "proved" and s.before is not None:
                    out.append((path.name, s.span.line, s.rules, s.before, s.after))
    return out


def apply_all(cited, expr):
    """`expr` after applying the cited rules (each in turn) until none changes it."""
    for _ in range(ROUNDS):
        changed = False
        for r in cited:
            new = r.apply(expr)
            if new is not None:
                expr, changed = new, True
        if not changed:
            return expr
    raise AssertionError("the cited rules keep rewriting")


def same(a, b) -> bool:
    """a and b are the same up to bookkeeping (the normal form with every rule switched off, and with
    denominators cleared, as `rules.explains` judges an equation)."""
    return alpha_equal(a, b) or ClearingNormalizer(BOOKKEEPING).is_zero(Add((a, Mul((Num(Fraction(-1)), b)))))


def reaches(cited, before, after) -> bool:
    """Applying the cited rules to both lines gives the same expression, up to bookkeeping (and the
    argument's notation of a definition the step applies, rules.argument_notation)."""
    extra = rules.argument_notation(cited, before, after)
    sides = [apply_all(cited, e) for e in (before, after)]
    if extra:
        sides = [rules.Rule("argument", "", unfold=extra).apply(e) or e for e in sides]
    return same(*sides)


def reaches_from_before(cited, before, after) -> bool:
    """Applying the cited rules to `before` alone gives `after`, up to bookkeeping."""
    return same(apply_all(cited, before), after)
