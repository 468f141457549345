"""The grammar and the typed tree: spellings, positions, syntax errors."""

import pytest

from vecproof.syntax import ParseFailure, ast, parse

HEADER = """layout denominator
dim n
index i, j, k : n
var x : vector(n)
const A : matrix(n, n)
"""


def _theorem(src: str) -> ast.Theorem:
    tree = parse(HEADER + src)
    return [t for t in tree.items if isinstance(t, ast.Theorem)][0]


def test_declarations_parse_in_order():
    tree = parse(HEADER)
    kinds = [type(i).__name__ if not isinstance(i, list) else "list" for i in tree.items]
    assert kinds == ["LayoutDecl", "list", "IndexDecl", "ObjectDecl", "ObjectDecl"]


def test_step_positions_and_citations():
    th = _theorem("theorem t: x^T A x = x^T A x\nproof:\n  x^T A x\n  = x^T A x by algebra, product_rule\nqed\n")
    step = th.proof.steps[0]
    assert step.expr.span.line == 9
    assert step.expr.span.col == 5
    assert [r.name for r in step.rules] == ["algebra", "product_rule"]
    assert step.rules[1].span.col == 25


def test_ascii_and_unicode_spellings_give_the_same_tree_shape():
    a = _theorem("theorem t: grad(norm(x)^2) = 2 x proof: sum(i, delta(i, k) x[i]) qed")
    b = _theorem("theorem t: ∇(‖x‖²) = 2 x proof: Σ(i, δ(i, k) x[i]) qed")
    assert isinstance(a.lhs, ast.Call) and a.lhs.callee.name == "grad"
    assert isinstance(a.lhs.args[0], ast.Power) and a.lhs.args[0].operand.callee.name == "norm"
    assert isinstance(a.proof.first, ast.Call) and isinstance(b.proof.first, ast.Call)
    assert a.proof.first.callee.name == "sum" and b.proof.first.callee.name == "Σ"
    assert isinstance(b.lhs, ast.GradOp) and isinstance(b.lhs.body, ast.NormSquared)


def test_partial_derivative_forms():
    th = _theorem("theorem t: d(x^T A x)/dx[k] = d/dx[k] x^T A x proof: ∂(x[k])/∂x[k] qed")
    assert isinstance(th.lhs, ast.Partial) and th.lhs.wrt.var.name == "x"
    assert [i.value for i in th.lhs.wrt.indices] == ["k"]
    assert isinstance(th.rhs, ast.Partial) and isinstance(th.rhs.body, ast.BinOp)
    whole = _theorem("theorem t: d(A x)/dx = A^T proof: A^T qed")
    assert whole.lhs.wrt.indices is None


def test_transpose_power_and_literal():
    th = _theorem("theorem t: xᵀ A x = [1, 2; 3, 4][1, 2] + x[i]^3 proof: 1 qed")
    assert isinstance(th.lhs.left.left, ast.Transpose)
    lit = th.rhs.left
    assert isinstance(lit, ast.Indexed) and isinstance(lit.operand, ast.Literal)
    assert len(lit.operand.rows) == 2
    assert isinstance(th.rhs.right, ast.Power) and th.rhs.right.exponent == 3


def test_component_forms():
    th = _theorem("theorem t: A = A proof (component (i, j)): A[i, j] qed")
    assert [c.name for c in th.proof.component] == ["i", "j"]
    th = _theorem("theorem t: x = x proof (component k): x[k] qed")
    assert [c.name for c in th.proof.component] == ["k"]


@pytest.mark.parametrize(
    "src, line, col",
    [
        ("theorem t: x = x proof: x = qed", 6, 29),
        ("dim n m", 1, 7),
        ("theorem t: x = = x", 1, 16),
        ("theorem t: x[i = x proof: x qed", 1, 16),
        ("theorem t: x $ x", 1, 14),
    ],
)
def test_syntax_errors_are_positioned(src, line, col):
    text = src if src.startswith("dim") or line == 1 else HEADER + src
    with pytest.raises(ParseFailure) as err:
        parse(text)
    assert (err.value.span.line, err.value.span.col) == (line, col)
    assert err.value.message
    assert "__ANON" not in err.value.message


def test_syntax_error_names_what_was_expected():
    with pytest.raises(ParseFailure) as err:
        parse("dim")
    assert "expected" in err.value.message and "a name" in err.value.message
