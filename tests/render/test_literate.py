"""Literate Markdown: `vecproof check post.md` checks its ```vproof blocks in place (positions in the
.md, every report format), blocks share declarations in order; `vecproof render post.md` replaces
each block by its rendered proofs and leaves every other line of the post as it was."""

import json
import re

import pytest
from conftest import SHIPPED_KATEX, katex_errors
from support import ROOT, formulas, vecproof

import vecproof as vp
from vecproof.literate import extract

DECLARATIONS = """layout denominator
dim n
index i, j, k : n
var x : vector(n)
const A : matrix(n, n)"""

PROOF = """theorem quadratic_form_gradient:
  grad(x^T A x, x) = (A + A^T) x
proof (component k):
     grad(x^T A x, x)[k]
   = d(x^T A x)/dx[k]                                        by gradient_def
   = d(sum(i, sum(j, A[i,j] x[i] x[j])))/dx[k]               by expand_sums
   = sum(i, sum(j, A[i,j] (delta(i,k) x[j] + x[i] delta(j,k))))  by product_rule
   = sum(j, A[k,j] x[j]) + sum(i, A[i,k] x[i])               by index_collapse   # the two collapses
   = (A x)[k] + (A^T x)[k]                                   by matvec_def
qed"""

POST = f"""---
title: "The gradient of a quadratic form"
---

# A quadratic form

Let me show $\\nabla x^\\top A x$ the careful way.

```vproof
{DECLARATIONS}
```

Some prose, and code that is not a proof:

````python
```vproof
this is not checked
```
````

```vproof
{PROOF}
```

:::note
The end.
:::
"""


def _write(tmp_path, text, name="post.md"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _line_of(text: str, needle: str) -> int:
    return text.split("\n").index(next(l for l in text.split("\n") if needle in l)) + 1


def test_blocks_share_declarations_and_are_checked(tmp_path):
    done = vecproof("check", _write(tmp_path, POST), "--no-cache")
    assert done.returncode == 0, done.stdout
    line = _line_of(POST, "theorem quadratic_form_gradient")
    assert f"post.md:{line}:9: proved: theorem quadratic_form_gradient" in done.stdout


_SLIP = ("sum(i, A[i,k] x[i])               by index_collapse", "sum(i, A[k,i] x[i])               by index_collapse")
WRONG = POST.replace(*_SLIP)


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github", "junit"])
def test_a_false_step_is_reported_at_its_line_in_the_post(tmp_path, fmt):
    done = vecproof("check", _write(tmp_path, WRONG), "--no-cache", "--format", fmt)
    assert done.returncode == 1
    line = _line_of(WRONG, "sum(i, A[k,i] x[i])")
    col = WRONG.split("\n")[line - 1].index("sum(j") + 1
    if fmt == "json":
        d = json.loads(done.stdout)["files"][0]["diagnostics"][0]
        assert (d["code"], d["range"]["start"]) == ("VP201", {"line": line, "column": col})
    elif fmt == "sarif":
        r = json.loads(done.stdout)["runs"][0]["results"][0]
        region = r["locations"][0]["physicalLocation"]["region"]
        assert (r["ruleId"], region["startLine"], region["startColumn"]) == ("VP201", line, col)
    elif fmt == "github":
        assert f"line={line},col={col}," in done.stdout and "title=VP201" in done.stdout
    else:
        assert f"post.md:{line}:{col}: error[VP201]" in done.stdout


def test_a_vproof_fence_inside_another_code_block_is_not_a_block():
    text = extract(POST)
    assert "this is not checked" not in text
    assert text.count("\n") == POST.count("\n")  # the post's line numbering


def test_verdicts_equal_those_of_the_same_proofs_as_a_vproof_file():
    as_post = vp.check_text(POST, "post.md")
    as_file = vp.check_text(DECLARATIONS + "\n\n" + PROOF + "\n", "post.vproof")
    assert [t.verdict() for t in as_post.theorems] == [t.verdict() for t in as_file.theorems]
    assert [t.status for t in as_post.theorems] == ["proved"]
    wrong = vp.check_text(WRONG, "post.md")
    same = vp.check_text(DECLARATIONS + "\n\n" + PROOF.replace(*_SLIP) + "\n", "post.vproof")
    assert [d.code.id for d in wrong.diagnostics] == [d.code.id for d in same.diagnostics] == ["VP201", "VP201"]


def test_render_replaces_each_block_and_leaves_the_rest(tmp_path, node):
    out = vecproof("render", _write(tmp_path, POST)).stdout
    kept = [l for l in POST.split("\n") if l and "vproof" not in l and l not in DECLARATIONS + PROOF]
    assert all(l in out.split("\n") for l in kept)  # prose, front matter, the other code block
    assert "```vproof\nlayout" not in out and "by gradient_def" not in out
    assert "Let $\\mathbf{x} \\in \\mathbb{R}^{n}$" in out and ":::tip[Proved]" in out
    assert "- step 4: the two collapses" in out
    assert out.index("# A quadratic form") < out.index("Let $") < out.index("Some prose") < out.index(r"\begin{aligned}")
    mine = [f for f in formulas(out) if f[0] != "\\nabla x^\\top A x"]
    assert katex_errors(node, SHIPPED_KATEX, mine)["errors"] == []


def test_a_post_renders_to_markdown_only(tmp_path):
    assert vecproof("render", _write(tmp_path, POST), "--to", "html").returncode == 2


def test_a_post_without_blocks_has_nothing_to_check(tmp_path):
    done = vecproof("check", _write(tmp_path, "# Just prose\n\n```python\nx = 1\n```\n"), "--no-cache")
    assert "VP003" in done.stdout


POSTS = sorted((ROOT / "examples" / "posts").glob("*.md"))


@pytest.mark.parametrize("post", POSTS, ids=lambda p: p.name)
def test_the_seed_notes_as_literate_posts_check_and_render_cleanly(post, node):
    checked = vecproof("check", post, "--no-cache")
    assert checked.returncode == 0 and " 0 errors, 0 warnings" in checked.stdout
    rendered = vecproof("render", post)
    assert rendered.returncode == 0 and "```vproof" not in rendered.stdout
    report = katex_errors(node, SHIPPED_KATEX, formulas(rendered.stdout))
    assert report["count"] > 20 and report["errors"] == []  # the author's math and the rendered proofs
