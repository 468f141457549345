"""The VS Code extension (editors/vscode): manifest, language configuration, TextMate grammar, and
packaging to a .vsix without network access.

Without Node: the manifest, the language configuration and the grammar are checked as data (JSON
loads, paths resolve, regexes compile with Python's `re` -- the grammar keeps to the regex subset
that Oniguruma and Python share).

With Node and npm:
- `npm ci --ignore-scripts` installs the extension's locked dependencies once (this step may use the
  npm registry); node_modules is cached under pytest's cache directory
  (.pytest_cache/d/editors-vscode/), keyed by package.json, package-lock.json and the Node version,
  so later runs skip it.
- `npx @vscode/vsce@3 package` runs on a temporary copy of the extension with the network cut off:
  in an empty network namespace (`unshare -n`) when the system allows one, and always with a
  preloaded module that makes every Node process log and fail any connection or DNS lookup, an
  unreachable registry and proxy, and an empty npm cache. The test asserts packaging succeeds and
  that no connection was even attempted.
- The .vsix (a zip) must hold the manifest, the grammar, the language configuration, the client and
  its runtime dependency. The unpacked extension is then activated under Node with a stand-in
  `vscode` module (vscode_standin.js): it must start this environment's `vecproof lsp`, complete the
  LSP handshake, stop the server on deactivation, and name the setting when the command is missing.
- The grammar tokenizes a sample with vscode-textmate + vscode-oniguruma (what VS Code uses).

Measured on 2 cores: about 25 s for the first run (npm ci), about 5 s with the cache warm.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

try:
    import fcntl
except ImportError:  # Windows: no lock; do not run the tests in parallel there
    fcntl = None

REPO = Path(__file__).resolve().parents[2]
EXT = REPO / "editors" / "vscode"
HERE = Path(__file__).resolve().parent
GRAMMAR = EXT / "syntaxes" / "vproof.tmLanguage.json"
# --ignore-scripts: no install script is needed to package or to tokenize, and skipping them means no
# native build (keytar, an optional dependency of vsce) and no downloads by scripts.
NPM_CI = ["ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"]

SAMPLE = """\
# expect: VP201, VP204
# A sample.
layout denominator
dim n, l = 4
index i, j, k : n
var x : vector(n)
const A : matrix(n, n) symmetric
func u(x) : vector(n)

theorem quadratic_form_gradient:
  ∇(xᵀ A x) = (A + A^T) x
proof (component k):
     ∂(x^T A x)/∂x[k]
   = d/dx[k] Σ(i, sum(j, A[i,j] x[i] x[j]))        by expand_sums, product_rule   # why
   = sum(i = 1..n, δ(i,k) ‖x‖² + ||x||_F^2 + 2)     by index_collapse
   = 2 x[k]     by lib.quad[A := B + C^T, x := D[:, 1]^T], index_collapse
