"""Exercise mode in the pytest plugin: the ini option `vecproof_exercise`, and `[tool.vecproof] exercise`."""

import pytest

# Imported here so pytester's in-process runs (which drop the modules they import) reuse them.
import vecproof.checker  # noqa: F401
import vecproof.elaboration  # noqa: F401
import vecproof.options  # noqa: F401
import vecproof.frontends.pytest_plugin  # noqa: F401
import vecproof.frontends.report  # noqa: F401
import vecproof.syntax.parser  # noqa: F401
from proofs import SQUARED_NORM_GRADIENT

pytest_plugins = ["pytester"]

PROOF = SQUARED_NORM_GRADIENT


def run(pytester, *args):
    return pytester.runpytest_inprocess("-p", "vecproof.frontends.pytest_plugin", "-p", "no:cacheprovider",
                                        "-p", "no:hypothesispytest", "-p", "no:asyncio", *args)


@pytest.fixture
def proofs(pytester):
    (pytester.path / "algebra.vproof").write_text(PROOF.replace("by product_rule", "by algebra"), encoding="utf-8")
    (pytester.path / "unexplained.vproof").write_text(PROOF.replace("by product_rule", "by norm_def"),
                                                      encoding="utf-8")
    return pytester


def test_without_the_option_both_pass(proofs):
    run(proofs).assert_outcomes(passed=2)


def test_the_ini_option_makes_algebra_and_unexplained_steps_fail(proofs):
    proofs.makeini("[pytest]\nvecproof_exercise = true\n")
    result = run(proofs)
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines(["algebra.vproof:11:44: error[[]VP209[]]: *",
                                 "unexplained.vproof:11:44: error[[]VP202[]]: *"])


def test_the_pyproject_table_is_honoured(proofs):
    proofs.makepyprojecttoml("[tool.vecproof]\nexercise = true\n")
    run(proofs).assert_outcomes(failed=2)


def test_the_ini_option_wins_over_the_table(proofs):
    proofs.makepyprojecttoml("[tool.pytest.ini_options]\nvecproof_exercise = false\n\n"
                             "[tool.vecproof]\nexercise = true\n")
    run(proofs).assert_outcomes(passed=2)


def test_a_wrong_table_is_a_usage_error_naming_the_key(proofs):
    proofs.makepyprojecttoml("[tool.vecproof]\nexercise = 1\n")
    result = run(proofs)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*[[]tool.vecproof[]] exercise must be true or false*"])
