"""The two sizes of the long randomized tests (kernel properties, fuzzing, differential, mutation and
LSP-abuse runs): each runs at the quick size in the default run (a tenth of the inputs: every
property still exercised, in seconds) and at the full size, marked slow, with `pytest -m slow`
(see tests/conftest.py). The test id says which: `test_x[quick]`, `test_x[full]`."""

from __future__ import annotations

import pytest
from hypothesis import given

QUICK = 0.1
SIZES = [pytest.param(QUICK, id="quick"), pytest.param(1.0, id="full", marks=pytest.mark.slow)]


def scaled(full: int, size: float) -> int:
    """`full` inputs at the given size (at least one)."""
    return max(1, round(full * size))


def at_two_sizes(make_settings, *strategies):
    """Decorator: the Hypothesis property `body` (called with what `strategies` draw) as one test per
    size of SIZES, run with the Hypothesis settings `make_settings(size)`."""
    def wrap(body):
        @pytest.mark.parametrize("size", SIZES)
        def test(size):
            make_settings(size)(given(*strategies)(body))()

        test.__name__ = test.__qualname__ = body.__name__
        test.__doc__, test.__module__ = body.__doc__, body.__module__
        return test
    return wrap
