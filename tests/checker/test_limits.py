"""Resource limits end in a clear, positioned diagnostic — never a hang, a MemoryError or a
RecursionError. Each case must finish within seconds; the bounds here are generous on purpose
(the machines are shared), the figures are in docs/reliability.md."""

import time

import pytest

from vecproof.checker import check_bytes, check_text
from harness import code_set as _codes

HEAD = "layout denominator\ndim n\nindex i, j, k : n\nvar x : vector(n)\nconst A : matrix(n, n)\n"


def _run(text_or_bytes):
    start = time.monotonic()
    r = check_bytes(text_or_bytes) if isinstance(text_or_bytes, bytes) else check_text(text_or_bytes)
    return r, time.monotonic() - start



def _positioned(r):
    return all(d.span.line >= 1 and d.span.col >= 1 and d.code.id.startswith("VP") for d in r.diagnostics)


@pytest.mark.parametrize("depth", [2_000, pytest.param(100_000, marks=pytest.mark.slow)])
def test_deep_nesting(depth):
    body = "sum(i, " * depth + "x[i]" + ")" * depth
    r, seconds = _run(HEAD + f"theorem t: {body} = x[k] proof: x[k] qed")
    assert "VP901" in _codes(r) and _positioned(r)
    assert seconds < 30


def test_deep_unary_minus():
    r, _ = _run(HEAD + "theorem t: " + "-(" * 50_000 + "x[k]" + ")" * 50_000 + " = x[k] proof: x[k] qed")
    assert "VP901" in _codes(r) and _positioned(r)


def test_parentheses_alone_do_not_nest_the_tree():
    r, _ = _run(HEAD + "theorem t: " + "(" * 5_000 + "x[k]" + ")" * 5_000 + " = x[k] proof: x[k] = x[k] by algebra qed")
    assert _codes(r) == set() and r.theorems[0].status == "proved"


def test_huge_concrete_dimension_in_a_step_that_needs_concrete_checking():
    text = ("layout denominator\ndim n = 1000000000\nindex i, k : n\nvar x : vector(n)\n"
            "theorem t: x[1] + sum(i, 2 x[i]) = x[1] + 2 sum(k, x[k]) "
            "proof: x[1] + sum(i, 2 x[i]) = x[1] + 2 sum(k, x[k]) by algebra qed")  # x[1]: enumerated
    r, seconds = _run(text)
    assert "VP901" in _codes(r) and _positioned(r)
    assert r.theorems[0].status != "proved"
    assert seconds < 30


def test_huge_exponent():
    r, _ = _run(HEAD + "theorem t: x[k]^1000000 = x[k] proof: x[k]^1000000 = x[k] by algebra qed")
    assert "VP901" in _codes(r) and _positioned(r)


def test_exponential_expansion_hits_a_cap_not_the_memory():
    big = "(" + " + ".join(f"x[k]" for _ in range(30)) + ")^12"
    r, seconds = _run(HEAD + f"theorem t: sum(i, {big} x[i]) = 0 proof: sum(i, {big} x[i]) = 0 by algebra qed")
    assert "VP901" in _codes(r) or r.theorems[0].status == "failed"
    assert seconds < 60


def test_ten_megabyte_file():
    text = HEAD + ("# " + "x" * 1000 + "\n") * 10_000
    r, seconds = _run(text.encode())
    assert _codes(r) == {"VP901"} and _positioned(r)
    assert seconds < 10


@pytest.mark.slow
def test_ten_thousand_theorems():
    one = "theorem t{k}: x[k] = x[k] proof: x[k] = x[k] by algebra qed\n"
    r, seconds = _run(HEAD + "".join(one.format(k=k) for k in range(10_000)))
    assert "VP901" in _codes(r) and _positioned(r)
    assert len(r.theorems) == 1000
    assert seconds < 120


def test_bracket_depth_is_refused_before_parsing_at_the_bracket_past_the_limit():
    from vecproof.syntax.parser import MAX_BRACKETS
    r, _ = _run(HEAD + "theorem t:\n  " + "(" * (MAX_BRACKETS + 5) + "x[k]" + ")" * (MAX_BRACKETS + 5) + " = x[k] proof: x[k] qed")
    (d,) = [d for d in r.diagnostics if d.code.id == "VP901"]
    assert (d.span.line, d.span.col) == (7, 3 + MAX_BRACKETS)


def test_brackets_in_comments_are_not_counted():
    from vecproof.syntax.parser import MAX_BRACKETS
    r, _ = _run(HEAD + "# " + "(" * (MAX_BRACKETS + 5) + "\ntheorem t: x[k] = x[k] proof: x[k] = x[k] by algebra qed")
    assert r.theorems[0].status == "proved" and not r.diagnostics
