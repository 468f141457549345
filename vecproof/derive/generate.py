"""Write the proof of one theorem: go to components, unfold the derivative's definition, then the
notation, differentiate, collapse the deltas, and recollect the result in matrix notation; each step
cites the one rule that explains it (asked of `rules.explains`, the checker's own judge of citations).

Untrusted: what this writes is checked by the unchanged checker before anyone sees it (see `derive_text`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction

from .. import kernel, rules
from ..diagnostics import Span
from ..elaboration import ElabError, Elaborator, Scope
from ..elaboration.scope import Declared

from ..kernel import Add, App, Delta, Deriv, Entry, VApp, Expr, Fold, Index, KernelLimit, Mul, Num, Sum
from ..kernel.terms import MATRIX_ATOMS, Det, Inverse, LogDet, substitute
from ..kernel.terms import free_slots
from ..printer import Printer
from ..rules import rewrite
from ..syntax import ast
from ..syntax.parser import ParseFailure, parse
from .recollect import NoMatrixForm, entrywise, recollect, whole

DERIVATIVE_TAGS = frozenset({"gradient", "hessian", "jacobian"})
EXPAND_TAGS = frozenset({"matmul", "norm", "trace"})
ALL_TAGS = rules.DEFINITIONS[0].unfold
_DEF_RULE = {"norm": "norm_def", "trace": "trace_def", "identity": "identity_def", "hadamard": "hadamard_def",
             "diag": "diag_def", "softmax": "softmax_def", "logsumexp": "logsumexp_def"}
# the component indices a proof names, in the order the examples use them
COMPONENT_NAMES = ("k", "p", "q", "l", "r", "s", "m")


class CannotDerive(Exception):
    """derive has no proof of this theorem (yet); the message says why, in a sentence."""


@dataclass
class Plan:
    """A proof as text: `component` (the names, or ()), the chain's lines and what each step cites,
    and a remark for the reader (e.g. that no matrix form exists). `rhs` is the recollected right side
    (for a theorem derive states itself); `needs` the index names the lines use that the file does
    not declare, with their dimensions."""

    component: tuple[str, ...]
    lines: list[str]
    cites: list[str]
    remark: str = ""
    rhs: str | None = None
    needs: dict = field(default_factory=dict)

    def text(self, indent: str = "") -> str:
        head = f"proof (component {self.component[0]}):" if len(self.component) == 1 else \
            f"proof (component ({', '.join(self.component)})):" if self.component else "proof:"
        width = max(len(line) for line in self.lines)
        out = [indent + head, f"{indent}     {self.lines[0]}"]
        for line, cite in zip(self.lines[1:], self.cites):
            out.append(f"{indent}   = {line.ljust(width)}   by {cite}")
        if self.remark:
            out.append(f"{indent}   # {self.remark}")
        out.append(indent + "qed")
        return "\n".join(out)


def source_of(text_lines: list[str], span) -> str:
    """The source text of a span."""
    if span.line == span.end_line:
        return text_lines[span.line - 1][span.col - 1:span.end_col - 1]
    out = [text_lines[span.line - 1][span.col - 1:]] + text_lines[span.line:span.end_line - 1]
    out.append(text_lines[span.end_line - 1][:span.end_col - 1])
    return " ".join(s.strip() for s in out)


def _wrapped(node: ast.Node, text: str) -> str:
    """`text` (the source of `node`), parenthesised unless it already binds tighter than indexing."""
    if isinstance(node, (ast.Name, ast.Call)) or (text.startswith("(") and text.endswith(")") and _one_group(text)):
        return text
    return f"({text})"


def _one_group(text: str) -> bool:
    depth = 0
    for k, ch in enumerate(text):
        depth += ch == "("
        depth -= ch == ")"
        if depth == 0 and k < len(text) - 1:
            return False
    return True


@dataclass
class _Work:
    """One derivation in progress: its component indices, the steps so far (line, preferred rules), the
    index declarations its lines need, and the printer that names their indices."""

    deriver: "Deriver"
    comp: list
    row: Index | None
    col: Index | None
    at: str
    steps: list = field(default_factory=list)
    needs: dict = field(default_factory=dict)
    tags: set = field(default_factory=set)
    derived: bool = False

    def __post_init__(self):
        self.printer = Printer(self.deriver.scope, {i: i.name for i in self.comp})
        for i in self.comp:
            if i.name not in self.deriver.scope.names:
                self.needs[i.name] = i.dim
                self.deriver.declare_index(i.name, i.dim)

    def show(self, e: Expr) -> str:
        """A line's text; an index name it uses that the file does not declare is declared (and noted)."""
        text = self.printer.print(_flat(e))[0]
        for name, dim in self.printer.used.items():
            if name not in self.deriver.scope.names:
                self.needs[name] = dim
                self.deriver.declare_index(name, dim)
        return text


