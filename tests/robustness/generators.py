"""Input generators for the fuzz tests: grammar-derived text and byte-level noise.

Grammar text comes from `hypothesis.extra.lark.from_lark` on grammar/vproof.lark, with an explicit
strategy for every terminal. Lark's generator concatenates terminals with no separator, so every
terminal is padded with spaces (`x` + `y` would otherwise lex as `xy`), with two exceptions the
lexer needs: a CALLEE is followed directly by `(` (`grad(`, not `grad (`, which is a product), so
it is not padded on the right, and `(` is not padded on the left. Names avoid the keywords and the
other spellings the contextual lexer would read as another terminal (`d` before `(` is the
derivative operator, `T` after `^` the transpose, `_F` the Frobenius mark), so generated text
re-parses: tests/robustness/test_fuzz.py asserts that it does.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from hypothesis import strategies as st
from hypothesis.extra.lark import LarkStrategy, check_explicit, from_lark
from lark import Lark
from lark.grammar import Terminal

from vecproof.syntax.grammar import grammar_text

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

KEYWORDS = {
    "layout", "dim", "index", "var", "const", "func", "scalar", "vector", "matrix", "symmetric",
    "theorem", "lemma", "proof", "qed", "component", "by", "numerator", "denominator", "T",
}
# names a file declares in the generated headers below, plus a few it does not
NAMES = ["x", "y", "X", "A", "B", "S", "c", "u", "v", "f", "n", "m", "l", "i", "j", "k", "p", "q",
         "r", "z", "_a", "t1", "sum", "grad", "D", "tr", "delta", "norm", "dx", "dX", "algebra",
         "product_rule", "index_collapse"]
CALLEES = ["sum", "Σ", "delta", "δ", "grad", "D", "dot", "norm", "normF", "tr", "u", "f", "A", "x", "g"]
RULES = ["algebra", "expand_sums", "matmul_def", "matvec_def", "dot_def", "norm_def", "trace_def",
         "gradient_def", "jacobian_def", "product_rule", "index_collapse", "symmetry", "nonsense"]


@lru_cache(maxsize=1)
def lark_grammar() -> Lark:
    return Lark(grammar_text(), parser="lalr", lexer="contextual", start=["start", "expr"])


def _pad(s: st.SearchStrategy) -> st.SearchStrategy:
    return s.map(lambda t: f" {t} ")


def _wrt() -> st.SearchStrategy:
    var = st.sampled_from(["x", "X", "y", "u", "A"])
    item = st.sampled_from(["i", "j", "k", "p", "1", "2", "3", "n"])
    idx = st.lists(item, min_size=1, max_size=3).map(lambda xs: "[" + ", ".join(xs) + "]")
    return st.tuples(st.sampled_from(["d", "∂"]), var, st.one_of(st.just(""), idx)).map("".join)


def terminal_strategies(start: str = "start") -> dict:
    """An explicit strategy for every terminal reachable from `start` (named and anonymous)."""
    terminals, _, _ = lark_grammar().grammar.compile([start], ())
    out = {}
    for t in terminals:
        if t.pattern.type == "str":
            out[t.name] = _pad(st.just(t.pattern.value))
    name = st.sampled_from(NAMES).filter(lambda s: s not in KEYWORDS)
    out.update({
        "NAME": _pad(name),
        "RULE": _pad(st.sampled_from(RULES)),
        "INT": _pad(st.one_of(st.integers(0, 5).map(str), st.sampled_from(["10", "64", "65", "007",
                                                                            "99999999999999999999"]))),
        "WRT": _pad(_wrt()),
        "DIFF": _pad(st.sampled_from(["d", "∂"])),
        "CALLEE": st.sampled_from(CALLEES).map(lambda s: " " + s),  # no space before its "("
        "LPAR": st.just("( "),
        "NABLA": _pad(st.just("∇")),
        "TRANSPOSE_MARK": _pad(st.just("ᵀ")),
        "SQUARED": _pad(st.just("²")),
        "INVERSE_MARK": _pad(st.just("⁻¹")),
        "HADAMARD": _pad(st.just("⊙")),
        "NORM_BAR": _pad(st.just("‖")),
        "DNORM_BAR": _pad(st.just("||")),
        "FROBENIUS": _pad(st.just("_F")),
        "LAYOUT_KIND": _pad(st.sampled_from(["numerator", "denominator"])),
        "SYMMETRIC": _pad(st.just("symmetric")),
        "COMMENT": st.sampled_from([" # a comment\n", " #\n", " # expect: VP201\n", " # ‖x‖² ∂ ∇\n"]),
        "WS": st.sampled_from([" ", "\n", "\t", "  \n  ", "\r\n", "\x0c"]),
    })
    return {k: v for k, v in out.items() if k in {t.name for t in terminals} | {"WS", "COMMENT"}}


class _BoundedLarkStrategy(LarkStrategy):
    """`from_lark`'s strategy with a bound on the nesting of rules: deeper than `max_depth`, every
    rule takes its shortest expansion (which, in this grammar, always leads to a leaf: expr →
    product → postfix → atom → NAME). Without it, random expansion of the recursive expression
    rules usually overruns Hypothesis's buffer and the draw is thrown away (measured: 30 inputs
    in 55 s with `from_lark` alone on theorem texts, against well under a second of drawing)."""

    def __init__(self, grammar, start, explicit, max_depth: int):
        explicit = {k: v.map(check_explicit(f"explicit[{k!r}]")) for k, v in explicit.items()}
        super().__init__(grammar, start, explicit, st.characters(codec="utf-8"))
        self.max_depth = max_depth
        self._depth = 0

    def draw_symbol(self, data, symbol, draw_state):
        if isinstance(symbol, Terminal):
            return super().draw_symbol(data, symbol, draw_state)
        self._depth += 1
        data.start_span(self.rule_label(symbol.name))
        try:
            if self._depth <= self.max_depth:
                expansion = data.draw(self.nonterminal_strategies[symbol.name])
            else:
                expansion = self.nonterminal_strategies[symbol.name].elements[0]  # the shortest
            for e in expansion:
                self.draw_symbol(data, e, draw_state)
                # whitespace or a comment may follow any symbol except a call's name: `grad (x)`
                # is a product, not a call (after the derivative operator `d` they may: the lexer
                # looks past both for its `(` or `/`)
                if not (isinstance(e, Terminal) and e.name == "CALLEE"):
                    self.gen_ignore(data, draw_state)
        finally:
            data.stop_span()
            self._depth -= 1


def grammar_files(bounded: bool = True, max_depth: int = 30) -> st.SearchStrategy:
    """Whole .vproof files derived from the grammar (`bounded`: with the nesting bound above;
    otherwise plain `from_lark`)."""
    if not bounded:
        return from_lark(lark_grammar(), start="start", explicit=terminal_strategies("start"))
    return _BoundedLarkStrategy(lark_grammar(), "start", terminal_strategies("start"), max_depth)


def grammar_expressions(max_depth: int = 12) -> st.SearchStrategy:
    return _BoundedLarkStrategy(lark_grammar(), "expr", terminal_strategies("expr"), max_depth)


HEADER = """layout {layout}
dim n, m
dim c = 3
index i, j, k : n
index p, q : m
index r : c
var x : vector(n)
var X : matrix(n, m)
const A : matrix(n, n)
const B : matrix(m, n)
const S : matrix(n, n) symmetric
const y : vector(n)
const z : vector(c)
const t1 : scalar
func u(x) : vector(m)
func v(x) : vector(m)
func f(x) : scalar
"""


_EXPR = grammar_expressions()


@st.composite
def theorem_files(draw) -> str:
    """A fixed header declaring most NAMES, then a theorem whose expressions come from the
    grammar: the generated text reaches elaboration and the kernel, not only the parser."""
    expr = _EXPR
    layout = draw(st.sampled_from(["numerator", "denominator"]))
    lhs, rhs = draw(expr), draw(expr)
    comp = draw(st.sampled_from(["", " (component k)", " (component (i, j))", " (component p)"]))
    middle = draw(st.lists(expr, max_size=2))
    rules = draw(st.lists(st.sampled_from(RULES), max_size=2))
    cite = f" by {', '.join(rules)}" if rules else ""
    steps = "".join(f"\n  = {e}{cite}" for e in middle + [rhs])
    return HEADER.format(layout=layout) + f"\ntheorem t:\n  {lhs} = {rhs}\nproof{comp}:\n  {lhs}{steps}\nqed\n"


# ---- byte-level noise ------------------------------------------------------------------------------

INVALID_UTF8 = [b"\xff", b"\xfe", b"\xc3\x28", b"\x80", b"\xbf", b"\xe2\x82", b"\xf0\x9f\x98", b"\xed\xa0\x80",
                b"\xc0\xaf", b"\xe0\x80\xaf", b"\xf8\x88\x80\x80\x80", b"\xf4\x90\x80\x80"]
ODD_TEXT = ["‖", "ᵀ", "²", "∂", "∇", "Σ", "δ", "∑", "\u00a0", "\u200b", "\ufeff", "\u202e", "ｘ", "𝑥", "\u2028",
            "\u0085", "e\u0301", "\x0b", "\x0c", "\\", "\"", "'", "`", "$", "{", "}", "@", "..", "||", "^", "_F",
            "(", ")", "[", "]", ";", ",", "=", "qed", "proof", "theorem t:", "by", "#", "\t", "\r", "\r\n"]


def example_bytes() -> list[tuple[str, bytes]]:
    files = sorted(EXAMPLES.glob("*.vproof")) + sorted((EXAMPLES / "bad").glob("*.vproof"))
    return [(p.name, p.read_bytes()) for p in files]


def _ops():
    pos = st.floats(0, 1)
    return st.one_of(
        st.tuples(st.just("truncate"), pos),
        st.tuples(st.just("insert_bytes"), pos, st.binary(min_size=1, max_size=8)),
        st.tuples(st.just("insert_invalid_utf8"), pos, st.sampled_from(INVALID_UTF8)),
        st.tuples(st.just("insert_nul"), pos),
        st.tuples(st.just("crlf"),),
        st.tuples(st.just("lone_cr"),),
        st.tuples(st.just("tabs"),),
        st.tuples(st.just("insert_text"), pos, st.sampled_from(ODD_TEXT)),
        st.tuples(st.just("delete"), pos, st.integers(1, 40)),
        st.tuples(st.just("duplicate"), pos, st.integers(1, 80)),
        st.tuples(st.just("bom"),),
        st.tuples(st.just("swap_lines"), pos, pos),
        st.tuples(st.just("replace_byte"), pos, st.integers(0, 255)),
    )


def apply_noise(data: bytes, ops) -> bytes:
    for op in ops:
        kind = op[0]
        at = int(op[1] * len(data)) if len(op) > 1 and isinstance(op[1], float) else 0
        if kind == "truncate":
            data = data[:at]
        elif kind == "insert_bytes":
            data = data[:at] + op[2] + data[at:]
        elif kind == "insert_invalid_utf8":
            data = data[:at] + op[2] + data[at:]
        elif kind == "insert_nul":
            data = data[:at] + b"\x00" + data[at:]
        elif kind == "crlf":
            data = data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
        elif kind == "lone_cr":
            data = data.replace(b"\n", b"\r")
        elif kind == "tabs":
            data = data.replace(b"    ", b"\t").replace(b" = ", b"\t=\t")
        elif kind == "insert_text":
            data = data[:at] + op[2].encode("utf-8") + data[at:]
        elif kind == "delete":
            data = data[:at] + data[at + op[2]:]
        elif kind == "duplicate":
            data = data[:at] + data[at:at + op[2]] + data[at:]
        elif kind == "bom":
            data = b"\xef\xbb\xbf" + data
        elif kind == "swap_lines":
            lines = data.split(b"\n")
            if len(lines) > 1:
                a = int(op[1] * (len(lines) - 1))
                b = int(op[2] * (len(lines) - 1))
                lines[a], lines[b] = lines[b], lines[a]
                data = b"\n".join(lines)
        elif kind == "replace_byte":
            if data:
                at = min(at, len(data) - 1)
                data = data[:at] + bytes([op[2]]) + data[at + 1:]
    return data


@st.composite
def noisy_examples(draw) -> tuple[str, list, bytes]:
    name, data = draw(st.sampled_from(example_bytes()))
    ops = draw(st.lists(_ops(), min_size=1, max_size=4))
    return name, ops, apply_noise(data, ops)
