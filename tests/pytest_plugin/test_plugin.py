"""The pytest plugin (vecproof.frontends.pytest_plugin): `.vproof` files collected by pytest, one item per theorem.

Runs pytest on small proof files with the `pytester` fixture: in process where that is safe (fast),
in a subprocess for pytest-xdist and for the automatic loading through the `pytest11` entry point.
Every run passes `-p vecproof.frontends.pytest_plugin`, so the tests work whether or not the entry point is
installed — and, when it is, they exercise the plugin's guard against registering twice.
"""

import importlib.metadata
import textwrap
import xml.etree.ElementTree as ET

import pytest

# Imported here so pytester's in-process runs (which drop the modules they import) reuse them.
import vecproof.checker  # noqa: F401
import vecproof.elaboration  # noqa: F401
import vecproof.frontends.pytest_plugin  # noqa: F401
import vecproof.frontends.report  # noqa: F401
import vecproof.syntax.parser  # noqa: F401

pytest_plugins = ["pytester"]

PLUGIN = ("-p", "vecproof.frontends.pytest_plugin")
ENTRY_POINT_INSTALLED = any(
    ep.value == "vecproof.frontends.pytest_plugin" for ep in importlib.metadata.entry_points(group="pytest11")
)

HEADER = """\
layout denominator
dim n
index i, k : n
var x : vector(n)
"""

NORM_AS_SUM = """
lemma norm_as_sum:
  ‖x‖² = sum(i, x[i]^2)
proof:
     ‖x‖²
   = sum(i, x[i]^2)                     by norm_def
qed
"""

NORM_GRADIENT = """
theorem squared_norm_gradient:
  grad(‖x‖²) = 2 x
proof (component k):
     d(‖x‖²)/dx[k]
   = d(sum(i, x[i]^2))/dx[k]            by norm_def
   = sum(i, 2 x[i] delta(i, k))         by product_rule
   = 2 x[k]                             by index_collapse
qed
"""

# In HEADER + NORM_AS_SUM + this, the theorem's name is at 13:9 and line 17, `   = d(sum(i, x[i]^2))/dx[k]`,
# is a false step (the cross terms of the square are lost).
SQUARE_OF_SUM = """
theorem square_of_sum:
  grad(sum(i, x[i])^2) = 2 x
proof (component k):
     d(sum(i, x[i])^2)/dx[k]
   = d(sum(i, x[i]^2))/dx[k]            by expand_sums
   = sum(i, 2 x[i] delta(i, k))         by product_rule
   = 2 x[k]                             by index_collapse
qed
"""

# Every step true, but the second cites norm_def for a differentiation: warning VP202.
WRONG_RULE = """
theorem cited_wrong_rule:
  grad(‖x‖²) = 2 x
proof (component k):
     d(‖x‖²)/dx[k]
   = d(sum(i, x[i]^2))/dx[k]            by norm_def
   = sum(i, 2 x[i] delta(i, k))         by norm_def
   = 2 x[k]                             by index_collapse
qed
"""

# A sum over 1..n-1: checked for small n only (VP205), never proved.
PARTIAL_RANGE = """
theorem count_partial_range:
  sum(i = 1..n-1, 2) = 2 n - 2
proof:
     sum(i = 1..n-1, 2)
   = 2 (n - 1)                          by index_collapse
   = 2 n - 2                            by algebra
qed
"""

GOOD = HEADER + NORM_AS_SUM + NORM_GRADIENT
FALSE_STEP = HEADER + NORM_AS_SUM + SQUARE_OF_SUM


def write(pytester, **files):
    for name, text in files.items():
        path = pytester.path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text), encoding="utf-8")


def run(pytester, *args):
    # hypothesis's plugin would import (and assertion-rewrite) hypothesis afresh in every in-process run;
    # pytest-asyncio's, unconfigured in the inner run, would warn about its loop scope each time
    return pytester.runpytest_inprocess(*PLUGIN, "-p", "no:cacheprovider", "-p", "no:hypothesispytest",
                                        "-p", "no:asyncio", *args)


def pats(*lines):
    """fnmatch patterns from output lines, `*` a wildcard; `[` matched literally (as in `error[VP201]`)."""
    return [line.replace("[", "[[]") for line in lines]


