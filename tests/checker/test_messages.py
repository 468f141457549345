"""Messages that point at the real mistake (issue "First contact"): a leftover bound index, a
`by symmetry` for a matrix not declared symmetric, a false step that would hold under symmetry, and
a wrong constant factor. Wording is the feature here, so these tests read it."""

from vecproof.checker import check_text

HEAD = """layout denominator
dim n
index i, j, k : n
var x : vector(n)
const B : matrix(n, n)
"""


def _diags(text, code):
    return [d for d in check_text(HEAD + text).diagnostics if d.code.id == code]


def test_a_leftover_bound_index_is_an_error_naming_it_without_a_layout_hint():
    r = check_text(HEAD + """
theorem t: grad(x^T x, x) = 2 x
proof (component k):
     d(x^T x)/dx[k]
   = sum(i, 2 x[i] delta(i, k))   by product_rule
   = 2 x[i]                       by index_collapse
qed
""")
    [stray] = [d for d in r.diagnostics if d.code.id == "VP110"]
    assert stray.span.line == 11 and "index i is free in this line" in stray.message
    assert "(its free index is k)" in stray.message
    assert not any("layout" in line for d in r.diagnostics for line in d.detail)
    assert r.theorems[0].status == "failed"


def test_a_line_with_only_the_statements_indices_is_fine():
    r = check_text(HEAD + """
theorem t: grad(x^T x, x) = 2 x
proof (component k):
     d(x^T x)/dx[k]
   = sum(i, 2 x[i] delta(i, k))   by product_rule
   = 2 x[k]                       by index_collapse
qed
""")
    assert not [d for d in r.diagnostics if d.code.id == "VP110"]
    assert r.theorems[0].status == "proved"


SYMMETRY_STEP = """
theorem t: grad(x^T B x, x) = 2 B x
proof (component k):
     d(x^T B x)/dx[k]
   = sum(j, B[k,j] x[j]) + sum(i, B[i,k] x[i])   by product_rule, index_collapse, matvec_def
   = 2 sum(j, B[k,j] x[j])                       by symmetry
   = 2 (B x)[k]                                  by matvec_def
qed
"""


def test_a_false_step_that_would_hold_under_symmetry_says_so():
    [d] = _diags(SYMMETRY_STEP, "VP201")
    assert any(line.startswith("it would hold if B were symmetric") for line in d.detail)
    assert any("B is not declared symmetric" in line for line in d.detail)
    [claim] = _diags(SYMMETRY_STEP, "VP207")
    assert any(line.startswith("it would hold if B were symmetric") for line in claim.detail)


def test_declared_symmetric_the_same_proof_is_proved():
    r = check_text(HEAD.replace("const B : matrix(n, n)", "const B : matrix(n, n) symmetric") + SYMMETRY_STEP)
    assert r.theorems[0].status == "proved", [d.message for d in r.diagnostics]
    assert "B symmetric" in r.theorems[0].verdict()


def test_a_true_step_citing_symmetry_without_a_symmetric_matrix_says_which_is_not():
    [d] = _diags("""
theorem t: x^T B x = x^T B^T x
proof:
     x^T B x
   = x^T B^T x   by symmetry
qed
""", "VP202")
    assert any("B is not declared symmetric" in line for line in d.detail)


def test_a_wrong_constant_factor_is_named():
    [d] = _diags("""
theorem t: grad(x^T x, x) = 2 x
proof (component k):
     d(x^T x)/dx[k]
   = sum(i, 2 x[i] delta(i, k))   by product_rule
   = x[k]                         by index_collapse
   = 2 x[k]                       by algebra
qed
""", "VP201")[:1]
    assert "the sides differ by a constant factor: line before = 2 × (this line)" in d.detail


def test_a_sums_bound_index_takes_its_range_from_its_uses():
    # `i` is not declared: x[i] says it runs over n
    r = check_text("""layout denominator
dim n
index k : n
var x : vector(n)
theorem t: grad(x^T x, x) = 2 x
proof (component k):
     d(x^T x)/dx[k]
   = d(sum(i, x[i] x[i]))/dx[k]         by expand_sums
   = sum(i, 2 x[i] delta(i, k))          by product_rule
   = 2 x[k]                              by index_collapse
qed
""")
    assert [d.code.id for d in r.diagnostics] == [] and r.theorems[0].status == "proved"


def test_an_index_whose_range_does_not_follow_is_named_once_with_the_declaration_it_needs():
    r = check_text("""layout denominator
dim n, m
var x : vector(n)
const A : matrix(m, n)
theorem t: sum(z, 1) = n
proof:
     sum(z, 1)
   = n   by index_collapse
qed
theorem u: sum(q, x[q] A[q, q]) = 0
proof:
     sum(q, x[q] A[q, q])
   = 0   by algebra
qed
""")
    unknown = [d for d in r.diagnostics if d.code.id == "VP101"]
    assert [d.span.line for d in unknown] == [5, 10]  # once per theorem, though every line uses it
    assert "declare it, e.g. `index z : n` or `index z : m`" in unknown[0].message
    assert "its uses range over n and m" in unknown[1].message


def test_a_misspelt_alias_is_suggested():
    [d] = _diags("""
theorem t: x^T x = sum(i, x[i] x[i])
proof:
     x^T x
   = sum(i, x[i] x[i])   by definiton
qed
""", "VP106")
    assert "did you mean 'definition'?" in d.message


def test_a_subscript_written_the_latex_way_gets_the_entry_spelling():
    [d] = _diags("""
theorem t: x_i = x[i]
proof:
     x_i
   = x[i]   by algebra
qed
""", "VP101")
    assert "write x[i] for an entry" in d.message


def test_fixes_are_data_on_the_diagnostic_not_words_in_its_message():
    from vecproof.diagnostics import Suggestion

    r = check_text(HEAD + """
theorem short: grad(x^T x, x) = 2 x
proof (component k):
     d(x^T x)/dx[k]
   = sum(i, 2 x[i] delta(i, k))   by product_rule, dot_def
qed
theorem uncited: x^T x = sum(i, x[i] x[i])
proof:
     x^T x
   = sum(i, x[i] x[i])
qed
theorem undeclared: sum(z, 1) = n
proof:
     sum(z, 1)
   = n   by index_collapse
qed
""")
    by_code = {d.code.id: d for d in r.diagnostics}
    assert by_code["VP204"].fixes == (Suggestion("add-step", ("index_collapse",)),)
    assert by_code["VP206"].fixes and by_code["VP206"].fixes[0].kind == "cite"
    assert by_code["VP101"].fixes == (Suggestion("declare", text="index z : n"),)


def test_a_keyword_where_an_expression_is_expected_is_a_syntax_error_not_an_unknown_name():
    # `= x + by algebra`: the grammar reads `by` as a name there; it is not a misspelling to correct
    [d] = _diags("theorem t: x + x = 2 x\nproof x + x\n  = x + by algebra\n  = 2 x by algebra\nqed\n", "VP001")
    assert d.span.line == 8 and "`by` is a keyword" in d.message and "did you mean" not in d.message
    assert not _diags("theorem t: x + x = 2 x\nproof x + x\n  = x + by algebra\n  = 2 x by algebra\nqed\n", "VP101")


def test_a_keyword_cannot_be_declared():
    # it could never be used: `2 by by algebra` cannot be read
    [d] = _diags("const by : vector(n)\n", "VP105")
    assert d.span.line == 6 and "keyword" in d.message