qed
"""


def _manifest() -> dict:
    return json.loads((EXT / "package.json").read_text(encoding="utf-8"))


# ---- without Node ---------------------------------------------------------------------------------


def test_manifest_declares_language_grammar_and_server_setting():
    m = _manifest()
    assert m["engines"]["vscode"].startswith("^1.")
    assert (EXT / m["main"]).is_file()
    (lang,) = m["contributes"]["languages"]
    assert lang["id"] == "vproof"
    assert lang["extensions"] == [".vproof"]
    assert "vecproof" in lang["aliases"]
    assert (EXT / lang["configuration"]).is_file()
    (grammar,) = m["contributes"]["grammars"]
    assert grammar["language"] == "vproof"
    assert (EXT / grammar["path"]).resolve() == GRAMMAR
    assert json.loads(GRAMMAR.read_text(encoding="utf-8"))["scopeName"] == grammar["scopeName"]
    props = m["contributes"]["configuration"]["properties"]
    assert props["vecproof.server.command"]["default"] == "vecproof"
    assert props["vecproof.server.args"]["default"] == ["lsp"]
    # A workspace must not choose the program to run until it is trusted.
    restricted = m["capabilities"]["untrustedWorkspaces"]["restrictedConfigurations"]
    assert {"vecproof.server.command", "vecproof.server.args"} <= set(restricted)
    assert "vscode-languageclient" in m["dependencies"]
    assert m["devDependencies"]["@vscode/vsce"].lstrip("^~").startswith("3.")


def test_lockfile_matches_manifest():
    lock = json.loads((EXT / "package-lock.json").read_text(encoding="utf-8"))
    m = _manifest()
    root = lock["packages"][""]
    assert root.get("dependencies", {}) == m.get("dependencies", {})
    assert root.get("devDependencies", {}) == m.get("devDependencies", {})
    assert lock["packages"]["node_modules/@vscode/vsce"]["version"].startswith("3.")


def test_language_configuration():
    conf = json.loads((EXT / "language-configuration.json").read_text(encoding="utf-8"))
    assert conf["comments"] == {"lineComment": "#"}
    assert ["(", ")"] in conf["brackets"] and ["[", "]"] in conf["brackets"]
    assert {"open": "(", "close": ")"} in conf["autoClosingPairs"]
    word = re.compile(conf["wordPattern"])
    assert word.fullmatch("index_collapse") and word.fullmatch("x1") and not word.fullmatch("x[k]")
    inc = re.compile(conf["indentationRules"]["increaseIndentPattern"])
    assert inc.match("theorem quadratic_form_gradient:") and inc.match("proof (component k):")
    assert not inc.match("   = A x   by algebra")
    assert re.compile(conf["indentationRules"]["decreaseIndentPattern"]).match("qed")


def _grammar_rules(node, where="$"):
    """Every rule (dict with match/begin/end/include/captures) in the grammar, with its location."""
    if isinstance(node, dict):
        yield where, node
        for key, value in node.items():
            yield from _grammar_rules(value, f"{where}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _grammar_rules(value, f"{where}[{i}]")


def test_grammar_json_loads_includes_resolve_and_regexes_compile():
    g = json.loads(GRAMMAR.read_text(encoding="utf-8"))
    assert g["scopeName"] == "source.vproof"
    repository = g["repository"]
    regexes = 0
    for where, rule in _grammar_rules(g):
        include = rule.get("include")
        if isinstance(include, str) and include.startswith("#"):
            assert include[1:] in repository, f"{where}: include {include} not in the repository"
        for key in ("match", "begin", "end", "while"):
            if isinstance(rule.get(key), str):
                regexes += 1
                try:
                    re.compile(rule[key])
                except re.error as err:
                    pytest.fail(f"{where}.{key}: {rule[key]!r} does not compile: {err}")
        name = rule.get("name")
        if where != "$" and isinstance(name, str):  # "$": the grammar's own display name
            assert all(part.endswith(".vproof") for part in name.split()), f"{where}: scope {name!r}"
    assert regexes > 30


def test_grammar_knows_the_inverse_and_determinant_words():
    # `invertible` in a declaration, inv/det/logdet as functions (docs/language.md)
    g = json.loads(GRAMMAR.read_text(encoding="utf-8"))
    found = {rule.get("name"): rule["match"] for _, rule in _grammar_rules(g) if isinstance(rule.get("match"), str)}
    assert re.search(found["storage.modifier.symmetric.vproof"], "invertible")
    builtin = next(m for name, m in found.items() if name == "support.function.builtin.vproof")
    assert all(re.match(builtin, f"{w}(X)") for w in ("inv", "det", "logdet"))


# ---- with Node ------------------------------------------------------------------------------------


def _tools() -> dict[str, str]:
    tools = {name: shutil.which(name) for name in ("node", "npm", "npx")}
    missing = [name for name, path in tools.items() if path is None]
    if missing:
        pytest.skip(f"{', '.join(missing)} not found on PATH: the VS Code extension tests need Node.js "
                    "20 and npm (https://nodejs.org)")
    return tools  # type: ignore[return-value]


def _run(cmd, cwd, env=None, timeout=600) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, check=False, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL)


def _copy_extension(dest: Path) -> Path:
    shutil.copytree(EXT, dest, ignore=shutil.ignore_patterns("node_modules", "*.vsix"))
    return dest


def _link_tree(src: Path, dest: Path) -> None:
    """Copy a directory as hard links (fast, no extra space); plain copies across file systems."""
    try:
        shutil.copytree(src, dest, symlinks=True, copy_function=os.link)
    except OSError:
        shutil.rmtree(dest, ignore_errors=True)
        shutil.copytree(src, dest, symlinks=True)


@pytest.fixture(scope="session")
def node_modules(pytestconfig, tmp_path_factory) -> Path:
    """The extension's node_modules from `npm ci`, installed once and cached between runs."""
    tools = _tools()
    node_version = _run([tools["node"], "--version"], cwd=REPO).stdout.strip()
    key = hashlib.sha256((EXT / "package.json").read_bytes() + (EXT / "package-lock.json").read_bytes()
                         + node_version.encode() + " ".join(NPM_CI).encode()).hexdigest()[:16]
    try:
        cache_root = Path(pytestconfig.cache.mkdir("editors-vscode"))
    except AttributeError:  # -p no:cacheprovider
        cache_root = tmp_path_factory.mktemp("editors-vscode")
    entry = cache_root / key
    entry.mkdir(exist_ok=True)
    with open(cache_root / f"{key}.lock", "w") as lock:
        if fcntl is not None:
            fcntl.flock(lock, fcntl.LOCK_EX)  # one installer at a time (pytest-xdist)
        if not (entry / "complete").exists():
            shutil.rmtree(entry / "node_modules", ignore_errors=True)
            staging = _copy_extension(tmp_path_factory.mktemp("npm-ci") / "vscode")
            done = _run([tools["npm"], *NPM_CI], cwd=staging, timeout=900)
            assert done.returncode == 0, (
                "npm ci failed in a copy of editors/vscode (it needs the npm registry, or a warm npm "
                f"cache):\n{done.stdout}\n{done.stderr}")
            shutil.move(str(staging / "node_modules"), str(entry / "node_modules"))
            (entry / "complete").write_text(node_version + "\n", encoding="utf-8")
    return entry / "node_modules"


