"""Fuzzing: vecproof never raises on any input, and every diagnostic is well-formed.

Inputs (tests/robustness/generators.py):
* whole files derived from grammar/vproof.lark by `hypothesis.extra.lark.from_lark` (with explicit,
  space-padded strategies for every terminal, and a nesting bound; also plain `from_lark`);
* theorems whose expressions are derived from the grammar, under a fixed header of declarations, so
  that the text reaches elaboration and the kernel; every step vecproof proves there is re-checked
  by the oracle (tests/robustness/oracle.py), every step it rejects as false must be refuted by it;
* byte-level noise on every example (good and bad): truncation, random bytes, invalid UTF-8, NUL
  bytes, CRLF and lone CR line ends, tabs, odd Unicode (BOM, NBSP, zero-width, bidi controls, ∑
  for Σ, …), deleted, duplicated and swapped ranges, through `check_bytes`.

A well-formed diagnostic has a registered code (vecproof.diagnostics.CODES), a line ≥ 1 and a
column ≥ 1 inside the (newline-normalised) text or just past its end, an end not before its start,
and is not VP902 (an internal error: check_text turns every exception into one, so "no uncaught
exception" alone would prove nothing).

Each test runs at two sizes (tests/sizes.py): the slow run (`pytest -m slow`) draws about 1,500
inputs (derandomised, so it is repeatable), the default run fewer; set
VECPROOF_FUZZ_EXAMPLES=N to scale every generator (N is the number of byte-noise inputs; the
grammar generators get N/4 each, plain from_lark N/40) and draw randomly — or run
`benchmarks/robustness.py --fuzz N`.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, note, settings
from hypothesis import strategies as st
from sizes import at_two_sizes, scaled

from vecproof.checker import check_bytes, check_text
from vecproof.diagnostics import CODES
from vecproof.syntax import ParseFailure, ast, parse
from vecproof.syntax.parser import AmbiguousPower

from .generators import grammar_files, noisy_examples, theorem_files
from .oracle import Comparer, Decls, Side, canon
from .record import COUNTS

_ENV = int(os.environ.get("VECPROOF_FUZZ_EXAMPLES", "0") or 0)

NOISE = 900  # default numbers of inputs per generator
GRAMMAR_FILES = 250
THEOREMS = 300
PLAIN_FROM_LARK = 40


def fuzz_property(default: int, share: float, *strategies):
    """A fuzz test at two sizes (tests/sizes.py): `default` inputs in the slow run, fewer in the
    default run; with VECPROOF_FUZZ_EXAMPLES=N, N × `share` inputs at either size, drawn randomly."""
    return at_two_sizes(lambda size: settings(
        max_examples=max(1, int(_ENV * share)) if _ENV > 0 else scaled(default, size),
        deadline=None,
        database=None,
        derandomize=_ENV <= 0,
        print_blob=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much,
                               HealthCheck.large_base_example],
    ), *strategies)


def normalised(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def assert_well_formed(result, text: str | None) -> None:
    lines = normalised(text).split("\n") if text is not None else None
    for d in result.diagnostics:
        where = f"{d.code.id} at {d.span}: {d.message}"
        assert d.code.id in CODES and CODES[d.code.id] == d.code, where
        sp = d.span
        assert isinstance(sp.line, int) and isinstance(sp.col, int), where
        assert sp.line >= 1 and sp.col >= 1, where
        assert (sp.end_line, sp.end_col) >= (sp.line, sp.col), where
        if lines is not None:
            assert sp.line <= len(lines), f"{where} (the text has {len(lines)} lines)"
            assert sp.col <= len(lines[sp.line - 1]) + 1, f"{where} (line {sp.line} has {len(lines[sp.line - 1])} characters)"
        assert d.code.id != "VP902", where
    for th in result.theorems:
        assert th.status in ("proved", "failed", "unproved"), th.status
        for s in th.steps:
            assert s.status in ("proved", "false", "checked", "error"), s.status


# ---- grammar-derived text --------------------------------------------------------------------------


@fuzz_property(GRAMMAR_FILES, 0.25, grammar_files())
def test_grammar_files_reparse_and_check(text):
    COUNTS["fuzz grammar files"] += 1
    note(repr(text))
    try:
        tree = parse(text)
    except AmbiguousPower:  # c^2^3: the grammar admits it, the parser refuses it (VP001, checked below)
        tree = ast.File(())
    except ParseFailure as err:  # the generator pads every terminal, so its text must parse
        raise AssertionError(f"generated text does not parse: {err.message} at {err.span}") from None
    for item in tree.items:
        if isinstance(item, ast.Theorem):
            for e in (item.lhs, item.rhs, item.proof.first, *(s.expr for s in item.proof.steps)):
                again = parse(f"theorem t:\n {canon(e)} = 0\nproof: 0 qed\n").items[0].lhs
                assert canon(again) == canon(e)
    assert_well_formed(check_text(text), text)


@fuzz_property(PLAIN_FROM_LARK, 0.025, grammar_files(bounded=False))
def test_plain_from_lark_files_check(text):
    COUNTS["fuzz grammar files (plain from_lark)"] += 1
    note(repr(text))
    parse(text)
    assert_well_formed(check_text(text), text)


_ORACLE: dict = {}


@fuzz_property(THEOREMS, 0.25, theorem_files())
def test_grammar_theorems_check_and_agree_with_the_oracle(text):
    COUNTS["fuzz grammar theorems"] += 1
    note(text)
    result = check_text(text)
    assert_well_formed(result, text)
    if result.tree is None:
        return
    decls = Decls(result.tree.items)
    cmp = _ORACLE.setdefault(decls.key, Comparer(decls, (1, 2, 3)))
    for th, tr in zip((i for i in result.tree.items if isinstance(i, ast.Theorem)), result.theorems):
        chain = [th.proof.first] + [s.expr for s in th.proof.steps]
        for k, sr in enumerate(tr.steps):
            if sr.status not in ("proved", "false"):
                continue
            out = cmp.compare(Side(chain[k]), Side(chain[k + 1]), budget=10.0)
            COUNTS[f"fuzz theorem steps {sr.status}, oracle {out.status}"] += 1
            if sr.status == "proved":
                assert out.status in ("equal", "timeout"), (
                    f"SOUNDNESS: vecproof proved step {k + 1}; oracle: {out.status} {out.point or out.message}")
            else:
                assert out.status in ("differ", "timeout", "error"), (
                    f"vecproof says step {k + 1} is false; the oracle finds it {out.status}")


# ---- byte-level noise --------------------------------------------------------------------------------


@fuzz_property(NOISE, 1.0, noisy_examples())
def test_byte_noise_on_the_examples(case):
    name, ops, data = case
    COUNTS["fuzz byte noise"] += 1
    note(f"{name} with {ops}")
    result = check_bytes(data, name)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = None
    if text is not None and "\x00" in text:
        text = None
    assert_well_formed(result, text)
    if text is None:
        assert result.unreadable and [d.code.id for d in result.diagnostics] == ["VP002"]


@fuzz_property(200, 0.1, st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_arbitrary_text(text):
    COUNTS["fuzz arbitrary text"] += 1
    assert_well_formed(check_text(text), text)
