"""Every editor feature through the real server over stdio, as VS Code and as Neovim (UTF-8)."""

from __future__ import annotations

import asyncio

import pytest
from lsp_support import (
    HEAD,
    NORM,
    QUADRATIC,
    TIMEOUT,
    apply,
    change,
    diagnostics,
    doc,
    encoding,
    find,
    new_uri,
    open_doc,
    published,
    units,
    until,
)
from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcMethodNotFound

from vecproof.checker import check_text
from vecproof.rules import names as rule_names

pytestmark = [pytest.mark.asyncio(loop_scope="module"),
              pytest.mark.filterwarnings("error::pytest_lsp.LspSpecificationWarning")]

FALSE_STEP = HEAD + """
theorem wrong:
  grad(x^T x) = 2 x
proof (component k):
     d(x^T x)/dx[k]
   = d(sum(i, x[i] x[i]))/dx[k]         by expand_sums
   = sum(i, delta(i, k) x[i])           by product_rule
   = x[k]                               by index_collapse
qed
"""

STOPS_SHORT = HEAD + """
theorem sq:
  grad(‖x‖²) = 2 x
proof (component k):
     d(‖x‖²)/dx[k]
   = d(sum(i, x[i]^2))/dx[k]            by norm_def
   = sum(i, 2 x[i] delta(i, k))         by product_rule
qed
"""


async def test_initialize_advertises_the_features_and_the_position_encoding(client):
    caps = client.initialized_with.capabilities
    assert caps.hover_provider and caps.definition_provider and caps.document_symbol_provider
    assert caps.completion_provider is not None and caps.code_action_provider
    assert caps.semantic_tokens_provider.full and "macro" in caps.semantic_tokens_provider.legend.token_types
    assert caps.text_document_sync.save and caps.text_document_sync.change == lsp.TextDocumentSyncKind.Incremental
    offered = client.capabilities.general and client.capabilities.general.position_encodings
    assert encoding(client) == ("utf-8" if offered and "utf-8" in offered else "utf-16")


async def test_a_false_step_is_an_error_on_its_expression_with_the_counterexample(client):
    uri = new_uri("false")
    open_doc(client, uri, FALSE_STEP)
    [d] = [d for d in await diagnostics(client, uri) if d.code == "VP201"]
    enc = encoding(client)
    assert d.severity == lsp.DiagnosticSeverity.Error and d.source == "vecproof"
    assert d.range.start == find(FALSE_STEP, "sum(i, delta(i, k) x[i])", enc)
    assert d.range.end == find(FALSE_STEP, "sum(i, delta(i, k) x[i])", enc, end=True)
    assert "counterexample: n = " in d.message and "line before = " in d.message
    assert d.data["counterexample"]["sizes"]


async def test_ranges_count_code_units_of_the_negotiated_encoding(client):
    uri = new_uri("unicode")
    text = NORM.replace("by norm_def\n   = Σ", "by norm_dfe\n   = Σ")  # a misspelt rule after ‖x‖² and Σ
    open_doc(client, uri, text)
    got = await diagnostics(client, uri)
    enc = encoding(client)
    [bad] = [d for d in got if d.code == "VP106"]
    assert bad.range.start == find(text, "norm_dfe", enc) and bad.range.end == find(text, "norm_dfe", enc, end=True)
    line = text.split("\n")[bad.range.start.line]
    assert bad.range.start.character == units(line[: line.index("norm_dfe")], enc)
    [warn] = [d for d in got if d.code == "VP202"]  # the second norm_def does not explain the product rule
    assert warn.severity == lsp.DiagnosticSeverity.Warning
    assert warn.range.start == find(text, "norm_def", enc, nth=0)


