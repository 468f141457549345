"""One list of rules for every listing: the docs table, `vecproof rules`, the language server's
hover and completion. Each shows every rule and every alias."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from vecproof import rules
from vecproof.frontends.lsp import queries
from vecproof.frontends.lsp.recheck import recheck
from vecproof.rules.__main__ import BEGIN, END, with_table

DOC = Path(__file__).resolve().parents[2] / "docs" / "language.md"
FIX = "python -m vecproof.rules docs/language.md"


def test_the_docs_table_is_the_generated_one():
    text = DOC.read_text(encoding="utf-8")
    assert BEGIN in text and END in text, f"docs/language.md lost its rules-table markers: {BEGIN} … {END}"
    assert with_table(text) == text, f"the rules table in docs/language.md is out of date: run `{FIX}`"


def test_the_fix_command_rewrites_a_stale_table(tmp_path):
    stale = DOC.read_text(encoding="utf-8").replace("| `trace_def` |", "| `trace_definition` |")
    doc = tmp_path / "language.md"
    doc.write_text(stale, encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "vecproof.rules", str(doc)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert doc.read_text(encoding="utf-8") == DOC.read_text(encoding="utf-8")
    doc.write_text("# no table here\n", encoding="utf-8")
    assert subprocess.run([sys.executable, "-m", "vecproof.rules", str(doc)], capture_output=True).returncode == 1


def test_the_table_lists_every_rule_and_alias_with_its_statement():
    table = rules.markdown_table()
    for name in rules.names():
        assert f"`{name}`" in table
    for r in rules.RULES.values():
        assert r.statement in table


def test_vecproof_rules_lists_every_rule_and_alias():
    run = subprocess.run([sys.executable, "-m", "vecproof", "rules"], capture_output=True, text=True)
    assert run.returncode == 0
    for r in rules.RULES.values():
        assert f"{r.name}" in run.stdout and r.statement in run.stdout
    for alias, target in rules.ALIASES.items():
        line = next(ln for ln in run.stdout.splitlines() if ln.startswith(target + " "))
        assert alias in line, (alias, line)


def test_completion_after_by_offers_every_rule_and_alias():
    text = "dim n\nindex k : n\nvar x : vector(n)\ntheorem t: x[k] = x[k] proof: x[k] = x[k] by "
    got = {c.label: c for c in queries.completions(text, 4, len(text.split("\n")[3]) + 1)}
    assert set(got) == set(rules.names())
    assert got["kronecker"].documentation == rules.RULES["index_collapse"].statement
    assert "index_collapse" in got["kronecker"].detail


def test_hover_on_a_rule_or_alias_shows_the_statement_and_the_other_names():
    text = "dim n\nindex k : n\nvar x : vector(n)\ntheorem t: x[k] = x[k] proof: x[k] = x[k] by kronecker, jacobian_def qed\n"
    checked = recheck(text, "t.vproof")
    line = text.split("\n")[3]
    alias = queries.hover(checked, 4, line.index("kronecker") + 2).markdown
    assert rules.RULES["index_collapse"].statement in alias and "`delta_collapse`" in alias
    assert "`jacobian`" in queries.hover(checked, 4, line.index("jacobian_def") + 2).markdown
