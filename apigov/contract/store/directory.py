"""Pacts of a directory registry: ``<registry>/.pacts/``.

::

    .pacts/state.json              every record but the contents (apigov pact-state/1)
    .pacts/contents/<sha256>.json  each pact's canonical JSON, written once

A change takes an exclusive ``flock`` on ``.pacts/.lock``, writes new contents (each a temporary
file, fsynced, renamed: content-addressed, so a repeated write is harmless), then rewrites
``state.json`` the same way: ``state.json`` is the commit point, a content no record names is
never shown. Readers take no lock and keep the parsed state while the file is the same file.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Final, TypeVar

from apigov.contract.model import PactState
from apigov.core.atomic import write_bytes_atomic
from apigov.core.errors import BackendUnavailable, RegistryError, UnknownSubject
from apigov.registry.migrations import ledger

__all__ = ["DirectoryPactStore"]

T = TypeVar("T")
_DIR: Final = ".pacts"
_STATE: Final = "state.json"
_MAX_STATE: Final = 512 * 1024 * 1024
_DIGEST: Final = re.compile(r"[0-9a-f]{64}")


class DirectoryPactStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.base = root / _DIR
        self._stamp: tuple[int, int, int] | None = None
        self._state = PactState()

    @property
    def location(self) -> str:
        return str(self.root)

    def _read(self) -> PactState:
        path = self.base / _STATE
        try:
            stat = path.stat()
        except FileNotFoundError:
            return PactState()
        except OSError as exc:
            raise BackendUnavailable(
                f"cannot read the pacts: {exc.strerror or exc}", source=str(path)
            ) from exc
        stamp = (stat.st_size, stat.st_mtime_ns, stat.st_ino)
        if stamp == self._stamp:
            return self._state
        try:
            raw = path.read_bytes()
            if len(raw) > _MAX_STATE:
                raise ValueError("too large")
            state = PactState.from_json(json.loads(raw))
        except (ValueError, KeyError, TypeError) as exc:
            raise RegistryError(
                f"{_DIR}/{_STATE} of the registry is not valid: {exc}",
                source=str(self.root),
                hint="restore it from version control",
            ) from None
        except OSError as exc:
            raise BackendUnavailable(
                f"cannot read the pacts: {exc.strerror or exc}", source=str(path)
            ) from exc
        self._stamp, self._state = stamp, state
        return state

    def snapshot(self) -> PactState:
        ledger.check_known(self.root)
        state = self._read()
        return PactState(
            dict(state.versions),
            dict(state.publications),
            list(state.verifications),
            dict(state.environments),
            list(state.deployments),
        )

    def content(self, digest: str) -> bytes:
        if not _DIGEST.fullmatch(digest):
            raise UnknownSubject(f"no pact has the content {digest[:70]!r}")
        try:
            return (self.base / "contents" / f"{digest}.json").read_bytes()
        except FileNotFoundError:
            raise UnknownSubject(f"no pact has the content {digest[:12]}") from None

    def change(self, contents: dict[str, bytes], step: Callable[[PactState], T]) -> T:
        ledger.migrate(self.root)
        try:
            (self.base / "contents").mkdir(parents=True, exist_ok=True)
            fd = os.open(self.base / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise BackendUnavailable(
                f"cannot write the pacts: {exc.strerror or exc}", source=str(self.root)
            ) from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            self._stamp = None
            state = self.snapshot()
            result = step(state)
            for digest, data in contents.items():
                target = self.base / "contents" / f"{digest}.json"
                if not target.exists():
                    write_bytes_atomic(target, data)
            write_bytes_atomic(
                self.base / _STATE, (json.dumps(state.to_json(), indent=1) + "\n").encode("utf-8")
            )
            return result
        finally:
            os.close(fd)