async def test_diagnostics_follow_changes_and_saves(client):
    uri = new_uri("edits")
    open_doc(client, uri, QUADRATIC)
    assert await diagnostics(client, uri, version=1) == []
    broken = QUADRATIC.replace("(A x)[k] + (A^T x)[k] ", "(A x)[k] + (A x)[k]   ")
    change(client, uri, 2, broken)
    got = await diagnostics(client, uri, version=2)
    assert {d.code for d in got} >= {"VP201"}
    # an incremental edit, in the client's position encoding, that puts the text back
    enc = encoding(client)
    start = find(broken, "(A x)[k]   ", enc)
    end = find(broken, "(A x)[k]", enc, nth=1, end=True)
    client.text_document_did_change(lsp.DidChangeTextDocumentParams(
        lsp.VersionedTextDocumentIdentifier(uri=uri, version=3),
        [lsp.TextDocumentContentChangePartial(range=lsp.Range(start, end), text="(A^T x)[k]")]))
    assert await diagnostics(client, uri, version=3) == []
    before = len(published(client, uri))
    client.text_document_did_save(lsp.DidSaveTextDocumentParams(doc(uri)))
    await until(lambda: len(published(client, uri)) > before)
    assert published(client, uri)[-1].version == 3 and not published(client, uri)[-1].diagnostics


async def test_rapid_changes_are_checked_once(client):
    uri = new_uri("debounce")
    open_doc(client, uri, QUADRATIC)
    await diagnostics(client, uri, version=1)
    for v in range(2, 12):  # ten keystrokes, faster than the debounce delay
        change(client, uri, v, QUADRATIC + "#" * v)
    await diagnostics(client, uri, version=11)
    versions = [p.version for p in published(client, uri)]
    assert versions[0] == 1 and versions[-1] == 11
    assert len(versions) <= 3, versions  # not one check per keystroke
    assert versions == sorted(versions)


# ---- hover ------------------------------------------------------------------------------------------


async def hover_at(client, uri, text, needle, nth=0, offset=1):
    pos = find(text, needle, encoding(client), nth)
    pos = lsp.Position(pos.line, pos.character + offset)
    return await client.text_document_hover_async(lsp.HoverParams(doc(uri), pos))


async def test_hover_on_a_rule_a_name_a_step_and_a_theorem(client):
    uri = new_uri("hover")
    open_doc(client, uri, NORM)
    await diagnostics(client, uri)
    rule = await hover_at(client, uri, NORM, "index_collapse")
    assert "index_collapse" in rule.contents.value and "Kronecker delta" in rule.contents.value
    assert rule.range.start == find(NORM, "index_collapse", encoding(client))
    name = await hover_at(client, uri, NORM, "x[k]", nth=0, offset=0)
    assert "var x : vector(n)" in name.contents.value
    index = await hover_at(client, uri, NORM, "k))", offset=0)
    assert "index k : n" in index.contents.value
    step = await hover_at(client, uri, NORM, "= 2 x[k]", offset=0)
    value = step.contents.value
    assert "proved" in value and "step 3" in value and "index_collapse" in value
    assert "sum(i, 2 x[i] delta(i, k))" in value and "```vproof\n2 x[k]\n```" in value  # both sides in index form
    theorem = await hover_at(client, uri, NORM, "norm_gradient")
    assert "∇(‖x‖²) = 2 x" in theorem.contents.value and "proved" in theorem.contents.value
    assert "as proved, at row k, for every k in 1..n:\n```vproof\nd(sum(i, x[i]^2))/dx[k] = 2 x[k]\n```" \
        in theorem.contents.value
    nothing = await client.text_document_hover_async(lsp.HoverParams(doc(uri), lsp.Position(0, 0)))
    assert nothing is None or "layout" not in nothing.contents.value


async def test_hover_on_a_false_step_gives_its_status_and_counterexample(client):
    uri = new_uri("hover-false")
    open_doc(client, uri, FALSE_STEP)
    await diagnostics(client, uri)
    h = await hover_at(client, uri, FALSE_STEP, "= sum(i, delta", offset=0)
    assert h.contents.value.startswith("**false**") and "counterexample" in h.contents.value


