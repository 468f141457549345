"""Inputs that stress one check (one step, one file), and a driver that times them in a child process.

Run as a script (`python -m robustness.limits_cases NAME…` from tests/, or by path), it checks each
named case with `check_text` and prints one JSON line per case:
{"case", "seconds", "codes", "statuses", "bad": [malformed diagnostics]}, preceded by a "START name"
line, so a parent that times out knows which case hung.
"""

from __future__ import annotations

import json
import sys
import time

HEADER = """layout denominator
dim n
dim c = 3
dim big = 1000000000
index i, j, k, l, p, q : n
index a, b : c
index g : big
var x : vector(n)
const A : matrix(n, n)
const S : matrix(n, n) symmetric
const y : vector(n)
func u(x) : vector(n)
func f(x) : scalar
"""


def theorem(lhs: str, rhs: str, comp: str = "", rule: str = "algebra") -> str:
    return HEADER + f"theorem t:\n  {lhs} = {rhs}\nproof{comp}:\n  {lhs}\n  = {rhs} by {rule}\nqed\n"


def _literal(k: int) -> str:
    return "[" + "; ".join(", ".join(str(r * k + c) for c in range(k)) for r in range(k)) + "]"


def _cases() -> dict:
    sums6 = "sum(i, sum(j, sum(k, sum(l, sum(p, sum(q, A[i,j] A[j,k] A[k,l] A[l,p] A[p,q] A[q,i]))))))"
    return {
        "deep_parens_3000": theorem("(" * 3000 + "x" + ")" * 3000, "x"),
        "deep_parens_50000": theorem("(" * 50_000 + "x" + ")" * 50_000, "x"),
        "deep_brackets_20000": theorem("[" * 20_000 + "1" + "]" * 20_000, "1"),
        "deep_norms_3000": theorem("‖" * 3000 + "x" + "‖²" * 3000, "x^T x"),
        "long_flat_sum_3000": theorem(" + ".join(["x"] * 3000), "3000 x"),
        "long_product_3000": theorem(" ".join(["(x^T x)"] * 3000), "(x^T x)^3000"),
        "power_of_scalar_60": theorem("(x^T x)^60", "(x^T x)^60 + 0"),
        "matrix_power_64": theorem("A^64 x", "A^64 x + 0 x"),
        "exponent_99999999": theorem("(x^T x)^99999999", "(x^T x)^99999999"),
        "six_nested_sums": theorem(sums6, "tr(A^6)"),
        "sum_over_10^9": theorem("sum(g, 1)", "big"),
        "entry_10^9": theorem("sum(g, delta(g, g))", "big"),
        "gradient_of_8th_power": theorem("grad((x^T A x)^8)", "8 (x^T A x)^7 (A + A^T) x"),
        "partial_of_30th_power": theorem("d((x^T x)^30)/dx[k]", "60 (x^T x)^29 x[k]"),
        "ten_derivatives": theorem("d/dx[i] " * 10 + "(x^T x)^5", "0"),
        "huge_integer": theorem("1" * 5000 + " x", "1" * 5000 + " x"),
        "division_by_huge": theorem("x / " + "9" * 5000, "x / " + "9" * 5000),
        "literal_25x25": theorem("2 * " + _literal(25), _literal(25) + " + " + _literal(25)),
        "many_theorems_500": HEADER + "".join(
            f"theorem t{k}:\n  x^T A x = x^T A^T x\nproof:\n  x^T A x\n  = x^T A^T x by algebra\nqed\n" for k in range(500)),
        "long_chain_3000": HEADER + "theorem t:\n x = x\nproof:\n x\n" + "   = x by algebra\n" * 3000 + "qed\n",
        "long_line_comment_1MB": HEADER + "#" + "x" * 1_000_000 + "\n" + "theorem t:\n x = x\nproof:\n x\nqed\n",
        "many_declarations_20000": "dim n\nindex i : n\n" + "".join(f"const c{k} : vector(n)\n" for k in range(20_000))
        + "theorem t:\n  c19999[i] = c19999[i]\nproof:\n  c19999[i]\nqed\n",
        "many_indices_in_one_term": theorem(
            "sum(i, sum(j, sum(k, sum(l, sum(p, sum(q, S[i,j] S[j,k] S[k,l] S[l,p] S[p,q] S[q,i] x[i] x[j] x[k] x[l] x[p] x[q]))))))",
            "sum(i, sum(j, sum(k, sum(l, sum(p, sum(q, S[j,i] S[k,j] S[l,k] S[p,l] S[q,p] S[i,q] x[i] x[j] x[k] x[l] x[p] x[q]))))))"),
        "unicode_soup": theorem("∇ ‖x‖²", "2 x") + "∂∂∂‖‖ᵀᵀ²²ΣΣδδ∇∇\n",
    }


CASES = _cases()


def run_case(name: str) -> dict:
    from vecproof.checker import check_text
    from vecproof.diagnostics import CODES

    text = CASES[name]
    t = time.perf_counter()
    r = check_text(text)
    seconds = time.perf_counter() - t
    lines = text.split("\n")
    bad = []
    for d in r.diagnostics:
        sp = d.span
        ok = (d.code.id in CODES and sp.line >= 1 and sp.col >= 1 and sp.line <= len(lines)
              and sp.col <= len(lines[sp.line - 1]) + 1 and (sp.end_line, sp.end_col) >= (sp.line, sp.col))
        if not ok or d.code.id == "VP902":
            bad.append(f"{d.code.id} {sp}: {d.message[:200]}")
    return {"case": name, "seconds": round(seconds, 3), "codes": sorted({d.code.id for d in r.diagnostics}),
            "statuses": [t.status for t in r.theorems][:5], "bad": bad,
            "messages": sorted({f"{d.code.id}: {d.message[:160]}" for d in r.diagnostics
                                if d.code.id in ("VP901", "VP902", "VP208")})[:3]}


def main(names) -> None:
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 1000))
    for name in names or list(CASES):
        print(f"START {name}", flush=True)
        print(json.dumps(run_case(name), ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
