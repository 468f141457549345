"""Positions between vecproof (1-based, characters) and LSP (0-based, code units of the negotiated
encoding), and the tolerant lexer behind highlighting and hover."""

from __future__ import annotations

import pytest
from lsprotocol import types as lsp

from vecproof.diagnostics import Span
from vecproof.frontends.lsp.convert import Positions
from vecproof.frontends.lsp.tokens import keywords, lex

# BMP characters the seeds use (Σ ∂ ‖ ², 1 UTF-16 unit, 2 UTF-8 bytes) and an astral one (𝑥:
# 2 UTF-16 units, 4 UTF-8 bytes), each followed by an ASCII letter.
TEXT = "Σa‖b𝑥c\r\nd²"
UNITS = {"utf-16": [0, 1, 2, 3, 4, 6, 7], "utf-8": [0, 2, 3, 6, 7, 11, 12], "utf-32": [0, 1, 2, 3, 4, 5, 6]}


@pytest.mark.parametrize("encoding", UNITS)
def test_columns_count_code_units_and_round_trip(encoding):
    pos = Positions(TEXT, encoding)
    for col, units in enumerate(UNITS[encoding], start=1):
        assert pos.position(1, col) == lsp.Position(0, units)
        assert pos.location(lsp.Position(0, units)) == (1, col)
    assert pos.position(2, 2) == lsp.Position(1, 1)  # \r\n ends a line, as in the checker
    assert pos.range(Span(1, 5, 2, 3)) == lsp.Range(lsp.Position(0, UNITS[encoding][4]),
                                                     lsp.Position(1, 1 + (2 if encoding == "utf-8" else 1)))


def test_positions_outside_the_text_are_clamped():
    pos = Positions("ab\ncd", "utf-16")
    assert pos.location(lsp.Position(0, 99)) == (1, 3)
    assert pos.location(lsp.Position(99, 0)) == (2, 3)
    assert pos.position(99, 99) == lsp.Position(1, 2)
    assert pos.position(1, 99) == lsp.Position(0, 2)
    astral = Positions("𝑥y", "utf-16")
    assert astral.location(lsp.Position(0, 1)) == (1, 1)  # inside the surrogate pair: that character
    assert astral.range(Span(1, 3, 1, 2)).end == lsp.Position(0, 3)  # never an end before the start


def test_encoding_names_from_pygls_are_understood():
    assert Positions("𝑥", lsp.PositionEncodingKind.Utf8).units("𝑥") == 4
    assert Positions("𝑥", None).units("𝑥") == 2  # no agreement: UTF-16, the protocol's default


def kinds(text: str) -> list[tuple[str, str]]:
    return [(t.text, t.kind) for t in lex(text)]


def test_keywords_come_from_the_grammar():
    assert {"layout", "dim", "index", "var", "const", "func", "theorem", "lemma", "proof", "qed", "by",
            "component", "symmetric", "invertible"} <= keywords()


def test_the_lexer_classifies_citations_derivatives_and_notation():
    got = kinds("theorem t: d(‖x‖_F²)/dX[i, j] = ∂/∂x[k] x^T y by norm_def, product_rule qed")
    assert ("t", "theorem") in got
    assert got[got.index(("d", "operator")) + 1] == ("(", "operator")
    assert ("X", "name") in got and ("dX", "name") not in got  # `dX` after `/` is d, then X
    assert ("_F", "operator") in got and ("T", "operator") in got and ("∂", "operator") in got
    assert ("norm_def", "rule") in got and ("product_rule", "rule") in got and ("qed", "keyword") in got


def test_the_lexer_accepts_anything():
    for text in ["", "\x00\x01", "(((((", "by", "by ,", "theorem", "‖‖‖", "# only\n# comments", "𝑥 ∀ ∃ \t\r\n"]:
        tokens = lex(text)
        assert all(t.line >= 1 and t.col >= 1 for t in tokens)
    assert kinds("= x by\nqed") == [("=", "operator"), ("x", "name"), ("by", "keyword"), ("qed", "keyword")]
