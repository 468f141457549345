"""`vecproof render --to html`: one self-contained page with KaTeX, ✓/✗ per step, counterexamples;
its formulas through the real KaTeX, and (slow) the page opened in headless Chromium."""

import html
import re
import shutil
import subprocess

import pytest
from conftest import SHIPPED_KATEX, katex_errors
from support import EXAMPLES, vecproof

QUADRATIC = EXAMPLES / "000_vector_derivatives.vproof"
FALSE_STEP = EXAMPLES / "bad" / "dot_product_dropped_term.vproof"
_MATH = re.compile(r'<(span|div) class="vp-math( vp-display)?">(.*?)</\1>', re.S)


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    out = {}
    for path in (QUADRATIC, FALSE_STEP):
        target = tmp_path_factory.mktemp("html") / (path.stem + ".html")
        done = vecproof("render", path, "--to", "html", "-o", target)
        assert done.returncode == 0, done.stderr
        out[path] = target
    return out


def test_the_page_needs_no_network(pages):
    page = pages[QUADRATIC].read_text(encoding="utf-8")
    markup = re.sub(r"<script>.*?</script>", "", page, flags=re.S)  # inline scripts only: none has a src
    assert "<script" not in markup and not re.search(r"\b(?:src|href)\s*=", markup)  # nothing fetched
    assert "url(fonts/" not in page and "data:font/woff2;base64," in page
    assert "katex.render(" in page and "MIT licence" in page


def test_every_step_has_a_mark_and_a_false_step_its_counterexample(pages):
    chains = [m.group(3) for m in _MATH.finditer(pages[QUADRATIC].read_text(encoding="utf-8"))]
    assert sum(c.count(r"\checkmark") for c in chains) == sum(c.count("&amp;= ") for c in chains) > 20
    wrong = pages[FALSE_STEP].read_text(encoding="utf-8")
    assert r"\times\ \text{false}" in wrong
    assert re.search(r"✗ step \d+: this step is false.*\(VP201\)</div>\s*<div class=\"vp-cex\">counterexample:", wrong)


def test_every_formula_on_the_page_renders_in_katex(node, pages):
    formulas = [(html.unescape(m.group(3)), bool(m.group(2))) for p in pages.values()
                for m in _MATH.finditer(p.read_text(encoding="utf-8"))]
    report = katex_errors(node, SHIPPED_KATEX, formulas)
    assert report["count"] > 40 and report["errors"] == []


@pytest.mark.slow
def test_chromium_renders_the_math(pages, tmp_path):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("chromium is not installed (Debian: apt-get install chromium; .ci/run does)")
    flags = [chromium, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={tmp_path / 'profile'}"]
    for page in pages.values():
        dom = subprocess.run([*flags, "--virtual-time-budget=5000", "--dump-dom", page.as_uri()],
                             capture_output=True, text=True, timeout=120).stdout
        shown = re.sub(r"<script\b.*?</script>", "", dom, flags=re.S)  # the page, without KaTeX's own code
        assert shown.count('class="katex"') + shown.count('class="katex-display"') > 10
        assert "katex-error" not in shown and "$$" not in shown
        shot = tmp_path / (page.stem + ".png")
        subprocess.run([*flags, f"--screenshot={shot}", "--window-size=1200,2000", page.as_uri()],
                       capture_output=True, timeout=120)
        assert shot.stat().st_size > 10_000
