"""Runs mutants through vecproof and through the independent oracle, and tallies the outcomes.

For every mutant (`mutants.py`) the mutated source goes through `vecproof.checker.check_text`. Then,
for every theorem of the mutant:

* every step vecproof reports **proved** must be confirmed by the oracle (`oracle.py`): the two
  lines equal, entry by entry, at every size on the grid and every value of the free indices. A
  step the oracle refutes is a SOUNDNESS BUG. A step the oracle cannot evaluate (it finds the step
  ill-typed) is reported too. If the oracle runs past its time budget the step's `.before`/`.after`
  index expressions are checked by tests/kernel/reference.py instead (counted as `fallback`);
* every theorem vecproof reports **proved** must have its chain's ends confirmed too: the first line
  equals (the component of) the left side, the last line the right side — and its statement must
  hold as stated, whole objects compared (which catches a componentwise proof that only covers
  some entries);
* every step vecproof reports **false** should be refuted by the oracle (else: a true step rejected,
  a completeness bug), and its counterexample is re-evaluated by the oracle: the values vecproof
  reports for both sides must be what the oracle computes at that point, and differ;
* every step reported **checked, not proved** (VP205) must hold on the oracle's grid;
* a mutant rejected with a false-step or chain error should have a step or end the oracle refutes,
  and one rejected for a name, shape, index-type, unsupported or layout error should not be a proof
  the oracle finds well-typed and true (`rejected-unrefuted`, `true-proof-rejected`).

A mutant is *accepted* when the mutated theorem is proved (for a declaration mutant: every theorem,
and the file has no error), *rejected* otherwise.
"""

from __future__ import annotations

import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import sympy
from sympy.core.function import AppliedUndef

from vecproof.checker import check_text
from vecproof.diagnostics import Severity
from vecproof.syntax import ast

from .mutants import Mutant
from .oracle import Comparer, Decls, Oracle, OracleError, Side, canon

_TESTS = Path(__file__).resolve().parents[1]
if str(_TESTS) not in sys.path:  # tests/kernel/reference.py, the fallback
    sys.path.insert(0, str(_TESTS))

REJECT_FALSE = {"VP201", "VP203", "VP204", "VP207"}


def _stops_short(d) -> bool:
    return d.code.id in ("VP203", "VP204") and ("stops short of" in d.message or "does not start from" in d.message)
TYPE_ERRORS = {"VP101", "VP102", "VP103", "VP105", "VP107", "VP108", "VP109"}


@dataclass
class Finding:
    kind: str  # soundness | proved-ill-typed | true-rejected | bad-counterexample | checked-false | internal | ...
    mutant: Mutant
    where: str
    detail: str

    def report(self) -> str:
        return (f"[{self.kind}] {self.mutant.id} ({self.mutant.op}: {self.mutant.original!r} -> "
                f"{self.mutant.replacement!r}) at {self.where}: {self.detail}\n--- mutated source ---\n"
                f"{self.mutant.compact()}\n---")