# ---- completion -------------------------------------------------------------------------------------


async def complete(client, uri, text, pos):
    got = await client.text_document_completion_async(lsp.CompletionParams(doc(uri), pos))
    return got.items if isinstance(got, lsp.CompletionList) else got


async def test_completion_offers_rules_after_by_and_names_keywords_and_a_skeleton_elsewhere(client):
    uri = new_uri("complete")
    text = QUADRATIC.replace("by matvec_def", "by mat")
    open_doc(client, uri, text)
    await diagnostics(client, uri)
    enc = encoding(client)
    items = await complete(client, uri, text, find(text, "by mat", enc, end=True))
    assert {i.label for i in items} == set(rule_names())  # the rules and their aliases
    assert all(i.documentation for i in items)
    line = text.split("\n").index("qed", text.split("\n").index("proof (component k):")) + 1
    items = await complete(client, uri, text, lsp.Position(line, 0))
    labels = {i.label for i in items}
    assert {"x", "A", "n", "i", "k"} <= labels and {"theorem", "lemma", "qed", "by", "sum"} <= labels
    [skeleton] = [i for i in items if i.kind == lsp.CompletionItemKind.Snippet and i.label == "theorem"]
    assert skeleton.insert_text_format == lsp.InsertTextFormat.Snippet
    assert skeleton.insert_text.startswith("theorem ${1:name}:") and "qed" in skeleton.insert_text


async def test_completion_works_on_half_typed_text(client):
    uri = new_uri("half-typed")
    text = HEAD + "var y : vector(n)\ntheorem t:\n  x = x\nproof:\n  x\n  = x by "
    open_doc(client, uri, text)
    assert {d.code for d in await diagnostics(client, uri)} == {"VP001"}
    items = await complete(client, uri, text, find(text, "by ", encoding(client), end=True))
    assert "algebra" in {i.label for i in items}
    items = await complete(client, uri, text, find(text, "  x = x", encoding(client)))
    assert "y" in {i.label for i in items}


# ---- symbols and definitions --------------------------------------------------------------------------


async def test_document_symbols_are_the_theorems_and_lemmas(client):
    uri = new_uri("symbols")
    text = NORM + QUADRATIC[len(HEAD):]
    open_doc(client, uri, text)
    await diagnostics(client, uri)
    got = await client.text_document_document_symbol_async(lsp.DocumentSymbolParams(doc(uri)))
    assert [s.name for s in got] == ["norm_gradient", "quadratic_form_gradient"]
    enc = encoding(client)
    first = got[0]
    assert first.selection_range.start == find(text, "norm_gradient", enc)
    assert first.range.start == find(text, "theorem norm_gradient", enc)
    assert first.range.end == find(text, "qed", enc, nth=0, end=True)
    assert "lemma" in got[1].detail and "proved" in got[1].detail


async def test_go_to_definition_of_a_declared_name_and_of_a_cited_theorem(client):
    uri = new_uri("definition")
    text = NORM + """
lemma uses_it:
  2 x = 2 x
proof:
     2 x
   = 2 x     by norm_gradient
qed
"""
    open_doc(client, uri, text)
    await diagnostics(client, uri)
    enc = encoding(client)
    got = await client.text_document_definition_async(
        lsp.DefinitionParams(doc(uri), find(text, "Σ(i, x[i]", enc, end=False)))
    assert got is None or got.range.start.line >= 0  # on Σ: a built-in, nowhere to go
    got = await client.text_document_definition_async(lsp.DefinitionParams(doc(uri), find(text, "x[i]^2", enc)))
    assert got.uri == uri and got.range.start == find(text, "x : vector", enc)
    got = await client.text_document_definition_async(
        lsp.DefinitionParams(doc(uri), find(text, "by norm_gradient", enc, end=True)))
    assert got.range.start == find(text, "norm_gradient", enc)


# ---- code actions ------------------------------------------------------------------------------------


