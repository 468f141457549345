"""`vecproof derive`: proofs written for theorems that have none, checked by the unchanged checker.

Each curated file is stripped of its proofs, derived, and checked again as a user would (exit 0, no
warning even in exercise mode, no step citing `algebra`)."""

import subprocess
import sys
from pathlib import Path

import pytest

from vecproof.checker import check_text
from vecproof.derive import generate
from vecproof.derive.file import derive_text
from vecproof.frontends.cli import main
from vecproof.options import CheckOptions
from vecproof.syntax import ast
from vecproof.syntax.parser import parse

ROOT = Path(__file__).resolve().parents[2]
CURATED = [
    "examples/000_vector_derivatives.vproof",
    "examples/002_product_rules.vproof",
    "examples/002_worked_dot_product.vproof",
    "examples/003_identity_and_hessian.vproof",
    "examples/004_scalar_variable.vproof",
    "examples/ml/logistic_regression.vproof",
    "vecproof/library/forms.vproof",
    "vecproof/library/norms.vproof",
    "vecproof/library/traces.vproof",
]


def strip_proofs(text: str) -> str:
    """`text` without its `proof … qed` blocks (cut at the positions the parser gives them)."""
    lines = text.split("\n")
    items = []
    for item in parse(text).items:
        items.extend(item if isinstance(item, list) else [item])
    for th in reversed([i for i in items if isinstance(i, ast.Theorem)]):
        p = th.proof.span
        lines[p.line - 1:p.end_line] = [lines[p.line - 1][:p.col - 1] + lines[p.end_line - 1][p.end_col - 1:]]
    return "\n".join(lines)