@dataclass
class Tally:
    mutants: int = 0
    accepted: int = 0  # the mutated theorem (or the whole file) proved by vecproof
    accepted_confirmed: int = 0  # … and the oracle confirms every proved step and end
    rejected: int = 0
    rejected_false: int = 0  # with a false-step / chain / false-theorem error
    rejected_refuted: int = 0  # … and the oracle refutes the mutated theorem's chain somewhere
    rejected_error: int = 0  # with another error (names, shapes, index types, unsupported, layout, …)
    unparsed: int = 0
    steps_proved: int = 0
    steps_proved_confirmed: int = 0
    steps_false: int = 0
    steps_false_refuted: int = 0
    steps_false_oracle_error: int = 0
    steps_checked: int = 0
    counterexamples: int = 0
    counterexamples_genuine: int = 0
    ends_checked: int = 0
    oracle_calls: int = 0
    oracle_cache_hits: int = 0
    fallback: int = 0
    by_op: Counter = field(default_factory=Counter)
    accepted_by_op: Counter = field(default_factory=Counter)
    findings: list = field(default_factory=list)
    seconds_vecproof: float = 0.0
    seconds_oracle: float = 0.0

    def kinds(self) -> Counter:
        return Counter(f.kind for f in self.findings)

    def summary(self) -> str:
        lines = [
            f"mutants: {self.mutants} (unparseable: {self.unparsed})",
            f"  accepted by vecproof: {self.accepted}; confirmed equivalent by the oracle: {self.accepted_confirmed}",
            f"  rejected by vecproof: {self.rejected} (as false: {self.rejected_false}; of those, the oracle "
            f"refutes the chain: {self.rejected_refuted}; with another error: {self.rejected_error})",
            f"steps proved: {self.steps_proved}, confirmed by the oracle: {self.steps_proved_confirmed}",
            f"steps false: {self.steps_false}, refuted by the oracle: {self.steps_false_refuted}, "
            f"oracle could not evaluate: {self.steps_false_oracle_error}",
            f"counterexamples re-evaluated: {self.counterexamples}, genuine: {self.counterexamples_genuine}",
            f"steps checked-not-proved (VP205): {self.steps_checked}; chain ends confirmed: {self.ends_checked}",
            f"oracle comparisons: {self.oracle_calls} (+{self.oracle_cache_hits} cached), "
            f"reference fallbacks: {self.fallback}",
            f"time: vecproof {self.seconds_vecproof:.1f} s, oracle {self.seconds_oracle:.1f} s",
            "findings: " + (", ".join(f"{k}: {v}" for k, v in sorted(self.kinds().items())) or "none"),
        ]
        ops = sorted(self.by_op)
        lines.append("by operator (mutants / accepted): " + ", ".join(
            f"{o} {self.by_op[o]}/{self.accepted_by_op[o]}" for o in ops))
        return "\n".join(lines)


