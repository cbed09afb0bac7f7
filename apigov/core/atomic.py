"""Writing an output file: atomically for a regular file, straight through for anything else.

``write_bytes_atomic`` is the same promise for the files apigov stores itself (registry, pact
and fuzz stores, tokens): bytes to a temporary file beside the target, fsynced, renamed over it.

A regular file (new or existing) is written to a temporary file in the same directory and then
renamed over it, so readers never see half a file. A symlink is followed: the file it names is
replaced that way and the link itself stays. ``-`` is standard output; a character device
(``/dev/null``, a terminal), a FIFO or a socket, and ``/dev/stdout``/``/dev/stderr``/``/dev/fd/N``
(links to an open descriptor, whatever it is), are opened and written into, never replaced.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO, TextIO

from apigov.core.errors import InputError

#: What ``--output`` does with each kind of target, for ``--help`` texts.
OUTPUT_HELP = (
    "A regular file is replaced atomically; a symlink is followed (the file it names is replaced, "
    "the link kept); '-', /dev/stdout, devices and FIFOs are written into, never replaced."
)

_DESCRIPTOR_LINKS = ("/dev/stdout", "/dev/stderr", "/dev/fd/", "/proc/self/fd/")


def _mode_for(path: Path) -> int:
    """Keep an existing file's mode; a new file gets what the umask allows (mkstemp makes 0600)."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _writes_through(path: Path) -> bool:
    """Whether ``path`` is to be opened and written into rather than replaced."""
    text = str(path)
    if text.startswith(_DESCRIPTOR_LINKS):
        return True
    try:
        mode = path.stat().st_mode  # follows symlinks
    except OSError:
        return False  # nothing there (or a dangling link): a new regular file
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


@contextlib.contextmanager
def atomic_text_writer(path: Path) -> Iterator[TextIO]:
    """Yield a text stream for ``path`` (see the module docstring for what each target gets);
    for a regular file, on failure nothing changes."""
    if str(path) == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    if _writes_through(path):
        try:
            handle = path.open("w", encoding="utf-8", newline="\n")
        except OSError as exc:
            raise InputError(f"cannot write {path}: {exc.strerror or exc}") from exc
        with handle:
            yield handle
        return
    if path.is_symlink():
        path = Path(os.path.realpath(path))
    directory = path.parent if str(path.parent) else Path()
    if path.is_dir():
        raise InputError(f"cannot write {path}: it is a directory")
    if not directory.is_dir():
        raise InputError(f"cannot write {path}: directory {directory} does not exist")
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        Path(temp).chmod(_mode_for(path))
        Path(temp).replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            Path(temp).unlink()
        raise


def write_bytes_atomic(
    path: Path,
    data: bytes,
    *,
    private: bool = False,
    write: Callable[[BinaryIO, bytes], None] | None = None,
) -> None:
    """Write ``data`` to ``.<name>.<pid>.tmp`` beside ``path``, fsync it and rename it over
    ``path``; on any failure the temporary file is removed and ``path`` is untouched. The file is
    created 0644 (less what the umask takes); ``private`` makes it 0600 even over a stale
    temporary file (secrets). ``write`` replaces the plain ``handle.write(data)`` (the registry's crash tests
    pause half-way through). OS errors propagate: each store words them for its own reader."""
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600 if private else 0o644)
    try:
        with os.fdopen(fd, "wb") as handle:
            if write is None:
                handle.write(data)
            else:
                write(handle, data)
            handle.flush()
            os.fsync(handle.fileno())
        if private:
            temp.chmod(0o600)
        temp.replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
