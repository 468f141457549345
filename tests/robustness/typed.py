"""Random well-typed pairs of .vproof expressions, equal by the documented semantics (and near misses).

`pairs(layout)` draws two texts t1, t2 of the same shape that denote the same value by
docs/language.md: every production renders its operands twice, the second time through an identity
(a + b = b + a; (A B)ᵀ = Bᵀ Aᵀ; uᵀv = vᵀu = dot(u, v); ‖v‖² = vᵀv = Σ_i v[i]²; tr A = tr Aᵀ = Σ_i A[i,i];
S = Sᵀ for a symmetric S; ∂f/∂x[k] = grad(f)[k] = D(f)[k]; D(u) = ∂u/∂x or (∂u/∂x)ᵀ by the layout;
grad f = ∂f/∂x or its transpose by the layout; A[i, j] = Aᵀ[j, i]; δ(i,k) = δ(k,i); …). The
differential test (test_differential.py) checks `t1 = t2` with vecproof, optionally after one source
mutation of t2 (tests/robustness/mutants.py), and compares with the oracle.

Declarations (HEADER): symbolic n, m and concrete c = 2; x ∈ ℝⁿ is the variable; constants A (n×n),
S (n×n symmetric), B (m×n), C (c×n), y (n), w (m), z (c), s (scalar); functions of x: u (m), v (n),
f (scalar), G (m×n). Free indices k : n, q : m, b : c; bound ones i, j, h : n, p, r : m, a : c.
"""

from __future__ import annotations

from hypothesis import strategies as st

HEADER = """layout {layout}
dim n, m
dim c = 2
dim e = 2
index i, j, h, k : n
index p, r, q : m
index a, b : c
index g : e
var x : vector(n)
{extra}const A : matrix(n, n)
const S : matrix(n, n) symmetric
const B : matrix(m, n)
const C : matrix(c, n)
const y : vector(n)
const w : vector(m)
const z : vector(c)
const s : scalar
func u(x) : vector(m)
func v(x) : vector(n)
func f(x) : scalar
func G(x) : matrix(m, n)
const ze : vector(e)
"""
# with a second variable, every derivative must name its variable (grad(f, x), D(u, x))
EXTRA_X = """var X : matrix(n, m)
func H(X) : scalar
"""

DIMS = ("n", "m", "c")
# e has the size of c: shapes and index types agree across them (docs: concrete dimensions of the
# same size), so e-vectors and e-indices may stand where c ones do and vice versa
FREE = {"n": ["k"], "m": ["q"], "c": ["b", "1", "2", "g"]}
BOUND = {"n": ["i", "j", "h"], "m": ["p", "r"], "c": ["a"]}
VEC = {"n": ["x", "y", "v"], "m": ["w", "u"], "c": ["z", "ze"]}
CONST_VEC = {"n": "y", "m": "w", "c": "z"}
MAT = {("n", "n"): ["A", "S"], ("m", "n"): ["B", "G"], ("c", "n"): ["C"],
       ("n", "m"): ["B^T", "G^T"], ("n", "c"): ["C^T"]}


def P(t: str) -> str:
    return f"({t})"


