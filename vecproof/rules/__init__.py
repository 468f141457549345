"""Rules: what a step may cite. A rule is a name, a statement a reader can check, and `apply`, which
rewrites an index expression by the rule (the next line of a proof); `explains` says whether the
cited rules reach a step's next line, up to bookkeeping (reordering factors and terms, renaming bound
indices, distributing, merging like terms).

The rules are not trusted: neither `apply` nor `explains` ever makes a step proved. The kernel
decides every step, whatever it cites and whoever wrote it; a rule only names the reason.
This module is the one list of rule names: the CLI, the docs table, the checker and the language
server read it.
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass
from fractions import Fraction

from ..kernel import Add, Budget, Expr, KernelLimit, Mul, Num, Policy
from ..kernel.functions import ClearingNormalizer
from ..kernel.normal_form import OutsideFragment
from . import rewrite


@dataclass(frozen=True)
class Rule:
    """One rule: what it does is given by one of the switches (the notation it unfolds, or
    differentiating, collapsing deltas, symmetry, or the catch-all). `apply` and `explains` both
    read them."""

    name: str
    statement: str
    unfold: frozenset = frozenset()
    differentiate: bool = False
    collapse: bool = False
    symmetry: bool = False
    catch_all: bool = False
    laws: frozenset = frozenset()  # the laws of inverses and determinants it allows (kernel/inverse.py)

    def apply(self, expr: Expr) -> Expr | None:
        """`expr` rewritten by this rule wherever it applies, or None where it applies nowhere (and
        always for the catch-all). A definition unfolds its own notation and leaves its argument's
        notation folded; product_rule takes every derivative; index_collapse collapses deltas
        against sums (distributing products); symmetry writes S[j,i] as S[i,j]. KernelLimit when
        distributing is too large. The laws of inverses and determinants are judged by `explains`
        only: their `apply` is None. Not trusted: the result is a line for the kernel to decide."""
        if self.unfold:
            return rewrite.unfold(self.unfold, expr)
        if self.differentiate:
            return rewrite.differentiate(expr)
        if self.collapse:
            return rewrite.collapse(expr)
        if self.symmetry:
            return rewrite.sort_symmetric(expr)
        return None


_RULES = [
    Rule("expand_sums",
         "Write matrix products, inner products, squared norms and traces as explicit sums: "
         "(AB)[i,j] = Σ_k A[i,k] B[k,j],  uᵀv = Σ_i u[i] v[i],  ‖x‖² = Σ_i x[i]²,  tr A = Σ_i A[i,i].",
         unfold=frozenset({"matmul", "norm", "trace"})),
    Rule("matmul_def", "The matrix product, entry by entry: (AB)[i,j] = Σ_k A[i,k] B[k,j].",
         unfold=frozenset({"matmul"})),
    Rule("matvec_def", "The matrix–vector product, entry by entry: (Ax)[i] = Σ_j A[i,j] x[j].",
         unfold=frozenset({"matmul"})),
    Rule("dot_def", "The inner product: uᵀv = dot(u, v) = Σ_i u[i] v[i].", unfold=frozenset({"matmul"})),
    Rule("norm_def", "The norms: ‖x‖² = Σ_i x[i]²,  ‖X‖_F² = Σ_i Σ_j X[i,j]²,  ‖x‖ = sqrt(Σ_i x[i]²).",
         unfold=frozenset({"norm"})),
    Rule("trace_def", "The trace: tr A = Σ_i A[i,i].", unfold=frozenset({"trace"})),
    Rule("identity_def", "The identity matrix, I (sized by its context) or I(n): I[i,j] = δ(i,j).",
         unfold=frozenset({"identity"})),
    Rule("gradient_def",
         "Derivatives by a whole variable are arrays of partial derivatives, arranged by the declared "
         "layout. numerator: ∇f and ∂f/∂x are rows, (∂y/∂x)[i,j] = ∂y[i]/∂x[j]; denominator: ∇f and "
         "∂f/∂x are columns, (∂y/∂x)[i,j] = ∂y[j]/∂x[i]; by a matrix X, (∂f/∂X)[i,j] = ∂f/∂X[i,j] "
         "(denominator) or ∂f/∂X[j,i] (numerator).",
         unfold=frozenset({"gradient"})),
    Rule("hessian_def",
         "The Hessian of a scalar f by a vector x, hess(f, x) = ∇²f: the matrix of second partial derivatives. "
         "denominator: hess(f, x)[i,j] = ∂(∂f/∂x[j])/∂x[i]; numerator: hess(f, x)[i,j] = ∂(∂f/∂x[i])/∂x[j] "
         "(the same matrix: mixed partials commute); by a scalar t, hess(f, t) = ∂(∂f/∂t)/∂t.",
         unfold=frozenset({"hessian"})),
    Rule("jacobian_def", "The Jacobian, whatever the layout: D(u)[i,j] = ∂u[i]/∂x[j] (an m×n matrix "
         "for u with m entries and x with n).", unfold=frozenset({"jacobian"})),
    Rule("product_rule",
         "Differentiate: ∂(fg)/∂x[k] = (∂f/∂x[k]) g + f (∂g/∂x[k]), derivatives pass through sums, "
         "∂x[i]/∂x[k] = δ(i,k), ∂X[i,j]/∂X[k,l] = δ(i,k) δ(j,l), ∂t/∂t = 1 for a scalar t, ∂c/∂x[k] = 0 for c independent of x, "
         "and ∂u[i]/∂x[k] is the Jacobian entry D(u)[i,k].",
         differentiate=True),
    Rule("chain_rule",
         "Differentiate through a function: ∂f(u)/∂x[k] = f′(u) ∂u/∂x[k], with the derivative laws "
         "exp′ = exp, log′(t) = 1/t, sqrt′(t) = 1/(2 sqrt(t)), σ′ = σ(1 − σ), tanh′ = 1 − tanh², "
         "(1/t)′ = −1/t², and f′, f″, … for a function declared `func f : scalar -> scalar`; "
         "together with everything product_rule does.",
         differentiate=True),
    Rule("reciprocal",
         "Division: t · (1/t) = 1, 1/(1/t) = t and 1/(c g) = (1/c)(1/g), where the denominators are not 0 "
         "(the verdict lists them); a denominator free of the indices of the sums around it may be cleared "
         "(both sides multiplied by it)."),
    Rule("softmax_def", "The softmax of a column vector: softmax(x)[i] = exp(x[i]) / Σ_j exp(x[j]).",
         unfold=frozenset({"softmax"})),
    Rule("logsumexp_def", "log Σ exp of a column vector: logsumexp(x) = log(Σ_j exp(x[j])).",
         unfold=frozenset({"logsumexp"})),
    Rule("hadamard_def", "The entrywise product of two arrays of one shape: (a ⊙ b)[i,j] = a[i,j] b[i,j].",
         unfold=frozenset({"hadamard"})),
    Rule("diag_def", "The diagonal matrix of a column vector: diag(v)[i,j] = δ(i,j) v[i].",
         unfold=frozenset({"diag"})),
    Rule("index_collapse",
         "Collapse a Kronecker delta against a sum over one of its indices: Σ_i δ(i,k) a[i] = a[k] "
         "(i and k over the same dimension); and Σ_i c = n c when c does not involve i.",
         collapse=True),
    Rule("symmetry", "For S declared symmetric: S[i,j] = S[j,i].", symmetry=True),
    Rule("inverse_def",
         "For X declared invertible, X X⁻¹ = X⁻¹ X = I: Σ_j X[i,j] X⁻¹[j,k] = δ(i,k) = Σ_j X⁻¹[i,j] X[j,k] "
         "(X⁻¹ is also written inv(X) or X^-1); and det(X⁻¹) det(X) = 1.",
         laws=frozenset({"inverse_def", "det_inverse"})),
    Rule("inverse_derivative",
         "The derivative of the inverse: ∂X⁻¹[a,b]/∂X[p,q] = −X⁻¹[a,p] X⁻¹[q,b], and for a matrix X(t) of a "
         "scalar t, d(X⁻¹)/dt = −X⁻¹ (dX/dt) X⁻¹; in general ∂X⁻¹[a,b] = −Σ_p Σ_q X⁻¹[a,p] ∂X[p,q] X⁻¹[q,b]. "
         "Cite it with product_rule (and index_collapse for the deltas).",
         laws=frozenset({"inverse_derivative"})),
    Rule("det_derivative",
         "Jacobi's formula: ∂det(X)/∂X[p,q] = det(X) X⁻¹[q,p], so ∂det(X)/∂X = det(X) X⁻ᵀ in layout "
         "denominator (det(X) X⁻¹ in numerator); d(det X)/dt = det(X) tr(X⁻¹ dX/dt). Cite it with product_rule.",
         laws=frozenset({"det_derivative"})),
    Rule("logdet_derivative",
         "The derivative of log det: ∂logdet(X)/∂X[p,q] = X⁻¹[q,p], so ∂logdet(X)/∂X = X⁻ᵀ in layout "
         "denominator (X⁻¹ in numerator); d(logdet X)/dt = tr(X⁻¹ dX/dt). logdet(X) = log(det(X)) assumes "
         "det X > 0. Cite it with product_rule.",
         laws=frozenset({"logdet_derivative"})),
    Rule("algebra",
         "Any true step (rearranging, distributing, collecting terms). vecproof still proves the step; "
         "it just does not name the reason.", catch_all=True),
]

RULES: dict[str, Rule] = {r.name: r for r in _RULES}
ALIASES = {"derivative_law": "chain_rule", "delta_collapse": "index_collapse", "kronecker": "index_collapse", "jacobian": "jacobian_def",
           "gradient": "gradient_def", "layout": "gradient_def", "definition": "expand_sums"}


# What the two ends of a chain may differ from the theorem's sides by: definitions, symmetry and
# bookkeeping, but no real work (differentiating, collapsing deltas).
DEFINITIONS = (
    Rule("definitions", "Unfold every notation (products, norms, traces, the identity, gradients, Hessians, "
         "Jacobians).",
         unfold=frozenset({"matmul", "norm", "trace", "identity", "gradient", "hessian", "jacobian", "softmax",
                           "logsumexp", "hadamard", "diag"}),
         symmetry=True),
)


def lookup(name: str) -> Rule | None:
    return RULES.get(ALIASES.get(name, name))


def names() -> list[str]:
    """Every name a step may cite: the rules, then the aliases."""
    return list(RULES) + sorted(ALIASES)


def aliases_of(name: str) -> list[str]:
    """The other names of the rule `name`."""
    return sorted(a for a, target in ALIASES.items() if target == name)


def markdown_table() -> str:
    """The rules table of docs/language.md (between its `rules-table` markers)."""
    rows = ["| rule | also cited as | statement |", "|---|---|---|"]
    for r in _RULES:
        also = ", ".join(f"`{a}`" for a in aliases_of(r.name))
        rows.append(f"| `{r.name}` | {also} | {r.statement.replace('|', chr(92) + '|')} |")
    return "\n".join(rows) + "\n"


def argument_notation(rules, before: Expr, after: Expr) -> frozenset:
    """The notation that a definition applied to a compound argument may unfold as bookkeeping: what
    is written inside the cited definitions' own notation (the products in tr(A X B)), when the step
    applies one of them (their notation is written more often on one side); else nothing."""
    own = frozenset().union(*(r.unfold for r in rules))
    if not own or rewrite.notation_count(own, before) == rewrite.notation_count(own, after):
        return frozenset()
    return frozenset(rewrite.notation_inside(own, before) | rewrite.notation_inside(own, after))


def _policy(rules, before: Expr, after: Expr) -> Policy:
    """The normalisation that the rules allow: their own, and argument_notation."""
    return Policy(
        unfold=frozenset().union(*(r.unfold for r in rules)) | argument_notation(rules, before, after),
        differentiate=any(r.differentiate for r in rules),
        collapse=any(r.collapse for r in rules),
        symmetry=any(r.symmetry for r in rules),
        matrix_laws=frozenset().union(*(r.laws for r in rules)),
    )


# Work budgets (kernel units, about a microsecond each) for judging citations. Each question gets
# the same fixed budget, so its answer never depends on what was asked before it or on the clock,
# and answers can be memoised; a suggestion stops asking once its questions have spent SUGGEST_WORK.
EXPLAIN_WORK = 250_000
SUGGEST_WORK = 750_000


def explains(rules, before: Expr, after: Expr) -> bool | None:
    """Whether the rules (plus bookkeeping) turn `before` and `after` into the same thing.
    None when that cannot be judged (the step leaves the fragment or needs more than EXPLAIN_WORK)."""
    return _explains(tuple(rules), before, after)[0]


@functools.lru_cache(maxsize=8192)
def _explains(rules: tuple, before: Expr, after: Expr) -> tuple[bool | None, int]:
    """(the answer, the work it took)."""
    if any(r.catch_all for r in rules):
        return True, 0
    diff = Add((before, Mul((Num(Fraction(-1)), after))))
    budget = Budget(EXPLAIN_WORK)
    try:
        return ClearingNormalizer(_policy(rules, before, after), budget=budget).is_zero(diff), budget.spent
    except (OutsideFragment, KernelLimit):
        return None, budget.spent


def suggest(before: Expr, after: Expr, max_size: int = 3, base: tuple = ()) -> list[str]:
    """The smallest set of specific rules that, with `base`, explains the step (empty if none does,
    or if finding one would take more than SUGGEST_WORK)."""
    return list(_suggest(before, after, max_size, tuple(base)))


@functools.lru_cache(maxsize=4096)
def _suggest(before: Expr, after: Expr, max_size: int, base: tuple) -> tuple:
    specific = [r for r in _RULES if not r.catch_all and r.name not in ("matvec_def", "dot_def")]
    specific.sort(key=lambda r: r.name == "expand_sums")  # prefer the narrower definitions
    if base:
        covered = set().union(*(r.unfold for r in base))
        specific = [r for r in specific if not (r.unfold and r.unfold <= covered)]
    spent = 0
    for size in range(1, max_size + 1):
        for combo in itertools.combinations(specific, size):
            ok, work = _explains(tuple(base) + combo, before, after)
            if ok:
                return tuple(r.name for r in combo)
            spent += work
            if spent > SUGGEST_WORK:
                return ()
    return ()
