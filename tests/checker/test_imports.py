"""Imports: `import "path"` relative to the importing file and `import vecproof.NAME`; cycles, missing
and unreadable files (VP122, VP123); qualified and bare names; an imported file's diagnostics stay its own."""

from vecproof import check_path

from proofs import QUAD_IMPORTER, QUAD_LIBRARY

LIB = QUAD_LIBRARY

MAIN = QUAD_IMPORTER


def write(tmp_path, lib=LIB, cite="quad"):
    (tmp_path / "lib").mkdir(exist_ok=True)
    (tmp_path / "lib" / "quadratic.vproof").write_text(lib, encoding="utf-8")
    main = tmp_path / "main.vproof"
    main.write_text(MAIN.replace("CITE", cite), encoding="utf-8")
    return main


def codes(path) -> list[str]:
    return sorted(d.code.id for d in check_path(path).diagnostics)


def test_an_imported_lemma_is_cited_bare_qualified_and_instantiated(tmp_path):
    for cite in ("quad", "quadratic.quad", "quadratic.quad[A := M, x := y, n := m]"):
        main = write(tmp_path, cite=cite)
        r = check_path(main)
        assert [d.code.id for d in r.diagnostics] == [], cite
        assert r.theorems[0].status == "proved"
        assert "M independent of y" in r.theorems[0].assumptions


def test_a_failed_imported_lemma_cannot_be_cited_and_its_errors_stay_in_its_file(tmp_path):
    main = write(tmp_path, lib=LIB.replace("((A + A^T) x)[k]                                                    by matvec_def",
                                           "((A + A) x)[k]   by matvec_def"))
    assert codes(main) == ["VP120"]  # not the imported file's VP201


def test_missing_unreadable_and_unknown_imports(tmp_path):
    (tmp_path / "bin.vproof").write_bytes(b"a\x00b")
    main = tmp_path / "main.vproof"
    main.write_text('import "nope.vproof"\nimport "bin.vproof"\nimport vecproof.no_such_file\nimport foo.bar\n'
                    'dim n\n', encoding="utf-8")
    r = check_path(main)
    assert [(d.code.id, d.span.line) for d in r.diagnostics] == [("VP122", 1), ("VP122", 2), ("VP122", 3),
                                                                  ("VP122", 4)]


def test_import_cycles_are_positioned_errors(tmp_path):
    (tmp_path / "a.vproof").write_text('import "b.vproof"\ndim n\n', encoding="utf-8")
    (tmp_path / "b.vproof").write_text('import "a.vproof"\ndim n\n', encoding="utf-8")
    (tmp_path / "self.vproof").write_text('dim n\nimport "self.vproof"\n', encoding="utf-8")
    for name, line in (("a", 1), ("b", 1), ("self", 2)):
        r = check_path(tmp_path / f"{name}.vproof")
        assert [(d.code.id, d.span.line) for d in r.diagnostics] == [("VP123", line)], name


def test_a_name_stated_in_two_imports_must_be_qualified(tmp_path):
    write(tmp_path)
    (tmp_path / "lib" / "other.vproof").write_text(LIB, encoding="utf-8")
    main = tmp_path / "main.vproof"
    main.write_text(MAIN.replace("CITE", "quad").replace('vproof"\n', 'vproof"\nimport "lib/other.vproof"\n', 1),
                    encoding="utf-8")
    assert codes(main) == ["VP120"]
    main.write_text(main.read_text(encoding="utf-8").replace("by quad", "by other.quad"), encoding="utf-8")
    assert codes(main) == []


def test_an_import_path_with_a_nul_character_is_a_diagnostic_not_a_crash(tmp_path):
    """Found by the slow grammar fuzz: `import "\\x00"` raised ValueError from the file system (VP902)."""
    from vecproof import check_text

    text = ' import "\x00"\nimport "a\x00b.vproof"\n'  # a file holding a NUL is refused whole (VP002)
    assert sorted(d.code.id for d in check_text(text, str(tmp_path / "main.vproof")).diagnostics) == ["VP122", "VP122"]
