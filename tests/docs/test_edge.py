"""docs/language.md's table of the language's edge is the one in vecproof/elaboration/edge.py, and
every construct in it is refused with VP111 where it is written."""

from pathlib import Path

import pytest

from vecproof.checker import check_text
from vecproof.elaboration.edge import CONSTRUCTS, markdown_list

LANGUAGE = Path(__file__).resolve().parents[2] / "docs" / "language.md"


def test_the_edge_table_in_the_docs_is_generated_from_the_code():
    text = LANGUAGE.read_text(encoding="utf-8")
    start = text.index("\n", text.index("<!-- edge-table: generated")) + 1
    end = text.index("<!-- edge-table: end -->")
    assert text[start:end].strip() == markdown_list().strip()


WRITTEN = {"^-1": "A^-1", "⁻¹": "A⁻¹", "⊙": "A ⊙ A"}


@pytest.mark.parametrize("key", sorted(CONSTRUCTS))
def test_every_construct_in_the_table_is_refused_with_vp111(key):
    expr = WRITTEN.get(key, f"{key}(A)")
    r = check_text(f"dim n\nconst A : matrix(n, n)\ntheorem t:\n  {expr} = A\nproof:\n  {expr}\n  = A by algebra\nqed\n")
    assert "VP111" in {d.code.id for d in r.diagnostics}
