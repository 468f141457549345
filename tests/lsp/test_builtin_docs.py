"""Hover on a built-in gives its documentation; every built-in has some (hess and ∇ included)."""

from vecproof.frontends.lsp.queries import BUILTIN_DOCS, hover
from vecproof.frontends.lsp.recheck import recheck
from vecproof.frontends.lsp.tokens import BUILTINS

TEXT = """layout denominator
dim n
var x : vector(n)
const A : matrix(n, n)
theorem t:
  hess(x^T A x, x) = A + A^T
proof:
  hess(x^T A x, x)
  = A + A^T by hessian_def, expand_sums, product_rule, index_collapse
qed
"""


def test_hover_on_hess_explains_the_hessian():
    got = hover(recheck(TEXT, "h.vproof"), 6, 3)
    assert got is not None and "Hessian" in got.markdown


def test_every_builtin_has_hover_documentation():
    assert set(BUILTINS) <= set(BUILTIN_DOCS), set(BUILTINS) - set(BUILTIN_DOCS)
