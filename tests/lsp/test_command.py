"""`vecproof lsp` as a command: JSON-RPC over its standard input and output, the exit status the
protocol asks for, nothing but protocol on standard output."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time


def frame(id_, method, params=None) -> bytes:
    msg = {"jsonrpc": "2.0", "method": method, "params": params}
    if id_ is not None:
        msg["id"] = id_
    body = json.dumps(msg).encode("utf-8")
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def run(*frames: bytes, then: tuple[bytes, ...] = (), after_reply: int | None = None) -> subprocess.CompletedProcess:
    """The server's answers to `frames`; with `then`, those frames are sent only once the reply to
    request `after_reply` has arrived, as a client waits for a reply before it shuts the server down
    (a shutdown cancels the requests still pending, so sending it at once would race the check)."""
    if not then:
        return subprocess.run([sys.executable, "-m", "vecproof", "lsp"], input=b"".join(frames),
                              capture_output=True, timeout=120, check=False)
    proc = subprocess.Popen([sys.executable, "-m", "vecproof", "lsp"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out = bytearray()
    def read() -> None:
        for chunk in iter(lambda: proc.stdout.read1(65536), b""):
            out.extend(chunk)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    proc.stdin.write(b"".join(frames))
    proc.stdin.flush()
    deadline = time.monotonic() + 120
    while not any(m.get("id") == after_reply and "method" not in m for m in _complete(bytes(out))):
        assert time.monotonic() < deadline and proc.poll() is None, "no reply to request %s" % after_reply
        time.sleep(0.01)
    proc.stdin.write(b"".join(then))
    proc.stdin.close()
    returncode = proc.wait(timeout=120)
    reader.join(timeout=10)
    return subprocess.CompletedProcess(proc.args, returncode, bytes(out), proc.stderr.read())


def _complete(out: bytes) -> list[dict]:
    """The whole messages at the start of `out` (the last one may still be arriving)."""
    found = []
    while b"\r\n\r\n" in out:
        head, _, rest = out.partition(b"\r\n\r\n")
        fields = dict(line.split(b": ", 1) for line in head.split(b"\r\n"))
        length = int(fields[b"Content-Length"])
        if len(rest) < length:
            break
        found.append(json.loads(rest[:length]))
        out = rest[length:]
    return found


def messages(out: bytes) -> list[dict]:
    found = []
    while out:
        head, _, rest = out.partition(b"\r\n\r\n")
        fields = dict(line.split(b": ", 1) for line in head.split(b"\r\n"))
        length = int(fields[b"Content-Length"])
        found.append(json.loads(rest[:length]))
        out = rest[length:]
    return found


def test_exits_0_after_shutdown_and_exit():
    done = run(frame(1, "initialize", {"processId": None, "rootUri": None, "capabilities": {}}),
               frame(None, "initialized", {}), frame(2, "shutdown"), frame(None, "exit"))
    assert done.returncode == 0, done.stderr.decode()
    got = messages(done.stdout)  # standard output holds only well-formed protocol messages
    assert got[0]["id"] == 1 and got[0]["result"]["serverInfo"]["name"] == "vecproof"
    assert got[-1] == {"jsonrpc": "2.0", "id": 2, "result": None}


def test_malformed_messages_get_errors_and_the_server_goes_on():
    init = frame(1, "initialize", {"processId": None, "rootUri": None, "capabilities": {}})
    garbage = [
        frame(2, "textDocument/hover", {"textDocument": 3, "position": "x"}),  # parameters of the wrong type
        frame(None, "textDocument/didChange", {"textDocument": None}),
        frame(None, "textDocument/didOpen", {"textDocument": {"uri": "file:///x.vproof"}}),
        frame(3, "vecproof/noSuchRequest", {}),
        b"Content-Length: 9\r\n\r\n{not json",
    ]
    open_ = frame(None, "textDocument/didOpen", {"textDocument": {
        "uri": "file:///y.vproof", "languageId": "vproof", "version": 1, "text": "dim n\nvar x : vector(n)"}})
    hover = frame(4, "textDocument/hover", {"textDocument": {"uri": "file:///y.vproof"},
                                            "position": {"line": 1, "character": 4}})
    done = run(init, frame(None, "initialized", {}), *garbage, open_, hover,
               then=(frame(5, "shutdown"), frame(None, "exit")), after_reply=4)
    assert done.returncode == 0, done.stderr.decode()
    replies = {m["id"]: m for m in messages(done.stdout) if "id" in m and "method" not in m}
    assert "error" in replies[2] and replies[3]["error"]["code"] == -32601  # MethodNotFound
    assert "var x : vector(n)" in replies[4]["result"]["contents"]["value"]
    assert replies[5]["result"] is None


def test_exits_1_when_the_client_goes_away_without_shutdown():
    done = run(frame(1, "initialize", {"processId": None, "rootUri": None, "capabilities": {}}))
    assert done.returncode == 1


def test_the_subcommand_is_listed():
    done = subprocess.run([sys.executable, "-m", "vecproof", "--help"], capture_output=True, text=True, timeout=60, check=False)
    assert "lsp" in done.stdout


def test_the_server_does_not_import_what_only_check_and_render_use():
    """Its start is what an editor waits for: the batch runner (multiprocessing, the result cache) and
    the renderer are not loaded (-X importtime lists every module a process imports)."""
    for flag in ([], ["--stdio"]):
        done = subprocess.run([sys.executable, "-X", "importtime", "-m", "vecproof", "lsp", *flag], input=b"",
                              capture_output=True, timeout=120, check=False)
        imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.decode().splitlines() if "|" in line}
        assert done.returncode == 1 and "vecproof.checker" in imported and "pygls.lsp.server" in imported
        assert not imported & {"vecproof.batch", "vecproof.cache", "vecproof.frontends.render", "multiprocessing"}