class Deriver:
    """Derives proofs of the theorems of one file (its declarations are `scope`, its text `source`)."""

    def __init__(self, scope: Scope, source: str):
        self.scope = scope
        self.lines_of_source = source.split("\n")
        self.el = Elaborator(scope)

    # -- helpers ---------------------------------------------------------------------------------------
    def elab_line(self, text: str) -> Expr:
        """The index expression of one line of a componentwise proof (a scalar)."""
        try:
            node = parse(f"theorem derive_line: {text} = 0").items[0].lhs
            t = self.el.expr(node)
        except (ParseFailure, ElabError) as err:
            raise CannotDerive(f"derive wrote a line it cannot read back ({text}): {err}") from None
        if not t.scalar:
            raise CannotDerive(f"derive wrote a line that is not a scalar: {text}")
        return t.value()

    def cite(self, before: str, after: str, preferred: list[str]) -> str:
        """The one rule (from `preferred`, else the smallest set `rules.suggest` finds) that explains
        the step from `before` to `after`."""
        a, b = self.elab_line(before), self.elab_line(after)
        for name in preferred:  # a rule, or rules cited together ("product_rule, inverse_derivative")
            try:
                if rules.explains([rules.RULES[n] for n in name.split(", ")], a, b):
                    return name
            except KernelLimit:
                break
        found = rules.suggest(a, b)
        if not found:
            if _false(a, b):
                raise CannotDerive(f"the derivation reaches {before}, which differs from {after}: the statement "
                                   "looks false (`vecproof check` on a proof gives a counterexample)")
            raise CannotDerive(f"no rule explains the step from {before} to {after}")
        return ", ".join(found)

    @staticmethod
    def bookkeeping(a: Expr, b: Expr) -> bool:
        """Whether `a` and `b` differ by bookkeeping alone (reordering, renaming, arithmetic), which
        every rule allows: such a line merges into the step before it."""
        try:
            return bool(rules.explains([], a, b))
        except KernelLimit:
            return False

    def declare_index(self, name: str, dim) -> None:
        """Declare an index the file lacks, as the declaration derive writes before the theorem will."""
        self.scope.names[name] = Declared("index", Span.point(), f"index {name} : {dim.name}", index=Index(name, dim))

    def component_indices(self, th_lhs, dims) -> list[Index]:
        """One declared index per entry slot (rows, then columns), preferring k, p, q, …; an undeclared
        name where the file declares none over the dimension (the caller declares it)."""
        free = {i.name for i in free_slots(th_lhs)}
        out: list[Index] = []
        for dim in dims:
            declared = [n for n, d in self.scope.names.items() if d.what == "index" and d.index.dim == dim]
            order = [n for n in COMPONENT_NAMES if n in declared] + declared
            pick = next((n for n in order if n not in free and n not in {i.name for i in out}), None)
            if pick is None:
                pick = next(n for n in COMPONENT_NAMES + tuple(f"k{j}" for j in range(2, 99))
                            if n not in self.scope.names and n not in {i.name for i in out} and n not in free)
            out.append(Index(pick, dim))
        return out

    # -- the derivation -------------------------------------------------------------------------------
    def plan(self, lhs_node: ast.Node, rhs_node: ast.Node | None) -> Plan:
        """The proof of `lhs = rhs` (rhs None: derive states the right side itself, in matrix notation)."""
        try:
            lhs = self.el.expr(lhs_node)
        except ElabError as err:
            raise CannotDerive(err.diagnostic.message) from None
        dims = [d for d in (lhs.rows, lhs.cols) if d is not None]
        comp = self.component_indices(lhs.comp(Index("(row)", lhs.rows) if lhs.rows else None,
                                                Index("(col)", lhs.cols) if lhs.cols else None), dims)
        it = iter(comp)
        row = next(it) if lhs.rows is not None else None
        col = next(it) if lhs.cols is not None else None
        at = f"[{', '.join(i.name for i in comp)}]" if comp else ""
        w = _Work(self, comp, row, col, at)
        lhs_text = source_of(self.lines_of_source, lhs_node.span)
        first = _wrapped(lhs_node, lhs_text) + at if at else lhs_text

        e = self.down(w, lhs.comp(row, col), lhs_node)
        remark, rhs_text = self.up(w, e, rhs_node)
        if rhs_node is not None:
            rhs_src = source_of(self.lines_of_source, rhs_node.span)
            unfolds = self.definition_rules(e, w.tags) if w.tags and not w.derived else []
            try:  # the definitions the right side folds, most specific first
                rhs_e = self.el.expr(rhs_node).comp(row, col)
                rtags = _fold_tags(rhs_e) - DERIVATIVE_TAGS
                unfolds += self.definition_rules(rhs_e, rtags) if rtags else []
            except ElabError:
                pass
            w.steps.append((_wrapped(rhs_node, rhs_src) + at if at else rhs_src,
                            unfolds + self.product_rules(row, col) + ["symmetry"] + sorted(_DEF_RULE.values())))
        chain, wanted = self.merge(first, w.steps)
        chosen = [self.cite(a, b, pref) for a, b, pref in zip(chain, chain[1:], wanted)]
        if rhs_node is not None and len(chain) > 2 and ", " in chosen[-1]:
            self.split_last(w, chain, wanted, chosen, rhs_node)
        if any("algebra" in name.split(", ") for name in chosen):
            raise CannotDerive("a step is explained by no rule but algebra")
        return Plan(tuple(i.name for i in comp), chain, chosen, remark, rhs_text if rhs_node is None else None,
                    w.needs)

    def down(self, w: "_Work", e: Expr, lhs_node: ast.Node) -> Expr:
        """The steps down to index form: the derivative's definition, the notation, differentiating (with
        the laws of inverses and determinants), collapsing deltas, orienting symmetric entries. Returns
        the last line's expression."""
        e1 = rewrite.unfold(DERIVATIVE_TAGS, e)
        if e1 is not None:
            text = self.derivative_text(e1, lhs_node, {i.name for i in w.comp})
            w.steps.append((text if text is not None else w.show(e1), ["gradient_def", "hessian_def", "jacobian_def"]))
            e = e1
        w.tags = _fold_tags(e)
        if w.tags:
            w.steps.append((w.show(e), self.definition_rules(e, w.tags)))
        try:
            d = rewrite.differentiate(e)
        except KernelLimit as err:
            raise CannotDerive(f"differentiating is too large: {err}") from None
        laws: list[str] = []
        lawful = _matrix_laws(d if d is not None else e, laws)
        if lawful != (d if d is not None else e):
            d = lawful
        w.derived = e1 is not None or d is not None
        if d is not None:
            first = "chain_rule" if _has(e, (App, VApp)) else "product_rule"
            preferred = [first, "chain_rule" if first == "product_rule" else "product_rule"]
            if laws:
                preferred = [", ".join([first] + sorted(set(laws)))] + preferred
            w.steps.append((w.show(d), preferred))
            e = rewrite.unfold(ALL_TAGS, d) or d  # printed unfolded already; deltas may now meet their sums
        for _ in range(5):
            try:
                c = _collapse_gently(e)
                c = c if c is not None else _collapse_local(e)
                c = c if c is not None else rewrite.collapse(e)
            except KernelLimit as err:
                raise CannotDerive(f"collapsing the deltas is too large: {err}") from None
            if c is None:
                break
            w.steps.append((w.show(c), ["index_collapse"]))
            e = c
        oriented = _orient_symmetric(e, set(w.comp))
        if oriented is not None:
            w.steps.append((w.show(oriented), ["symmetry"]))
            e = oriented
        return e

    def up(self, w: "_Work", e: Expr, rhs_node: ast.Node | None) -> tuple[str, str | None]:
        """The steps back to matrix notation (term by term, then a common factor pulled out). Returns
        the remark for the reader and the right side in matrix notation (None where there is none)."""
        loose = {i.name for i in free_slots(e)} - {i.name for i in w.comp}
        if loose or not (w.derived or rhs_node is None):
            return "", None
        try:
            terms = recollect(e, w.row, w.col)
        except NoMatrixForm as why:
            return (f"no matrix form: {why}; the result stays in index form" if rhs_node is None else ""), None
        remark = ""
        preferred = _recollection_rules(terms) + self.product_rules(w.row, w.col)
        if any("⊙" in a.name for t in terms for a in t.chain + t.outer):
            preferred = ["hadamard_def"] + preferred
            if rhs_node is None:
                remark = "no matrix product form: the result is written entrywise, with ⊙"
        rhs_text = whole(terms)
        w.steps.append((entrywise(terms, w.at), preferred))
        if len(terms) > 1:  # the common factor pulled out
            w.steps.append((f"({rhs_text}){w.at}" if w.at else rhs_text, preferred))
        return remark, rhs_text

    def merge(self, first: str, steps: list) -> tuple[list[str], list[list[str]]]:
        """The chain's lines and each step's preferred rules. A line that says what the line before says
        (the same index expression, or the same up to bookkeeping) replaces it, except right after the
        derivative, whose step stays on its own."""
        chain, exprs, wanted = [first], [self.elab_line(first)], []
        for text, preferred in steps:
            text = _spaced(text)
            x = self.elab_line(text)
            after_work = bool(wanted) and "product_rule" in wanted[-1]
            if not after_work and (x == exprs[-1] or (len(chain) > 1 and self.bookkeeping(exprs[-1], x))):
                if len(chain) > 1:
                    exprs[-1], chain[-1] = x, text
                continue
            chain.append(text)
            exprs.append(x)
            wanted.append(preferred)
        if len(chain) == 1 and steps:  # the two sides are the same index expression: one step
            chain.append(_spaced(steps[-1][0]))
            wanted.append(steps[-1][1])
        return chain, wanted

    def split_last(self, w: "_Work", chain: list, wanted: list, chosen: list, rhs_node: ast.Node) -> None:
        """A last step that needs several rules goes through the right side's own index form, when that
        makes two steps of one rule each (X X⁻¹ = X⁻¹ X: … = Σ_j X⁻¹[k,j] X[j,p] = (X⁻¹ X)[k,p])."""
        try:
            mid = _spaced(w.show(self.el.expr(rhs_node).comp(w.row, w.col)))
            one, two = self.cite(chain[-2], mid, wanted[-1]), self.cite(mid, chain[-1], wanted[-1])
        except (CannotDerive, ElabError):
            return
        if ", " not in one and ", " not in two and mid not in chain:
            chain.insert(len(chain) - 1, mid)
            chosen[-1:] = [one, two]

    def derivative_text(self, e: Expr, lhs_node: ast.Node, comp_names: set) -> str | None:
        """The line after gradient_def with the body as the user wrote it (`d(x^T A x)/dx[k]`), or None
        when the left side is not one derivative of a written body."""
        body = _derivative_body(lhs_node)
        if body is None:
            return None
        src = source_of(self.lines_of_source, body.span)

        def text(e: Expr) -> str | None:
            if isinstance(e, Deriv):
                inner = text(e.body)
                if inner is None:
                    return None
                slots = ", ".join(s.name if isinstance(s, Index) else str(s) for s in e.idx)
                return f"d({inner})/d{e.var.name}" + (f"[{slots}]" if slots else "")
            free = sorted(i.name for i in free_slots(e) if i.name in comp_names)
            if len(free) > 1:
                return None
            return f"{_wrapped(body, src)}[{free[0]}]" if free else src

        return text(e)

    def definition_rules(self, e: Expr, tags: set) -> list[str]:
        """The definition a step that unfolds `tags` cites, most specific first."""
        if tags <= EXPAND_TAGS:
            if tags == {"matmul"}:
                kinds = {len(free_slots(f.body)) for f in _folds(e, "matmul")}
                name = {0: "dot_def", 1: "matvec_def", 2: "matmul_def"}.get(kinds.pop()) if len(kinds) == 1 else None
                return [name, "expand_sums"] if name else ["expand_sums"]
            if len(tags) == 1:
                return [_DEF_RULE[next(iter(tags))], "expand_sums"]
            return ["expand_sums"]
        return [_DEF_RULE[t] for t in sorted(tags) if t in _DEF_RULE] + ["expand_sums"]

    @staticmethod
    def product_rules(row, col) -> list[str]:
        if row is not None and col is not None:
            return ["matmul_def", "expand_sums", "trace_def"]
        if row is not None or col is not None:
            return ["matvec_def", "expand_sums", "trace_def"]
        return ["dot_def", "expand_sums", "trace_def"]