def derive_cli(capsys, *args) -> tuple[int, str, str]:
    code = main(["derive", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.slow  # ~5 s: every curated file derived, then one `vecproof check` run over them
def test_derived_curated_files_pass_vecproof_check_in_exercise_mode(tmp_path, capsys):
    for n, name in enumerate(CURATED):
        f = tmp_path / f"stripped{n}.vproof"
        f.write_text(strip_proofs((ROOT / name).read_text()))
        code, out, err = derive_cli(capsys, str(f), "--in-place")
        assert code == 0, (name, err)
    run = subprocess.run([sys.executable, "-m", "vecproof", "check", str(tmp_path), "--no-cache", "--exercise",
                          "--strict", "-q"], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert f"{len(CURATED)} files" in run.stdout


@pytest.mark.parametrize("name", CURATED)
def test_derived_proofs_of_curated_files_check_clean_in_exercise_mode(name, tmp_path, capsys):
    stripped = strip_proofs((ROOT / name).read_text())
    assert "qed" not in stripped
    f = tmp_path / "stripped.vproof"
    f.write_text(stripped)
    code, out, err = derive_cli(capsys, str(f))
    assert code == 0, err
    assert "by algebra" not in out and "algebra" not in {c for line in out.split("\n") if " by " in line
                                                         for c in line.split(" by ")[1].split(", ")}
    result = check_text(out, "derived.vproof", options=CheckOptions(exercise=True))
    assert [d.code.id for d in result.diagnostics] == []
    assert result.theorems and all(t.status == "proved" for t in result.theorems)
    assert out.count("\nqed") == len(result.theorems)  # a proof under every theorem


def test_expr_quadratic_form_states_the_matrix_form_and_checks(tmp_path):
    run = subprocess.run([sys.executable, "-m", "vecproof", "derive", "--expr", "grad(x^T A x, x)"],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "grad(x^T A x, x) = (A + A^T) x" in run.stdout
    assert "by gradient_def" in run.stdout and "by product_rule" in run.stdout and "by index_collapse" in run.stdout
    assert "algebra" not in run.stdout
    f = tmp_path / "derived.vproof"
    f.write_text(run.stdout)
    check = subprocess.run([sys.executable, "-m", "vecproof", "check", str(f), "--no-cache", "--exercise"],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout


@pytest.mark.parametrize("expr, rhs", [
    ("grad(‖x‖², x)", "2 x"),
    ("d(A x)/dx", "A^T"),
    ("grad(‖X‖_F², X)", "2 X"),
    ("grad(x^T S x, x)", "2 S x"),
    ("grad(a^T X b, X)", "a b^T"),
    ("grad(tr(X^T A X), X)", "(A + A^T) X"),
    ("hess(x^T A x, x)", "A + A^T"),
    ("grad(‖A x - b‖², x)", "2 A^T (A x - b)"),
    ("grad((x - a)^T A (x - a), x)", "(A + A^T) (x - a)"),
    ("d(x)/dx", "I(n)"),
    ("hess(‖x‖², x)", "2 I(n)"),
    ("grad(exp(a^T x), x)", "exp(a^T x) a"),
    ("grad(tr(A X B), X)", "A^T B^T"),
    ("hess(sum(i, a[i] x[i]^2), x)", "2 diag(a)"),
    ("grad(logsumexp(x), x)", "softmax(x)"),
    ("D(softmax(x), x)", "diag(softmax(x)) - softmax(x) softmax(x)^T"),
    ("grad(sigmoid(a^T x), x)", "(1 - sigmoid(a^T x)) sigmoid(a^T x) a"),
    ("grad(a^T inv(X) b, X)", "-inv(X)^T a b^T inv(X)^T"),
    ("grad(logdet(X), X)", "inv(X)^T"),
])
def test_expr_recollects_into_matrix_notation(expr, rhs, capsys):
    code, out, err = derive_cli(capsys, "--expr", expr)
    assert code == 0, err
    assert f"{expr} = {rhs}\n" in out
    assert check_text(out, options=CheckOptions(exercise=True)).passed()


def test_expr_without_matrix_form_says_so_and_still_checks(capsys):
    code, out, err = derive_cli(capsys, "--expr", "grad(sum(i, x[i]^3) + x^T x, x)")
    assert code == 0, err
    assert "# " in out and "matrix" in out
    assert check_text(out, options=CheckOptions(exercise=True)).passed()


def test_expr_entrywise_results_use_hadamard_and_say_so(capsys):
    code, out, err = derive_cli(capsys, "--expr", "grad(sum(i, a[i] x[i]^2), x)")
    assert code == 0, err
    assert "= 2 (a ⊙ x)\n" in out and "by hadamard_def" in out and "# no matrix product form" in out
    assert check_text(out, options=CheckOptions(exercise=True)).passed()


def test_expr_with_a_diagonal_entry_stays_in_index_form_at_an_entry(capsys):
    code, out, err = derive_cli(capsys, "--expr", "grad(sum(i, A[i, i] x[i]^2), x)")
    assert code == 0, err
    assert "grad(sum(i, A[i, i] x[i]^2), x)[k] = 2 A[k, k] x[k]\n" in out
    assert "# no matrix form: index k occurs 3 times" in out
    assert check_text(out, options=CheckOptions(exercise=True)).passed()


def test_expr_with_declarations_from_a_file(tmp_path, capsys):
    decls = tmp_path / "decls.vproof"
    decls.write_text("layout denominator\ndim m, n\nindex i, j, k : n\nindex r : m\nvar w : vector(n)\n"
                     "const P : matrix(m, n)\nconst y : vector(m)\n\ntheorem unproved: w = w\n")
    code, out, err = derive_cli(capsys, "--expr", "grad(‖P w - y‖², w)", "--decls", str(decls))
    assert code == 0, err
    assert "dim" not in out  # the theorem only, to go under the declarations
    assert "= 2 P^T (P w - y)" in out
    whole = decls.read_text().replace("theorem unproved: w = w\n", "") + out
    assert check_text(whole).passed()


def test_expr_along_a_curve_recollects_traces_and_derivatives_by_a_scalar(tmp_path, capsys):
    decls = tmp_path / "decls.vproof"
    decls.write_text("layout denominator\ndim n\nindex i, j, k, p : n\nvar t : scalar\nconst A : matrix(n, n)\n"
                     "func Y(t) : matrix(n, n)\nfunc v(t) : vector(n)\n")
    for expr, rhs in (("d(tr(A Y))/dt", "tr(A d(Y)/dt)"), ("d(v^T A v)/dt", "(d(v)/dt)^T A v + v^T A d(v)/dt")):
        code, out, err = derive_cli(capsys, "--expr", expr, "--decls", str(decls))
        assert code == 0, err
        assert f"{expr} = {rhs}\n" in out
        assert check_text(decls.read_text() + out, options=CheckOptions(exercise=True)).passed()


def test_expr_in_numerator_layout_gives_rows(tmp_path, capsys):
    decls = tmp_path / "decls.vproof"
    decls.write_text("layout numerator\ndim n\nindex i, j, k : n\nvar x : vector(n)\nconst B : matrix(n, n)\n")
    code, out, err = derive_cli(capsys, "--expr", "grad(x^T B x, x)", "--decls", str(decls))
    assert code == 0, err
    assert "grad(x^T B x, x) = x^T (B + B^T)\n" in out
    assert check_text(decls.read_text() + out, options=CheckOptions(exercise=True)).passed()


def test_derive_file_in_place_leaves_written_proofs_and_explains_what_it_cannot_do(tmp_path, capsys):
    src = ("layout denominator\ndim n\nindex i, k : n\nvar x : vector(n)\nconst a, b : vector(n)\n"
           "const A : matrix(n, n)\nvar X : matrix(n, n) invertible\n\n"
           "theorem g: grad(x^T A x, x) = (A + A^T) x\n\n"
           "theorem h:\n  x^T x = ‖x‖²\nproof:\n     x^T x\n   = ‖x‖²   by dot_def, norm_def\nqed\n\n"
           "theorem other: grad(‖x‖², x) = 3 x\n")  # false: no proof to find
    f = tmp_path / "f.vproof"
    f.write_text(src)
    code, out, err = derive_cli(capsys, str(f), "--in-place")
    written = f.read_text()
    assert "proof (component k):" in written and "   = ‖x‖²   by dot_def, norm_def" in written
    result = check_text(written)
    status = {t.name: t.status for t in result.theorems}
    assert status["g"] == "proved" and status["h"] == "proved"
    # derive cannot prove `other`: it says so, and the theorem stays without a proof
    assert code == 1 and "other" in err and "looks false" in err and status["other"] == "failed"
    assert [d.code.id for d in result.diagnostics] == ["VP211"]


def test_a_derived_proof_that_does_not_check_is_an_internal_error_and_never_printed(monkeypatch, tmp_path, capsys):
    real = generate.Deriver.plan

    def wrong(self, lhs, rhs):
        plan = real(self, lhs, rhs)
        plan.lines[-2] = "3 x[k]"  # a false step in the middle
        return plan

    monkeypatch.setattr(generate.Deriver, "plan", wrong)
    src = "layout denominator\ndim n\nindex i, k : n\nvar x : vector(n)\n\ntheorem g: grad(‖x‖², x) = 2 x\n"
    got = derive_text(src)
    assert got.proved == [] and [d.code.id for d in got.diagnostics] == ["VP902"]
    assert "does not check" in got.diagnostics[0].message
    assert "qed" not in got.text
    f = tmp_path / "g.vproof"
    f.write_text(src)
    code, out, err = derive_cli(capsys, str(f))
    assert code == 2 and "VP902" in err and "qed" not in out
    code, out, err = derive_cli(capsys, "--expr", "grad(‖x‖², x)")
    assert code == 2 and "VP902" in err and out == ""


def test_usage_errors_exit_2(tmp_path, capsys):
    assert derive_cli(capsys)[0] == 2
    assert derive_cli(capsys, "f.vproof", "--expr", "x")[0] == 2
    assert derive_cli(capsys, str(tmp_path / "missing.vproof"))[0] == 2
    assert derive_cli(capsys, "--expr", "grad(x, x)", "--in-place")[0] == 2
    code, out, err = derive_cli(capsys, "--expr", "grad(g^T x, x)")
    assert code == 1 and "'g' is not declared" in err
    code, out, err = derive_cli(capsys, "--expr", "A x")
    assert code == 1 and "takes no derivative" in err and out == ""


LEMMA_HEAD = """layout denominator
dim n
index i, j, k : n
var x : vector(n)
const S : matrix(n, n) symmetric
const B : matrix(n, n)
"""


def test_a_library_theorem_that_applies_is_cited(tmp_path, capsys):
    f = tmp_path / "f.vproof"
    f.write_text(LEMMA_HEAD + "import vecproof.forms\n\ntheorem sym: grad(x^T S x, x) = 2 S x\n"
                 "theorem gen: grad(x^T B x, x) = (B + B^T) x\n")
    code, out, err = derive_cli(capsys, str(f))
    assert code == 0, err
    assert "   = 2 S x              by forms.symmetric_quadratic_form_gradient\n" in out
    assert "   = (B + B^T) x        by forms.quadratic_form_gradient\n" in out
    assert check_text(out, str(f), options=CheckOptions(exercise=True)).passed()


def test_an_earlier_theorem_is_cited_and_one_whose_proof_fails_gives_way_to_components(tmp_path, capsys):
    proved = ("theorem quad:\n  grad(x^T B x, x) = (B + B^T) x\nproof:\n     grad(x^T B x, x)\n"
              "   = (B + B^T) x   by forms.quadratic_form_gradient\nqed\n")
    f = tmp_path / "f.vproof"
    f.write_text(LEMMA_HEAD + "const C : matrix(n, n)\nimport vecproof.forms\n\n" + proved
                 + "theorem again: grad(x^T C x, x) = (C + C^T) x\n")
    code, out, err = derive_cli(capsys, str(f))
    assert code == 0, err
    assert "by quad\n" in out
    broken = proved.replace("(B + B^T) x   by", "(B + B) x   by")  # its proof fails: it cannot be cited
    f.write_text(LEMMA_HEAD + "const C : matrix(n, n)\nimport vecproof.forms\n\n" + broken
                 + "theorem again: grad(x^T C x, x) = (C + C^T) x\n")
    code, out, err = derive_cli(capsys, str(f))
    assert code == 0 and "VP902" not in err, err
    assert "by quad" not in out and "proof (component k):" in out


def test_expr_cites_an_imported_theorem_that_applies(tmp_path, capsys):
    decls = tmp_path / "decls.vproof"
    decls.write_text(LEMMA_HEAD + "import vecproof.forms\n")
    code, out, err = derive_cli(capsys, "--expr", "grad(x^T S x, x)", "--decls", str(decls))
    assert code == 0, err
    assert "grad(x^T S x, x) = 2 S x\n" in out and "by forms.symmetric_quadratic_form_gradient" in out
    assert check_text(decls.read_text() + out).passed()


def test_nothing_that_decides_or_checks_imports_derive():
    """derive is untrusted and sits above the checker: the kernel, the rules and the checker never use it."""
    import ast as pyast

    for folder in ("kernel", "rules", "checker", "elaboration", "syntax"):
        for f in (ROOT / "vecproof" / folder).rglob("*.py"):
            for node in pyast.walk(pyast.parse(f.read_text())):
                if isinstance(node, pyast.ImportFrom):
                    assert "derive" not in (node.module or ""), f"{f} imports {node.module}"
                elif isinstance(node, pyast.Import):
                    assert not any("derive" in a.name for a in node.names), f"{f} imports derive"


def test_a_file_without_index_declarations_gets_proofs_without_them(tmp_path, capsys):
    # a component index needs no declaration, and a sum's index takes its range from its uses
    f = tmp_path / "bare.vproof"
    f.write_text("layout denominator\ndim n\nvar x : vector(n)\nconst a : vector(n)\nconst A : matrix(n, n)\n\n"
                 "theorem quad:\n  grad(x^T A x, x) = (A + A^T) x\n\n"
                 "theorem unit:\n  d(‖x - a‖)/dx = (x - a) / ‖x - a‖\n", encoding="utf-8")
    code, out, _ = derive_cli(capsys, str(f))
    assert code == 0
    assert "index " not in out and "declared by vecproof derive" not in out
    r = check_text(out)
    assert [t.status for t in r.theorems] == ["proved", "proved"], r.diagnostics


def test_expr_writes_the_norm_back_as_a_norm(capsys):
    code, out, _ = derive_cli(capsys, "--expr", "grad(‖x‖, x)")
    assert code == 0
    assert "grad(‖x‖, x) = x / ‖x‖" in out, out
    assert [t.status for t in check_text(out).theorems] == ["proved"]


def test_expr_writes_a_product_with_a_norm_with_its_star(capsys):
    code, out, _ = derive_cli(capsys, "--expr", "grad(‖x‖^3, x)")
    assert code == 0, out
    assert "grad(‖x‖^3, x) = 3 * ‖x‖^2 x / ‖x‖" in out, out
    assert [t.status for t in check_text(out).theorems] == ["proved"]


def test_expr_prints_no_index_declarations_it_does_not_need(capsys):
    code, out, _ = derive_cli(capsys, "--expr", "grad(x^T A x, x)")
    assert code == 0
    assert "index " not in out and "proof (component k):" in out
    assert [t.status for t in check_text(out).theorems] == ["proved"]
