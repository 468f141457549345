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
