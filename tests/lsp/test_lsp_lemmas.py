"""Cited theorems in the editor, through the real server: hover and go-to-definition on a citation
(in this document or an imported file), completion of citable names, the code actions that write a
citation's instance out, and re-checks when an imported file changes."""

from __future__ import annotations

import pytest
from lsp_support import QUADRATIC, apply, change, diagnostics, doc, encoding, find, open_doc
from lsprotocol import types as lsp

from vecproof.rules import names as rule_names

pytestmark = [pytest.mark.asyncio(loop_scope="module"),
              pytest.mark.filterwarnings("error::pytest_lsp.LspSpecificationWarning")]

# cites the lemma of lib.vproof, bare and qualified, and a lemma of its own
MAIN = """import "lib.vproof"
layout denominator
dim n
var x : vector(n)
const B : matrix(n, n)

lemma twice:
  2 x = x + x
proof:
     2 x
   = x + x     by algebra
qed

theorem use:
  grad(x^T B x) = B x + B^T x
proof:
     grad(x^T B x)
   = (B + B^T) x     by quadratic_form_gradient
   = B x + B^T x     by lib.quadratic_form_gradient, matvec_def
qed

theorem again:
  x + x = 2 x
proof:
     x + x
   = 2 x     by twice
qed
"""


def files(tmp_path, lib: str = QUADRATIC) -> tuple[str, str]:
    """lib.vproof and main.vproof in a fresh folder: their file: URIs."""
    (tmp_path / "lib.vproof").write_text(lib)
    (tmp_path / "main.vproof").write_text(MAIN)
    return (tmp_path / "lib.vproof").as_uri(), (tmp_path / "main.vproof").as_uri()


async def hover_at(client, uri, text, needle):
    """The hover at the end of `needle` (a citation's name ends there)."""
    pos = find(text, needle, encoding(client), end=True)
    return await client.text_document_hover_async(lsp.HoverParams(doc(uri), pos))


async def test_hover_on_a_cited_theorem_shows_its_statement_where_and_verdict(client, tmp_path):
    _, uri = files(tmp_path)
    open_doc(client, uri, MAIN)
    got = await diagnostics(client, uri)
    assert [d.code for d in got if d.severity == lsp.DiagnosticSeverity.Error] == []  # the import is found
    h = (await hover_at(client, uri, MAIN, "by quadratic_form_gradient")).contents.value
    assert "grad(x^T A x) = (A + A^T) x" in h and "lib.vproof:7" in h and "proved: lemma quadratic_form_gradient" in h
    q = (await hover_at(client, uri, MAIN, "lib.quadratic_form_gradient")).contents.value
    assert "lib.vproof:7" in q
    here = (await hover_at(client, uri, MAIN, "by twice")).contents.value
    assert "2 x = x + x" in here and "line 7" in here and "proved: lemma twice" in here


async def test_go_to_definition_of_a_cited_theorem_and_of_an_import(client, tmp_path):
    lib, uri = files(tmp_path)
    open_doc(client, uri, MAIN)
    await diagnostics(client, uri)
    enc = encoding(client)

    async def definition(needle):
        return await client.text_document_definition_async(lsp.DefinitionParams(doc(uri), find(MAIN, needle, enc,
                                                                                              end=True)))
    for needle in ("by quadratic_form_gradient", "lib.quadratic_form_gradient"):
        got = await definition(needle)
        assert got.uri == lib and got.range.start == find(QUADRATIC, "quadratic_form_gradient", enc)
    got = await definition("by twice")
    assert got.uri == uri and got.range.start == find(MAIN, "twice", enc)
    got = await definition('import "lib')
    assert got.uri == lib and got.range.start == lsp.Position(0, 0)


async def test_completion_after_by_offers_the_citable_theorems_with_their_statements(client, tmp_path):
    _, uri = files(tmp_path)
    open_doc(client, uri, MAIN)
    await diagnostics(client, uri)
    enc = encoding(client)
    got = await client.text_document_completion_async(lsp.CompletionParams(doc(uri), find(
        MAIN, "(B + B^T) x     by ", enc, end=True)))
    items = {i.label: i for i in got.items}
    assert set(rule_names()) <= set(items)  # the rules, as before
    assert {"twice", "quadratic_form_gradient", "lib.quadratic_form_gradient"} <= set(items)
    assert "use" not in items and "again" not in items  # itself, and a theorem stated later
    assert items["twice"].detail == "2 x = x + x"
    assert items["lib.quadratic_form_gradient"].detail == "grad(x^T A x) = (A + A^T) x"
    assert "lib.vproof:7" in items["quadratic_form_gradient"].documentation.value
    got = await client.text_document_completion_async(lsp.CompletionParams(doc(uri), find(
        MAIN, "2 x     by ", enc, end=True)))
    assert {"twice", "use"} <= {i.label for i in got.items}


