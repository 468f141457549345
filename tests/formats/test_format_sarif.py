"""--format sarif: valid against the official SARIF 2.1.0 JSON schema (Microsoft's published
sarif-2.1.0-rtm.5.json, fetched from npm at test time), and shaped the way GitHub code scanning
needs: rule ids, locations, 1-based regions, repository-relative URIs."""

from __future__ import annotations

import json
import os
import re
from urllib.parse import unquote_to_bytes, urlsplit

import jsonschema
import pytest
from formats_support import by_path, sarif_schema

from vecproof import __version__
from vecproof.diagnostics import CODES
from vecproof.frontends.formats import render
from vecproof.frontends.formats._common import full_message

# RFC 3986 URI-reference characters: unreserved, sub-delims, ":" "@" "/" "?" "#", and %XX escapes.
URI_REFERENCE = re.compile(r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?#]|%[0-9A-Fa-f]{2})*")


@pytest.fixture(scope="module")
def official():
    schema = sarif_schema()
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def sarif(results, **kw) -> dict:
    return json.loads(render("sarif", results, **kw))


def schema_errors(validator, log) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(log)]


def github_problems(log) -> list[str]:
    """What GitHub code scanning requires beyond the schema ("SARIF support for code scanning")."""
    out = []
    if log.get("version") != "2.1.0" or "$schema" not in log:
        out.append("version 2.1.0 and $schema")
    for run in log["runs"]:
        driver = run["tool"]["driver"]
        if not driver.get("name"):
            out.append("tool.driver.name")
        rules = driver.get("rules", [])
        ids = [r["id"] for r in rules]
        if len(ids) != len(set(ids)):
            out.append("duplicate rule ids")
        for r in rules:
            if not r.get("shortDescription", {}).get("text") or not r.get("fullDescription", {}).get("text"):
                out.append(f"rule {r['id']}: short and full description")
        for i, res in enumerate(run["results"]):
            where = f"result {i}"
            if not res.get("ruleId"):
                out.append(f"{where}: ruleId")
            elif "ruleIndex" in res and ids[res["ruleIndex"]] != res["ruleId"]:
                out.append(f"{where}: ruleIndex does not point at ruleId")
            if not res.get("message", {}).get("text"):
                out.append(f"{where}: message.text")
            if not res.get("locations"):
                out.append(f"{where}: locations")
                continue
            phys = res["locations"][0].get("physicalLocation", {})
            uri = phys.get("artifactLocation", {}).get("uri", "")
            if not uri or urlsplit(uri).scheme or uri.startswith("/") or not URI_REFERENCE.fullmatch(uri):
                out.append(f"{where}: uri {uri!r} is not a relative URI reference")
            if phys.get("artifactLocation", {}).get("uriBaseId") != "%SRCROOT%":
                out.append(f"{where}: uriBaseId")
            region = phys.get("region", {})
            if region.get("startLine", 0) < 1:
                out.append(f"{where}: region.startLine >= 1")
    return out


# slow: the official schema comes from the npm registry (cached after the first run)
@pytest.mark.slow
@pytest.mark.parametrize("which", ["examples", "corpus", "nothing"])
def test_valid_against_official_schema(official, which, example_results, corpus, in_corpus):
    results = {"examples": example_results, "corpus": corpus, "nothing": []}[which]
    assert not schema_errors(official, sarif(results, root=in_corpus, seconds=2.0))


def test_meets_github_requirements(example_results, in_repo):
    log = sarif(example_results, root=in_repo)
    assert not github_problems(log)
    results = log["runs"][0]["results"]
    assert results and all(r.get("suppressions") for r in results)  # examples/bad/: rejected as declared


def test_awkward_names_are_percent_encoded(corpus, in_corpus):
    log = sarif(corpus, root=in_corpus)
    assert not github_problems(log)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]}
    assert "sub%20dir/we%25ird%2C%20na%3Ame%20%26%20%3Cx%3E%20%22q%22.vproof" in uris
    assert "sub%20dir/ctl%01%1B%20name.vproof" in uris
    assert "raw%FF.vproof" in uris  # the file name's real byte
    assert "missing.vproof" in uris and "binary.vproof" in uris


