"""Property tests for the trusted kernel (`vecproof.kernel.decide`).

On random index expressions and random rewrites of them (renaming, swapping sums, splitting a
delta, reordering, distributing, differentiating by the rules) and random corruptions (an index
changed, a term or factor dropped, a sign or coefficient changed, a transpose, a dropped
derivative, a captured index, a square moved inside a sum, ...), the kernel's verdict must equal
the exact check on the size grid made by an independent reference evaluator (tests/kernel/
reference.py), and no false identity may be called proved:

* "proved"  → the reference finds the sides equal at every grid size (+ sizes 1 and N+D+1), for
  every value of every free index;
* "false"   → the kernel's counterexample is genuine (re-evaluated by the reference: same values,
  different sides), and the reference finds a difference on the grid;
* inside the fragment nothing is only "checked";
* with a partial summation range (outside the fragment) "checked" must hold at every size the
  kernel tried, and "proved" only happens where the reference agrees at every size 1..6.

Plain tests below cover the traps of naive checkers (docs/reliability.md), and the last group reproduces
kernel defects these properties found (they fail until the kernel is fixed).

Each property runs at two sizes (tests/sizes.py): the quick size in the default run, the full
number of examples with `pytest -m slow`; set VECPROOF_HYPOTHESIS_EXAMPLES to fix the count at
either size (e.g. 2000 for a long search).
"""

from __future__ import annotations

import os

import pytest
from sizes import at_two_sizes, scaled

from vecproof.kernel import IllFormed
from hypothesis import HealthCheck, assume, event, note, settings
from hypothesis import strategies as st

from vecproof.counterexamples import decide
from vecproof.kernel import Normalizer
from vecproof.kernel.terms import Add, Delta, Deriv, Entry, Index, Mul, Obj, Pow, Select, Size, Sum

from .checks import (
    MAX_COST, assert_genuine, check_in_fragment, check_outside_fragment, cost, grid_points,
)
from .reference import first_difference, size_points
from .strategies import (
    AV, CV, EV, A, F, K, L, M, N, P, Q, R, S, U, X,
    corrupted, expressions, fresh, neg, num, positions, renamed, replace_at, rewritten, show, shuffled,
)

_ENV = int(os.environ.get("VECPROOF_HYPOTHESIS_EXAMPLES", "0") or 0)


def examples(default: int) -> int:
    return _ENV if _ENV > 0 else default


def kernel_property(full: int, *strategies):
    """A property test at two sizes (tests/sizes.py): `full` examples in the slow run, fewer in the
    default run; VECPROOF_HYPOTHESIS_EXAMPLES, when set, is the count at either size."""
    return at_two_sizes(lambda size: settings(
        max_examples=examples(scaled(full, size)),
        deadline=None,
        database=None,
        print_blob=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                               HealthCheck.data_too_large],
    ), *strategies)


def _affordable(lhs, rhs) -> bool:
    return cost(lhs, rhs) <= MAX_COST


# ---- 1. semantics-preserving rewrites are proved -------------------------------------------------


@kernel_property(900, st.data())
def test_rewritten_expression_is_proved_equal(data):
    e = data.draw(expressions(concrete=data.draw(st.booleans(), label="concrete")), label="e")
    e2, log = data.draw(rewritten(e), label="rewrite")
    note(f"e  = {show(e)}\ne' = {show(e2)}\nrewrites: {log}")
    assume(_affordable(e, e2))
    # The test's own rewrite must preserve the value (a check of the test, not of the kernel).
    assert first_difference(e, e2, grid_points(e, e2)) is None, f"test bug: rewrite {log} changed the value"
    verdict, _ = check_in_fragment(e, e2)
    assert verdict.status == "proved", f"{log}: {verdict}"


# ---- 2. corruptions: never proved when false; proved when (by accident) still equal --------------


@kernel_property(1200, st.data())
def test_corrupted_expression_verdict_matches_exact_check(data):
    e = data.draw(expressions(concrete=data.draw(st.booleans(), label="concrete")), label="e")
    e2, what = data.draw(corrupted(e), label="corruption")
    assume(e2 is not None)
    note(f"e  = {show(e)}\ne' = {show(e2)}\ncorruption: {what}")
    assume(_affordable(e, e2))
    verdict, found = check_in_fragment(e, e2)
    assert (verdict.status == "proved") == (found is None)


