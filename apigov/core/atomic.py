"""Atomic file writes: a temporary file in the same directory, then a rename."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from apigov.core.errors import InputError


def _mode_for(path: Path) -> int:
    """Keep an existing file's mode; a new file gets what the umask allows (mkstemp makes 0600)."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


@contextlib.contextmanager
def atomic_text_writer(path: Path) -> Iterator[TextIO]:
    """Yield a text stream; on success it replaces ``path`` at once, on failure nothing changes."""
    directory = path.parent if str(path.parent) else Path()
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
