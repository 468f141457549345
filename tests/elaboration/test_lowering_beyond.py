"""The identity, Hessians and derivatives by a scalar variable lower into the polynomial fragment
(docs/reliability.md): I[i, j] to δ(i, j), a Hessian entry to nested partials in the layout's order,
d(E)/dt to the derivative of every entry. Printed as a user reads them under --explain."""

from __future__ import annotations

import pytest

from .test_lowering import VECTOR, index_form

SCALAR = """layout {layout}
dim n
index i, k : n
var t : scalar
func X(t) : matrix(n, n)
"""


@pytest.mark.parametrize("expr, at, shape, entry", [
    ("I[i, k]", (), "a scalar", "delta(i, k)"),
    ("I(n)", ("i", "k"), "n×n", "delta(i, k)"),
    ("I x", ("k",), "n×1", "sum(j, delta(k, j) x[j])"),
    ("A + I", ("i", "k"), "n×n", "A[i,k] + delta(i, k)"),
])
def test_identity_is_a_delta(expr, at, shape, entry):
    assert index_form(VECTOR, expr, at) == (shape, entry)


@pytest.mark.parametrize("layout, entry", [
    ("denominator", "d(d(f)/dx[k])/dx[i]"),
    ("numerator", "d(d(f)/dx[i])/dx[k]"),
])
def test_hessian_entry_is_nested_partials_in_the_layouts_order(layout, entry):
    assert index_form(VECTOR, "hess(f, x)", ("i", "k"), layout) == ("n×n", entry)


def test_derivative_by_a_scalar_is_entrywise_in_either_layout():
    for layout in ("numerator", "denominator"):
        assert index_form(SCALAR, "d(X)/dt", ("i", "k"), layout) == ("n×n", "d(X[i,k])/dt")