# ---- one item per theorem ---------------------------------------------------------------------------


def test_a_proved_file_gives_one_passing_item_per_theorem(pytester):
    write(pytester, **{"good.vproof": GOOD})
    result = run(pytester, "-v")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(pats("good.vproof::norm_as_sum PASSED*", "good.vproof::squared_norm_gradient PASSED*"))


def test_a_false_step_fails_its_theorem_with_position_code_and_counterexample(pytester):
    write(pytester, **{"proofs/false_step.vproof": FALSE_STEP})
    result = run(pytester)
    result.assert_outcomes(passed=1, failed=1)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(pats(
        "*_ theorem square_of_sum _*",
        "proofs/false_step.vproof:13:9: error[VP207]: *",
        "proofs/false_step.vproof:17:6: error[VP201]: *",
        " 17 |    = d(sum(i, x[i]^2))/dx[k]*",
        "    |      ^^^^^^^^^^^^^^^^^^^^^^^",
        "    = counterexample: n = *",
        "proofs/false_step.vproof:13:9: failed: theorem square_of_sum",
        "FAILED proofs/false_step.vproof::square_of_sum*",
    ))
    # the passing lemma's item is not blamed
    result.stdout.no_fnmatch_line("FAILED*norm_as_sum*")


def test_the_check_runs_once_per_file(pytester, monkeypatch):
    calls = []
    real = vecproof.checker.check_bytes

    def counting(data, path="<input>", *rest, **kw):
        calls.append(path)
        return real(data, path, *rest, **kw)

    monkeypatch.setattr(vecproof.checker, "check_bytes", counting)
    write(pytester, **{"a.vproof": GOOD, "b.vproof": FALSE_STEP})
    run(pytester).assert_outcomes(passed=3, failed=1)
    assert sorted(calls) == ["a.vproof", "b.vproof"]


def test_collecting_does_not_check(pytester, monkeypatch):
    def refuse(*args, **kw):
        raise AssertionError("checked during collection")

    monkeypatch.setattr(vecproof.checker, "check_bytes", refuse)
    monkeypatch.setattr(vecproof.checker, "check_path", refuse)
    write(pytester, **{"good.vproof": GOOD, "false_step.vproof": FALSE_STEP})
    result = run(pytester, "--collect-only", "-q")
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines(pats(
        "false_step.vproof::norm_as_sum",
        "false_step.vproof::square_of_sum",
        "good.vproof::norm_as_sum",
        "good.vproof::squared_norm_gradient",
    ))


# ---- files that cannot be checked theorem by theorem -------------------------------------------------


def test_a_syntax_error_is_one_failing_item_for_the_file(pytester):
    write(pytester, **{"broken.vproof": HEADER + "\ntheorem t:\n  x = = x\nproof:\n  x\nqed\n"})
    result = run(pytester, "-v")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(pats("broken.vproof::broken.vproof FAILED*", "broken.vproof:7:*: error[VP001]: *"))


def test_file_level_problems_fail_one_item_for_the_file(pytester):
    duplicate = HEADER + "var x : vector(n)\n" + NORM_AS_SUM  # x declared twice, outside any theorem
    write(pytester, **{"empty.vproof": "", "binary.vproof": b"dim n\x00\n", "latin1.vproof": b"dim \xe9\n",
                       "dup.vproof": duplicate})
    result = run(pytester, "-v")
    result.assert_outcomes(passed=1, failed=4)
    result.stdout.fnmatch_lines_random(pats(
        "binary.vproof::binary.vproof FAILED*",
        "empty.vproof::empty.vproof FAILED*",
        "latin1.vproof::latin1.vproof FAILED*",
        "dup.vproof::dup.vproof FAILED*",
        "dup.vproof::norm_as_sum PASSED*",  # the theorem itself is fine
        "binary.vproof:1:1: error[VP002]: *",
        "latin1.vproof:1:*: error[VP002]: *",
        "empty.vproof:1:1: warning[VP003]: *",
        "dup.vproof:5:5: error[VP104]: *",
    ))


