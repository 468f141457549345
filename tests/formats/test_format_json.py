"""--format json: the report validates against docs/schema/report.schema.json, which documents
every field; the JSON is report_to_dict's data, deterministic, and readable back."""

from __future__ import annotations

import dataclasses
import json
import random

import jsonschema
import pytest
from formats_support import REPO

from vecproof import diagnostics as dg
from vecproof.frontends.formats import render
from vecproof.serialize import report_to_dict

SCHEMA_PATH = REPO / "docs" / "schema" / "report.schema.json"


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def _errors(validator, data):
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)]


def test_schema_is_2020_12_and_documents_every_field():
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    undocumented = []

    def walk(node, where):
        if isinstance(node, dict):
            for name, sub in node.get("properties", {}).items():
                if "description" not in sub:
                    undocumented.append(f"{where}/properties/{name}")
            for name, sub in node.get("$defs", {}).items():
                if "description" not in sub:
                    undocumented.append(f"{where}/$defs/{name}")
            for key, sub in node.items():
                walk(sub, f"{where}/{key}")
        elif isinstance(node, list):
            for i, sub in enumerate(node):
                walk(sub, f"{where}/{i}")

    walk(schema, "#")
    assert not undocumented, undocumented


def test_schema_lists_exactly_the_registered_codes():
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    codes = {c["const"] for c in schema["$defs"]["code"]["oneOf"]}
    names = {c["const"] for c in schema["$defs"]["diagnostic"]["properties"]["name"]["oneOf"]}
    assert codes == set(dg.CODES), "update docs/schema/report.schema.json ($defs/code) for new codes"
    assert names == {c.name for c in dg.CODES.values()}


@pytest.mark.parametrize("seconds", [None, 1.23456])
def test_examples_report_validates(validator, example_results, seconds):
    data = json.loads(render("json", example_results, seconds=seconds))
    assert not _errors(validator, data)
    assert data["summary"]["rejected_as_declared"] == sum(r.expectation_met for r in example_results) > 0
    assert ("seconds" in data["summary"]) == (seconds is not None)
    # counterexamples and warnings are really exercised
    assert any("counterexample" in d for f in data["files"] for d in f["diagnostics"])


def test_failures_unreadable_binary_and_syntax_errors_validate(validator, corpus):
    data = json.loads(render("json", corpus, seconds=0.5))
    assert not _errors(validator, data)
    files = {f["path"]: f for f in data["files"]}
    assert files["binary.vproof"]["unreadable"] and files["binary.vproof"]["diagnostics"][0]["code"] == "VP002"
    assert files["missing.vproof"]["unreadable"]
    assert files["latin1.vproof"]["unreadable"]
    assert files["syntax.vproof"]["diagnostics"][0]["code"] == "VP001" and not files["syntax.vproof"]["theorems"]
    assert files["unproved.vproof"]["theorems"][0]["status"] == "unproved"
    assert files["warn.vproof"]["diagnostics"][0]["severity"] == "warning"
    assert data["summary"]["passed"] is False


def test_schema_rejects_what_it_should(validator, corpus):
    """The schema is a contract, not a formality: drift or damage is caught."""
    good = json.loads(render("json", corpus))
    for mutate in (
        lambda d: d["summary"].pop("errors"),
        lambda d: d["files"][0].__setitem__("surprise", 1),
        lambda d: d["files"][0]["diagnostics"][0].__setitem__("severity", "fatal"),
        lambda d: d["files"][0]["diagnostics"][0].__setitem__("code", "VP999"),
        lambda d: d["files"][0]["diagnostics"][0]["range"]["start"].__setitem__("line", 0),
        lambda d: d["files"][0]["theorems"][0].__setitem__("status", "maybe"),
        lambda d: d.__setitem__("schema_version", 2),
    ):
        bad = json.loads(json.dumps(good))
        mutate(bad)
        assert _errors(validator, bad)


def _canonical(report: dict) -> dict:
    for f in report["files"]:
        f["diagnostics"].sort(key=lambda d: json.dumps(d, sort_keys=True))
    return report


def test_json_is_report_to_dict(corpus, example_results):
    """The same data as report_to_dict; only ties between diagnostics at one position are ordered."""
    for results in (corpus, example_results):
        got = json.loads(render("json", results, seconds=2.0))
        want = json.loads(json.dumps(report_to_dict(results, 2.0)))
        assert list(got) == list(want)  # keys in the documented order
        assert _canonical(got) == _canonical(want)


def test_json_is_deterministic_and_utf8_writable(corpus):
    a = render("json", corpus, seconds=1.0)
    assert a == render("json", corpus, seconds=1.0)
    a.encode("utf-8")  # the non-UTF-8 file name is written as a \udcff escape, not a lone surrogate
    assert "\\udcff" in a
    assert "∈" in a  # non-ASCII text is kept as is
    shuffled = []
    rng = random.Random(7)
    for r in corpus:
        ds = list(r.diagnostics)
        rng.shuffle(ds)
        shuffled.append(dataclasses.replace(r, diagnostics=ds))
    assert render("json", shuffled, seconds=1.0) == a


def test_an_interval_counterexample_says_its_values_are_rounded(validator, tmp_path):
    """exp, log, σ, …: the sides' values are rounded, and the report says so (`approximate`)."""
    import subprocess
    import sys

    src = (REPO / "examples" / "bad" / "sigmoid_prime_squared.vproof").read_text(encoding="utf-8")
    (tmp_path / "s.vproof").write_text(src.split("\n", 1)[1], encoding="utf-8")  # without its `# expect:`
    run = subprocess.run([sys.executable, "-m", "vecproof", "check", "--format", "json", "--no-cache", "s.vproof"],
                         cwd=tmp_path, capture_output=True, text=True)
    data = json.loads(run.stdout)
    assert _errors(validator, data) == []
    found = [d["counterexample"] for f in data["files"] for d in f["diagnostics"] if d.get("counterexample")]
    assert found and all(c.get("approximate") is True for c in found)
