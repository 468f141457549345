"""The result cache and imports: a lemma made false in an imported file fails the importing file on
the next run with a warm cache, in one process and with -j 2 (the file cache checks what a cached
verdict imported; the per-theorem cache keys on it)."""

import os
import subprocess
import sys

import pytest

from proofs import QUAD_IMPORTER, QUAD_LIBRARY

LIB = QUAD_LIBRARY

MAIN = QUAD_IMPORTER.replace("CITE", "quad")


def run(*args, cwd):
    return subprocess.run([sys.executable, "-m", "vecproof", *args], capture_output=True, text=True, cwd=cwd,
                          env=dict(os.environ, VECPROOF_CACHE_KEY="k" * 64))


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_lemma_made_false_in_an_imported_file_fails_the_importer_with_a_warm_cache(tmp_path, jobs):
    (tmp_path / "lib").mkdir()
    lib = tmp_path / "lib" / "quadratic.vproof"
    lib.write_text(LIB, encoding="utf-8")
    (tmp_path / "main.vproof").write_text(MAIN, encoding="utf-8")
    (tmp_path / "other.vproof").write_text(MAIN.replace("theorem t", "theorem u"), encoding="utf-8")
    files = ["main.vproof", "other.vproof"]
    assert run("check", "-j", jobs, *files, cwd=tmp_path).returncode == 0
    warm = run("check", "-j", jobs, *files, cwd=tmp_path)
    assert warm.returncode == 0
    lib.write_text(LIB.replace("((A + A^T) x)[k]                                                    by matvec_def",
                               "((A + A) x)[k]   by matvec_def"), encoding="utf-8")
    after = run("check", "-j", jobs, "--format", "json", *files, cwd=tmp_path)
    assert after.returncode == 1
    assert after.stdout.count('"VP120"') == 2
    lib.write_text(LIB, encoding="utf-8")
    assert run("check", "-j", jobs, *files, cwd=tmp_path).returncode == 0
