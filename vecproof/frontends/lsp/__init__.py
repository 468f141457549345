"""The language server: `vecproof lsp` speaks the Language Server Protocol over stdio (pygls 2).

server.py holds the handlers, one per editor feature, each thin: get the document, ask the library,
convert. Below them, and free of pygls: documents.py (debounced checks in a worker thread, tagged
with the document version), recheck.py (check again only the theorem an edit falls in), tokens.py
(a tolerant lexer), queries.py (hover, completion, symbols, definitions, quick fixes). convert.py
states the position rules once and turns the answers into LSP types.
"""


def serve() -> int:
    """Run the server over stdin/stdout until the client says exit (or closes the connection).
    Returns the exit status the protocol asks for: 0 after a shutdown request, 1 without one.

    The imports (pygls, SymPy, Lark) and the parser's construction happen before the first message
    with the garbage collector off, and what they leave is then frozen: a long-lived heap that later
    collections need not walk. While the server runs, `sys.stdout` is standard error: the protocol
    has the real standard output to itself, and a stray print cannot corrupt it."""
    import gc
    import os
    import sys

    gc.disable()
    try:
        from ...checker import check_text
        from .server import server

        check_text("")  # builds the parser
        gc.freeze()
    finally:
        gc.enable()
    channel = os.fdopen(os.dup(sys.stdout.fileno()), "wb", buffering=0)
    sys.stdout = sys.stderr
    server.start_io(sys.stdin.buffer, channel)
    return 0 if server.shutdown_requested else 1