def _spaced(text: str) -> str:
    """Printed slots `A[i,j]` spaced as the examples write them, `A[i, j]`."""
    return re.sub(r",(?=\S)", ", ", text)


def _folds(e: Expr, tag: str) -> list:
    out = []

    def visit(x):
        if isinstance(x, Fold) and x.tag == tag:
            out.append(x)
        for kid in rewrite._children(x):
            visit(kid)

    visit(e)
    return out


def _matrix_laws(e: Expr, used: list) -> Expr:
    """The derivatives product_rule leaves to the laws of inverses and determinants, taken:
    ∂X⁻¹[a,b]/∂X[p,q] = −X⁻¹[a,p] X⁻¹[q,b], d(Y⁻¹[a,b])/dt = −Σ_p Σ_q Y⁻¹[a,p] (dY/dt)[p,q] Y⁻¹[q,b],
    ∂det(X)/∂X[p,q] = det(X) X⁻¹[q,p], ∂logdet(X)/∂X[p,q] = X⁻¹[q,p]. The step then cites product_rule
    with inverse_derivative, det_derivative or logdet_derivative, as those rules ask; their names go
    to `used`."""
    fresh = iter(range(10**6))

    def visit(x: Expr) -> Expr:
        x = rewrite._rebuild(x, visit)
        if not isinstance(x, Deriv) or type(x.body) not in MATRIX_ATOMS:
            return x
        body, var = x.body, x.var
        if body.obj == var and len(x.idx) == 2:  # with ∂X[r,s]/∂X[p,q] = δ(r,p) δ(s,q): index_collapse next
            p, q = x.idx
            n = next(fresh)
            r, s = Index(f"r~{90 + n}", var.dims[0]), Index(f"s~{90 + n}", var.dims[1])
            got = _matrix_law(body, var, r, s, (Delta(r, p), Delta(s, q)), used)
            if got is not None:
                return got
        if body.obj.kind == "func" and body.obj.depends_on == var.name and not x.idx:
            n = next(fresh)
            p, q = Index(f"p~{90 + n}", body.obj.dims[0]), Index(f"q~{90 + n}", body.obj.dims[1])
            got = _matrix_law(body, body.obj, p, q, (Entry(body.obj, (p, q), ((var, ()),)),), used)
            if got is not None:
                return got
        return x

    return visit(e)


