"""The front ends: adapters that present the checker's results and do no checking of their own.

- `cli` — the `vecproof` command (check, rules, lsp, …), with `report` for its text output;
- `formats` — CI report formats (JSON, SARIF, JUnit XML, GitHub annotations);
- `pytest_plugin` — `.vproof` files collected by pytest;
- `lsp` — the language server (pygls);
- `render` — checked proofs as Markdown, LaTeX and HTML (`vecproof render`).

Each imports the library (`vecproof.check_text`, `vecproof.batch.check_files`, `vecproof.results`)
and never the other way round; tests/test_architecture.py holds that line.
"""