class Runner:
    def __init__(self, sizes=(1, 2, 3, 4), budget: float = 20.0, check_false: bool = True):
        self.sizes = tuple(sizes)
        self.budget = budget
        self.check_false = check_false
        self.tally = Tally()
        self._verdicts: dict = {}
        self._comparers: dict = {}

    # -- the oracle, cached per declarations and pair of sides ---------------------------------------
    def comparer(self, decls: Decls) -> Comparer:
        c = self._comparers.get(decls.key)
        if c is None:
            if len(self._comparers) > 64:
                self._comparers.clear()
            c = self._comparers[decls.key] = Comparer(decls, self.sizes)
        return c

    def compare(self, decls: Decls, a: Side, b: Side):
        key = (decls.key, canon(a.node), a.pick, canon(b.node), b.pick)
        got = self._verdicts.get(key)
        if got is not None:
            self.tally.oracle_cache_hits += 1
            return got
        t = time.perf_counter()
        got = self.comparer(decls).compare(a, b, budget=self.budget)
        self.tally.seconds_oracle += time.perf_counter() - t
        self.tally.oracle_calls += 1
        self._verdicts[key] = got
        return got

    # -- one mutant ------------------------------------------------------------------------------------
    def run(self, m: Mutant) -> str:
        """Check one mutant; returns "accepted", "rejected" or "unparsed"."""
        T = self.tally
        T.mutants += 1
        T.by_op[m.op] += 1
        t = time.perf_counter()
        res = check_text(m.text, path=f"<{m.id}>")
        T.seconds_vecproof += time.perf_counter() - t
        # a chain whose end equals the theorem's side only after real work is refused by policy
        # (VP203/VP204 "stops short"), not because anything is false: the oracle has nothing to refute
        codes = {d.code.id for d in res.diagnostics if d.level == Severity.ERROR and not _stops_short(d)}
        for d in res.diagnostics:
            if d.code.id == "VP902":
                T.findings.append(Finding("internal", m, f"line {d.span.line}", d.message))
        if res.tree is None:
            T.unparsed += 1
            T.findings.append(Finding("unparsed-mutant", m, "", "; ".join(d.message for d in res.diagnostics)))
            return "unparsed"
        decls = Decls(res.tree.items)
        theorems = [i for i in res.tree.items if isinstance(i, ast.Theorem)]
        if len(theorems) != len(res.theorems):  # pragma: no cover - check_text keeps the order
            raise AssertionError("theorem results do not match the tree")
        all_ok = True
        relevant = []
        refuted = False
        for th, tr in zip(theorems, res.theorems):
            mine = m.theorem is None or th.name.name == m.theorem
            if mine:
                relevant.append(tr)
            ok, ref = self._theorem(m, decls, th, tr)
            all_ok &= ok
            refuted |= ref and mine
        accepted = bool(relevant) and all(tr.status == "proved" for tr in relevant)
        if m.theorem is None:
            accepted = accepted and res.ok
        if accepted:
            T.accepted += 1
            T.accepted_by_op[m.op] += 1
            if all_ok:
                T.accepted_confirmed += 1
            return "accepted"
        T.rejected += 1
        if codes & REJECT_FALSE:
            T.rejected_false += 1
            if refuted:
                T.rejected_refuted += 1
            else:
                T.findings.append(Finding("rejected-unrefuted", m, "", "vecproof reports "
                                          f"{sorted(codes & REJECT_FALSE)}; the oracle refutes no step and no "
                                          "end of the mutated theorem"))
        elif self.check_false and codes - {"VP205"}:
            T.rejected_error += 1
            # an error other than a false step (a name, shape, index type, unsupported construct, layout):
            # does the oracle find the mutated proof well-typed and true? (not for errors about
            # citations or duplicate declarations, which are not about the expressions)
            if codes - {"VP205"} <= TYPE_ERRORS and self._valid_by_oracle(m, decls, theorems, res.theorems):
                T.findings.append(Finding("true-proof-rejected", m, "", f"vecproof reports {sorted(codes)}; the "
                                          "oracle evaluates every line and finds every step and both ends equal"))
        return "rejected"

    def _valid_by_oracle(self, m, decls, theorems, results) -> bool:
        for th, tr in zip(theorems, results):
            if m.theorem is not None and th.name.name != m.theorem or tr.status == "proved":
                continue
            comp = tuple(i.name for i in th.proof.component) if th.proof.component else None
            if comp and len(set(comp)) < len(comp):  # (k, k) covers only the diagonal (docs/language.md)
                return False
            chain = [th.proof.first] + [s.expr for s in th.proof.steps]
            pairs = [(Side(th.lhs), Side(th.rhs)), (Side(th.lhs, comp), Side(chain[0]))]
            pairs += [(Side(a), Side(b)) for a, b in zip(chain, chain[1:])]
            pairs.append((Side(chain[-1]), Side(th.rhs, comp)))
            for a, b in pairs:
                if self.compare(decls, a, b).status != "equal":
                    return False
        return bool(theorems)

    def _theorem(self, m: Mutant, decls: Decls, th: ast.Theorem, tr) -> tuple[bool, bool]:
        """(every proved step and end confirmed, the oracle refutes some step or end)."""
        T = self.tally
        comp = tuple(i.name for i in th.proof.component) if th.proof.component else None
        chain = [th.proof.first] + [s.expr for s in th.proof.steps]
        ok = True
        refuted = False
        for k, sr in enumerate(tr.steps):
            a, b = chain[k], chain[k + 1]
            where = f"theorem {th.name.name}, step {k + 1} (line {sr.span.line})"
            if sr.status == "proved":
                T.steps_proved += 1
                out = self.compare(decls, Side(a), Side(b))
                status = out.status
                if status == "timeout":
                    status = self._fallback(sr)
                if status.startswith("reference-error"):  # terms the reference does not read (inverses,
                    # functions): the oracle again, without a time limit (a loaded machine timed it out)
                    out = self.comparer(decls).compare(Side(a), Side(b), budget=None)
                    status = out.status
                if status == "equal":
                    T.steps_proved_confirmed += 1
                    continue
                ok = False
                if status == "differ":
                    refuted = True
                    T.findings.append(Finding("soundness", m, where, f"vecproof proved this step; the oracle "
                                              f"finds the sides differ at {out.point}"))
                else:
                    T.findings.append(Finding("proved-oracle-" + status, m, where,
                                              f"vecproof proved this step; the oracle: {out.message}"))
            elif sr.status == "false":
                T.steps_false += 1
                if self.check_false:
                    out = self.compare(decls, Side(a), Side(b))
                    if out.status == "differ":
                        T.steps_false_refuted += 1
                        refuted = True
                    elif out.status == "equal":
                        T.findings.append(Finding("true-step-rejected", m, where,
                                                  "vecproof says false; the oracle finds the sides equal on its grid"))
                    else:
                        T.steps_false_oracle_error += 1
                    self._counterexample(m, decls, a, b, sr, where)
            elif sr.status == "checked":
                T.steps_checked += 1
                out = self.compare(decls, Side(a), Side(b))
                if out.status == "differ":
                    refuted = True
                    T.findings.append(Finding("checked-but-false", m, where,
                                              f"vecproof: checked (VP205); the oracle finds a difference at {out.point}"))
        if tr.status == "proved":
            ends = ((Side(th.lhs, comp), Side(chain[0]), "start"), (Side(chain[-1]), Side(th.rhs, comp), "end"),
                    (Side(th.lhs), Side(th.rhs), "statement"))
            for x, y, which in ends:
                out = self.compare(decls, x, y)
                if out.status == "equal":
                    T.ends_checked += 1
                    continue
                ok = False
                kind = "soundness" if out.status == "differ" else "proved-oracle-" + out.status
                if out.status == "differ":
                    refuted = True
                T.findings.append(Finding(kind, m, f"theorem {th.name.name}, chain {which}",
                                          f"vecproof proved the theorem; the oracle ({which}): "
                                          f"{'they differ at ' + str(out.point) if out.point else out.message}"))
        elif self.check_false and not refuted and m.theorem in (None, th.name.name):
            # why was it rejected? does the oracle refute an end?
            for x, y in ((Side(th.lhs, comp), Side(chain[0])), (Side(chain[-1]), Side(th.rhs, comp))):
                if self.compare(decls, x, y).status == "differ":
                    refuted = True
                    break
        return ok, refuted

    def _fallback(self, sr) -> str:
        from kernel.reference import dims_of, first_difference, size_points  # tests/kernel

        self.tally.fallback += 1
        if sr.before is None or sr.after is None:
            return "timeout"
        per_dim = {d: list(self.sizes) for d in dims_of(sr.before) | dims_of(sr.after)}
        try:
            found = first_difference(sr.before, sr.after, size_points(per_dim))
        except Exception as err:  # noqa: BLE001 - the reference has no value here
            return f"reference-error ({type(err).__name__})"
        return "equal" if found is None else "differ"

    # -- counterexamples -----------------------------------------------------------------------------
    def _counterexample(self, m, decls, a, b, sr, where) -> None:
        T = self.tally
        v = sr.verdict
        cx = getattr(v, "counterexample", None)
        if cx is None:
            return
        T.counterexamples += 1
        try:
            got = evaluate_counterexample(decls, a, b, cx)
        except (OracleError, KeyError, ValueError) as err:
            T.findings.append(Finding("bad-counterexample", m, where, f"the oracle cannot evaluate the "
                                      f"counterexample {cx}: {type(err).__name__}: {err}"))
            return
        lhs, rhs = got
        if getattr(cx, "approximate", False):  # rounded values of disjoint intervals
            close = abs(lhs - float(cx.lhs)) < 1e-5 and abs(rhs - float(cx.rhs)) < 1e-5
            if close and abs(lhs - rhs) > 1e-12:
                T.counterexamples_genuine += 1
            else:
                T.findings.append(Finding("bad-counterexample", m, where, f"vecproof's counterexample {cx} gives, "
                                          f"by the oracle, line before ≈ {lhs}, this line ≈ {rhs}"))
            return
        if lhs == cx.lhs and rhs == cx.rhs and lhs != rhs:
            T.counterexamples_genuine += 1
        else:
            T.findings.append(Finding("bad-counterexample", m, where, f"vecproof's counterexample {cx} gives, by the "
                                      f"oracle, line before = {lhs}, this line = {rhs}"))