@kernel_property(500, st.data())
def test_renamed_or_captured_bound_index_verdict_matches_exact_check(data):
    e = data.draw(expressions(concrete=data.draw(st.booleans(), label="concrete")), label="e")
    e2, what = data.draw(renamed(e), label="renaming")
    assume(e2 is not None)
    note(f"e  = {show(e)}\ne' = {show(e2)}\nrenaming: {what}")
    assume(_affordable(e, e2))
    verdict, found = check_in_fragment(e, e2)
    event(f"{what.split()[0]}: {verdict.status}")


@kernel_property(500, st.data())
def test_two_random_expressions_verdict_matches_exact_check(data):
    concrete = data.draw(st.booleans(), label="concrete")
    e1 = data.draw(expressions(concrete=concrete, max_nodes=8), label="lhs")
    e2 = data.draw(expressions(concrete=concrete, max_nodes=8), label="rhs")
    note(f"lhs = {show(e1)}\nrhs = {show(e2)}")
    assume(_affordable(e1, e2))
    check_in_fragment(e1, e2)


# ---- 4. the normal form does not see bound names, factor order or symmetric slot order -----------


@kernel_property(700, st.data())
def test_normal_form_is_invariant_under_renaming_and_reordering(data):
    e = data.draw(expressions(concrete=data.draw(st.booleans(), label="concrete")), label="e")
    e2 = data.draw(shuffled(e), label="shuffled")
    note(f"e  = {show(e)}\ne' = {show(e2)}")
    assert Normalizer().normal_form(e) == Normalizer().normal_form(e2)
    # and it is a function of the expression, not of the Normalizer's fresh-name counter
    nz = Normalizer()
    nz.normal_form(e2)
    assert nz.normal_form(e) == Normalizer().normal_form(e)


# ---- 5. outside the fragment: "checked" is true where it says, "proved" only if true ------------

PARTIAL_RANGES = {
    "1..n-1": lambda d: (num(1), Add((Size(d), num(-1)))),
    "2..n": lambda d: (num(2), Size(d)),
    "2..n-1": lambda d: (num(2), Add((Size(d), num(-1)))),
    "1..n+0": lambda d: (num(1), Add((Size(d), num(0)))),  # the full range, but not recognised
}


@kernel_property(400, st.data())
def test_partial_summation_range_verdict_is_sound(data):
    e = data.draw(expressions(concrete=data.draw(st.booleans(), label="concrete"), max_nodes=9), label="e")
    spots = [(p, n) for p, n, _ in positions(e) if isinstance(n, Sum) and n.index.dim.symbolic]
    if spots:
        path, node = data.draw(st.sampled_from(spots), label="sum")
    else:
        bound = fresh(e, N, "i")
        path, node = (), Sum(bound, Mul((Entry(AV, (bound,)), e)))
        e = node
    rng = data.draw(st.sampled_from(sorted(PARTIAL_RANGES)), label="range")
    lo, hi = PARTIAL_RANGES[rng](node.index.dim)
    partial = replace_at(e, path, Sum(node.index, node.body, lo, hi))
    note(f"full    = {show(e)}\npartial = {show(partial)}")
    assume(_affordable(e, partial))
    verdict = check_outside_fragment(partial, e)
    event(f"partial range vs full: {verdict.status}")
    # identical sides: "checked", or "proved" by reflexivity; never "false"
    same = decide(partial, partial)
    assert same.status in ("checked", "proved"), same


# ---- 3. the traps of kernel.md -------------------------------------------------------------------

i, j, h = Index("i", N), Index("j", N), Index("h", N)
s, t = Index("s", M), Index("t", M)
X_NM = Obj("X", "const", (N, M))


def x(idx):
    return Entry(X, (idx,))


def a(idx):
    return Entry(AV, (idx,))


