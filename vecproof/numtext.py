"""Numbers as text that never fails: Python refuses to print integers of more than 4,300 digits
(ValueError), and a counterexample or a bound can be larger than that."""

from __future__ import annotations

import math
from fractions import Fraction

SHOWN_DIGITS = 100  # as many as a number written in a file may have: shown in full
_EXACT_BITS = 2_000_000  # beyond this (~600,000 digits) the digit count is estimated, not computed


def number_text(q: int | Fraction) -> str:
    """An integer or a fraction as text; an integer of more than SHOWN_DIGITS digits is abbreviated
    as `1234…5678 (5,012 digits)`."""
    if isinstance(q, Fraction):
        return int_text(q.numerator) if q.denominator == 1 else f"{int_text(q.numerator)}/{int_text(q.denominator)}"
    return int_text(q)


def int_text(n: int) -> str:
    if n < 0:
        return "-" + int_text(-n)
    if n < 10 ** SHOWN_DIGITS:
        return str(n)
    bits = n.bit_length()
    digits = int((bits - 1) * math.log10(2)) + 1  # the true count, or one less
    tail = f"{n % 10000:04d}"
    if bits > _EXACT_BITS:
        return f"…{tail} (about {digits:,} digits)"
    unit = 10 ** (digits - 4)
    shift = max(0, unit.bit_length() - 64)
    lead = (n >> shift) // (unit >> shift)  # n // unit, or one off
    while lead * unit > n:
        lead -= 1
    while (lead + 1) * unit <= n:
        lead += 1
    if lead >= 10000:
        lead, digits = lead // 10, digits + 1
    return f"{lead}…{tail} ({digits:,} digits)"