class _Gen:
    def __init__(self, draw, layout: str, with_X: bool = False):
        self.draw = draw
        self.layout = layout
        self.with_X = with_X
        self.var = ", x" if with_X else ""  # name the variable when there are two

    def grad(self, t):
        return f"grad({t}{self.var})"

    def D(self, t):
        return f"D({t}{self.var})"

    def choice(self, options, label=None):
        return self.draw(st.sampled_from(options), label=label)

    def coin(self, p=0.5) -> bool:
        return self.draw(st.booleans()) if p == 0.5 else self.draw(st.floats(0, 1)) < p

    # -- indices -----------------------------------------------------------------------------------
    def index(self, dim, scope):
        return self.choice(FREE[dim] + scope.get(dim, []))

    def free_bound(self, dim, scope):
        """A bound index name of `dim` not in scope (so no capture), or None."""
        names = [x for x in BOUND[dim] if x not in scope.get(dim, [])]
        return self.choice(names) if names else None

    def bind(self, dim, scope):
        """A name to bind: mostly unused ones, sometimes one already in scope (shadowing)."""
        name = self.choice(BOUND[dim])
        out = {d: list(v) for d, v in scope.items()}
        out.setdefault(dim, [])
        if name not in out[dim]:
            out[dim].append(name)
        return name, out

    # -- scalars ------------------------------------------------------------------------------------
    def scalar(self, depth, scope):
        if depth <= 0 or self.coin(0.25):
            return self.scalar_leaf(scope)
        kinds = ["add", "sub", "mul", "scale", "pow", "div", "inner", "norm", "frob", "trace", "ventry", "mentry",
                 "quad", "sum", "partial", "jac", "delta", "neg", "grad_entry", "prod_rule", "linear", "chain_sq",
                 "mixed", "collapse", "const_sum", "sprod", "dinner", "dmentry", "cube"]
        if self.with_X:
            kinds += ["dX", "dX", "frobX"]
        kind = self.choice(kinds)
        d = depth - 1
        if kind in ("prod_rule", "linear", "chain_sq", "mixed", "cube"):
            ix = self.index("n", scope)
            a1, a2 = self.scalar(d, scope)
            if kind == "chain_sq":
                return f"d(({a1})^2)/dx[{ix}]", f"2 {P(a2)} d({a2})/dx[{ix}]"
            if kind == "cube":
                return f"{P(a1)}^3", self.choice([f"{P(a2)} {P(a2)} {P(a2)}", f"{P(a2)}^2 * {P(a2)}"])
            if kind == "mixed":
                i2 = self.index("n", scope)
                return f"d(d({a1})/dx[{ix}])/dx[{i2}]", f"d(d({a2})/dx[{i2}])/dx[{ix}]"
            b1, b2 = self.scalar(d, scope)
            if kind == "linear":
                return f"d({P(a1)} + {P(b1)})/dx[{ix}]", f"d({a2})/dx[{ix}] + d({b2})/dx[{ix}]"
            return (f"d({P(a1)} {P(b1)})/dx[{ix}]",
                    f"(d({a2})/dx[{ix}]) {P(b2)} + {P(a2)} (d({b2})/dx[{ix}])")
        if kind == "collapse":
            dim = self.choice(["n", "m"])
            i = self.free_bound(dim, scope)
            if i is not None:
                ix = self.index(dim, scope)
                ph = {dd: list(v) for dd, v in scope.items()}
                ph[dim] = ph.get(dim, []) + ["IDX0"]
                e1, e2 = self.scalar(d, ph)
                if f"sum({i}," not in e1 + e2 and f"sum({ix}," not in e1 + e2:
                    left = f"sum({i}, " + self.choice([f"delta({i}, {ix})", f"delta({ix}, {i})"]) + \
                        f" {P(e1.replace('IDX0', i))})"
                    return left, e2.replace("IDX0", ix)
            kind = "delta"
        if kind == "const_sum":
            dim = self.choice(DIMS)
            i = self.free_bound(dim, scope)
            if i is not None:
                a1, a2 = self.scalar(d, scope)
                return f"sum({i}, {a1})", self.choice([f"{dim} {P(a2)}", f"{P(a2)} * {dim}"])
            kind = "delta"
        if kind == "sprod":
            a1, a2 = self.scalar(d, scope)
            return f"s {P(a1)}", f"s{P(a2)}"  # `s(…)`: a product written as a call (s is not a function)
        if kind == "dinner":
            dim = self.choice(DIMS)
            v1, v2 = self.vector(dim, d, scope)
            cv = CONST_VEC[dim]
            ix = self.index("n", scope)
            return f"d({P(v1)}^T {cv})/dx[{ix}]", f"(({self.D(v2)})^T {cv})[{ix}]"
        if kind == "dmentry":
            d1, d2 = self.choice(sorted(MAT))
            m1, m2 = self.matrix(d1, d2, d, scope)
            r, c, ix = self.index(d1, scope), self.index(d2, scope), self.index("n", scope)
            return f"(d({m1})/dx[{ix}])[{r}, {c}]", f"d({P(m2)}[{r}, {c}])/dx[{ix}]"
        if kind == "dX":
            a1, a2 = self.scalar(d, scope)
            i, pp = self.index("n", scope), self.index("m", scope)
            g = f"grad({a2}, X)"
            right = f"({g})[{i}, {pp}]" if self.layout == "denominator" else f"({g})[{pp}, {i}]"
            return f"d({a1})/dX[{i}, {pp}]", self.choice([right, f"(d({a2})/dX)" + right[len(g) + 2:]])
        if kind == "frobX":
            i, pp = self.index("n", scope), self.index("m", scope)
            g = "grad(‖X‖_F², X)"
            return (f"({g})[{i}, {pp}]" if self.layout == "denominator" else f"({g})[{pp}, {i}]"), f"2 X[{i}, {pp}]"
        if kind in ("add", "sub", "mul", "scale", "pow", "div", "neg"):
            a1, a2 = self.scalar(d, scope)
            if kind == "neg":
                return f"-{P(a1)}", f"(-1) * {P(a2)}"
            if kind == "scale":
                return f"2 {P(a1)}", f"{P(a2)} + {P(a2)}"
            if kind == "pow":
                return f"{P(a1)}^2", f"{P(a2)} {P(a2)}"
            if kind == "div":
                return f"{P(a1)} / 2", f"(1 / 2) {P(a2)}"
            b1, b2 = self.scalar(d, scope)
            if kind == "add":
                return f"{P(a1)} + {P(b1)}", f"{P(b2)} + {P(a2)}"
            if kind == "sub":
                return f"{P(a1)} - {P(b1)}", f"-{P(b2)} + {P(a2)}"
            return f"{P(a1)} {P(b1)}", f"{P(b2)} * {P(a2)}"
        if kind == "inner":
            dim = self.choice(DIMS)
            (u1, u2), (v1, v2) = self.vector(dim, d, scope), self.vector(dim, d, scope)
            return f"{P(u1)}^T {P(v1)}", self.choice([f"{P(v2)}^T {P(u2)}", f"dot({u2}, {v2})"])
        if kind == "norm":
            dim = self.choice(DIMS)
            v1, v2 = self.vector(dim, d, scope)
            alts = [f"{P(v2)}^T {P(v2)}", f"‖{v2}‖²", f"norm({v2})^2", f"||{v2}||^2"]
            i = self.free_bound(dim, scope)
            if i is not None:
                alts.append(f"sum({i}, ({P(v2)}[{i}])^2)")
            return f"‖{v1}‖^2", self.choice(alts)
        if kind == "frob":
            d1, d2 = self.choice(sorted(MAT))
            m1, m2 = self.matrix(d1, d2, d, scope)
            return f"‖{m1}‖_F^2", self.choice([f"tr({P(m2)}^T {P(m2)})", f"normF({m2})^2", f"||{m2}||_F^2"])
        if kind == "trace":
            m1, m2 = self.matrix("n", "n", d, scope)
            alts = [f"tr({P(m2)}^T)", f"tr({m2})"]
            i = self.free_bound("n", scope)
            if i is not None:
                alts.append(f"sum({i}, {P(m2)}[{i}, {i}])")
            return f"tr({m1})", self.choice(alts)
        if kind == "ventry":
            dim = self.choice(DIMS)
            v1, v2 = self.vector(dim, d, scope)
            ix = self.index(dim, scope)
            return f"{P(v1)}[{ix}]", self.choice([f"({P(v2)}^T)[{ix}]", f"{P(v2)}[{ix}]", f"{P(v2)}[{ix}, 1]",
                                                  f"({P(v2)}^T)[1, {ix}]"])
        if kind == "mentry":
            d1, d2 = self.choice(sorted(MAT))
            m1, m2 = self.matrix(d1, d2, d, scope)
            r, c = self.index(d1, scope), self.index(d2, scope)
            alts = [f"({P(m2)}^T)[{c}, {r}]", f"{P(m2)}[{r}, {c}]"]
            i = self.free_bound(d1, scope)
            if i is not None and d1 != "c":
                alts.append(f"sum({i}, delta({i}, {r}) {P(m2)}[{i}, {c}])")
            return f"{P(m1)}[{r}, {c}]", self.choice(alts)
        if kind == "quad":
            v1, v2 = self.vector("n", d, scope)
            m1, m2 = self.matrix("n", "n", d, scope)
            return f"{P(v1)}^T {P(m1)} {P(v1)}", f"{P(v2)}^T ({P(m2)}^T) {P(v2)}"
        if kind == "sum":
            dim = self.choice(DIMS)
            i, inner = self.bind(dim, scope)
            b1, b2 = self.scalar(d, inner)
            if self.coin(0.3):
                j, inner2 = self.bind(self.choice(DIMS), inner)
                c1, c2 = self.scalar(d, inner2)
                return f"sum({i}, sum({j}, {c1}))", f"sum({j}, sum({i}, {c2}))" if j != i else f"sum({i}, sum({j}, {c2}))"
            return f"sum({i}, {b1})", f"sum({i}, {b2})"
        if kind == "partial":
            a1, a2 = self.scalar(d, scope)
            ix = self.index("n", scope)
            return f"d({a1})/dx[{ix}]", self.choice([f"({self.grad(a2)})[{ix}]", f"({self.D(a2)})[{ix}]",
                                                     f"(d/dx[{ix}] {P(a2)})", f"(∂({a2})/∂x[{ix}])"])
        if kind == "grad_entry":
            a1, a2 = self.scalar(d, scope)
            ix = self.index("n", scope)
            return f"(grad({a1}, x))[{ix}]", f"({self.grad(a2)})[{ix}]" if self.with_X else f"(∇ {P(a2)})[{ix}]"
        if kind == "jac":
            dim = self.choice(["n", "m"])
            v1, v2 = self.vector(dim, d, scope)
            r, c = self.index(dim, scope), self.index("n", scope)
            return f"({self.D(v1)})[{r}, {c}]", self.choice([f"d({P(v2)}[{r}])/dx[{c}]", f"(D({v2}, x))[{r}, {c}]"])
        # delta
        dim = self.choice(["n", "m"])
        i1, i2 = self.index(dim, scope), self.index(dim, scope)
        return f"delta({i1}, {i2})", self.choice([f"delta({i2}, {i1})", f"δ({i1}, {i2})"])

    def scalar_leaf(self, scope):
        kind = self.choice(["obj", "num", "dim", "vent", "ment", "sym"] + (["X"] if self.with_X else []))
        if kind == "obj":
            o = self.choice(["s", "f"] + (["H"] if self.with_X else []))
            return o, o
        if kind == "X":
            i, pp = self.index("n", scope), self.index("m", scope)
            return f"X[{i}, {pp}]", f"(X^T)[{pp}, {i}]"
        if kind == "num":
            k = self.choice(["1", "2", "3"])
            return k, k
        if kind == "dim":
            dim = self.choice(["n", "m", "c"])
            i = self.free_bound(dim, scope) if dim != "c" else None
            if i is not None and self.coin():
                return dim, f"sum({i}, 1)"
            return dim, dim
        if kind == "vent":
            dim = self.choice(DIMS)
            o = self.choice(VEC[dim])
            ix = self.index(dim, scope)
            return f"{o}[{ix}]", self.choice([f"{o}[{ix}]", f"({o}^T)[{ix}]"])
        if kind == "sym":
            i1, i2 = self.index("n", scope), self.index("n", scope)
            return f"S[{i1}, {i2}]", f"S[{i2}, {i1}]"
        d1, d2 = self.choice([("n", "n"), ("m", "n"), ("c", "n")])
        o = self.choice(MAT[(d1, d2)])
        r, c = self.index(d1, scope), self.index(d2, scope)
        return f"{o}[{r}, {c}]", f"({o}^T)[{c}, {r}]"

    # -- vectors (columns) --------------------------------------------------------------------------
    def vector(self, dim, depth, scope):
        if depth <= 0 or self.coin(0.3):
            o = self.choice(VEC[dim])
            if dim == "c" and self.coin(0.3):
                e1, e2 = self.scalar(0, scope), self.scalar(0, scope)
                return f"[{e1[0]}; {e2[0]}]", f"[{e1[1]}; {e2[1]}]"
            return o, self.choice([o, f"({o}^T)^T"])
        kind = self.choice(["add", "scale", "matvec", "col", "grad", "row_t", "neg", "quad_grad", "callprod"])
        d = depth - 1
        if kind == "quad_grad" and dim == "n":
            mname = self.choice(["A", "S"])
            g = self.grad(f"x^T {mname} x")
            rhs = self.choice([f"({mname} + {mname}^T) x", f"{mname} x + {mname}^T x"]) if mname == "A" else \
                self.choice(["2 S x", "S x + S^T x"])
            return (g if self.layout == "denominator" else f"({g})^T"), rhs
        if kind == "callprod" and dim in ("n", "m"):
            mname = self.choice(MAT[(dim, "n")])
            v1, v2 = self.vector("n", d, scope)
            if mname in ("A", "S", "B"):
                return f"{mname} {P(v1)}", f"{mname}{P(v2)}"  # `A(v)`: a product written as a call
            return f"{mname} {P(v1)}", f"{mname} {P(v2)}"
        if kind in ("add", "neg"):
            a1, a2 = self.vector(dim, d, scope)
            if kind == "neg":
                return f"-{P(a1)}", f"(-1) {P(a2)}"
            b1, b2 = self.vector(dim, d, scope)
            return f"{P(a1)} + {P(b1)}", f"{P(b2)} + {P(a2)}"
        if kind == "scale":
            s1, s2 = self.scalar(d, scope)
            a1, a2 = self.vector(dim, d, scope)
            return f"{P(s1)} {P(a1)}", f"{P(a2)} * {P(s2)}"
        if kind == "matvec":
            inner = self.choice(DIMS)
            if (dim, inner) not in MAT and not (dim == inner):
                inner = "n"
            m1, m2 = self.matrix(dim, inner, d, scope)
            v1, v2 = self.vector(inner, d, scope)
            return f"{P(m1)} {P(v1)}", f"({P(v2)}^T {P(m2)}^T)^T"
        if kind == "col":
            m1, m2 = self.matrix(dim, "n", d, scope)
            ix = self.index("n", scope)
            return f"{P(m1)}[:, {ix}]", f"(({P(m2)}^T)[{ix}, :])^T"
        if kind == "grad" and dim == "n":
            s1, s2 = self.scalar(d, scope)
            g = self.grad(s1)
            if self.layout == "denominator":
                return g, self.choice([f"d({s2})/dx", f"({self.D(s2)})^T"] + ([] if self.with_X else [f"∇ {P(s2)}"]))
            return f"{g}^T", self.choice([f"(d({s2})/dx)^T", f"({self.D(s2)})^T"])
        r1, r2 = self.row(dim, d, scope)
        return f"{P(r1)}^T", f"{P(r2)}^T"

    def row(self, dim, depth, scope):
        if depth <= 0 or self.coin(0.4):
            v1, v2 = self.vector(dim, max(0, depth - 1), scope)
            return f"{P(v1)}^T", f"{P(v2)}^T"
        kind = self.choice(["vecmat", "jac", "grad", "rowof"])
        d = depth - 1
        if kind == "vecmat":
            inner = self.choice([e for e in DIMS if (e, dim) in MAT] or ["n"])
            v1, v2 = self.vector(inner, d, scope)
            m1, m2 = self.matrix(inner, dim, d, scope)
            return f"{P(v1)}^T {P(m1)}", f"({P(m2)}^T {P(v2)})^T"
        if kind in ("jac", "grad") and dim == "n":
            s1, s2 = self.scalar(d, scope)
            if kind == "jac":
                return self.D(s1), f"({self.grad(s2)})" + ("^T" if self.layout == "denominator" else "")
            return f"(d({s1})/dx)" + ("^T" if self.layout == "denominator" else ""), self.D(s2)
        d1 = self.choice([e for e in DIMS if (e, dim) in MAT] or ["n"])
        m1, m2 = self.matrix(d1, dim, d, scope)
        ix = self.index(d1, scope)
        return f"{P(m1)}[{ix}, :]", f"(({P(m2)}^T)[:, {ix}])^T"

    # -- matrices -----------------------------------------------------------------------------------
    def matrix(self, d1, d2, depth, scope):
        leaves = MAT.get((d1, d2))
        if depth <= 0 or (leaves and self.coin(0.3)):
            if leaves:
                o = self.choice(leaves)
                if o == "S":
                    return "S", self.choice(["S^T", "S"])
                return o, self.choice([o, f"({o}^T)^T"])
            v1, v2 = self.vector(d1, 0, scope)
            r1, r2 = self.row(d2, 0, scope)
            return f"{P(v1)} {P(r1)}", f"({P(r2)}^T {P(v2)}^T)^T"
        kind = self.choice(["add", "scale", "matmul", "outer", "transpose", "jac", "dvec", "pow", "jac_const",
                            "jac_scale"])
        d = depth - 1
        if kind == "jac_const" and d2 == "n":
            inner = self.choice(DIMS)
            consts = [o for o in MAT.get((d1, inner), []) if o not in ("G", "G^T")]
            if consts:
                mname = self.choice(consts)
                v1, v2 = self.vector(inner, d, scope)
                return self.D(f"{mname} {P(v1)}"), f"{mname} {self.D(v2)}"
        if kind == "jac_scale" and d2 == "n":
            s1, s2 = self.scalar(d, scope)
            v1, v2 = self.vector(d1, d, scope)
            return self.D(f"{P(s1)} {P(v1)}"), f"{P(v2)} {self.D(s2)} + {P(s2)} {self.D(v2)}"
        if kind == "add":
            a1, a2 = self.matrix(d1, d2, d, scope)
            b1, b2 = self.matrix(d1, d2, d, scope)
            return f"{P(a1)} + {P(b1)}", f"{P(b2)} + {P(a2)}"
        if kind == "scale":
            s1, s2 = self.scalar(d, scope)
            a1, a2 = self.matrix(d1, d2, d, scope)
            return f"{P(s1)} {P(a1)}", f"{P(a2)} * {P(s2)}"
        if kind == "matmul":
            inner = self.choice(DIMS)
            a1, a2 = self.matrix(d1, inner, d, scope)
            b1, b2 = self.matrix(inner, d2, d, scope)
            return f"{P(a1)} {P(b1)}", f"({P(b2)}^T {P(a2)}^T)^T"
        if kind == "outer":
            v1, v2 = self.vector(d1, d, scope)
            r1, r2 = self.row(d2, d, scope)
            return f"{P(v1)} {P(r1)}", f"({P(r2)}^T {P(v2)}^T)^T"
        if kind == "transpose":
            a1, a2 = self.matrix(d2, d1, d, scope)
            return f"{P(a1)}^T", f"{P(a2)}ᵀ"
        if kind == "jac" and d2 == "n":
            v1, v2 = self.vector(d1, d, scope)
            if self.layout == "numerator":
                return self.D(v1), f"d({v2})/dx"
            return self.D(v1), f"(d({v2})/dx)^T"
        if kind == "dvec" and "n" in (d1, d2):
            if self.layout == "numerator" and d2 == "n":
                v1, v2 = self.vector(d1, d, scope)
                return f"d({v1})/dx", f"D({v2}, x)"
            if self.layout == "denominator" and d1 == "n":
                v1, v2 = self.vector(d2, d, scope)
                return f"∂({v1})/∂x", f"({self.D(v2)})^T"
        if kind == "pow" and d1 == d2:
            a1, a2 = self.matrix(d1, d2, d, scope)
            return f"{P(a1)}^2", f"{P(a2)} {P(a2)}"
        return self.matrix(d1, d2, 0, scope)


