"""The exact cross-check by evaluation at random points (issue 10): the growth cases whose polynomial
cross-check was skipped (VP208) are now cross-checked and proved; a kernel whose normal form wrongly
says "equal" is caught by it; and a false step's counterexample, whichever search found it, really
makes the two sides differ (re-evaluated here with the independent tests/kernel/reference.py).
"""

from __future__ import annotations

from fractions import Fraction

import pytest

import vecproof.counterexamples.polynomial
import vecproof.kernel
import vecproof.rules
from tests.kernel.reference import Reference, objects, parse_unknown, peval
from vecproof.checker import check as check_module
from vecproof.checker import check_text
from vecproof.kernel import Normalizer, free_slots
from vecproof.kernel.normal_form import FULL


def one_step(decls: str, lhs: str, rhs: str) -> str:
    """A theorem lhs = rhs proved by the one step `lhs = rhs by algebra` (line 6 + declarations)."""
    return (f"layout denominator\n{decls}theorem t:\n  {lhs} = {rhs}\nproof:\n  {lhs}\n"
            f"  = {rhs} by algebra\nqed\n")


def trace(k: int, transposed: bool = True) -> str:
    """d tr(X A2 … Ak)/dX = (A2 … Ak)ᵀ: nested sums of depth k (false without the transpose)."""
    mats = " ".join(f"A{j}" for j in range(2, k + 1))
    decls = "dim n\nvar X : matrix(n, n)\n" + "".join(f"const A{j} : matrix(n, n)\n" for j in range(2, k + 1))
    return one_step(decls, f"grad(tr(X {mats}), X)", f"({mats})^T" if transposed else f"({mats})")


def quadratic(k: int, factor: int | None = None) -> str:
    """∇(xᵀAx)^k = k (xᵀAx)^(k−1) (A + Aᵀ) x (false with another factor than k)."""
    factor = k if factor is None else factor
    return one_step("dim n\nvar x : vector(n)\nconst A : matrix(n, n)\n",
                    f"grad((x^T A x)^{k}, x)", f"{factor} (x^T A x)^{k - 1} (A + A^T) x")


def concrete(n: int) -> str:
    return one_step(f"dim n = {n}\nvar x : vector(n)\nconst A : matrix(n, n)\n",
                    "grad(x^T A x, x)", "(A + A^T) x")


TRACES = one_step("dim n\nconst A : matrix(n, n)\nconst B : matrix(n, n)\n", "tr(A A B B)", "tr(B B A A)")


def fresh(text: str):
    """check_text without the verdicts memoised by an earlier check of the same text."""
    check_module._decide.cache_clear()
    vecproof.rules._explains.cache_clear()
    vecproof.rules._suggest.cache_clear()
    return check_text(text)


def codes(result) -> set[str]:
    return {d.code.id for d in result.diagnostics}


# ---- the growth cases are cross-checked and proved -------------------------------------------------

GROWTH = {
    "trace_depth_4": trace(4),  # before: 1.5–2 s, cross-check skipped (VP208)
    "quadratic_power_4": quadratic(4),  # before: cross-check skipped (VP208)
    "trace_of_squares": TRACES,  # before: VP208
    "concrete_n_8": concrete(8),
}
SLOW_GROWTH = {"trace_depth_6": trace(6), "quadratic_power_5": quadratic(5), "concrete_n_16": concrete(16),
               # before: the normal form stopped at the budget (VP901), renaming 11 tied bound indices
               "quadratic_power_6": quadratic(6), "concrete_n_32": concrete(32)}


@pytest.mark.parametrize("name", list(GROWTH) + [pytest.param(n, marks=pytest.mark.slow) for n in SLOW_GROWTH])
def test_growth_case_is_proved_with_the_cross_check_run(name):
    r = fresh({**GROWTH, **SLOW_GROWTH}[name])
    assert codes(r) == set()  # in particular no VP208: the cross-check ran
    assert [t.status for t in r.theorems] == ["proved"]


# ---- a wrong normal form is caught -------------------------------------------------------------------


@pytest.mark.parametrize("text", [trace(4, transposed=False), quadratic(4, factor=3), concrete(8).replace("A^T", "A")])
def test_a_normal_form_that_says_equal_for_a_false_step_is_caught(monkeypatch, text):
    assert "VP201" in codes(fresh(text))
    real = Normalizer.normal_form
    # a broken kernel: the step's difference normalises to nothing, i.e. "equal"
    monkeypatch.setattr(Normalizer, "normal_form", lambda self, e: {} if self.policy == FULL else real(self, e))
    r = fresh(text)
    assert "VP902" in codes(r) and "VP201" not in codes(r)
    assert [t.status for t in r.theorems] != ["proved"]


# ---- counterexamples are genuine ---------------------------------------------------------------------

FALSE_GROWTH = {
    "trace_depth_5": trace(5, transposed=False),
    "quadratic_power_4": quadratic(4, factor=3),
    "concrete_n_8": concrete(8).replace("(A + A^T) x", "2 A x"),
}


def restated(result, cex: dict):
    """The two sides of the false step evaluated independently at the counterexample's point."""
    step = result.theorems[0].steps[0]
    lhs, rhs = step.before, step.after
    objs = {**objects(lhs), **objects(rhs)}
    dims = {d.name: d for o in objs.values() for d in o.dims}
    sizes = {dims[n]: v for n, v in cex["sizes"].items()}
    names = {"row": "(row)", "column": "(col)"}
    by_name = {i.name: i for i in free_slots(lhs) | free_slots(rhs)}
    env = {by_name[names.get(n, n)]: v for n, v in cex["indices"].items()}
    listed = {parse_unknown(k): v for k, v in cex["values"].items()}
    ref = Reference(sizes, objs)
    polys = [ref.value(lhs, env), ref.value(rhs, env)]
    occurring = {key for p in polys for mono in p for key, _ in mono}
    assert set(listed) <= occurring  # a listed entry occurs; one that occurs unlisted is 0
    values = {key: listed.get(key, 0) for key in occurring}
    return occurring, values, [peval(p, values) for p in polys]


@pytest.mark.parametrize("search", ["polynomial", "points"])
@pytest.mark.parametrize("name", list(FALSE_GROWTH))
def test_false_growth_step_gets_a_genuine_exact_counterexample(monkeypatch, name, search):
    if search == "points":  # no work for the polynomial search: the point evaluation finds it
        monkeypatch.setattr(vecproof.counterexamples.polynomial, "POLY_SEARCH_WORK", 0)
    r = fresh(FALSE_GROWTH[name])
    assert "VP201" in codes(r) and "VP902" not in codes(r)
    (d,) = [d for d in r.diagnostics if d.code.id == "VP201"]
    cex = d.counterexample
    occurring, values, (left, right) = restated(r, cex)
    assert occurring <= set(values)  # every entry that occurs has its stated value
    assert left == Fraction(cex["left"]) and right == Fraction(cex["right"]) and left != right
