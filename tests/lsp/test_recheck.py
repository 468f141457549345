"""Re-checking after an edit (vecproof.frontends.lsp.recheck), in process: the short path gives exactly what a
whole-file check gives, and an edit decides only the steps whose two sides it changed."""

from __future__ import annotations

import functools
import random
from pathlib import Path

import pytest
from lsp_support import big_document

from vecproof import counterexamples
from vecproof.checker import check as check_module
from vecproof.checker import check_text
from vecproof.frontends.lsp import queries
from vecproof.frontends.lsp.recheck import recheck

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
FILES = sorted(EXAMPLES.glob("*.vproof")) + sorted((EXAMPLES / "bad").glob("*.vproof"))
RULE_NAMES = ["algebra", "product_rule", "index_collapse", "expand_sums", "matvec_def", "norm_def"]


def summary(result):
    """Everything a front end reads from a FileResult."""
    return (
        [(d.span, d.code.id, d.message, d.detail, d.level, d.counterexample) for d in result.diagnostics],
        [(t.name, t.kind, t.span, t.status, t.assumptions, t.sizes,
          [(s.span, s.status, s.rules, s.explained, s.before, s.after) for s in t.steps]) for t in result.theorems],
        result.tree,
        None if result.scope is None else {k: (v.what, v.span, v.text) for k, v in result.scope.names.items()},
        result.expected,
    )


def edit(text: str, rng: random.Random) -> str:
    """A random small edit, mostly inside a proof step: a rule, a character, a line."""
    lines = text.split("\n")
    steps = [i for i, line in enumerate(lines) if line.strip().startswith("=")]
    if not steps:
        return text + "\n"
    i = rng.choice(steps)
    line = lines[i]
    kind = rng.randrange(6)
    if kind == 0 and " by " in line:
        lines[i] = line[: line.index(" by ")] + " by " + rng.choice(RULE_NAMES)
    elif kind == 1:
        lines.insert(i, "")
    elif kind == 2:
        del lines[i]
    elif kind == 3:
        j = rng.randrange(len(line) + 1)
        lines[i] = line[:j] + rng.choice(["x", " ", "2 ", "+", "(", "#", "\n"]) + line[j:]
    elif kind == 4:
        lines[i] = line + "\n   = " + line.strip().lstrip("=").split(" by ")[0] + " by algebra"
    else:
        j = rng.randrange(len(text))
        return text[:j] + rng.choice(["\n", "", " ", "qed"]) + text[j + 1:]
    return "\n".join(lines)


# the good examples by default; every bad one too in the slow run
@pytest.mark.parametrize("path", [p if p.parent == EXAMPLES else pytest.param(p, marks=pytest.mark.slow) for p in FILES],
                         ids=lambda p: p.name)
def test_a_recheck_says_what_a_whole_file_check_says(path):
    rng = random.Random(path.name)
    shortcuts = 0
    for header in (False, True):  # with the file's `# expect:` header (always checked in full), without
        text = path.read_text(encoding="utf-8")
        if not header:
            text = text.replace("# expect:", "# was:")
        original = previous = recheck(text, path.name)
        for _ in range(12):
            base = previous if previous.result.tree is not None else original  # back from a syntax error
            text = edit(base.text, rng)
            got = recheck(text, path.name, previous)
            assert summary(got.result) == summary(check_text(text, path.name)), text
            shortcuts += got.incremental
            previous = got
    if path.parent == EXAMPLES:
        assert shortcuts  # the short path is taken on the good examples


def test_line_shifts_move_the_later_theorems():
    text = big_document(6)
    previous = recheck(text, "big")
    for k, needle in enumerate(["by product_rule\n", "by expand_sums\n", "by index_collapse\n"]):
        at = text.index(needle, text.index(f"theorem t{k + 1}:")) + len(needle)
        text = text[:at] + "\n" * (k + 1) + text[at:]  # blank lines inside theorem k + 1
        got = recheck(text, "big", previous)
        assert got.incremental and summary(got.result) == summary(check_text(text, "big"))
        previous = got


@pytest.fixture
def decide_calls(monkeypatch):
    """Every call the checker makes to the kernel's decide (through its memo table, fresh for the test)."""
    calls = []

    def counting(a, b, *rest):
        calls.append((a, b))
        return counterexamples.decide(a, b, *rest)

    monkeypatch.setattr(check_module, "_decide", functools.lru_cache(maxsize=8192)(counting))
    return calls


def test_an_edit_decides_only_the_steps_it_changed(decide_calls):
    text = big_document(10)  # 40 steps
    previous = recheck(text, "big")
    assert len(decide_calls) == 10 * (4 + 2)  # every step, and both ends of every chain
    decide_calls.clear()
    edited = text.replace("= 5 (A x)[k] + 5 (A^T x)[k]", "= 5 (A^T x)[k] + 5 (A x)[k]")  # t3's last line
    got = recheck(edited, "big", previous)
    assert got.incremental
    assert len(decide_calls) == 2  # that step, and the chain's end against the right side
    decide_calls.clear()
    assert summary(check_text(edited, "big")) == summary(got.result)  # a whole-file check ...
    assert decide_calls == []  # ... decides nothing again: verdicts are memoised by index expression
    declared = edited.replace("const A : matrix(n, n)\n", "const A : matrix(n, n)\nconst C : matrix(n, n)\n")
    assert not recheck(declared, "big", got).incremental  # a declaration changed: the whole file ...
    assert decide_calls == []  # ... and still nothing decided again


def apply(text: str, fix) -> str:
    lines = text.split("\n")
    start = sum(len(x) + 1 for x in lines[: fix.span.line - 1]) + fix.span.col - 1
    end = sum(len(x) + 1 for x in lines[: fix.span.end_line - 1]) + fix.span.end_col - 1
    return text[:start] + fix.text + text[end:]


@pytest.mark.parametrize("name, code", [("wrong_rule_cited", "VP202"), ("no_rule_cited", "VP206"),
                                        ("unknown_rule", "VP106")])
def test_quick_fixes_remove_their_diagnostic(name, code):
    text = (EXAMPLES / "bad" / f"{name}.vproof").read_text(encoding="utf-8").replace("# expect:", "# was:")
    checked = recheck(text, name)
    [fix] = [f for f in queries.fixes(checked) if checked.result.diagnostics[f.diagnostic].code.id == code][:1]
    after = check_text(apply(text, fix), name)
    assert code not in {d.code.id for d in after.diagnostics}


def test_the_citable_names_find_the_lines_of_the_text_once():
    """Every edit computes the theorems a step may cite (their statements' text): the text's line
    offsets are found once for all of them, not once per theorem (14 ms of a 200-step file's edit)."""
    from vecproof.frontends.lsp import recheck as recheck_module

    checked = recheck(big_document(20), "big")
    recheck_module._line_starts.cache_clear()
    names = queries.citable(checked)
    assert {f"t{k}" for k in range(20)} <= set(names) and names["t3"].statement == "grad(5 x^T A x) = 5 (A + A^T) x"
    assert recheck_module._line_starts.cache_info().misses == 1
