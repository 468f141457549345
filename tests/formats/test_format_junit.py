"""--format junit: well-formed XML that a real consumer (junitparser) reads with the right counts,
valid against Jenkins' JUnit XSD, one suite per file and one testcase per theorem."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from formats_support import by_path, junit_xsd
from junitparser import Error, Failure, JUnitXml

from vecproof.frontends.formats import render
from vecproof.frontends.formats._common import xml_safe
from vecproof.frontends.formats.junit import classname


def xml_bytes(results, **kw) -> bytes:
    return render("junit", results, **kw).encode("utf-8")


def suites(results, **kw):
    return ET.fromstring(xml_bytes(results, **kw)).findall("testsuite")


def outcome(case) -> str:
    tags = {child.tag for child in case} & {"failure", "error", "skipped"}
    assert len(tags) <= 1
    return tags.pop() if tags else "passed"


@pytest.mark.parametrize("which", ["examples", "corpus"])
def test_junitparser_reads_the_counts(which, example_results, corpus, in_corpus):
    results = example_results if which == "examples" else corpus
    data = xml_bytes(results, seconds=3.25, root=in_corpus)
    xml = JUnitXml.fromstring(data)
    suites_ = list(xml)
    assert len(suites_) == len(results)
    total = {"tests": 0, "failures": 0, "errors": 0}
    for suite, r in zip(suites_, results):
        assert suite.name == xml_safe(r.path)
        cases = list(suite)
        failures = sum(isinstance(x, Failure) for c in cases for x in c.result)
        errors = sum(isinstance(x, Error) for c in cases for x in c.result)
        assert (suite.tests, suite.failures, suite.errors) == (len(cases), failures, errors)
        # a suite is green exactly when `vecproof check` passes the file
        assert (failures + errors == 0) == r.passed(), r.path
        for k, n in (("tests", len(cases)), ("failures", failures), ("errors", errors)):
            total[k] += n
    assert (xml.tests, xml.failures, xml.errors) == (total["tests"], total["failures"], total["errors"])
    assert xml.time == 3.25


def test_one_testcase_per_theorem_with_dotted_classname(example_results):
    good = [r for r in example_results if not r.expected]
    assert good
    for suite, r in zip(suites(good), good):
        cases = suite.findall("testcase")
        assert [c.get("name") for c in cases] == [t.name for t in r.theorems]
        want = r.path.removesuffix(".vproof").replace("/", ".")
        assert {c.get("classname") for c in cases} == {want}
        assert all(outcome(c) == "passed" for c in cases)


def test_rejected_as_declared_is_one_passing_testcase(example_results):
    bad = [r for r in example_results if r.expectation_met]
    assert len(bad) > 10
    for suite, r in zip(suites(bad), bad):
        (case,) = suite.findall("testcase")
        assert outcome(case) == "passed"
        assert case.get("name") == r.path.rsplit("/", 1)[-1]
        out = case.findtext("system-out")
        assert out.startswith("rejected as declared (expect: ")
        for code in r.expected:
            assert f"[{code}]" in out
        props = {p.get("name"): p.get("value") for p in suite.iter("property")}
        assert props["vecproof.expect"] == ", ".join(r.expected)


def test_failures_and_errors_carry_the_diagnostics(corpus, in_corpus):
    got = {s.get("name"): s for s in suites(corpus, root=in_corpus)}

    (case,) = got["bad.vproof"].findall("testcase")
    (failure,) = case.findall("failure")
    assert failure.get("type") == "VP201"
    assert failure.get("message").startswith("VP201: this step is false")
    body = failure.text
    assert "bad.vproof:13:6: error[VP201]: this step is false" in body
    assert "counterexample: n = 2" in body and "line before = 9, this line = 6" in body

    for name in ("syntax.vproof", "binary.vproof", "latin1.vproof", "missing.vproof", "control.vproof"):
        (case,) = got[name].findall("testcase")
        assert case.get("name") == name and outcome(case) == "error", name
        assert case.find("error").get("type") in {"VP001", "VP002"}

    (case,) = got["unproved.vproof"].findall("testcase")
    assert outcome(case) == "failure" and case.find("failure").get("type") == "VP205"

    # theorems and the file-level problem (a declaration between theorems) are separate testcases
    cases = {c.get("name"): c for c in got["mixed.vproof"].findall("testcase")}
    assert list(cases) == ["first", "second", "mixed.vproof"]
    assert cases["first"].find("failure").get("type") == "VP106"
    assert cases["second"].find("failure").get("type") == "VP201"
    assert "error[VP204]" in cases["second"].find("failure").text
    assert cases["mixed.vproof"].find("failure").get("type") == "VP104"

    # an unmet `# expect:` fails the file although its theorem is proved
    cases = {c.get("name"): c for c in got["expect_unmet.vproof"].findall("testcase")}
    assert outcome(cases["quadratic_form_gradient"]) == "passed"
    assert cases["expect_unmet.vproof"].find("failure").get("type") == "VP004"

    (case,) = got["empty.vproof"].findall("testcase")
    assert outcome(case) == "passed" and "warning[VP003]" in case.findtext("system-out")


def test_warnings_are_system_out_and_fail_only_when_strict(corpus):
    warn = by_path(corpus, "warn.vproof")
    (case,) = suites([warn])[0].findall("testcase")
    assert outcome(case) == "passed"
    assert "warning[VP202]" in case.findtext("system-out")
    (case,) = suites([warn], strict=True)[0].findall("testcase")
    assert outcome(case) == "failure" and case.find("failure").get("type") == "VP202"
    assert not warn.passed(strict=True)


def test_escaping_and_illegal_characters(corpus):
    text = render("junit", corpus)
    root = ET.fromstring(text.encode("utf-8"))  # well-formed
    names = [s.get("name") for s in root.findall("testsuite")]
    assert 'sub dir/we%ird, na:me & <x> "q".vproof' in names
    assert "sub dir/ctl\ufffd\ufffd name.vproof" in names  # \x01 and ESC cannot be in XML 1.0
    assert "raw\ufffd.vproof" in names  # undecodable file-name byte
    assert "\x01" not in text and "\x1b" not in text
    for el in root.iter():
        for value in [el.text or "", el.tail or "", *el.attrib.values()]:
            assert not any(ord(ch) < 0x20 and ch not in "\t\n\r" for ch in value)


@pytest.mark.slow  # the XSD comes from PyPI (pytest's sdist; cached after the first run)
def test_valid_against_jenkins_junit_xsd(example_results, corpus, in_corpus):
    xmlschema = pytest.importorskip("xmlschema")
    schema = xmlschema.XMLSchema(str(junit_xsd()))
    for results, kw in ((example_results, {"seconds": 12.5}), (corpus, {"root": in_corpus}),
                        (corpus, {"strict": True}), ([], {})):
        errors = [str(e) for e in schema.iter_errors(xml_bytes(results, **kw).decode("utf-8"))]
        assert not errors, errors[:3]
    # and the schema bites: attributes some tools add but this dialect does not know are rejected
    text = render("junit", corpus).replace("<testcase ", '<testcase file="x.vproof" ', 1)
    assert not schema.is_valid(text)
    text = render("junit", corpus).replace('<testsuite name=', '<testsuite tests_typo="1" name=', 1)
    assert not schema.is_valid(text)


def test_classname():
    assert classname("examples/bad/x.vproof") == "examples.bad.x"
    assert classname("a.vproof") == "a"
    assert classname(".vproof") == ".vproof"
    assert classname("/elsewhere/deep/x.vproof", root="/work") in ("elsewhere.deep.x",)


def test_empty_run_and_determinism(corpus):
    assert ET.fromstring(render("junit", []).encode()).get("tests") == "0"
    assert render("junit", corpus, seconds=1) == render("junit", corpus, seconds=1)
