"""Fuzz runs of a directory registry: ``<registry>/.fuzz-runs/<subject>/<version>/<id>.json``.

Each record is written once (a temporary file, fsynced, renamed): content-addressed, so a
repeated write is harmless and a record never changes. Readers take no lock.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Final

from apigov.core.atomic import write_bytes_atomic
from apigov.core.errors import BackendUnavailable, RegistryError
from apigov.fuzz.store import canonical, check_record, newest_first, record_id
from apigov.registry.base import check_subject, parse_version
from apigov.registry.migrations import ledger

__all__ = ["DirectoryFuzzStore"]

_DIR: Final = ".fuzz-runs"


class DirectoryFuzzStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    @property
    def location(self) -> str:
        return str(self.root)

    def _folder(self, subject: str, version: str) -> Path:
        return self.root / _DIR / check_subject(subject) / str(parse_version(version))

    def add(self, record: dict[str, Any]) -> str:
        record = check_record(record)
        ledger.migrate(self.root)
        rid = record_id(record)
        folder = self._folder(record["contract"]["subject"], record["contract"]["version"])
        target = folder / f"{rid}.json"
        if target.exists():
            return rid
        try:
            folder.mkdir(parents=True, exist_ok=True)
            write_bytes_atomic(target, canonical(record) + b"\n")
        except OSError as exc:
            raise BackendUnavailable(
                f"cannot write the fuzz run: {exc.strerror or exc}", source=str(self.root)
            ) from exc
        return rid

    def runs(self, subject: str, version: str) -> list[dict[str, Any]]:
        ledger.check_known(self.root)
        folder = self._folder(subject, version)
        found: list[dict[str, Any]] = []
        try:
            paths = sorted(folder.glob("*.json"))
        except OSError:
            paths = []
        for path in paths:
            try:
                data = json.loads(path.read_bytes())
            except (OSError, ValueError) as exc:
                raise RegistryError(
                    f"{_DIR}/{subject}/{version}/{path.name} is not a readable fuzz run: {exc}",
                    source=str(self.root),
                ) from None
            if isinstance(data, dict):
                found.append({"id": path.stem, **data})
        return newest_first(found)
