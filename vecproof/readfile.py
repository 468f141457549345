"""Read a source file safely: only a regular file, and never more than a limit. A FIFO named
`*.vproof` would block a plain read forever, and /dev/zero would fill the memory.

Imports only the standard library (the pytest plugin uses it at collection time)."""

from __future__ import annotations

import errno
import os
import stat


MAX_FILE_BYTES = 2 * 1024 * 1024  # the largest file vecproof checks; larger ones get VP901 (docs/reliability.md)


class NotRegularFile(OSError):
    """The path names a FIFO, a device, a socket or a directory, not a regular file."""


_KINDS = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a directory"))


def _kind(mode: int) -> str:
    return next((what for test, what in _KINDS if test(mode)), "not a regular file")


def read_limited(path, limit: int) -> bytes:
    """The bytes of the regular file at `path`, at most limit + 1 of them (so that a caller sees the
    file is too large without reading all of it). Raises NotRegularFile for anything but a regular
    file, checked before opening (a FIFO is never opened) and again on the open descriptor, and
    OSError when it cannot be read."""
    mode = os.stat(path).st_mode
    if not stat.S_ISREG(mode):
        raise NotRegularFile(errno.EINVAL, f"this is {_kind(mode)}, not a regular file")
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):  # replaced between the stat and the open
            raise NotRegularFile(errno.EINVAL, f"this is {_kind(mode)}, not a regular file")
        chunks, left = [], limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


class Undecodable(ValueError):
    """The bytes are not a text file: `message` says why, at 1-based `line` and `column` (characters)."""

    def __init__(self, message: str, line: int, column: int):
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


def decode_source(data: bytes) -> str:
    """The text of a source file's bytes: UTF-8 (a leading BOM dropped), every line ending made `\n`.
    Raises Undecodable for a NUL byte (a binary file) or bytes that are not UTF-8."""
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise Undecodable("this is not a text file (it contains a NUL byte)", line, 1)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        line_start = data.rfind(b"\n", 0, err.start) + 1
        col = len(data[line_start:err.start].decode("utf-8", "replace")) + 1  # in characters, like every column
        raise Undecodable(f"the file is not valid UTF-8 (byte 0x{data[err.start]:02x})", line, col) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")