def test_a_file_with_an_expect_header_is_one_item_that_passes_when_the_code_is_reported(pytester):
    write(pytester, **{
        "expected.vproof": "# expect: VP201, VP207\n" + FALSE_STEP,
        "unmet.vproof": "# expect: VP201\n" + GOOD,
    })
    result = run(pytester, "-v")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines_random(pats(
        "expected.vproof::expected.vproof PASSED*",
        "unmet.vproof::unmet.vproof FAILED*",
        "unmet.vproof:1:1: error[VP004]: *",
    ))


# ---- warnings, strictness, unproved ------------------------------------------------------------------


def test_a_warning_passes_unless_strict(pytester):
    write(pytester, **{"warn.vproof": HEADER + WRONG_RULE})
    run(pytester, "-rP").assert_outcomes(passed=1)

    pytester.makeini("[pytest]\nvecproof_strict = true\n")
    result = run(pytester)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(pats("warn.vproof:11:44: warning[VP202]: *"))


def test_a_theorem_checked_only_for_some_sizes_fails(pytester):
    write(pytester, **{"partial.vproof": HEADER + PARTIAL_RANGE})
    result = run(pytester)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(pats("partial.vproof:10:6: error[VP205]: *",
                                 "partial.vproof:6:9: not proved: theorem count_partial_range*"))


# ---- switching it off, markers, normal collection rules --------------------------------------------


def test_the_ini_option_switches_collection_off(pytester):
    write(pytester, **{"good.vproof": GOOD})
    pytester.makeini("[pytest]\nvecproof = false\n")
    result = run(pytester)
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED
    result.assert_outcomes()


def test_the_command_line_flag_switches_collection_off(pytester):
    write(pytester, **{"good.vproof": GOOD})
    result = run(pytester, "--no-vecproof")
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED


def test_items_carry_the_vecproof_marker(pytester):
    write(pytester, **{"good.vproof": GOOD, "test_py.py": "def test_python():\n    pass\n"})
    run(pytester, "--strict-markers", "-m", "vecproof").assert_outcomes(passed=2, deselected=1)
    run(pytester, "--strict-markers", "-m", "not vecproof").assert_outcomes(passed=1, deselected=2)


def test_normal_collection_rules_apply(pytester):
    write(pytester, **{"proofs/good.vproof": GOOD, "ignored/false_step.vproof": FALSE_STEP})
    run(pytester, "--ignore=ignored").assert_outcomes(passed=2)
    pytester.makeini("[pytest]\ntestpaths = proofs\n")
    run(pytester).assert_outcomes(passed=2)


# ---- junit XML, xdist, loading ---------------------------------------------------------------------


def _testcases(xml_path):
    root = ET.parse(xml_path).getroot()
    out = {}
    for case in root.iter("testcase"):
        failure = case.find("failure")
        out[(case.get("classname"), case.get("name"))] = (
            None if failure is None else (failure.get("message"), failure.text))
    return out


def test_junitxml_has_one_testcase_per_theorem_with_the_failure_message(pytester):
    write(pytester, **{"good.vproof": GOOD, "false_step.vproof": FALSE_STEP})
    xml = pytester.path / "report.xml"
    run(pytester, f"--junitxml={xml}").assert_outcomes(passed=3, failed=1)
    cases = _testcases(xml)
    assert set(cases) == {("good.vproof", "norm_as_sum"), ("good.vproof", "squared_norm_gradient"),
                          ("false_step.vproof", "norm_as_sum"), ("false_step.vproof", "square_of_sum")}
    message, text = cases[("false_step.vproof", "square_of_sum")]
    assert "false_step.vproof:13:9: error[VP207]" in message
    assert "false_step.vproof:17:6: error[VP201]" in text
    assert "counterexample: n = " in text and "^^^" in text
    assert [k for k, v in cases.items() if v is not None] == [("false_step.vproof", "square_of_sum")]


