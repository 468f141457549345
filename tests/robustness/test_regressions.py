"""Minimal reproductions of the defects the robustness suite found. Each test fails until vecproof
is fixed (they are deliberately not marked xfail). Soundness first.

Each false theorem below is also confirmed false by the oracle (tests/robustness/oracle.py), so a
test cannot pass by accident of the oracle.
"""

from __future__ import annotations

from vecproof.checker import check_bytes, check_text
from vecproof.syntax import ast

from .oracle import Comparer, Decls, Side
from harness import code_set as _codes


def _oracle_says_statement_false(result) -> bool:
    th = next(i for i in result.tree.items if isinstance(i, ast.Theorem))
    return Comparer(Decls(result.tree.items), (1, 2, 3)).compare(Side(th.lhs), Side(th.rhs)).status == "differ"



# ---- soundness --------------------------------------------------------------------------------------

COMPONENT_TWICE = """dim n
index k : n
const A : matrix(n, n)
theorem every_matrix_is_symmetric:
  A = A^T
proof (component (k, k)):
  A[k, k]
qed
"""

# the same defect, reached by the mutation suite from examples/bad/layout_slip_transposed.vproof
# (its two component indices renamed to one): the layout slip it exists to reject is proved
LAYOUT_SLIP_DIAGONAL = """layout denominator
dim n
index j, k : n
var x : vector(n)
const A : matrix(n, n)
theorem linear_map_derivative_transposed:
  d(A x)/dx = A
proof (component (k, k)):
     (d(A x)/dx)[k, k]
   = d((A x)[k])/dx[k]                  by gradient_def
   = d(sum(j, A[k, j] x[j]))/dx[k]      by matvec_def
   = sum(j, A[k, j] delta(j, k))        by product_rule
   = A[k, k]                            by index_collapse
qed
"""


def test_a_componentwise_proof_with_one_index_twice_proves_only_the_diagonal():
    for text in (COMPONENT_TWICE, LAYOUT_SLIP_DIAGONAL):
        r = check_text(text)
        assert _oracle_says_statement_false(r)
        assert [t.status for t in r.theorems] != ["proved"], "a false theorem is proved"


FREE_IS_COMPONENT = """dim n
index k : n
const x : vector(n)
const y : vector(n)
theorem t:
  x[k] y = y[k] x
proof (component k):
  x[k] y[k]
qed
"""

COLUMN_IS_ROW = """dim n
index k : n
const A : matrix(n, n)
theorem column_k_is_row_k:
  A[:, k] = (A^T)[:, k]
proof (component k):
  A[k, k]
qed
"""


def test_a_component_index_that_is_free_in_the_statement_captures_it():
    for text in (FREE_IS_COMPONENT, COLUMN_IS_ROW):
        r = check_text(text)
        assert _oracle_says_statement_false(r)
        assert [t.status for t in r.theorems] != ["proved"], "a false theorem is proved"


# ---- internal errors (VP902) --------------------------------------------------------------------------

SCALAR_VS_SIZE_ONE_VECTOR = """dim o = 1
const s : scalar
const z : vector(o)
theorem t:
  s = z
proof:
  s
qed
"""


def test_a_scalar_against_a_vector_of_concrete_size_1_is_not_an_internal_error():
    # docs: shapes agree for "two concrete dimensions of the same size (or both 1)"; the elaborated
    # entry of z then has a None index slot and the normal form fails on it (AttributeError)
    for text in (SCALAR_VS_SIZE_ONE_VECTOR, SCALAR_VS_SIZE_ONE_VECTOR.replace("s = z", "s + z = z + s")
                 .replace("  s\nqed", "  s + z\nqed")):
        r = check_text(text)
        assert "VP902" not in _codes(r), [d.message for d in r.diagnostics]


def test_an_integer_literal_over_4300_digits_is_not_an_internal_error():
    # Python's int max-str-digits limit raises inside the parser's tree builder
    text = "const s : scalar\ntheorem t:\n  " + "1" * 5000 + " s = s\nproof:\n  " + "1" * 5000 + " s\nqed\n"
    r = check_text(text)
    assert "VP902" not in _codes(r), [d.message[:200] for d in r.diagnostics]


# ---- positions and text --------------------------------------------------------------------------------


def test_invalid_utf8_is_reported_at_its_character_column():
    # the column is counted in bytes: ‖ is 3 bytes, so the 12th character is reported at column 16
    r = check_bytes("theorem ‖‖ ".encode() + b"\xff")
    (d,) = r.diagnostics
    assert d.code.id == "VP002"
    assert (d.span.line, d.span.col) == (1, 12)


def test_check_text_accepts_a_leading_byte_order_mark():
    # check_bytes/check_path strip it (utf-8-sig); check_text, the library entry point, reports
    # "unexpected character '\ufeff'" at 1:1
    r = check_text("\ufeffdim n\nindex k : n\nconst x : vector(n)\ntheorem t:\n  x[k] = x[k]\nproof:\n  x[k]\nqed\n")
    assert "VP001" not in _codes(r), [d.message for d in r.diagnostics]


def test_a_comment_may_stand_between_d_and_its_parenthesis():
    # "`#` starts a comment" and whitespace is insignificant, but the lexer recognises the
    # derivative `d` only when `(` or `/` follows after plain whitespace: with a comment in between,
    # `d` is read as a name (VP101 'd' is not declared)
    text = """dim n
index k : n
var x : vector(n)
theorem t:
  d # the derivative
  (x[k])/dx[k] = 1
proof:
  d(x[k])/dx[k]
  = 1 by product_rule
qed
"""
    r = check_text(text)
    assert [t.status for t in r.theorems] == ["proved"], [(d.code.id, d.message) for d in r.diagnostics]