_PLAIN = re.compile(r"^(\w+)(?:\[([0-9,]*)\])?$")


def _key_of_symbol_name(name: str, decls: Decls):
    m = _PLAIN.match(name)
    if not m:
        raise ValueError(f"unexpected symbol {name}")
    obj = m.group(1)
    idx = tuple(int(t) for t in m.group(2).split(",")) if m.group(2) else ()
    o = decls.objects.get(obj)
    if o is not None and o.symmetric:
        idx = tuple(sorted(idx))
    return obj, idx


def _oracle_key(atom, decls: Decls):
    if isinstance(atom, sympy.Derivative):
        obj, idx = _key_of_symbol_name(atom.expr.func.__name__, decls)
        derivs = []
        for var, count in atom.variable_count:
            derivs.extend([_key_of_symbol_name(var.name, decls)] * int(count))
        return obj, idx, tuple(sorted(derivs))
    if isinstance(atom, AppliedUndef):
        obj, idx = _key_of_symbol_name(atom.func.__name__, decls)
        return obj, idx, ()
    obj, idx = _key_of_symbol_name(atom.name, decls)
    return obj, idx, ()


def _substitute(e, values: dict, decls: Decls, fn_values: dict | None = None, approximate: bool = False):
    """The value of `e` at the counterexample: exact (a Fraction), or a float when `approximate`
    (exp, log, … evaluated to 30 digits). Declared scalar functions take the values the
    counterexample gives at their arguments (`f′(2) = 3`)."""
    reps = {}
    for d in e.atoms(sympy.Derivative):
        reps[d] = sympy.Integer(values.get(_oracle_key(d, decls), 0))
    e = e.xreplace(reps)
    reps = {f: sympy.Integer(values.get(_oracle_key(f, decls), 0)) for f in e.atoms(AppliedUndef)}
    e = e.xreplace(reps)
    reps = {s: sympy.Integer(values.get(_oracle_key(s, decls), 0)) for s in e.free_symbols}
    e = e.xreplace(reps)

    def given(a):
        name, order = a._vp
        return sympy.Integer(fn_values[f"{name}{'′' * order}({Fraction(int(a.args[0].p), int(a.args[0].q))})"])

    def given_vector(a):
        name, _, at = a._vf
        where = f"[{','.join(map(str, at))}]" if at else ""
        point = ", ".join(str(Fraction(int(x.p), int(x.q))) for x in a.args)
        return sympy.Integer(fn_values[f"{name}{'′' * len(at)}{where}({point})"])

    e = e.replace(lambda a: hasattr(a, "_vf") and isinstance(a, sympy.Function)
                  and all(x.is_Rational for x in a.args), given_vector)
    e = sympy.expand(e.replace(lambda a: hasattr(a, "_vp") and isinstance(a, sympy.Function)
                               and a.args[0].is_Rational, given))
    if approximate and not e.is_Rational:
        return float(sympy.N(e, 30))
    if not e.is_Rational:
        raise ValueError(f"not a number after substitution: {e}")
    return Fraction(int(e.p), int(e.q))


