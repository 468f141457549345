"""The first slice of "beyond polynomials": the identity I, Hessians, derivatives by a scalar variable
(all lowered to the polynomial fragment), and the language's edge (VP111) — whole files through
check_text, asserted on codes and verdicts."""

import pytest

from vecproof.checker import check_text


def codes(result):
    return sorted(d.code.id for d in result.diagnostics)


def verdicts(result):
    return [t.status for t in result.theorems]


HEAD = """layout {layout}
dim n, m
index i, j, k, l : n
var x : vector(n)
const A : matrix(n, n)
const B : matrix(n, m)
"""


def theorem(body: str, layout: str = "denominator") -> str:
    return HEAD.format(layout=layout) + body


# ---- the identity matrix ----------------------------------------------------------------------------

IDENTITY_CASES = [
    # sized by the product, by the other summand, through a scalar multiple and a transpose, and by I(n)
    ("I x", "x", "algebra"),
    ("x^T I x", "x^T x", "algebra"),
    ("(A + I) x - x", "A x", "algebra"),
    ("B^T (2 I) B", "2 B^T B", "algebra"),
    ("(-I)^T x", "-x", "algebra"),
    ("I(n) A", "A", "algebra"),
    ("I[k, l]", "delta(k, l)", "identity_def"),
]


@pytest.mark.parametrize("lhs, rhs, rule", IDENTITY_CASES)
def test_identity_is_the_kronecker_delta(lhs, rhs, rule):
    r = check_text(theorem(f"theorem t:\n  {lhs} = {rhs}\nproof:\n  {lhs}\n  = {rhs} by {rule}\nqed\n"))
    assert codes(r) == [] and verdicts(r) == ["proved"]


def test_seed_property_3_written_with_the_identity():
    r = check_text(theorem("""theorem t:
  grad(x^T I x, x) = 2 x
proof (component k):
     grad(x^T I x, x)[k]
   = d(x^T I x)/dx[k]                                        by gradient_def
   = d(sum(i, sum(j, x[i] delta(i, j) x[j])))/dx[k]          by expand_sums, identity_def
   = 2 x[k]                                                  by product_rule, index_collapse
qed
"""))
    assert codes(r) == [] and verdicts(r) == ["proved"]
    assert r.theorems[0].sizes == ("n",)


def test_a_wrong_step_with_the_identity_is_false():
    r = check_text(theorem("theorem t:\n  x^T I x = x^T A x\nproof:\n  x^T I x\n  = x^T A x by algebra\nqed\n"))
    assert "VP201" in codes(r) and "VP207" in codes(r)


@pytest.mark.parametrize("side", ["I", "grad(I, x)", "x^T x + I", "I x^T"])
def test_identity_without_a_size_from_context_is_refused(side):
    r = check_text(theorem(f"theorem t:\n  {side} = {side}\nproof:\n  {side}\n  = {side} by algebra\nqed\n"))
    assert "VP102" in codes(r)
    assert "VP902" not in codes(r)


def test_a_declared_I_is_the_users_object():
    text = theorem("const I : matrix(n, n)\ntheorem t:\n  I x = x\nproof:\n  I x\n  = x by algebra\nqed\n")
    r = check_text(text)
    assert "VP201" in codes(r)


# ---- Hessians ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("layout, inner, outer", [("denominator", "l", "k"), ("numerator", "k", "l")])
def test_hessian_of_quadratic_form_step_by_step_in_each_layout(layout, inner, outer):
    r = check_text(theorem(f"""theorem t:
  hess(x^T A x, x) = A + A^T
proof (component (k, l)):
     hess(x^T A x, x)[k, l]
   = d(d(x^T A x)/dx[{inner}])/dx[{outer}]                 by hessian_def
   = A[k, l] + A[l, k]                                     by expand_sums, product_rule, index_collapse
qed
""", layout))
    assert codes(r) == [] and verdicts(r) == ["proved"]


def test_nabla_squared_is_the_hessian():
    r = check_text(theorem("theorem t:\n  ∇²(x^T A x) = hess(x^T A x, x)\nproof:\n  ∇²(x^T A x)\n"
                           "  = hess(x^T A x, x) by hessian_def\nqed\n"))
    assert codes(r) == [] and verdicts(r) == ["proved"]


def test_a_wrong_hessian_is_false():
    r = check_text(theorem("theorem t:\n  hess(x^T A x, x) = 2 A\nproof:\n  hess(x^T A x, x)\n  = 2 A by algebra\nqed\n"))
    assert "VP201" in codes(r)


@pytest.mark.parametrize("what, code", [("hess(x, x)", "VP102"), ("hess(x^T X x, X)", "VP102"), ("hess(x^T x)", "VP109")])
def test_hessian_shapes(what, code):
    text = theorem(f"var X : matrix(n, n)\ntheorem t:\n  {what} = {what}\nproof:\n  {what}\n  = {what} by algebra\nqed\n")
    assert code in codes(check_text(text))