def assert_false(lhs, rhs):
    """Not proved, and the counterexample is genuine."""
    verdict = decide(lhs, rhs)
    assert verdict.status == "false", verdict
    assert verdict.counterexample is not None, verdict
    assert_genuine(lhs, rhs, verdict.counterexample)
    assert first_difference(lhs, rhs, grid_points(lhs, rhs)) is not None
    return verdict


def assert_proved(lhs, rhs):
    verdict = decide(lhs, rhs)
    assert verdict.status == "proved", verdict
    assert first_difference(lhs, rhs, grid_points(lhs, rhs)) is None
    return verdict


def test_square_of_sum_is_not_sum_of_squares():
    assert_false(Pow(Sum(i, x(i)), 2), Sum(i, Pow(x(i), 2)))


def test_square_of_sum_is_the_double_sum():
    # a power's copies get fresh bound names: (Σ_i x_i)^2 = Σ_i Σ_j x_i x_j
    assert_proved(Pow(Sum(i, x(i)), 2), Sum(i, Sum(j, Mul((x(i), x(j))))))
    assert_proved(Mul((Sum(i, x(i)), Sum(i, x(i)))), Pow(Sum(j, x(j)), 2))


def test_double_sum_of_unused_index_is_not_twice_the_sum():
    # holds only at n = 2: one grid point is not enough for a coefficient of degree 1
    v = assert_false(Sum(i, Sum(j, x(j))), Mul((num(2), Sum(j, x(j)))))
    assert dict(v.counterexample.sizes)["n"] != 2


def test_double_sum_of_unused_index_is_n_times_the_sum():
    assert_proved(Sum(i, Sum(j, x(j))), Mul((Size(N), Sum(j, x(j)))))


def test_delta_collapse_over_a_partial_range_is_not_proved():
    lhs = Sum(i, Mul((Delta(i, K), x(i))), num(1), Add((Size(N), num(-1))))
    verdict = check_outside_fragment(lhs, x(K))
    assert verdict.status == "false", verdict  # at k = n the left side is 0
    assert dict(verdict.counterexample.free)["k"] == dict(verdict.counterexample.sizes)["n"]


def test_delta_collapse_over_the_full_range_is_proved():
    assert_proved(Sum(i, Mul((Delta(i, K), x(i)))), x(K))
    assert_proved(Sum(i, Mul((x(i), Delta(K, i)))), x(K))


def test_delta_collapse_is_not_a_fixed_free_value():
    # Σ_b δ(b, q) e_b = e_1 holds only at q = 1 (concrete dimension p = 3: numerals allowed)
    b = Index("b", P)
    v = assert_false(Sum(b, Mul((Delta(b, Q), Entry(EV, (b,))))), Entry(EV, (1,)))
    assert dict(v.counterexample.free)["q"] != 1


def test_double_sum_of_delta_is_n():
    assert_proved(Sum(i, Sum(j, Delta(i, j))), Size(N))
    assert_false(Sum(i, Sum(j, Delta(i, j))), num(1))


def test_quadratic_form_equals_its_transpose():
    lhs = Sum(i, Sum(j, Mul((x(i), Entry(A, (i, j)), x(j)))))
    rhs = Sum(i, Sum(j, Mul((x(i), Entry(A, (j, i)), x(j)))))
    assert_proved(lhs, rhs)


def test_quadratic_form_entries_are_not_symmetric():
    assert_false(Entry(A, (K, L)), Entry(A, (L, K)))
    assert_proved(Entry(S, (K, L)), Entry(S, (L, K)))


def test_frobenius_norm_summed_over_the_wrong_dimension_is_not_equal():
    # s : m runs to n instead of m. (The language rejects this bound; the kernel must still not
    # prove it, and must not crash: at m = 1, n = 2 the wrong side names X[1,2], no entry.)
    # The kernel refuses it as ill-formed (an entry outside its range), never "proved".
    right = Sum(i, Sum(s, Pow(Entry(X_NM, (i, s)), 2)))
    wrong = Sum(i, Sum(s, Pow(Entry(X_NM, (i, s)), 2), num(1), Size(N)))
    with pytest.raises(IllFormed):
        decide(wrong, right)