@pytest.mark.slow  # three pytest processes (a controller, two workers): the plugin folder's longest test
def test_xdist_gives_the_same_results_and_report(pytester):
    pytest.importorskip("xdist")
    write(pytester, **{
        "a.vproof": GOOD, "b.vproof": FALSE_STEP, "c.vproof": HEADER + WRONG_RULE + PARTIAL_RANGE,
        "d.vproof": HEADER + "\ntheorem t:\n  x = = x\nproof:\n  x\nqed\n",
    })
    xml = pytester.path / "report.xml"
    result = pytester.runpytest_subprocess(*PLUGIN, "-p", "no:cacheprovider", "-n", "2", "--dist", "load",
                                           f"--junitxml={xml}")
    result.assert_outcomes(passed=4, failed=3)
    result.stdout.fnmatch_lines_random(pats(
        "b.vproof:17:6: error[VP201]: *",
        "*counterexample: n = *",
        "FAILED b.vproof::square_of_sum*",
        "FAILED c.vproof::count_partial_range*",
        "FAILED d.vproof::d.vproof*",
    ))
    cases = _testcases(xml)
    assert len(cases) == 7
    assert "error[VP201]" in cases[("b.vproof", "square_of_sum")][1]


@pytest.mark.slow  # two pytest processes, each loading every installed plugin: 12 s of a loaded default run
@pytest.mark.skipif(not ENTRY_POINT_INSTALLED, reason="vecproof is not installed with its pytest11 entry point")
def test_the_entry_point_loads_the_plugin_and_can_switch_it_off(pytester, monkeypatch):
    monkeypatch.delenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", raising=False)
    write(pytester, **{"good.vproof": GOOD})
    pytester.runpytest_subprocess("-p", "no:cacheprovider").assert_outcomes(passed=2)
    blocked = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:vecproof")
    assert blocked.ret == pytest.ExitCode.NO_TESTS_COLLECTED


def test_loading_by_module_name_works_with_automatic_loading_off(pytester, monkeypatch):
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    write(pytester, **{"good.vproof": GOOD})
    run(pytester).assert_outcomes(passed=2)


def test_a_declared_warning_code_does_not_exempt_a_false_theorem(pytester):
    # the `# expect:` rule is the checker's (results.expectation): every declared code reported and
    # no undeclared error; declaring the warning VP206 does not excuse the false step beside it
    write(pytester, **{"bad.vproof": "# expect: VP206\n" + HEADER + NORM_AS_SUM.replace(" by norm_def", "")
                       + SQUARE_OF_SUM})
    run(pytester).assert_outcomes(failed=1)
    write(pytester, **{"bad.vproof": "# expect: VP206, VP201, VP207\n" + HEADER
                       + NORM_AS_SUM.replace(" by norm_def", "") + SQUARE_OF_SUM})
    run(pytester).assert_outcomes(passed=1)


def test_a_file_over_the_checkers_size_limit_is_one_failing_item(pytester):
    # the plugin reads with the checker's limit (2 MiB): a 3 MB file is one item, refused with VP901
    big = (HEADER + NORM_AS_SUM).encode() + b"# padding\n" * 300_000
    write(pytester, **{"big.vproof": big})
    result = run(pytester)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*error[[]VP901[]]*"])


# ---- Markdown posts (opt-in) --------------------------------------------------------------------------

POST = ("# A post\n\nSome prose.\n\n```vproof\n" + HEADER + "```\n\nMore prose.\n\n```vproof\n" + NORM_GRADIENT
        + "```\n\n```vproof\n" + SQUARE_OF_SUM + "```\n")


def test_markdown_posts_are_checked_only_when_opted_in_and_a_false_step_fails_at_the_post_line(pytester):
    write(pytester, **{"post.md": POST, "notes.md": "# no proof here\n\n```python\nprint(1)\n```\n"})
    assert run(pytester).ret == pytest.ExitCode.NO_TESTS_COLLECTED  # off by default
    pytester.makeini("[pytest]\nvecproof_markdown = true\n")
    result = run(pytester, "-rf")
    result.assert_outcomes(passed=1, failed=1)  # notes.md has no vproof block: not collected
    line = POST.split("\n").index("   = d(sum(i, x[i]^2))/dx[k]            by expand_sums") + 1
    failing = [ln for ln in result.outlines if "error[VP201]" in ln]
    assert failing and failing[0].startswith(f"post.md:{line}:"), result.outlines
