"""Prints what the robustness tests ran: mutant and fuzz-input counts, the mutation tally."""

from .record import COUNTS, NOTES


def pytest_terminal_summary(terminalreporter):
    if not COUNTS and not NOTES:
        return
    terminalreporter.section("vecproof robustness")
    for key in sorted(COUNTS):
        terminalreporter.write_line(f"{key}: {COUNTS[key]}")
    fuzz = sum(v for k, v in COUNTS.items() if k.startswith("fuzz "))
    if fuzz:
        terminalreporter.write_line(f"fuzz inputs in total: {fuzz}")
    for note in NOTES:
        terminalreporter.write_line(note)