def _matrix_law(body, m, r: Index, s: Index, dm: tuple, used: list) -> Expr | None:
    """The derivative of `body` (an entry of M⁻¹, det M or log det M, M = `m`) by the law of its atom,
    with `dm` the factors of ∂M[r, s] (summed over r and s); the law's name goes to `used`. None for
    another atom (a power of det)."""
    if isinstance(body, Inverse):
        a, b = body.idx
        used.append("inverse_derivative")
        return Mul((Num(Fraction(-1)), Sum(r, Sum(s, Mul((Inverse(m, (a, r)), *dm, Inverse(m, (s, b))))))))
    trace = Sum(r, Sum(s, Mul((Inverse(m, (s, r)), *dm))))
    if isinstance(body, Det) and body.power == 1:
        used.append("det_derivative")
        return Mul((body, trace))
    if isinstance(body, LogDet):
        used.append("logdet_derivative")
        return trace
    return None


def _collapse_gently(e: Expr) -> Expr | None:
    """Σ_i δ(i,k) a[i] = a[k] without distributing products: a sum of terms is split into sums, a
    delta that is a factor of a sum's body is collapsed, and (x[j] − a[j]) stays as written. None when
    no delta meets its sum this way."""
    did = []

    def factors(x: Expr) -> list:
        return [g for f in x.args for g in factors(f)] if isinstance(x, Mul) else [x]

    def visit(x: Expr) -> Expr:
        x = rewrite._rebuild(x, visit)
        if not isinstance(x, Sum) or x.lo is not None or x.hi is not None:
            return x
        i, body = x.index, x.body
        if isinstance(body, Add) and any(_delta_with(i, t) for t in body.args):
            return Add(tuple(visit(Sum(i, t)) for t in body.args))
        fs = factors(body)
        for n, f in enumerate(fs):
            if isinstance(f, Delta) and i in (f.a, f.b) and f.a != f.b:
                keep = f.b if f.a == i else f.a
                if not isinstance(keep, Index) or keep.dim != i.dim:
                    continue
                did.append(f)
                rest = [substitute(g, {i: keep}) for k, g in enumerate(fs) if k != n]
                return rest[0] if len(rest) == 1 else Mul(tuple(rest)) if rest else Num(Fraction(1))
        return x

    new = visit(rewrite.distinct_binders(e))
    return new if did else None


