"""The trusted part stays small and separate; nothing hands user text to code-running functions."""

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "vecproof"


def _imported_modules(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys\nprint('\\n'.join(sorted(sys.modules)))"],
                         capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_kernel_depends_only_on_the_standard_library():
    mods = _imported_modules("import vecproof.kernel")
    ours = {m for m in mods if m.startswith("vecproof.")}
    assert ours <= {"vecproof.kernel", "vecproof.kernel.functions", "vecproof.kernel.grid", "vecproof.kernel.inverse",
                    "vecproof.kernel.normal_form", "vecproof.kernel.terms", "vecproof.kernel.theorem"}, ours
    assert not {"lark", "sympy", "mpmath"} & mods
    for path in (PACKAGE / "kernel").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                roots = {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom):
                if node.level:  # relative: must stay inside the kernel package
                    assert node.level == 1, f"{path.name} imports outside the kernel"
                    continue
                roots = {node.module.split(".")[0]}
            else:
                continue
            for root in roots:
                # SymPy and mpmath serve the counterexample searches, outside the kernel
                assert root in sys.stdlib_module_names, f"{path.name} imports {root}"


def test_checker_and_cli_import_no_editor_or_test_stack():
    mods = _imported_modules("import vecproof.checker, vecproof.frontends.cli, vecproof.frontends.report")
    for banned in ("pygls", "lsprotocol", "pytest", "_pytest", "hypothesis"):
        assert banned not in mods, banned


def test_importing_the_package_is_light():
    mods = _imported_modules("import vecproof")
    assert "sympy" not in mods and "lark" not in mods


BANNED_CALLS = {"eval", "exec", "sympify", "parse_expr", "lambdify", "compile", "__import__"}


def test_no_code_running_functions_in_the_package():
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                f = node.func
                name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
                if name == "compile" and isinstance(f, ast.Attribute):
                    name = ""  # re.compile and friends compile patterns, not code
                assert name not in BANNED_CALLS, f"{path}:{node.lineno} calls {name}"
                if isinstance(f, ast.Attribute) and name in ("load", "loads"):
                    owner = f.value.id if isinstance(f.value, ast.Name) else ""
                    assert owner not in ("pickle", "marshal", "shelve", "dill"), f"{path}:{node.lineno}"
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [a.name for a in node.names] + [getattr(node, "module", None) or ""]
                assert not {"pickle", "marshal", "shelve"} & set(names), f"{path} imports pickle"


def test_only_the_kernel_constructs_a_proved_verdict():
    for path in PACKAGE.rglob("*.py"):
        if path.parent.name == "kernel":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                f = node.func
                name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
                assert name != "Verdict", f"{path}:{node.lineno} builds a Verdict outside the kernel"


def test_proof_text_crafted_to_run_python_yields_only_diagnostics(tmp_path):
    from vecproof.checker import check_text

    marker = tmp_path / "pwned"
    payloads = [
        f"__import__('os').system('touch {marker}')",
        f"theorem t: x = x proof: x = __import__('os').system('touch {marker}') by algebra qed",
        f"dim n\nvar x : vector(n)\ntheorem t: x = x proof: x = eval(\"open('{marker}','w')\") by algebra qed",
        "dim n\nvar x : vector(n)\ntheorem t: x = x proof: x = lambda: 0 by algebra qed",
    ]
    for text in payloads:
        r = check_text(text)
        assert r.diagnostics, text
        assert all(d.code.id.startswith("VP") and d.span.line >= 1 for d in r.diagnostics)
    assert not marker.exists()


def test_nothing_below_the_front_ends_imports_them():
    """The library (syntax, elaboration, kernel, checker, batch, cache, rules, printer, …) never
    imports vecproof.frontends: front ends present results, the library does not know them."""
    for path in PACKAGE.rglob("*.py"):
        if "frontends" in path.relative_to(PACKAGE).parts:
            continue
        if path.name == "__main__.py" and path.parent == PACKAGE:
            continue  # `python -m vecproof` is the CLI
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                module = node.module or ""
                names = [module] + [f"{module}.{a.name}" if module else a.name for a in node.names]
                assert not any("frontends" in n.split(".") for n in names), f"{path}:{node.lineno} imports a front end"
            elif isinstance(node, ast.Import):
                assert not any("frontends" in a.name.split(".") for a in node.names), f"{path}:{node.lineno}"