async def actions_at(client, uri, text, needle, context=()):
    """The code actions offered on the text of `needle` (its first occurrence)."""
    enc = encoding(client)
    where = lsp.Range(find(text, needle, enc), find(text, needle, enc, end=True))
    return await client.text_document_code_action_async(lsp.CodeActionParams(
        doc(uri), where, lsp.CodeActionContext(diagnostics=list(context))))


def edited(client, uri, text, action) -> tuple[str, str]:
    """(the text the action writes, the document with the action applied)."""
    edit = action.edit
    [e] = edit.changes[uri] if edit.changes else edit.document_changes[0].edits
    return e.new_text, apply(text, [e], encoding(client))


async def test_a_matched_instance_can_be_written_out_and_the_result_checks(client, tmp_path):
    _, uri = files(tmp_path)
    open_doc(client, uri, MAIN)
    before = await diagnostics(client, uri)
    assert [d for d in before if d.severity == lsp.DiagnosticSeverity.Error] == []
    [action] = await actions_at(client, uri, MAIN, "quadratic_form_gradient\n")
    assert action.kind == lsp.CodeActionKind.RefactorRewrite and not action.diagnostics
    new, fixed = edited(client, uri, MAIN, action)
    assert new == "quadratic_form_gradient[n := n, x := x, A := B]"
    assert "= (B + B^T) x     by quadratic_form_gradient[n := n, x := x, A := B]\n" in fixed
    change(client, uri, 2, fixed)
    assert [d.code for d in await diagnostics(client, uri, version=2)] == [d.code for d in before]


async def test_a_citation_whose_instance_does_not_fit_gets_one_that_does(client, tmp_path):
    _, uri = files(tmp_path)
    text = MAIN.replace("by quadratic_form_gradient\n", "by quadratic_form_gradient[A := B^T]\n")
    open_doc(client, uri, text)
    [d] = [d for d in await diagnostics(client, uri) if d.code == "VP202" and d.range.start.line == 17]  # 19: MAIN's
    assert d.data["fixes"][0]["newText"] == "quadratic_form_gradient[n := n, x := x, A := B]"
    action, other = await actions_at(client, uri, text, "quadratic_form_gradient[", [d])
    assert action.kind == lsp.CodeActionKind.QuickFix and action.is_preferred
    new, fixed = edited(client, uri, text, action)
    assert new == "quadratic_form_gradient[n := n, x := x, A := B]"
    # the other quick fix, `algebra`, replaces the whole citation: its instantiation too
    assert "= (B + B^T) x     by algebra\n" in edited(client, uri, text, other)[1]
    change(client, uri, 2, fixed)
    got = await diagnostics(client, uri, version=2)
    assert [(g.code, g.range.start.line) for g in got] == [("VP202", 18)]  # as MAIN: the step is explained


# the imported lemma made false: its last step no longer follows
BROKEN = QUADRATIC.replace("= (A x)[k] + (A^T x)[k]", "= (A x)[k] + (A x)[k]  ")


def codes(diags) -> set[str]:
    return {d.code for d in diags}


async def test_an_importer_is_checked_again_when_the_imported_file_is_edited_in_the_editor(client, tmp_path):
    lib, uri = files(tmp_path)
    open_doc(client, uri, MAIN)
    open_doc(client, lib, QUADRATIC)
    assert "VP120" not in codes(await diagnostics(client, uri))
    after = len(client.published)
    change(client, lib, 2, BROKEN)  # not saved: the editor's text is what the importer sees
    assert "VP120" in codes(await diagnostics(client, uri, after=after))
    after = len(client.published)
    change(client, lib, 3, QUADRATIC)
    assert "VP120" not in codes(await diagnostics(client, uri, after=after))
    client.text_document_did_close(lsp.DidCloseTextDocumentParams(doc(lib)))


async def test_an_importer_is_checked_again_when_the_imported_file_is_saved(client, tmp_path):
    lib, uri = files(tmp_path)
    open_doc(client, uri, MAIN)
    assert "VP120" not in codes(await diagnostics(client, uri))
    (tmp_path / "lib.vproof").write_text(BROKEN)
    after = len(client.published)
    client.text_document_did_save(lsp.DidSaveTextDocumentParams(doc(lib)))
    assert "VP120" in codes(await diagnostics(client, uri, after=after))


async def test_an_edit_of_the_importer_does_not_reuse_a_verdict_of_a_changed_import(client, tmp_path):
    lib, uri = files(tmp_path)
    open_doc(client, uri, MAIN)
    assert "VP120" not in codes(await diagnostics(client, uri))
    (tmp_path / "lib.vproof").write_text(BROKEN)  # no notification: the editor did not see it
    change(client, uri, 2, MAIN.replace("= 2 x     by twice", "= 2 x    by twice"))  # in another theorem
    assert "VP120" in codes(await diagnostics(client, uri, version=2))
