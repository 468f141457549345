"""Citing proved theorems in the same file: `by NAME` (matched) and `by NAME[A := …]` (explicit),
which theorems can be cited, refused instantiations (VP121) and assumptions that travel."""

from vecproof import check_text
from vecproof.cache import Cache

from proofs import QUAD_LEMMA

HEAD = """
layout denominator
dim n, m
index i, j, k : n
index p, q : m
var x : vector(n)
var y : vector(m)
const A : matrix(n, n)
const B : matrix(n, n)
const C : matrix(n, n)
const M : matrix(m, m)
const S : matrix(n, n) symmetric

""" + QUAD_LEMMA + """
lemma sym:
  S x = S^T x
proof:
     S x
   = S^T x   by symmetry
qed
"""


def step(lhs: str, rhs: str, cite: str, name: str = "t") -> str:
    return f"""
theorem {name}:
  {lhs} = {rhs}
proof:
     {lhs}
   = {rhs}   by {cite}
qed
"""


def codes(text: str, **kw) -> list[str]:
    return sorted(d.code.id for d in check_text(text, "t.vproof", **kw).diagnostics)


def theorem(text: str, name: str = "t"):
    return next(t for t in check_text(text, "t.vproof").theorems if t.name == name)


def test_citation_found_by_matching_explains_a_subterm():
    text = HEAD + step("grad(x^T B x, x) + B x", "(B + B^T) x + B x", "quad")
    assert codes(text) == []
    t = theorem(text)
    assert t.status == "proved" and t.steps[0].explained is True


def test_explicit_instantiation_by_an_expression():
    text = HEAD + step("grad(x^T (B + C) x, x)", "((B + C) + (B + C)^T) x", "quad[A := B + C]")
    assert codes(text) == []


def test_sizes_and_variables_instantiated_explicitly_and_by_matching():
    text = HEAD + step("grad(y^T M y, y)", "(M + M^T) y", "quad[n := m, x := y, A := M]")
    assert codes(text) == []
    assert codes(HEAD + step("grad(y^T M y, y)", "(M + M^T) y", "quad")) == []


def test_either_direction_and_with_rules():
    assert codes(HEAD + step("(B + B^T) x", "grad(x^T B x, x)", "quad")) == []
    assert codes(HEAD + step("grad(x^T B x, x)", "B x + B^T x", "quad, algebra")) == []


def test_a_theorem_that_does_not_fit_does_not_explain_the_step():
    assert codes(HEAD + step("grad(x^T B x, x)", "B x + B^T x", "sym")) == ["VP202"]


def test_the_kernel_still_decides_a_cited_step():
    assert "VP201" in codes(HEAD + step("grad(x^T B x, x)", "(B + B) x", "quad"))


def test_assumptions_of_the_cited_theorem_travel():
    t = theorem(HEAD + step("(B + B^T) x", "(B + B^T)^T x", "sym[S := B + B^T]"))
    assert "S symmetric (in sym)" in t.assumptions
    t = theorem(HEAD + step("grad(x^T B x, x)", "(B + B^T) x", "quad"))  # in the instance's names
    assert "B independent of x" in t.assumptions and not any("(in quad)" in a for a in t.assumptions)


def test_only_proved_earlier_theorems_can_be_cited():
    later = step("x^T B x", "sum(i, sum(j, B[i, j] x[i] x[j]))", "as_sum", "early") + step(
        "x^T A x", "sum(i, sum(j, A[i, j] x[i] x[j]))", "expand_sums", "as_sum")
    assert codes(HEAD + later) == ["VP120"]
    itself = step("grad(x^T B x, x)", "(B + B^T) x", "t", "t")
    assert "VP120" in codes(HEAD + itself)
    failed = step("x^T B x", "2", "expand_sums", "bad") + step("x^T B x", "x^T B x", "bad")
    assert codes(HEAD + failed).count("VP120") == 1
    checked = """
lemma partial:
  sum(i = 1..n-1, 2) = 2 n - 2
proof:
     sum(i = 1..n-1, 2)
   = 2 n - 2                            by index_collapse
qed
""" + step("sum(i = 1..n-1, 2)", "2 n - 2", "partial")
    assert codes(HEAD + checked).count("VP120") == 1


def test_a_rule_takes_no_instantiation():
    assert "VP120" in codes(HEAD + step("x^T B x", "sum(i, sum(j, B[i, j] x[i] x[j]))", "expand_sums[A := B]"))


def test_refused_instantiations_name_the_condition():
    cases = {
        "quad[A := x x^T]": "const",           # a const object by an expression of the variable
        "quad[x := 2 y]": "variable",            # the variable by a non-variable
        "quad[A := y]": "shapes",                # another shape
        "quad[n := i]": "dimension",             # a size by something else
        "quad[Q := B]": "no object",             # a name the theorem does not have
    }
    for cite, word in cases.items():
        r = check_text(HEAD + step("grad(x^T B x, x)", "(B + B^T) x", cite), "t.vproof")
        refused = [d for d in r.diagnostics if d.code.id == "VP121"]
        assert refused and word in refused[0].message, (cite, [d.message for d in r.diagnostics])


