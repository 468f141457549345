"""`vecproof render` (subprocess) and `vecproof.frontends.render.render_text`: Markdown and LaTeX output, options,
marks on steps that are not proved, and every formula through the real KaTeX (strict, throwOnError)."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SHIPPED_KATEX, katex_errors
from support import EXAMPLES, LIBRARY, formulas, parsing_examples, vecproof

from vecproof import check_path
from vecproof.frontends.render import RenderOptions, render_text

QUADRATIC = EXAMPLES / "000_vector_derivatives.vproof"
FALSE_STEP = EXAMPLES / "bad" / "dot_product_dropped_term.vproof"


@pytest.fixture(scope="module")
def rendered_examples():
    """Each parsing example and each library file rendered to Markdown: {path: text}. The command
    renders the first (the seed note's file: byte for byte what the library call gives); the rest are
    rendered in-process (one `vecproof render` process per file cost half a minute)."""
    from vecproof.frontends.render import render_text

    out = {}
    paths = parsing_examples() + LIBRARY
    done = vecproof("render", QUADRATIC)
    assert done.returncode == 0, done.stderr
    for path in paths:
        got = render_text(Path(path).read_text(encoding="utf-8"), str(path))
        assert got.text is not None, path
        out[path] = got.text
    assert done.stdout == out[QUADRATIC]
    return out


def test_every_formula_of_every_example_and_the_library_renders_in_katex(node, rendered_examples):
    every = [f for text in rendered_examples.values() for f in formulas(text)]
    report = katex_errors(node, SHIPPED_KATEX, every)
    assert report["count"] > 200 and report["errors"] == []
    assert LIBRARY and all(formulas(rendered_examples[p]) for p in LIBRARY)


def test_imports_and_instantiated_citations_render_as_text(node, tmp_path):
    user = tmp_path / "user.vproof"
    user.write_text("""import vecproof.forms
import vecproof.norms
layout denominator
dim m
var y : vector(m)
const M : matrix(m, m)

theorem t:
  grad(y^T M y, y) + grad(‖y‖², y) = (M + M^T) y + 2 y
proof:
     grad(y^T M y, y) + grad(‖y‖², y)
   = (M + M^T) y + grad(‖y‖², y)       by forms.quadratic_form_gradient[A := M, x := y]
   = (M + M^T) y + 2 y                 by squared_norm_gradient[x := y], algebra
qed
""", encoding="utf-8")
    done = vecproof("render", user)
    assert done.returncode == 0, done.stderr
    assert "The proofs build on vecproof.forms and vecproof.norms." in done.stdout
    assert (r"\text{(forms.quadratic form gradient with }\mathbf{A} := \mathbf{M}, \mathbf{x} := \mathbf{y}\text{)}"
            in done.stdout)
    assert r"\text{(squared norm gradient with }\mathbf{x} := \mathbf{y}\text{, algebra)}" in done.stdout
    assert katex_errors(node, SHIPPED_KATEX, formulas(done.stdout))["errors"] == []


@pytest.mark.slow
def test_every_formula_renders_in_katex_from_npm(node, npm_katex, rendered_examples):
    every = [f for text in rendered_examples.values() for f in formulas(text)]
    report = katex_errors(node, npm_katex, every)
    assert report["version"].startswith("0.16.") and report["errors"] == []


def test_the_formulas_read_back_are_all_the_renderer_wrote(rendered_examples):
    for path, text in rendered_examples.items():
        made = render_text(path.read_text(encoding="utf-8"), str(path)).formulas
        assert sorted(f for f, _ in formulas(text)) == sorted(made), path


def test_a_proof_is_one_aligned_chain_with_rules_and_square():
    out = vecproof("render", QUADRATIC).stdout
    stated = len(check_path(QUADRATIC).theorems)  # one chain per theorem, each with its verdict
    assert out.count(r"\begin{aligned}") == stated == out.count("\nproved: ")
    assert r"&& \text{(product rule)}" in out and r"\quad\square" in out
    assert r"\sum_{i=1}^{n} \sum_{j=1}^{n} b_{ij} x_{i} x_{j}" in out  # the seed note's notation
    assert r"\delta_{ik}" in out and r"\frac{\partial x_{i}}{\partial x_{k}}" in out
    assert r"\mathbf{B}^\top" in out
    assert ":::tip[Proved]" in out
    assert "Let $\\mathbf{x} \\in \\mathbb{R}^{n}$" in out  # declarations as a sentence
    assert "Property 1: for y = Ax" in out  # comments as prose


def test_a_false_step_is_marked_false_never_proved():
    done = vecproof("render", FALSE_STEP)
    chain = done.stdout.split(r"\begin{aligned}")[1].split(r"\end{aligned}")[0]
    assert r"\times\ \text{false}" in chain and r"\square" not in chain
    assert ":::danger[Failed]" in done.stdout and "(VP201)" in done.stdout
    assert "counterexample" in done.stdout
    assert "VP201" in done.stderr  # and said as `vecproof check` says it


def test_a_file_that_does_not_parse_renders_nothing():
    done = vecproof("render", EXAMPLES / "bad" / "syntax_error.vproof")
    assert done.returncode == 1 and done.stdout == "" and "VP001" in done.stderr


def test_a_failed_proof_exits_1_and_is_still_written(tmp_path):
    wrong = tmp_path / "wrong.vproof"
    wrong.write_text(FALSE_STEP.read_text(encoding="utf-8").replace("# expect:", "# was:"), encoding="utf-8")
    out = tmp_path / "wrong.md"
    done = vecproof("render", wrong, "-o", out)
    assert done.returncode == 1 and "VP201" in done.stderr and ":::danger[Failed]" in out.read_text()


@pytest.mark.parametrize("option, expect", [
    (("--math", "kramdown"), "$$\\mathbf{x} \\in"),
    (("--math", "brackets"), "\\(\\mathbf{x} \\in"),
    (("--admonition", "gfm"), "> [!TIP]\n> **Proved**"),
    (("--admonition", "mkdocs"), '!!! tip "Proved"\n    proved:'),
    (("--admonition", "quote"), "> **Proved.**"),
    (("--entries", "upper"), "B_{ij} x_{i} x_{j}"),
    (("--bold", "bm"), "\\bm{x}"),
])
def test_options(option, expect):
    done = vecproof("render", QUADRATIC, *option)
    assert done.returncode == 0 and expect in done.stdout


def test_unknown_option_value_is_a_usage_error():
    assert vecproof("render", QUADRATIC, "--to", "docx").returncode == 2
    assert vecproof("render", "no/such.vproof").returncode == 2


def test_each_step_is_printed_as_written_not_normalized():
    text = QUADRATIC.read_text(encoding="utf-8")
    out = render_text(text, "q.vproof").text
    # the author's order of factors and the unsimplified form survive
    assert r"b_{ij} \frac{\partial x_{i}}{\partial x_{k}} x_{j} + b_{ij} \frac{\partial x_{j}}{\partial x_{k}} x_{i}" in out
    assert r"\left(\mathbf{B} + \mathbf{B}^\top\right) \mathbf{x}" in out


def test_text_of_the_file_never_becomes_markup(tmp_path):
    evil = tmp_path / "evil.vproof"
    evil.write_text("# <script>alert(1)</script> $\\input{/etc/passwd}$ \\write18{rm}\n"
                    + QUADRATIC.read_text(encoding="utf-8").split("layout denominator", 1)[1].join(
                        ["layout denominator", ""]), encoding="utf-8")
    md = vecproof("render", evil).stdout
    assert "<script>" not in md and "&lt;script&gt;" in md and "\\$\\input" in md
    tex = vecproof("render", evil, "--to", "latex").stdout
    assert "\\input{" not in tex and "\\write18" not in tex and "\\textbackslash{}input" in tex
    page = vecproof("render", evil, "--to", "html").stdout
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)" in page


def test_latex_document_uses_align_and_a_remark():
    done = vecproof("render", QUADRATIC, "--to", "latex")
    assert done.returncode == 0
    assert done.stdout.startswith("\\documentclass") and done.stdout.rstrip().endswith("\\end{document}")
    assert "\\begin{align*}" in done.stdout and "\\begin{vpverdict}" in done.stdout
    assert "\\begin{aligned}" not in done.stdout


@pytest.mark.slow
@pytest.mark.parametrize("example", parsing_examples() + LIBRARY, ids=lambda p: p.name)
def test_latex_compiles_with_pdflatex(example, tmp_path):
    pdflatex = shutil.which("pdflatex")
    if pdflatex is None:
        pytest.skip("pdflatex is not installed (Debian: texlive-latex-extra texlive-lang-chinese)")
    tex = tmp_path / "proof.tex"
    assert vecproof("render", example, "--to", "latex", "-o", tex).returncode == 0
    if "{CJK}" in tex.read_text(encoding="utf-8"):
        found = [subprocess.run(["kpsewhich", f], capture_output=True).returncode == 0
                 for f in ("CJKutf8.sty", "gbsnlp00.tfm")]
        if not all(found):
            pytest.skip("Chinese text needs CJKutf8 and the gbsn font (Debian: latex-cjk-chinese "
                        "latex-cjk-chinese-arphic-gbsn00lp; .ci/run installs them)")
    done = subprocess.run([pdflatex, "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", tex.name],
                          cwd=tmp_path, capture_output=True, text=True, errors="replace", timeout=300)
    assert done.returncode == 0 and (tmp_path / "proof.pdf").stat().st_size > 0, done.stdout[-2000:]


def test_the_render_package_is_not_loaded_by_checking():
    done = subprocess.run([sys.executable, "-c", "import sys, vecproof; vecproof.check_text('dim n', 'a.vproof'); "
                           "print(any(m.startswith('vecproof.frontends.render') for m in sys.modules))"],
                          capture_output=True, text=True)
    assert done.stdout.strip() == "False"


def test_library_options():
    out = render_text(QUADRATIC.read_text(encoding="utf-8"), "q.vproof", RenderOptions(to="latex")).text
    assert "\\begin{align*}" in out
