"""End to end in Neovim: headless `nvim -u NONE` with editors/nvim on the runtimepath opens a .vproof
file with a false step; the plugin starts `vecproof lsp`; the test asserts on the diagnostic Neovim
holds (vim.diagnostic.get): code VP201, its line and column, the counterexample in the message.

The false step is written with Unicode operators after a first expression on the same line, so its
character, UTF-16 and byte columns all differ: the position must survive vecproof (characters) ->
LSP (UTF-16) -> Neovim (bytes). Expected positions come from `vecproof.check_text` on the same text,
so the editor shows exactly what `vecproof check` prints.

Also: the filetype, ftplugin and syntax file, the root directory, a hover request through the
attached client, and :VecproofRestart replacing the client.

Skipped where nvim is missing (Debian: `apt-get install neovim`; .ci/run installs it). Debian
bookworm's Neovim is 0.7.2, which has no vim.lsp.start: there the plugin's start_client +
buf_attach_client path runs; on 0.8+ its vim.lsp.start path. Takes about 3 s (server start-up, the
first check, a restart and a second check), up to 10 s on a cold start.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

import vecproof

REPO = Path(__file__).resolve().parents[2]
PLUGIN = REPO / "editors" / "nvim"
DRIVER = Path(__file__).resolve().parent / "nvim_driver.lua"

PROOF = """\
# A false step, written with Unicode operators: character, UTF-16 and byte columns differ.
layout denominator
dim n
index i, k : n
var x : vector(n)

theorem gradient_of_square_of_sum:
  ∇(Σ(i, x[i])²) = 2 x
proof (component k):
     ∂(Σ(i, x[i])²)/∂x[k] = ∂(Σ(i, x[i]²))/∂x[k]    by expand_sums
   = Σ(i, 2 x[i] δ(i, k))                           by product_rule
   = 2 x[k]                                         by index_collapse
qed
"""


def _nvim() -> tuple[str, tuple[int, int, int]]:
    nvim = shutil.which("nvim")
    if nvim is None:
        pytest.skip("nvim (Neovim) not found on PATH: the Neovim end-to-end test needs Neovim 0.7 or "
                    "later (Debian/Ubuntu: apt-get install neovim; .ci/run installs it)")
    out = subprocess.run([nvim, "--version"], check=False, capture_output=True, text=True, timeout=30).stdout
    m = re.search(r"NVIM v(\d+)\.(\d+)\.(\d+)", out)
    assert m, f"cannot read the version from `nvim --version`:\n{out}"
    version = tuple(int(g) for g in m.groups())
    if version < (0, 7, 0):
        pytest.skip(f"Neovim {'.'.join(map(str, version))} is older than 0.7, which the plugin needs")
    return nvim, version  # type: ignore[return-value]


def _byte_col(line: str, char_col: int) -> int:
    """0-based byte offset of a 1-based character column (Neovim counts columns in bytes)."""
    return len(line[: char_col - 1].encode("utf-8"))


def _tail(path: str | None, n: int = 60) -> str:
    if not path or not os.path.exists(path):
        return "(no LSP log)"
    with open(path, encoding="utf-8", errors="replace") as f:
        return "".join(f.readlines()[-n:])


@pytest.mark.slow  # a headless editor session
def test_neovim_shows_the_false_step(tmp_path, lsp_command):
    nvim, version = _nvim()
    cmd = lsp_command

    project = tmp_path / "project"
    (project / "proofs").mkdir(parents=True)
    (project / "pyproject.toml").write_text("", encoding="utf-8")  # a root marker
    proof = project / "proofs" / "bad.vproof"
    proof.write_text(PROOF, encoding="utf-8")
    lines = PROOF.splitlines()

    # What `vecproof check` reports for this text.
    expected = [d for d in vecproof.check_text(PROOF, str(proof)).diagnostics if d.code.id == "VP201"]
    assert len(expected) == 1, expected
    want = expected[0]
    assert want.span.line == 10 and want.span.end_line == 10
    line = lines[want.span.line - 1]
    start, end = _byte_col(line, want.span.col), _byte_col(line, want.span.end_col)
    assert start != want.span.col - 1  # the columns do differ in bytes

    theorem_line = next(i for i, s in enumerate(lines, 1) if s.startswith("theorem"))
    probes = [
        ["theorem_name", theorem_line, len("theorem ") + 1],
        ["rule", 11, _byte_col(lines[10], lines[10].index("product_rule") + 1) + 1],
        ["by", 11, _byte_col(lines[10], lines[10].index("by ") + 1) + 1],
        ["comment", 1, 3],
        ["sum", 11, _byte_col(lines[10], lines[10].index("Σ") + 1) + 1],
        ["keyword", 2, 1],
    ]

    out = tmp_path / "result.json"
    env = dict(os.environ)
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        env[var] = str(tmp_path / "xdg" / var.lower())
    env.update({
        "VECPROOF_NVIM_PLUGIN": str(PLUGIN),
        "VECPROOF_NVIM_FILE": str(proof),
        "VECPROOF_NVIM_OUT": str(out),
        "VECPROOF_NVIM_CMD": json.dumps(cmd),
        "VECPROOF_NVIM_WAIT_CODE": "VP201",
        "VECPROOF_NVIM_TIMEOUT_MS": "60000",
        "VECPROOF_NVIM_SYNTAX_PROBES": json.dumps(probes),
        "VECPROOF_NVIM_RESTART": "1",
        # inside `product_rule` on line 11 (0-based 10); Σ and δ before it are one UTF-16 unit each
        "VECPROOF_NVIM_HOVER": json.dumps([10, lines[10].index("product_rule") + 3]),
    })
    run = subprocess.run([nvim, "--headless", "-u", "NONE", "-i", "NONE", "-n", "-c", f"luafile {DRIVER}"],
                         check=False, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=180,
                         stdin=subprocess.DEVNULL)
    assert out.exists(), f"nvim wrote no result (exit {run.returncode}):\n{run.stdout}\n{run.stderr}"
    result = json.loads(out.read_text(encoding="utf-8"))
    context = (f"\nresult: {json.dumps(result, indent=1, ensure_ascii=False)}\nnvim stderr: {run.stderr}"
               f"\nLSP log (tail):\n{_tail(result.get('lsp_log'))}")
    assert "error" not in result, context

    # The plugin: filetype detection, ftplugin, syntax, commands, and the API path for this version.
    assert tuple(result["nvim_version"]) == version
    assert result["has_vim_lsp_start"] == (version >= (0, 8, 0))
    assert result["filetype"] == "vproof", context
    assert result["commentstring"] == "# %s"
    assert result["syntax"] == "vproof"
    assert result["commands"] == {"VecproofRestart": True, "VecproofInfo": True}
    assert result["syntax_at"] == {
        "theorem_name": "vproofTheoremName", "rule": "vproofRule", "by": "vproofBy",
        "comment": "vproofComment", "sum": "vproofBuiltin", "keyword": "vproofLayout",
    }
    assert result["omnifunc"] == "v:lua.vim.lsp.omnifunc" and result["tagfunc"] == "v:lua.vim.lsp.tagfunc"
    ours = [c for c in result["clients"] if c["name"] == "vecproof"]
    assert len(ours) == 1 and ours[0]["attached"], context
    assert os.path.realpath(ours[0]["root_dir"]) == os.path.realpath(project), context

    # The diagnostic Neovim holds.
    assert result["got_code"], f"no VP201 diagnostic within 60 s{context}"
    (diag,) = [d for d in result["diagnostics"] if d["code"] == "VP201"]
    assert (diag["lnum"], diag["col"]) == (want.span.line - 1, start), context
    assert (diag["end_lnum"], diag["end_col"]) == (want.span.end_line - 1, end), context
    assert diag["severity"] == 1  # vim.diagnostic.severity.ERROR
    message = diag["message"]
    assert "counterexample" in message, message
    example = want.counterexample
    for name, value in {**example["sizes"], **example["indices"], **example["values"]}.items():
        assert f"{name} = {value}" in message, f"{name} = {value} not in {message!r}"
    # A request through the attached client: hover on a cited rule gives the rule's statement.
    assert "Differentiate" in result["hover"], context
    # The false theorem is reported too (VP207), at the theorem's name.
    assert any(d["code"] == "VP207" and d["lnum"] == theorem_line - 1 for d in result["diagnostics"]), context

    # :VecproofRestart replaced the client, and the new one checked the file again.
    assert result["restart"]["replaced"] and result["restart"]["checked_again"], context


CITATIONS = """\
theorem t:
   = 2 x[k]     by lib.quad[A := B + C^T], index_collapse
   = 2 x[k]     by quad. # a full stop is not part of the name
   = 2 x[k]     by lib.quad[x := D[:, 1]^T, A := B], index_collapse