async def fix(client, uri, text, code):
    got = await diagnostics(client, uri)
    [d] = [d for d in got if d.code == code]
    actions = await client.text_document_code_action_async(lsp.CodeActionParams(
        doc(uri), d.range, lsp.CodeActionContext(diagnostics=[d])))
    assert actions, f"no code action for {code}"
    action = actions[0]
    assert action.kind == lsp.CodeActionKind.QuickFix
    edit = action.edit
    edits = edit.changes[uri] if edit.changes else edit.document_changes[0].edits
    return action, apply(text, edits, encoding(client))


async def test_code_action_cites_the_rule_that_explains_the_step(client):
    uri = new_uri("action-rule")
    open_doc(client, uri, NORM)
    action, fixed = await fix(client, uri, NORM, "VP202")
    assert "product_rule" in action.title
    assert "Σ(i, 2 x[i] δ(i, k))             by product_rule" in fixed
    change(client, uri, 2, fixed)
    assert await diagnostics(client, uri, version=2) == []


async def test_code_action_adds_the_missing_last_step(client):
    uri = new_uri("action-step")
    open_doc(client, uri, STOPS_SHORT)
    _, fixed = await fix(client, uri, STOPS_SHORT, "VP204")
    assert "= (2 x)[k]    by index_collapse\nqed" in fixed
    change(client, uri, 2, fixed)
    assert await diagnostics(client, uri, version=2) == []


STOPS_EARLY = """layout denominator
dim n
var x : vector(n)
const A : matrix(n, n)

theorem quad:
  grad(x^T A x, x) = (A + A^T) x
proof (component k):
     grad(x^T A x, x)[k]
   = d(x^T A x)/dx[k]                  by gradient_def
qed
"""


async def test_code_action_derives_the_missing_steps_of_a_chain_that_stops_early(client):
    # no one rule reaches the right side from the last line: derive writes the steps, one rule each
    uri = new_uri("action-next-steps")
    open_doc(client, uri, STOPS_EARLY)
    got = await diagnostics(client, uri)
    [d] = [d for d in got if d.code == "VP204"]
    actions = await client.text_document_code_action_async(lsp.CodeActionParams(
        doc(uri), d.range, lsp.CodeActionContext(diagnostics=[d])))
    [action] = [a for a in actions if "Derive the missing steps" in a.title]
    edit = action.edit
    edits = edit.changes[uri] if edit.changes else edit.document_changes[0].edits
    fixed = apply(STOPS_EARLY, edits, encoding(client))
    assert "by product_rule" in fixed and "by index_collapse" in fixed and "algebra" not in fixed
    assert fixed.rstrip().endswith("= ((A + A^T) x)[k]    by matvec_def\nqed")
    change(client, uri, 2, fixed)
    assert await diagnostics(client, uri, version=2) == []


NO_PROOF = """layout denominator
dim n
index i, j, k : n
var x : vector(n)
const A : matrix(n, n)

theorem quadratic_gradient:
  grad(x^T A x, x) = (A + A^T) x
"""


async def test_code_action_derives_the_proof_of_a_theorem_that_has_none(client):
    uri = new_uri("action-derive")
    open_doc(client, uri, NO_PROOF)
    action, fixed = await fix(client, uri, NO_PROOF, "VP211")
    assert "Derive" in action.title
    assert "proof (component k):" in fixed and "by product_rule" in fixed and "algebra" not in fixed
    assert fixed.rstrip().endswith("qed")
    change(client, uri, 2, fixed)
    assert await diagnostics(client, uri, version=2) == []


async def test_code_action_derives_a_proof_in_a_file_that_declares_no_index(client):
    text = NO_PROOF.replace("index i, j, k : n\n", "")
    uri = new_uri("action-derive-bare")
    open_doc(client, uri, text)
    action, fixed = await fix(client, uri, text, "VP211")
    assert "proof (component k):" in fixed and "index " not in fixed
    change(client, uri, 2, fixed)
    assert await diagnostics(client, uri, version=2) == []


