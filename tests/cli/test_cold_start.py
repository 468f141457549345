"""A cold run pays only for what it uses: SymPy (the kernel's exact cross-check) is imported when a
step is first decided, never for a file that does not parse; once imported, its heap is frozen like
the rest (gc.freeze(), vecproof/batch.py)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

# Runs the CLI's main() (not run(), which leaves through os._exit) and reports on the process after it.
PROBE = """
import gc, json, sys
from vecproof.cli import main
rc = main(sys.argv[1:])
sys.stdout.flush()
unfrozen_sympy_classes = sum(1 for o in gc.get_objects()
                             if isinstance(o, type) and o.__module__.startswith("sympy"))
print(json.dumps({"rc": rc, "sympy": "sympy" in sys.modules, "unfrozen": unfrozen_sympy_classes}),
      file=sys.stderr)
"""


def probe(*args, cwd) -> tuple[dict, str]:
    r = subprocess.run([sys.executable, "-c", PROBE, *args], cwd=cwd, capture_output=True, text=True,
                       timeout=120)
    return json.loads(r.stderr.strip().splitlines()[-1]), r.stdout


SYNTAX_ERROR = """dim n
var x : vector(n)

theorem t: x = x
proof:
  x
  = (x + x by algebra
qed
"""


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_file_with_a_syntax_error_does_not_import_sympy(tmp_path, jobs):
    (tmp_path / "broken.vproof").write_text(SYNTAX_ERROR, encoding="utf-8")
    out, text = probe("check", "--no-cache", "-j", jobs, "broken.vproof", cwd=tmp_path)
    assert out["rc"] == 1
    assert "error[VP001]" in text
    assert not out["sympy"]


def test_a_proof_imports_sympy_and_freezes_its_heap(tmp_path):
    (tmp_path / "good.vproof").write_text((EXAMPLES / "000_vector_derivatives.vproof").read_text(encoding="utf-8"),
                                          encoding="utf-8")
    out, _ = probe("check", "--no-cache", "-j", "1", "good.vproof", cwd=tmp_path)
    assert out["rc"] == 0
    assert out["sympy"]
    assert out["unfrozen"] == 0  # imported after the batch's gc.freeze(), then frozen as well
