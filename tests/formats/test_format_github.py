"""--format github: workflow commands that the Actions runner turns into annotations. A parser
written here after the runner's own (ActionCommand.TryParseV2 and its unescaping) reads them back."""

from __future__ import annotations

import dataclasses
import re

import pytest
from formats_support import by_path

from vecproof.diagnostics import Severity, Span
from vecproof.frontends.formats import render
from vecproof.frontends.formats._common import full_message
from vecproof.frontends.formats.github import annotation

# The runner's unescaping, applied in this order (%25 last, so an escaped "%" never starts another
# escape): data %0D %0A %25; property values also %3A %2C.
DATA_UNESCAPES = [("%0D", "\r"), ("%0A", "\n"), ("%25", "%")]
PROPERTY_UNESCAPES = [("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")]


def _unescape(value: str, table) -> str:
    for token, replacement in table:
        value = value.replace(token, replacement)
    return value


def parse_command(line: str):
    """(command, properties, message) as the runner reads `::command k=v,k=v::message`."""
    assert line.startswith("::"), line
    end = line.index("::", 2)
    info, data = line[2:end], line[end + 2:]
    command, _, rest = info.partition(" ")
    props = {}
    for pair in rest.split(","):
        if not pair:
            continue
        key, sep, value = pair.partition("=")
        assert sep, f"property without '=' in {line!r}"
        assert key not in props
        props[key] = _unescape(value, PROPERTY_UNESCAPES)
    return command, props, _unescape(data, DATA_UNESCAPES)


def parse(text: str):
    assert text == "" or text.endswith("\n")
    return [parse_command(line) for line in text.splitlines()]


def test_one_annotation_per_diagnostic_with_runner_properties(corpus, in_corpus):
    out = render("github", corpus, root=in_corpus)
    commands = parse(out)
    expected = [(r, d) for r in corpus if not r.expectation_met for d in r.diagnostics]
    assert len(commands) == len(expected)
    for command, props, message in commands:
        assert command in {"error", "warning", "notice"}
        assert re.fullmatch(r"VP\d{3}", props["title"])
        assert int(props["line"]) >= 1 and int(props["endLine"]) >= int(props["line"])
        if props["line"] == props["endLine"]:
            assert 1 <= int(props["col"]) <= int(props["endColumn"])
        else:
            assert "col" not in props and "endColumn" not in props
        assert set(props) <= {"file", "line", "col", "endLine", "endColumn", "title"}
        assert message


def test_round_trip_of_real_results(corpus, in_corpus):
    out = render("github", corpus, root=in_corpus)
    got = parse(out)
    want = []
    for r in corpus:
        if r.expectation_met:
            continue
        for d in sorted(r.diagnostics, key=lambda d: (d.span.line, d.span.col, d.span.end_line, d.span.end_col,
                                                       d.code.id, d.level.value, d.message, d.detail)):
            want.append(({"error": "error", "warning": "warning", "note": "notice"}[d.level.value],
                         r.path, d.span, d.code.id, full_message(d)))
    assert len(got) == len(want)
    for (command, props, message), (cmd, path, span, code, text) in zip(got, want):
        assert command == cmd
        if "\x01" in path or "\udcff" in path:  # unrepresentable: replaced, not passed to the log raw
            assert "\ufffd" in props["file"]
        else:
            assert props["file"] == path
        assert (int(props["line"]), int(props["endLine"]), props["title"]) == (span.line, span.end_line, code)
        if span.line == span.end_line:
            assert (int(props["col"]), int(props["endColumn"])) == (span.col, span.end_col - 1)
        assert message == text


def test_awkward_file_name_survives(corpus, in_corpus):
    r = by_path(corpus, 'sub dir/we%ird, na:me & <x> "q".vproof')
    lines = render("github", [r], root=in_corpus).splitlines()
    assert lines and all("file=sub dir/we%25ird%2C na%3Ame & <x> \"q\".vproof," in line for line in lines)
    assert {parse_command(line)[1]["file"] for line in lines} == {r.path}


@pytest.mark.parametrize("message", [
    "100% sure",
    "%0A is not a newline, %25 is not a percent sign",
    "a, b: c,, ::d:: e",
    "first line\nsecond line\r\nthird\rfourth",
    "trailing newline\n",
    "%",
    "::error file=x::y",
])
@pytest.mark.parametrize("path", ["plain.vproof", "dir, with: colons/and%25,percent.vproof", "a=b/c d.vproof"])
def test_escaping_round_trips(corpus, message, path):
    base = next(d for r in corpus for d in r.diagnostics if d.code.id == "VP201")
    d = dataclasses.replace(base, message=message, detail=("detail, with: 50% and\nnewline",))
    line = annotation(d, path)
    assert "\n" not in line and "\r" not in line
    command, props, got = parse_command(line)
    assert command == "error"
    assert props["file"] == path
    assert got == message + "\ndetail, with: 50% and\nnewline"


def test_levels_map_to_commands(corpus):
    base = next(d for r in corpus for d in r.diagnostics if d.code.id == "VP201")
    for sev, command in [(Severity.ERROR, "error"), (Severity.WARNING, "warning"), (Severity.NOTE, "notice")]:
        assert annotation(dataclasses.replace(base, severity=sev), "f.vproof").startswith(f"::{command} ")


def test_multi_line_span_has_no_columns(corpus):
    base = next(d for r in corpus for d in r.diagnostics if d.code.id == "VP201")
    _, props, _ = parse_command(annotation(dataclasses.replace(base, span=Span(3, 5, 6, 2)), "f.vproof"))
    assert (props["line"], props["endLine"]) == ("3", "6") and "col" not in props


def test_rejected_as_declared_files_are_not_annotated(example_results, in_repo):
    out = render("github", example_results, root=in_repo)
    assert out == ""  # every example passes; examples/bad/ are all rejected as declared
    unmet = [r for r in example_results if r.expected]
    assert unmet and all(r.expectation_met for r in unmet)


def test_paths_are_relative_to_root(corpus, in_corpus):
    bad = by_path(corpus, "bad.vproof")
    _, props, _ = parse_command(render("github", [bad], root=in_corpus.parent).splitlines()[0])
    assert props["file"] == f"{in_corpus.name}/bad.vproof"


def test_deterministic(corpus, in_corpus):
    assert render("github", corpus, root=in_corpus) == render("github", list(corpus), root=str(in_corpus))