UNDECLARED_INDEX = """layout denominator
dim n, m
var x : vector(n)
theorem t: sum(z, 1) = n
proof:
     sum(z, 1)
   = n   by index_collapse
qed
"""


async def test_code_action_declares_an_index_whose_range_does_not_follow_from_its_uses(client):
    uri = new_uri("action-declare")
    open_doc(client, uri, UNDECLARED_INDEX)
    got = await diagnostics(client, uri)
    assert [d.code for d in got] == ["VP101"]  # once, though two lines use z
    _, fixed = await fix(client, uri, UNDECLARED_INDEX, "VP101")
    assert "var x : vector(n)\nindex z : n\ntheorem t" in fixed
    change(client, uri, 2, fixed)
    assert await diagnostics(client, uri, version=2) == []


async def test_diagnostics_carry_their_fixes_as_data(client):
    uri = new_uri("data")
    open_doc(client, uri, STOPS_SHORT)
    [d] = await diagnostics(client, uri)
    assert d.severity == lsp.DiagnosticSeverity.Error and d.data["fixes"][0]["newText"].strip().startswith("= (2 x)[k]")


# ---- semantic tokens ---------------------------------------------------------------------------------


async def test_semantic_tokens_classify_the_language(client):
    uri = new_uri("tokens")
    open_doc(client, uri, NORM)
    await diagnostics(client, uri)
    got = await client.text_document_semantic_tokens_full_async(lsp.SemanticTokensParams(doc(uri)))
    legend = client.initialized_with.capabilities.semantic_tokens_provider.legend
    enc = encoding(client)
    lines = NORM.split("\n")
    decoded, line, start = [], 0, 0
    for k in range(0, len(got.data), 5):
        dl, ds, length, kind, mods = got.data[k:k + 5]
        line, start = line + dl, (start + ds if dl == 0 else ds)
        raw = lines[line].encode("utf-8" if enc == "utf-8" else "utf-16-le")
        width = 1 if enc == "utf-8" else 2
        word = raw[start * width:(start + length) * width].decode("utf-8" if enc == "utf-8" else "utf-16-le")
        decoded.append((word, legend.token_types[kind],
                        {m for b, m in enumerate(legend.token_modifiers) if mods >> b & 1}))
    seen = {(w, t) for w, t, _ in decoded}
    assert {("theorem", "keyword"), ("norm_gradient", "function"), ("norm_def", "macro"),
            ("index_collapse", "macro"), ("x", "variable"), ("k", "parameter"), ("n", "type"),
            ("Σ", "function"), ("δ", "function"), ("‖", "operator"), ("²", "operator"), ("2", "number")} <= seen
    assert ("A", "variable", frozenset({"readonly", "declaration"})) in {(w, t, frozenset(m)) for w, t, m in decoded}


# ---- robustness ---------------------------------------------------------------------------------------

MALFORMED = [
    "",
    "# only a comment\n",
    "theorem",
    HEAD + "theorem t:\n  x = \n",
    HEAD + "theorem t: x = x proof: x = (((((((((x by algebra qed",
    "\x00\x01\x02 binary \ufffd",
    HEAD + "theorem t: x = x proof: x " + "= x by algebra " * 3 + "qed" + " ‖" * 50,
    "(" * 5000 + "x" + ")" * 5000,
    "layout denominator\ndim n\nvar x : vector(n)\ntheorem t: ‖x‖² = sum(i, x[i]^2) proof: ‖x‖² = 𝑥 by norm_def qed",
    HEAD + "theorem t:\r\n  x = x\r\nproof:\r\n  x\r\n  = x by algebra\r\nqed\r\n",
]


async def answer(request):
    """The response to a request, which must come within lsp_support.TIMEOUT (a hang fails)."""
    try:
        return await asyncio.wait_for(request, TIMEOUT)
    except asyncio.TimeoutError:
        raise AssertionError("the server did not answer") from None


