"""Counts recorded by the robustness tests (printed in pytest's terminal summary by conftest.py,
and by benchmarks/robustness.py)."""

from collections import Counter

COUNTS: Counter = Counter()  # fuzz inputs per generator, mutants, …
NOTES: list = []  # one-line summaries (the mutation tally, timings)