def test_hessian_needs_a_layout():
    text = "dim n\nvar x : vector(n)\ntheorem t:\n  hess(x^T x, x) = 2 hess(x^T x, x) / 2\nproof:\n" \
           "  hess(x^T x, x)\n  = 2 hess(x^T x, x) / 2 by algebra\nqed\n"
    assert "VP108" in codes(check_text(text))


# ---- derivatives by a scalar variable ------------------------------------------------------------------

SCALAR_HEAD = """dim n
var t : scalar
const A : matrix(n, n)
func X(t) : matrix(n, n)
func Y(t) : matrix(n, n)
func v(t) : vector(n)
"""


@pytest.mark.parametrize("lhs, rhs, rule", [
    ("d(t^3)/dt", "3 t^2", "product_rule"),
    ("d(X Y)/dt", "d(X)/dt Y + X d(Y)/dt", "matmul_def, product_rule"),
    ("d(v^T A v)/dt", "(d(v)/dt)^T A v + v^T A d(v)/dt", "matmul_def, product_rule"),
    ("d(tr(X))/dt", "tr(d(X)/dt)", "trace_def, product_rule"),
    ("hess(t^3, t)", "6 t", "hessian_def, product_rule"),
])
def test_derivatives_by_a_scalar_variable_need_no_layout(lhs, rhs, rule):
    r = check_text(SCALAR_HEAD + f"theorem t1:\n  {lhs} = {rhs}\nproof:\n  {lhs}\n  = {rhs} by {rule}\nqed\n")
    assert codes(r) == [] and verdicts(r) == ["proved"]


def test_the_product_rule_with_commuted_factors_is_false():
    lhs, rhs = "d(X Y)/dt", "Y d(X)/dt + X d(Y)/dt"
    r = check_text(SCALAR_HEAD + f"theorem t1:\n  {lhs} = {rhs}\nproof:\n  {lhs}\n  = {rhs} by product_rule\nqed\n")
    assert "VP201" in codes(r)


# ---- the language's edge: VP111 ------------------------------------------------------------------------

EDGE = ["A^-2", "abs(x^T x)", "relu(x^T x)", "sign(x^T x)", "sin(x^T x)", "cos(x^T x)"]


@pytest.mark.parametrize("expr", EDGE)
def test_constructs_at_the_edge_are_named_not_undeclared(expr):
    r = check_text(theorem(f"theorem t:\n  {expr} = {expr}\nproof:\n  {expr}\n  = {expr} by algebra\nqed\n"))
    found = [d for d in r.diagnostics if d.code.id == "VP111"]
    assert found and "VP101" not in codes(r) and "VP001" not in codes(r)
    d = found[0]
    assert (d.span.line, d.span.col) == (8, 3)
    assert "did you mean" not in d.message


@pytest.mark.parametrize("name", ["abs", "relu", "sign"])
def test_nondifferentiable_functions_say_why_they_stay_out(name):
    r = check_text(theorem(f"theorem t:\n  {name}(x^T x) = 0\nproof:\n  {name}(x^T x)\n  = 0 by algebra\nqed\n"))
    [d, *_] = [d for d in r.diagnostics if d.code.id == "VP111"]
    assert "not differentiable" in d.message  # the reason is the feature


def test_sin_says_periodicity_is_out_of_scope():
    r = check_text(theorem("theorem t:\n  sin(x^T x) = 0\nproof:\n  sin(x^T x)\n  = 0 by algebra\nqed\n"))
    [d, *_] = [d for d in r.diagnostics if d.code.id == "VP111"]
    assert any("periodicity" in line for line in d.detail)


def test_a_declared_name_at_the_edge_is_the_users_object():
    text = theorem("const det : scalar\ntheorem t:\n  det x = x det\nproof:\n  det x\n  = x det by algebra\nqed\n")
    r = check_text(text)
    assert codes(r) == [] and verdicts(r) == ["proved"]


def test_commuting_mixed_partials_of_a_declared_function_is_stated_as_an_assumption():
    head = "layout denominator\ndim n\nindex k, l : n\nvar x : vector(n)\nfunc f(x) : scalar\nconst A : matrix(n, n)\n"
    mixed = head + ("theorem t: d(d(f)/dx[l])/dx[k] = d(d(f)/dx[k])/dx[l]\n"
                    "proof: d(d(f)/dx[l])/dx[k] = d(d(f)/dx[k])/dx[l] by algebra qed\n")
    [t] = check_text(mixed).theorems
    assert t.status == "proved" and "f twice continuously differentiable" in t.assumptions
    once = head + "theorem g: d(f)/dx[k] = d(f)/dx[k] proof: d(f)/dx[k] = d(f)/dx[k] by algebra qed\n"
    poly = head + ("theorem h: d(d(x^T A x)/dx[l])/dx[k] = A[k, l] + A[l, k]\n"
                   "proof: d(d(x^T A x)/dx[l])/dx[k] = A[k, l] + A[l, k] by algebra qed\n")
    for text in (once, poly):  # differentiated once, or twice but no declared function: no such assumption
        [t] = check_text(text).theorems
        assert t.status == "proved" and not any("continuously" in a for a in t.assumptions), t.assumptions