def _network_isolation() -> list[str]:
    """A command prefix that runs a program in an empty network namespace, if the system allows it."""
    unshare = shutil.which("unshare")
    if unshare is None:
        return []
    for prefix in ([unshare, "--net"], [unshare, "--map-root-user", "--net"]):
        try:
            if _run([*prefix, "true"], cwd=REPO, timeout=30).returncode == 0:
                return prefix
        except (OSError, subprocess.TimeoutExpired):
            pass
    return []


def _offline_env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.lower().startswith(("npm_config_", "http_proxy", "https_proxy", "no_proxy"))}
    dead = "http://127.0.0.1:9/"  # the discard port: nothing answers
    env.update({
        "NODE_OPTIONS": f'--require "{HERE / "block_network.js"}"',
        "VECPROOF_NET_LOG": str(tmp / "network.log"),
        "npm_config_registry": dead,
        "npm_config_proxy": dead,
        "npm_config_https_proxy": dead,
        "HTTP_PROXY": dead, "HTTPS_PROXY": dead, "http_proxy": dead, "https_proxy": dead,
        "npm_config_cache": str(tmp / "empty-npm-cache"),
        "npm_config_update_notifier": "false",
        "npm_config_audit": "false",
        "npm_config_fund": "false",
    })
    return env


@pytest.fixture(scope="session")
def vsix(node_modules, tmp_path_factory) -> dict:
    tools = _tools()
    tmp = tmp_path_factory.mktemp("vsce")
    work = _copy_extension(tmp / "vscode")
    _link_tree(node_modules, work / "node_modules")
    out = tmp / "vecproof.vsix"
    isolation = _network_isolation()
    cmd = [*isolation, tools["npx"], "@vscode/vsce@3", "package", "--allow-missing-repository",
           "--out", str(out)]
    done = _run(cmd, cwd=work, env=_offline_env(tmp), timeout=300)
    log = tmp / "network.log"
    attempts = log.read_text(encoding="utf-8") if log.exists() else ""
    return {"done": done, "cmd": cmd, "isolated": bool(isolation), "attempts": attempts, "path": out,
            "tmp": tmp}


# slow: these need the extension's node_modules, from `npm ci` (the npm registry, or a warm cache)
@pytest.mark.slow
def test_vsix_packages_without_network(vsix):
    done = vsix["done"]
    assert done.returncode == 0, f"{' '.join(vsix['cmd'])} failed:\n{done.stdout}\n{done.stderr}"
    where = "in an empty network namespace" if vsix["isolated"] else "(no network namespace available)"
    assert vsix["attempts"] == "", f"packaging {where} tried to use the network:\n{vsix['attempts']}"
    assert vsix["path"].is_file()