def evaluate_counterexample(decls: Decls, a, b, cx) -> tuple[Fraction, Fraction]:
    """The oracle's values of the two sides at vecproof's counterexample."""
    from kernel.reference import parse_unknown  # tests/kernel

    sizes = {d: 1 for d in decls.symbolic_dims()}
    sizes.update(dict(cx.sizes))
    env, row, col = {}, None, None
    for name, val in cx.free:
        if name == "(row)":
            row = val
        elif name == "(col)":
            col = val
        else:
            env[name] = val
    values, fn_values = {}, {}
    for text, val in cx.values:
        if "(" in text:  # a declared scalar function's value, `f′(2)`
            fn_values[text] = val
            continue
        obj, idx, derivs = parse_unknown(text)
        o = decls.objects.get(obj)
        if o is not None and o.symmetric:
            idx = tuple(sorted(idx))
        values[(obj, idx, tuple(sorted(derivs)))] = val
    o = Oracle(decls, sizes)
    out = []
    for node in (a, b):
        v = o.value(node, env)
        r = (row - 1) if (row is not None and v.rows is not None) else 0
        c = (col - 1) if (col is not None and v.cols is not None) else 0
        if v.rows is not None and row is None or v.cols is not None and col is None:
            if not (v.rows is None and v.cols is None):
                raise ValueError(f"the counterexample names no entry of a {v.shape()} value")
        out.append(_substitute(v.m[r][c], values, decls, fn_values, getattr(cx, "approximate", False)))
    return out[0], out[1]


def run_all(mutants, runner: Runner | None = None, progress=None) -> Tally:
    runner = runner or Runner()
    for k, m in enumerate(mutants):
        runner.run(m)
        if progress and (k + 1) % progress == 0:
            print(f"  {k + 1}/{len(mutants)} mutants, {len(runner.tally.findings)} findings", flush=True)
    return runner.tally