@pytest.mark.slow
def test_official_schema_really_checks(official, corpus, in_corpus):
    log = sarif(corpus, root=in_corpus)
    for mutate in (
        lambda g: g.__setitem__("version", "2.0.0"),
        lambda g: g["runs"][0]["results"][0].__setitem__("level", "fatal"),
        lambda g: g["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"].__setitem__(
            "startLine", 0),
        lambda g: g["runs"][0]["tool"]["driver"].pop("name"),
    ):
        bad = json.loads(json.dumps(log))
        mutate(bad)
        assert schema_errors(official, bad)


def test_every_diagnostic_is_a_result_with_exact_region(corpus, in_corpus):
    log = sarif(corpus, root=in_corpus)
    run = log["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    results = run["results"]
    diags = [(r, d) for r in corpus for d in sorted(r.diagnostics, key=lambda d: (
        d.span.line, d.span.col, d.span.end_line, d.span.end_col, d.code.id, d.level.value, d.message, d.detail))]
    assert len(results) == len(diags)
    for res, (r, d) in zip(results, diags):
        assert res["ruleId"] == d.code.id
        assert res["level"] == d.level.value
        assert res["message"]["text"] == full_message(d)
        (loc,) = res["locations"]
        region = loc["physicalLocation"]["region"]
        s = d.span
        assert region == {"startLine": s.line, "startColumn": s.col, "endLine": s.end_line, "endColumn": s.end_col}
        uri = loc["physicalLocation"]["artifactLocation"]["uri"]
        assert unquote_to_bytes(uri) == os.fsencode(r.path)
        assert ("suppressions" in res) == r.expectation_met
        if d.counterexample is not None:
            assert res["properties"]["counterexample"] == d.counterexample


def test_rules_are_the_codes_used(corpus, example_results, in_corpus):
    for results in (corpus, example_results):
        log = sarif(results, root=in_corpus)
        driver = log["runs"][0]["tool"]["driver"]
        assert driver["name"] == "vecproof" and driver["version"] == __version__
        used = sorted({d.code.id for r in results for d in r.diagnostics})
        assert [r["id"] for r in driver["rules"]] == used
        for rule in driver["rules"]:
            code = CODES[rule["id"]]
            assert rule["name"] == code.name
            assert rule["shortDescription"]["text"] == code.summary
            assert rule["defaultConfiguration"]["level"] == code.severity.value


def test_theorem_attribution_and_fingerprints(corpus, in_corpus):
    log = sarif([by_path(corpus, "mixed.vproof")], root=in_corpus)
    got = [(r["ruleId"], r.get("properties", {}).get("theorem")) for r in log["runs"][0]["results"]]
    assert got == [("VP106", "first"), ("VP104", None), ("VP201", "second"), ("VP204", "second")]
    prints = [r["partialFingerprints"]["vecproof/v1"] for r in sarif(corpus, root=in_corpus)["runs"][0]["results"]]
    assert len(prints) == len(set(prints))


def test_uri_is_relative_to_root(corpus, in_corpus):
    bad = by_path(corpus, "bad.vproof")
    loc = sarif([bad], root=in_corpus.parent)["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"] == {"uri": f"{in_corpus.name}/bad.vproof", "uriBaseId": "%SRCROOT%"}
    # outside the root: an absolute file: URI (code scanning cannot place it; other viewers can)
    loc = sarif([bad], root=in_corpus / "sub dir")["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"] == {"uri": (in_corpus / "bad.vproof").as_uri()}


def test_empty_run_and_determinism(corpus, in_corpus):
    empty = sarif([])
    assert empty["runs"][0]["results"] == [] and empty["runs"][0]["tool"]["driver"]["rules"] == []
    a = render("sarif", corpus, root=in_corpus)
    assert a == render("sarif", corpus, root=str(in_corpus))
    a.encode("utf-8")