@pytest.mark.slow
def test_vsix_contents(vsix):
    if vsix["done"].returncode != 0:
        pytest.fail("packaging failed (see test_vsix_packages_without_network)")
    with zipfile.ZipFile(vsix["path"]) as z:
        names = set(z.namelist())
        manifest = json.loads(z.read("extension/package.json"))
        assert manifest["name"] == "vecproof"
        for required in ("extension.vsixmanifest",
                         "extension/package.json",
                         "extension/extension.js",
                         "extension/language-configuration.json",
                         "extension/syntaxes/vproof.tmLanguage.json",
                         "extension/node_modules/vscode-languageclient/package.json",
                         "extension/node_modules/vscode-languageclient/node.js",
                         "extension/node_modules/vscode-languageserver-protocol/package.json",
                         "extension/node_modules/vscode-jsonrpc/package.json"):
            assert required in names, f"{required} missing from the .vsix"
        # Only runtime dependencies are shipped: not vsce, not the grammar test tools.
        assert not any(n.startswith(("extension/node_modules/@vscode/vsce", "extension/node_modules/vscode-textmate",
                                     "extension/node_modules/vscode-oniguruma")) for n in names)
        assert not any(n.endswith((".vsix", "package-lock.json")) for n in names)
        assert json.loads(z.read("extension/syntaxes/vproof.tmLanguage.json"))["scopeName"] == "source.vproof"


@pytest.mark.slow
def test_vsix_client_starts_the_server(vsix, lsp_command):
    """The unpacked extension, run under Node with a stand-in `vscode` module, starts this
    environment's `vecproof lsp` and completes the handshake."""
    if vsix["done"].returncode != 0:
        pytest.fail("packaging failed (see test_vsix_packages_without_network)")
    unpacked = vsix["tmp"] / "unpacked"
    with zipfile.ZipFile(vsix["path"]) as z:
        z.extractall(unpacked)
    tools = _tools()
    env = dict(os.environ, VECPROOF_STANDIN_TEST="/e")
    done = _run([tools["node"], str(HERE / "vscode_standin.js"), str(unpacked / "extension"), json.dumps(lsp_command)],
                cwd=vsix["tmp"], env=env, timeout=120)
    assert done.returncode == 0, f"{done.stdout}\n{done.stderr}"
    ran = json.loads(done.stdout)
    assert ran["activate"] == "function" and ran["deactivate"] == "function"
    assert ran["languageclient"] == os.path.join("node_modules", "vscode-languageclient", "node.js")
    assert ran["expand"] == {"workspaceFolder": "/proj/.venv/bin/vecproof", "home": True, "env": "/e/x"}
    assert ran["resolve"] == {"onPath": True, "missing": True}
    assert ran["started"]["state"] == 2, ran  # vscode-languageclient's State.Running
    assert ran["started"]["serverInfo"]["name"] == "vecproof", ran
    assert ran["stopped"] == {"client": True, "process": True}, ran
    assert ran["missing"]["client"], ran
    assert any("vecproof.server.command" in e for e in ran["missing"]["errors"]), ran