def test_frobenius_norm_with_sizes_set_equal_is_not_equal():
    # the in-fragment form of the same slip: Σ_i Σ_s X_is^2 · n  vs  · m (equal whenever n = m)
    sq = Sum(i, Sum(s, Pow(Entry(X_NM, (i, s)), 2)))
    assert_false(Mul((Size(N), sq)), Mul((Size(M), sq)))


def test_sizes_are_not_set_equal():
    # n Σ_s c_s = m Σ_s c_s holds whenever n = m
    assert_false(Mul((Size(N), Sum(s, Entry(CV, (s,))))), Mul((Size(M), Sum(s, Entry(CV, (s,))))))


def test_gradient_of_quadratic_form_needs_symmetry():
    def quad(obj):
        return Sum(i, Sum(j, Mul((x(i), Entry(obj, (i, j)), x(j)))))

    grad_a = Deriv(X, (K,), quad(A))
    assert_false(grad_a, Mul((num(2), Sum(j, Mul((Entry(A, (K, j)), x(j)))))))
    assert_proved(grad_a, Sum(j, Mul((Add((Entry(A, (K, j)), Entry(A, (j, K)))), x(j)))))
    v = assert_proved(Deriv(X, (K,), quad(S)), Mul((num(2), Sum(j, Mul((Entry(S, (K, j)), x(j)))))))
    assert "S symmetric" in v.assumptions


def test_derivative_of_a_constant_is_zero():
    v = assert_proved(Deriv(X, (K,), Sum(i, Mul((a(i), Entry(A, (i, i)))))), num(0))
    assert any("independent of x" in note_ for note_ in v.assumptions), v.assumptions
    assert_proved(Deriv(X, (K,), Size(N)), num(0))


def test_derivative_by_the_product_and_chain_rules():
    # ∂(u_r)^2/∂x_k = 2 u_r ∂u_r/∂x_k
    du = Entry(U, (R,), ((X, (K,)),))
    assert_proved(Deriv(X, (K,), Pow(Entry(U, (R,)), 2)), Mul((num(2), Entry(U, (R,)), du)))
    assert_false(Deriv(X, (K,), Pow(Entry(U, (R,)), 2)), Mul((num(2), Entry(U, (R,)))))
    # mixed partial derivatives commute
    assert_proved(Deriv(X, (K,), Deriv(X, (L,), Entry(F, ()))), Deriv(X, (L,), Deriv(X, (K,), Entry(F, ()))))
    # ∂x_i/∂x_k = δ_ik, so ∂(Σ x_i^2)/∂x_k = 2 x_k
    assert_proved(Deriv(X, (K,), Sum(i, Pow(x(i), 2))), Mul((num(2), x(K))))


def test_declared_constant_is_an_assumption_of_the_verdict():
    # ∇(uᵀc) = (Du)ᵀc holds only because c is declared constant: the verdict must say so
    lhs = Deriv(X, (K,), Sum(s, Mul((Entry(U, (s,)), Entry(CV, (s,))))))
    rhs = Sum(s, Mul((Entry(U, (s,), ((X, (K,)),)), Entry(CV, (s,)))))
    v = assert_proved(lhs, rhs)
    assert "c independent of x" in v.assumptions


def test_sum_with_shifted_bounds_is_never_the_full_sum():
    # Σ_{i=0}^{n-1} a_i (a_0 is no entry; the language rejects the bound) is not Σ_{i=1}^{n} a_i:
    # never "proved", and no crash either.
    shifted = Sum(i, a(i), num(0), Add((Size(N), num(-1))))
    with pytest.raises(IllFormed):  # refused as ill-formed: a_0 is no entry
        decide(shifted, Sum(i, a(i)))
    # the in-range shift Σ_{i=2}^{n} a_i is not the full sum either
    check_outside_fragment(Sum(i, a(i), num(2), Size(N)), Sum(i, a(i)))
    assert decide(Sum(i, a(i), num(2), Size(N)), Sum(i, a(i))).status == "false"


def test_gram_determinants_vanish_below_their_size_only():
    # Σ_iΣ_j (a_i x_j − a_j x_i)^2 is 0 at n = 1, not at n = 2
    body = Add((Mul((a(i), x(j))), neg(Mul((a(j), x(i))))))
    assert_false(Sum(i, Sum(j, Pow(body, 2))), num(0))


