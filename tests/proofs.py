"""Proof texts shared by several test folders (importable from any test: tests/conftest.py puts
this folder on sys.path). Tests derive their variants from these with `str.replace`, so a change
here changes every test that uses them — keep the layout (the tests assert on lines and columns)."""

HEAD = """layout denominator
dim n
index i, j, k : n
var x : vector(n)
const A : matrix(n, n)
"""

# README.md's quadratic form proof: proved for all n, one assumption (A independent of x), four
# explained steps; line 14 is the last step.
QUADRATIC_FORM_GRADIENT = HEAD + """
theorem quadratic_form_gradient:
  grad(x^T A x, x) = (A + A^T) x
proof (component k):
     d(x^T A x)/dx[k]
   = d/dx[k] sum(i, sum(j, A[i,j] x[i] x[j]))                   by expand_sums
   = sum(i, sum(j, A[i,j] (delta(i,k) x[j] + x[i] delta(j,k))))  by product_rule
   = sum(j, A[k,j] x[j]) + sum(i, A[i,k] x[i])                   by index_collapse
   = (A x)[k] + (A^T x)[k]                                       by matvec_def
qed
"""

# The gradient of ‖x‖² as the first seed note proves it: three explained steps, proved for all n.
SQUARED_NORM_GRADIENT = """layout denominator
dim n
index i, k : n
var x : vector(n)

theorem squared_norm_gradient:
  grad(‖x‖²) = 2 x
proof (component k):
     d(‖x‖²)/dx[k]
   = d(sum(i, x[i]^2))/dx[k]            by norm_def
   = sum(i, 2 x[i] delta(i, k))         by product_rule
   = 2 x[k]                             by index_collapse
qed
"""

# A lemma that files cite (tests of citation, imports and their caches): ∇xᵀAx = (A + Aᵀ)x, proved
# componentwise; it needs `index i, j, k : n`, `var x : vector(n)` and `const A : matrix(n, n)`.
QUAD_LEMMA = """lemma quad:
  grad(x^T A x, x) = (A + A^T) x
proof (component k):
     grad(x^T A x, x)[k]
   = d(sum(i, sum(j, A[i, j] x[i] x[j])))/dx[k]                          by gradient_def, expand_sums
   = sum(i, sum(j, A[i, j] (delta(i, k) x[j] + x[i] delta(j, k))))      by product_rule
   = sum(j, A[k, j] x[j]) + sum(i, A[i, k] x[i])                         by index_collapse
   = ((A + A^T) x)[k]                                                    by matvec_def
qed
"""

# A file stating only QUAD_LEMMA, to be imported.
QUAD_LIBRARY = """layout denominator
dim n
index i, j, k : n
var x : vector(n)
const A : matrix(n, n)

""" + QUAD_LEMMA

# A file that imports QUAD_LIBRARY as lib/quadratic.vproof and cites its lemma (`CITE`: how it is cited).
QUAD_IMPORTER = """import "lib/quadratic.vproof"
layout denominator
dim m
var y : vector(m)
const M : matrix(m, m)

theorem t:
  grad(y^T M y, y) = (M + M^T) y
proof:
     grad(y^T M y, y)
   = (M + M^T) y      by CITE
qed
"""