def _delta_with(i: Index, x: Expr) -> bool:
    """Whether `x` is a delta on i, or a product with such a factor."""
    if isinstance(x, Delta):
        return i in (x.a, x.b)
    return isinstance(x, Mul) and any(_delta_with(i, f) for f in x.args)


def _collapse_local(e: Expr) -> Expr | None:
    """index_collapse applied only to the sums whose index meets a delta (the rest, an exp(…) beside
    them say, is left as written rather than distributed); None when there is none."""
    def delta_on(idx: Index, x: Expr) -> bool:
        if isinstance(x, Delta):
            return idx in (x.a, x.b)
        return any(delta_on(idx, kid) for kid in rewrite._children(x))

    def visit(x: Expr) -> Expr:
        if isinstance(x, Sum) and x.lo is None and delta_on(x.index, x.body):
            return rewrite.collapse(x) or x
        return rewrite._rebuild(x, visit)

    new = visit(e)
    return None if new == e else new


def _false(a: Expr, b: Expr) -> bool:
    """Whether the kernel finds a ≠ b (only to word derive's message: derive proves nothing)."""
    try:
        return kernel.decide(a, b).status == "false"
    except Exception:  # a limit, or anything else: the message just says less
        return False


def _recollection_rules(terms) -> list[str]:
    """The definition that recollecting `terms` folds back, most specific first."""
    names = [a.name for t in terms for a in t.chain + t.outer]
    products = any(len(t.chain) + len(t.outer) > 1 for t in terms)
    scalars = " ".join(s for t in terms for s in t.scalars)
    out = []
    if any(n.startswith("I(") for n in names):
        out.append("identity_def")
    if any(n.startswith("diag(") for n in names):
        out.append("diag_def")
    if any("softmax(" in n for n in names):
        out.append("softmax_def")
    if "tr(" in scalars and not products and "^T" not in scalars:
        out.append("trace_def")
    if not products and "^T" in scalars:
        out.append("dot_def")
    return out