def test_zero_one_points_are_not_enough():
    # ‖x‖^2 = Σ x_i holds for entries in {0, 1}
    assert_false(Sum(i, Pow(x(i), 2)), Sum(i, x(i)))


def test_concrete_partial_range_is_expanded_exactly():
    b = Index("b", P)
    partial = Sum(b, Mul((Delta(b, Q), Entry(EV, (b,)))), num(1), num(2))
    v = assert_false(partial, Entry(EV, (Q,)))
    assert dict(v.counterexample.free)["q"] == 3
    assert_proved(partial, Mul((Select(Q, (num(1), num(1), num(0))), Entry(EV, (Q,)))))


# ---- defects found by these properties (see the report): minimal reproductions ------------------


def test_false_step_gets_a_counterexample_not_an_internal_error():
    # a_k x_k = x_k is false (a_k = 2, x_k = 1); the counterexample search must find that.
    assert_false(Mul((a(K), x(K))), x(K))
    assert_false(Mul((Entry(CV, (R,)), Entry(U, (R,)))), Entry(U, (R,)))


def test_deltas_between_free_indices_are_decided():
    # δ_kl a_k = δ_kl a_l (both are a_k when k = l and 0 otherwise); likewise δ_kl δ_kl = δ_kl.
    assert_proved(Mul((Delta(K, L), a(K))), Mul((Delta(K, L), a(L))))
    assert_proved(Mul((Delta(K, L), Delta(K, L))), Delta(K, L))
    # the same shape arises from differentiating: ∂(x_l x_l)/∂x_k = 2 δ_lk x_l = 2 δ_lk x_k
    assert_proved(Deriv(X, (K,), Pow(x(L), 2)), Mul((num(2), Delta(L, K), x(K))))


def test_reflexivity_shortcut_respects_shadowed_indices():
    # Σ_i Σ_j A_ij ≠ Σ_h Σ_h A_hh (= n Σ_h A_hh: the inner h shadows the outer one)
    assert_false(Sum(i, Sum(j, Entry(A, (i, j)))), Sum(h, Sum(h, Entry(A, (h, h)))))
    # Σ_i Σ_i x_j (j free: n² x_j) ≠ Σ_j Σ_h x_j (= n Σ_j x_j)
    assert_false(Sum(i, Sum(i, x(j))), Sum(j, Sum(h, x(j))))


def test_zero_power_is_one_even_where_the_base_vanishes():
    assert_proved(Pow(Add((x(K), neg(x(L)))), 0), num(1))
    assert_proved(Pow(num(0), 0), num(1))


def test_reference_evaluator_sees_the_traps():
    """The test's own oracle: it must tell apart what the traps tell apart."""
    lhs, rhs = Pow(Sum(i, x(i)), 2), Sum(i, Pow(x(i), 2))
    assert first_difference(lhs, rhs, size_points({N: [1]})) is None
    assert first_difference(lhs, rhs, size_points({N: [2]})) is not None
    lhs, rhs = Sum(i, Sum(j, x(j))), Mul((num(2), Sum(j, x(j))))
    assert first_difference(lhs, rhs, size_points({N: [2]})) is None
    assert first_difference(lhs, rhs, size_points({N: [3]})) is not None
    grad = Deriv(X, (K,), Sum(i, Sum(j, Mul((x(i), Entry(S, (i, j)), x(j))))))
    assert first_difference(grad, Mul((num(2), Sum(j, Mul((Entry(S, (K, j)), x(j)))))),
                            size_points({N: [1, 2, 3]})) is None
    du = Deriv(X, (K,), Deriv(X, (L,), Pow(Entry(U, (R,)), 2)))
    d2 = Mul((num(2), Add((Mul((Entry(U, (R,), ((X, (K,)),)), Entry(U, (R,), ((X, (L,)),)))),
                          Mul((Entry(U, (R,)), Entry(U, (R,), ((X, (L,)), (X, (K,))))))))))
    assert first_difference(du, d2, size_points({N: [1, 2], M: [1, 2]})) is None