def assert_diagnostics_of(got, text):
    """The published diagnostics are a fresh check's, each on a line of the text."""
    expected = check_text(text.replace("\r\n", "\n"), "x.vproof").diagnostics
    assert sorted(d.code for d in got) == sorted(d.code.id for d in expected)
    lines = len(text.replace("\r\n", "\n").split("\n"))
    assert all(0 <= d.range.start.line <= d.range.end.line < lines for d in got), [d.range for d in got]


@pytest.mark.parametrize("text", MALFORMED, ids=range(len(MALFORMED)))
async def test_malformed_text_gets_diagnostics_and_every_request_still_answers(client, text):
    uri = new_uri("malformed")
    open_doc(client, uri, text)
    assert_diagnostics_of(await diagnostics(client, uri), text)
    last = max(len(text.split("\n")) - 1, 0)
    for pos in (lsp.Position(0, 0), lsp.Position(last, 3), lsp.Position(0, 10_000), lsp.Position(10_000, 0)):
        hover = await answer(client.text_document_hover_async(lsp.HoverParams(doc(uri), pos)))
        assert hover is None or hover.contents
        items = await answer(client.text_document_completion_async(lsp.CompletionParams(doc(uri), pos)))
        assert items is None or isinstance(items, (list, tuple, lsp.CompletionList))
        target = await answer(client.text_document_definition_async(lsp.DefinitionParams(doc(uri), pos)))
        assert all(t.uri == uri for t in ([] if target is None else [target] if isinstance(target, lsp.Location)
                                          else target))
        actions = await answer(client.text_document_code_action_async(lsp.CodeActionParams(
            doc(uri), lsp.Range(pos, lsp.Position(pos.line + 5, 0)), lsp.CodeActionContext(diagnostics=[]))))
        assert actions is None or isinstance(actions, (list, tuple))
    symbols = await answer(client.text_document_document_symbol_async(lsp.DocumentSymbolParams(doc(uri))))
    assert symbols is None or isinstance(symbols, (list, tuple))
    tokens = await answer(client.text_document_semantic_tokens_full_async(lsp.SemanticTokensParams(doc(uri))))
    assert tokens is None or len(tokens.data) % 5 == 0
    half = text[: len(text) // 2]
    change(client, uri, 2, half)  # and half of it
    assert_diagnostics_of(await diagnostics(client, uri, version=2), half)


async def test_out_of_range_positions_and_unopened_documents_get_empty_answers(client):
    uri = new_uri("range")
    open_doc(client, uri, NORM)
    await diagnostics(client, uri)
    far = lsp.Position(99_999, 99_999)
    assert await client.text_document_hover_async(lsp.HoverParams(doc(uri), far)) is None
    assert await client.text_document_definition_async(lsp.DefinitionParams(doc(uri), far)) is None
    assert not await client.text_document_code_action_async(lsp.CodeActionParams(
        doc(uri), lsp.Range(far, far), lsp.CodeActionContext(diagnostics=[])))
    other = new_uri("never-opened")
    assert await client.text_document_hover_async(lsp.HoverParams(doc(other), lsp.Position(0, 0))) is None
    assert not await client.text_document_document_symbol_async(lsp.DocumentSymbolParams(doc(other)))
    change(client, other, 2, "theorem")  # a change to a document that was never opened: ignored


async def test_unknown_requests_are_refused_and_the_server_keeps_going(client):
    with pytest.raises(JsonRpcMethodNotFound):
        await client.protocol.send_request_async("vecproof/noSuchRequest", {"x": 1})
    client.protocol.notify("vecproof/noSuchNotification", {"x": 1})
    client.protocol.notify("$/noSuchNotification", None)
    uri = new_uri("after-unknown")
    open_doc(client, uri, NORM)
    assert {d.code for d in await diagnostics(client, uri)} == {"VP202"}