SHAPES = [("S",), ("V", "n"), ("V", "m"), ("V", "c"), ("R", "n"), ("M", "n", "n"), ("M", "m", "n"),
          ("M", "n", "m"), ("M", "c", "n")]


@st.composite
def pairs(draw, max_depth: int = 3):
    """(layout, with_X, shape, t1, t2) with t1 and t2 equal by the documented semantics."""
    layout = draw(st.sampled_from(["numerator", "denominator"]), label="layout")
    with_X = draw(st.booleans(), label="with X")
    g = _Gen(draw, layout, with_X)
    shape = draw(st.sampled_from(SHAPES), label="shape")
    depth = draw(st.integers(1, max_depth), label="depth")
    scope: dict = {}
    if shape[0] == "S":
        t1, t2 = g.scalar(depth, scope)
    elif shape[0] == "V":
        t1, t2 = g.vector(shape[1], depth, scope)
    elif shape[0] == "R":
        t1, t2 = g.row(shape[1], depth, scope)
    else:
        t1, t2 = g.matrix(shape[1], shape[2], depth, scope)
    return layout, with_X, shape, t1, t2


def component_names(shape) -> list[list[str]]:
    """For each component slot of `shape`, the index names a proof may use (all of the slot's
    dimension: free and bound names alike, so a component index can collide with an index of the
    expressions, or with the other component index)."""
    dims = {"V": [shape[1:2]], "R": [shape[1:2]], "M": [shape[1:2], shape[2:3]]}.get(shape[0], [])
    return [FREE[d[0]][:1] + BOUND[d[0]] + (["g"] if d[0] == "c" else []) for d in dims]


def theorem_text(layout: str, with_X: bool, t1: str, t2: str, comp: tuple | None = None) -> str:
    head = HEADER.format(layout=layout, extra=EXTRA_X if with_X else "")
    if comp:
        spec = comp[0] if len(comp) == 1 else f"({', '.join(comp)})"
        ix = ", ".join(comp)
        return head + (f"\ntheorem t:\n  {t1}\n  = {t2}\nproof (component {spec}):\n  ({t1})[{ix}]\n"
                       f"  = ({t2})[{ix}]    by algebra\nqed\n")
    return head + f"\ntheorem t:\n  {t1}\n  = {t2}\nproof:\n  {t1}\n  = {t2}    by algebra\nqed\n"
