"""Schema migrations of the registry backends: one numbered list for PostgreSQL and the directory.

A migration is one module here, ``m<NNNN>_<name>.py``, holding::

    NUMBER: Final = NNNN                      # the number in the file name
    NAME: Final = "pacts and their versions"  # recorded beside the number
    POSTGRES: Final[LiteralString] = "..."    # SQL run in the migrating transaction ("" for none)
    def directory(root: Path) -> None: ...    # the same change to a directory registry (may do nothing)

:data:`MIGRATIONS` is every such module, in number order. It is found from the file names, not
written as one tuple, so issues developed in parallel each add a file and never edit the same
line; numbers are reserved per issue in ARCHITECTURE.md, and gaps are allowed. A backend records
every number it applied (PostgreSQL: the table ``apigov.schema_migrations``; a directory:
``.apigov-migrations.json`` at its root, see :mod:`apigov.registry.migrations.ledger`) and
applies the ones it has not, in number order, once, under a lock; a registry that recorded a
number this apigov does not know was migrated by a newer apigov and is refused.

Rules for a migration: never edit or renumber a released one (append a new one); it must not
depend on a migration of a higher number, nor on one of another issue that may not be merged
yet; SQL works inside one transaction; ``directory`` is idempotent (a killed run is run again).
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Final, LiteralString, cast

__all__ = ["KNOWN", "MIGRATIONS", "Migration", "pending", "unknown"]

_MODULE: Final = re.compile(r"m(\d{4})_[a-z0-9_]+")


@dataclass(frozen=True, slots=True)
class Migration:
    number: int
    name: str
    postgres: LiteralString
    """SQL for the PostgreSQL backend (empty: nothing to do there)."""
    directory: Callable[[Path], None]
    """The change to a directory registry at the given root (may do nothing)."""


def _discover() -> tuple[Migration, ...]:
    found: list[Migration] = []
    for info in pkgutil.iter_modules(__path__):
        match = _MODULE.fullmatch(info.name)
        if match is None:
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        number = cast(int, module.NUMBER)
        if number != int(match.group(1)):
            raise AssertionError(f"migration {info.name} declares NUMBER = {number}")
        found.append(
            Migration(
                number=number,
                name=cast(str, module.NAME),
                postgres=cast(LiteralString, module.POSTGRES),
                directory=cast(Callable[[Path], None], module.directory),
            )
        )
    found.sort(key=lambda m: m.number)
    numbers = [m.number for m in found]
    if len(set(numbers)) != len(numbers):
        raise AssertionError(f"two migrations share a number: {numbers}")
    return tuple(found)


MIGRATIONS: Final[tuple[Migration, ...]] = _discover()
KNOWN: Final = frozenset(m.number for m in MIGRATIONS)


def pending(applied: Iterable[int], migrations: Iterable[Migration] = MIGRATIONS) -> list[Migration]:
    """The migrations not in ``applied``, in number order."""
    done = set(applied)
    return [m for m in migrations if m.number not in done]


def unknown(applied: Iterable[int], migrations: Iterable[Migration] = MIGRATIONS) -> list[int]:
    """Numbers recorded by a newer apigov (not among ``migrations``), ascending."""
    known = {m.number for m in migrations}
    return sorted(set(applied) - known)
