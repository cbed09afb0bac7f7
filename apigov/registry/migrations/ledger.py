"""The migrations ledger of a directory registry: ``<root>/.apigov-migrations.json``.

::

    {"apigov": "registry-migrations/1",
     "applied": [{"number": 1, "name": "subjects and versions", "applied_at": "2026-..."}, ...]}

:func:`migrate` applies what is pending under an exclusive ``flock`` on ``<root>/.lock``
(re-reading the ledger after taking it, so processes starting at once apply each step once), and
rewrites the ledger atomically after each step, so a killed run leaves the steps it finished
recorded and the next run repeats only the unfinished one (``directory`` steps are idempotent).
Readers only check that the ledger names no migration this apigov does not know
(:func:`check_known`); they never write.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

from apigov.core.atomic import atomic_text_writer
from apigov.core.errors import BackendUnavailable, RegistryError
from apigov.registry.migrations import MIGRATIONS, Migration, pending, unknown

__all__ = ["LEDGER_FILE", "applied", "check_known", "migrate"]

LEDGER_FILE: Final = ".apigov-migrations.json"
_SCHEMA: Final = "registry-migrations/1"
_LOCK: Final = ".lock"
_MAX_BYTES: Final = 1024 * 1024


def _read(root: Path) -> list[dict[str, object]]:
    path = root / LEDGER_FILE
    try:
        with path.open("rb") as handle:
            raw = handle.read(_MAX_BYTES + 1)
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise BackendUnavailable(
            f"cannot read {LEDGER_FILE}: {exc.strerror or exc}", source=str(root)
        ) from exc
    try:
        if len(raw) > _MAX_BYTES:
            raise ValueError("too large")
        data = json.loads(raw)
        if not isinstance(data, dict) or data.get("apigov") != _SCHEMA:
            raise ValueError(f"not a {_SCHEMA} document")
        entries = data.get("applied")
        if not isinstance(entries, list) or not all(
            isinstance(e, dict) and isinstance(e.get("number"), int) and not isinstance(e.get("number"), bool)
            for e in entries
        ):
            raise ValueError("'applied' must list objects with a number")
    except ValueError as exc:
        raise RegistryError(
            f"{LEDGER_FILE} of the registry is not a valid migrations ledger: {exc}",
            source=str(root),
            hint="restore it from version control",
        ) from None
    return entries


def applied(root: Path) -> list[int]:
    """The migration numbers the registry at ``root`` records (none for a registry without a ledger)."""
    return sorted(int(str(e["number"])) for e in _read(root))


def check_known(root: Path, migrations: Sequence[Migration] = MIGRATIONS) -> None:
    """Refuse a registry a newer apigov migrated (a layout this one cannot read or write safely)."""
    newer = unknown(applied(root), migrations)
    if newer:
        raise RegistryError(
            f"the registry at {root} records migration {newer[-1]}; this apigov knows up to "
            f"{max((m.number for m in migrations), default=0)}",
            hint="upgrade apigov",
        )


@contextlib.contextmanager
def _locked(root: Path) -> Iterator[None]:
    try:
        root.mkdir(parents=True, exist_ok=True)
        fd = os.open(root / _LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise BackendUnavailable(
            f"cannot write to the registry: {exc.strerror or exc}", source=str(root)
        ) from exc
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def migrate(root: Path, migrations: Sequence[Migration] = MIGRATIONS) -> list[int]:
    """Apply the pending ``migrations`` to the directory registry at ``root``; the numbers applied."""
    check_known(root, migrations)
    if not pending(applied(root), migrations):
        return []
    done: list[int] = []
    with _locked(root):
        entries = _read(root)
        for migration in pending((int(str(e["number"])) for e in entries), migrations):
            migration.directory(root)
            entries.append(
                {
                    "number": migration.number,
                    "name": migration.name,
                    "applied_at": datetime.now(UTC).isoformat(timespec="seconds"),
                }
            )
            entries.sort(key=lambda e: int(str(e["number"])))
            document = {"apigov": _SCHEMA, "applied": entries}
            with atomic_text_writer(root / LEDGER_FILE) as handle:
                handle.write(json.dumps(document, indent=2) + "\n")
            done.append(migration.number)
    return done