def _has(e: Expr, kinds: tuple) -> bool:
    return isinstance(e, kinds) or any(_has(kid, kinds) for kid in rewrite._children(e))


def _flat(e: Expr) -> Expr:
    """Products of products written as one product (the printer parenthesises a nested one)."""
    if isinstance(e, Mul):  # one product, its numbers multiplied out in front
        args, coeff = [], Fraction(1)
        for a in e.args:
            a = _flat(a)
            for f in a.args if isinstance(a, Mul) else [a]:
                if isinstance(f, Num):
                    coeff *= f.value
                else:
                    args.append(f)
        if coeff == 0 or not args:
            return Num(coeff)
        return Mul(((Num(coeff),) if coeff != 1 else ()) + tuple(args)) if len(args) > 1 or coeff != 1 else args[0]
    return rewrite._rebuild(e, _flat)


def _orient_symmetric(e: Expr, comp: set) -> Expr | None:
    """S[j,k] written S[k,j] for S declared symmetric and k a component index (then S x, not Sᵀ x)."""
    def visit(x: Expr) -> Expr:
        if isinstance(x, Entry) and x.obj.symmetric and len(x.idx) == 2 and x.idx[1] in comp \
                and x.idx[0] not in comp:
            return Entry(x.obj, (x.idx[1], x.idx[0]), x.derivs)
        if isinstance(x, Inverse) and x.obj.symmetric and x.idx[1] in comp and x.idx[0] not in comp:
            return Inverse(x.obj, (x.idx[1], x.idx[0]))
        return rewrite._rebuild(x, visit)

    new = visit(e)
    return None if new == e else new


def _fold_tags(e: Expr) -> set:
    out = set()

    def visit(x):
        if isinstance(x, Fold):
            out.add(x.tag)
        for kid in rewrite._children(x):
            visit(kid)

    visit(e)
    return out


def _derivative_body(node: ast.Node) -> ast.Node | None:
    """What the derivative written as `node` differentiates (grad(f, x), ∇f, hess(f, x), d(f)/dx, D(u))."""
    if isinstance(node, ast.Call) and node.callee.name in ("grad", "hess", "D", "∇") and node.args:
        return node.args[0]
    if isinstance(node, (ast.GradOp, ast.Partial)):
        return node.body
    return None