@pytest.fixture(scope="session")
def tokens(node_modules, tmp_path_factory) -> list[list[dict]]:
    tools = _tools()
    sample = tmp_path_factory.mktemp("tokenize") / "sample.vproof"
    sample.write_text(SAMPLE, encoding="utf-8")
    done = _run([tools["node"], str(HERE / "tokenize.js"), str(node_modules), str(GRAMMAR), str(sample)],
                cwd=sample.parent, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _scopes(tokens, line: int, text: str, nth: int = 0) -> list[str]:
    """The scopes of the nth token with this text on a 1-based line."""
    found = [t["scopes"] for t in tokens[line - 1] if t["text"] == text]
    assert len(found) > nth, f"no token {text!r} on line {line}: {tokens[line - 1]}"
    return found[nth]


@pytest.mark.slow
@pytest.mark.parametrize("line, text, scope", [
    (1, "expect", "keyword.other.directive.expect.vproof"),
    (1, "VP201", "constant.other.diagnostic-code.vproof"),
    (1, "VP204", "constant.other.diagnostic-code.vproof"),
    (2, " A sample.", "comment.line.number-sign.vproof"),
    (3, "layout", "keyword.other.layout.vproof"),
    (3, "denominator", "constant.language.layout.vproof"),
    (4, "dim", "keyword.other.dim.vproof"),
    (4, "4", "constant.numeric.integer.decimal.vproof"),
    (5, "index", "keyword.other.index.vproof"),
    (6, "var", "storage.type.var.vproof"),
    (6, "x", "variable.other.declaration.vproof"),
    (6, "vector", "support.type.shape.vproof"),
    (7, "const", "storage.type.const.vproof"),
    (7, "symmetric", "storage.modifier.symmetric.vproof"),
    (8, "func", "storage.type.func.vproof"),
    (10, "theorem", "keyword.declaration.theorem.vproof"),
    (10, "quadratic_form_gradient", "entity.name.function.theorem.vproof"),
    (11, "∇", "keyword.operator.gradient.vproof"),
    (11, "ᵀ", "keyword.operator.transpose.vproof"),
    (11, "^T", "keyword.operator.transpose.vproof"),
    (12, "proof", "keyword.control.proof.vproof"),
    (12, "component", "keyword.other.component.vproof"),
    (13, "∂", "keyword.operator.derivative.vproof"),
    (14, "d", "keyword.operator.derivative.vproof"),
    (14, "Σ", "support.function.builtin.sum.vproof"),
    (14, "sum", "support.function.builtin.vproof"),
    (14, "by", "keyword.control.by.vproof"),
    (14, "expand_sums", "support.function.rule.vproof"),
    (14, "product_rule", "support.function.rule.vproof"),
    (14, " why", "comment.line.number-sign.vproof"),
    (15, "δ", "support.function.builtin.delta.vproof"),
    (15, "‖", "keyword.operator.norm.vproof"),
    (15, "²", "keyword.operator.power.vproof"),
    (15, "||", "keyword.operator.norm.vproof"),
    (15, "_F", "keyword.operator.norm.frobenius.vproof"),
    (15, "..", "keyword.operator.range.vproof"),
    (15, "index_collapse", "support.function.rule.vproof"),
    (16, "lib.quad", "support.function.rule.vproof"),  # a qualified name is one token
    (16, ":=", "meta.instantiation.vproof"),
    (16, ":=", "keyword.operator.assignment.vproof"),
    (16, "B", "variable.other.vproof"),
    (16, "^T", "keyword.operator.transpose.vproof"),
    (16, "index_collapse", "support.function.rule.vproof"),  # still cited after the instantiation
    (17, "qed", "keyword.control.qed.vproof"),
])
def test_grammar_scopes(tokens, line, text, scope):
    scopes = _scopes(tokens, line, text)
    assert scopes[0] == "source.vproof"
    assert scope in scopes, f"{text!r} on line {line}: {scopes}"


@pytest.mark.slow
def test_an_instantiation_with_an_indexed_value_runs_to_its_own_bracket(tokens):
    # `D[:, 1]` inside `[… := …]` closes its own bracket, not the instantiation's
    assert "meta.instantiation.vproof" in _scopes(tokens, 16, ":=", nth=1)
    assert "keyword.operator.transpose.vproof" in _scopes(tokens, 16, "^T", nth=1)
    assert "meta.instantiation.vproof" in _scopes(tokens, 16, "^T", nth=1)
    assert "meta.instantiation.vproof" not in _scopes(tokens, 16, "index_collapse")


@pytest.mark.slow
def test_grammar_leaves_rule_like_names_alone_outside_citations(tokens):
    # `index` in `index_collapse` is not the `index` keyword; the `x` after ∂ is the variable.
    assert "keyword.other.index.vproof" not in _scopes(tokens, 15, "index_collapse")
    assert "variable.other.derivative-variable.vproof" in _scopes(tokens, 13, "x", nth=2)
    assert all("support.function.rule.vproof" not in t["scopes"] for t in tokens[13]
               if t["text"] in ("A", "x", "i", "j"))
    assert all("support.function.rule.vproof" not in t["scopes"] for t in tokens[15]
               if t["text"] in ("A", "B", "C", "x", "k"))  # an instantiation's names and values