def test_two_variables_cannot_become_one():
    two = """
lemma mixed:
  grad(x^T x2, x) = x2
proof (component k):
     grad(x^T x2, x)[k]
   = d(sum(i, x[i] x2[i]))/dx[k]    by gradient_def, dot_def
   = sum(i, delta(i, k) x2[i])      by product_rule
   = x2[k]                          by index_collapse
qed
"""
    text = HEAD.replace("var y : vector(m)", "var y : vector(m)\nvar x2 : vector(n)") + two
    r = check_text(text + step("grad(x^T x, x)", "2 x", "mixed[x := x, x2 := x]"), "t.vproof")
    assert [d.code.id for d in r.diagnostics] == ["VP121"] and "different variables" in r.diagnostics[0].message


def test_symmetric_object_only_by_an_expression_proved_symmetric():
    assert "VP121" in codes(HEAD + step("B x", "B x + B x - B x", "sym[S := B]"))
    assert codes(HEAD + step("(B + B^T) x", "(B + B^T)^T x", "sym[S := B + B^T]")) == []


LINEAR = """
const a : vector(n)

lemma lin:
  grad(a^T x, x) = a
proof (component k):
     grad(a^T x, x)[k]
   = d(sum(i, a[i] x[i]))/dx[k]    by gradient_def, dot_def
   = sum(i, a[i] delta(i, k))      by product_rule
   = a[k]                          by index_collapse
qed
"""


def test_a_matched_instance_is_refused_when_unsound():
    # a := x - x is zero, so the step is true, but the instance replaces a const object by an
    # expression of x: matching finds it, and it is refused by name
    r = check_text(HEAD + LINEAR + step("grad((x - x)^T x, x)", "x - x", "lin"), "t.vproof")
    [d] = [d for d in r.diagnostics if d.code.id == "VP121"]
    assert "const" in d.message
    assert codes(HEAD + LINEAR + step("grad((B x)^T x, x)", "B x", "lin")) == ["VP201", "VP207"]


def test_cached_citing_theorem_sees_a_changed_lemma(tmp_path):
    cache = Cache(tmp_path / "c", secret=b"k" * 32)
    text = HEAD + step("grad(x^T B x, x)", "(B + B^T) x", "quad")
    assert codes(text, cache=cache) == []
    broken = text.replace("by matvec_def\nqed", "by algebra\nqed").replace("((A + A^T) x)[k]", "((A + A) x)[k]")
    assert "VP120" in codes(broken, cache=cache)


def suggested(text: str):
    """The citation the checker proposes for the one step of theorem t (on the step, or on its VP202)."""
    r = check_text(text, "t.vproof")
    fixes = [f for d in r.diagnostics for f in d.fixes] + list(theorem(text).steps[0].fixes)
    return [(f.kind, f.names, f.text) for f in fixes]


def test_a_matched_instance_is_suggested_written_out_and_that_citation_checks():
    cases = {("grad(x^T (2 B - C^T) x, x)", "((2 B - C^T) + (2 B - C^T)^T) x"): "quad[n := n, x := x, A := 2 B - C^T]",
             ("grad(y^T M y, y)", "(M + M^T) y"): "quad[n := m, x := y, A := M]"}
    for (lhs, rhs), cite in cases.items():
        assert suggested(HEAD + step(lhs, rhs, "quad")) == [("instantiate", ("quad",), cite)]
        text = HEAD + step(lhs, rhs, cite)
        assert codes(text) == [] and theorem(text).steps[0].explained is True and suggested(text) == []


def test_an_instance_that_does_not_fit_gets_the_one_that_does():
    text = HEAD + step("grad(x^T B x, x)", "(B + B^T) x", "quad[A := C]")
    assert codes(text) == ["VP202"]
    assert suggested(text) == [("instantiate", ("quad",), "quad[n := n, x := x, A := B]")]
    assert suggested(HEAD + step("grad(x^T B x, x)", "B x + B^T x", "sym")) == []  # nothing fits: nothing proposed


def test_every_occurrence_of_one_instance_is_rewritten_at_once():
    twice = step("grad(x^T B x, x) - 3 grad(x^T B x, x) + grad(x^T C x, x)",
                 "(B + B^T) x - 3 (B + B^T) x + grad(x^T C x, x)", "quad")
    assert codes(HEAD + twice) == [] and theorem(HEAD + twice).steps[0].explained is True
    back = step("(B + B^T) x + (B + B^T) x", "grad(x^T B x, x) + grad(x^T B x, x)", "quad[A := B]")
    assert codes(HEAD + back) == []
    # two different instances are two steps: one citation explains one instance
    assert codes(HEAD + step("grad(x^T B x, x) + grad(x^T C x, x)", "(B + B^T) x + (C + C^T) x", "quad")) == ["VP202"]