"""


def test_neovim_syntax_keeps_a_qualified_citation_whole(tmp_path):
    """The syntax file alone (no server): `lib.quad` is one vproofRule group, an instantiation's
    names are not rules, and a rule cited after the instantiation still is."""
    nvim, _ = _nvim()
    sample, script, out = tmp_path / "s.vproof", tmp_path / "probe.lua", tmp_path / "out.json"
    sample.write_text(CITATIONS, encoding="utf-8")
    line = CITATIONS.splitlines()[1]
    probes = {"lib": line.index("lib"), "dot": line.index("."), "quad": line.index("quad"), "B": line.index("B"),
              "assign": line.index(":="), "index_collapse": line.index("index_collapse")}
    nested = CITATIONS.splitlines()[3]  # a bracket inside a value closes itself, not the instantiation
    probes = {k: [2, v + 1] for k, v in probes.items()} | {"stop": [3, CITATIONS.splitlines()[2].index(".") + 1]}
    probes |= {"assign_after": [4, nested.index("A :=") + 3], "collapse_after": [4, nested.index("index_collapse") + 1]}
    script.write_text(f"""
vim.cmd('syntax on')
vim.cmd('source {PLUGIN / "syntax" / "vproof.vim"}')
local out = {{}}
for name, p in pairs(vim.fn.json_decode('{json.dumps(probes)}')) do
  out[name] = vim.fn.synIDattr(vim.fn.synID(p[1], p[2], 1), 'name')
end
vim.fn.writefile({{vim.fn.json_encode(out)}}, '{out}')
vim.cmd('qa!')
""", encoding="utf-8")
    subprocess.run([nvim, "--headless", "-u", "NONE", "-i", "NONE", "-n", str(sample), "-c", f"luafile {script}"],
                   check=False, cwd=tmp_path, capture_output=True, timeout=60, stdin=subprocess.DEVNULL)
    got = json.loads(out.read_text(encoding="utf-8"))
    assert got == {"lib": "vproofRule", "dot": "vproofRule", "quad": "vproofRule", "B": "vproofName",
                   "assign": "vproofAssign", "index_collapse": "vproofRule", "stop": "",
                   "assign_after": "vproofAssign", "collapse_after": "vproofRule"}
