"""The language server with scalar functions: a `func f : scalar -> scalar` is classified, hovered
and completed like the other declarations; exp, σ, softmax, … have hover documentation."""

from vecproof.frontends.lsp import convert
from vecproof.frontends.lsp.queries import hover
from vecproof.frontends.lsp.recheck import recheck

TEXT = """layout denominator
var t : scalar
func f : scalar -> scalar
theorem t1:
  d(f(sigmoid(t)))/dt = f'(sigmoid(t)) sigmoid(t) (1 - sigmoid(t))
proof:
  d(f(sigmoid(t)))/dt
  = f'(sigmoid(t)) sigmoid(t) (1 - sigmoid(t)) by chain_rule
qed
"""


def test_a_scalar_function_is_a_function_token_and_hovers_its_declaration():
    checked = recheck(TEXT, "f.vproof")
    assert [t.status for t in checked.result.theorems] == ["proved"]
    tokens = convert.semantic_tokens(TEXT, checked.result.scope, {"t1"}, "utf-16")
    assert tokens.data  # classified without a KeyError on the new kind of declaration
    got = hover(checked, 5, 5)
    assert got is not None and "scalar -> scalar" in got.markdown


def test_hover_on_sigmoid_states_its_derivative_law():
    got = hover(recheck(TEXT, "f.vproof"), 5, 7)
    assert got is not None and "σ(1 − σ)" in got.markdown
