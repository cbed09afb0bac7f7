"""Publishing pact files: read, check, store (all files of one publish in one atomic change)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Final

from apigov.contract.model import MAX_PACT_BYTES, PactPublication, PactState, ParsedPact, parse_pact
from apigov.contract.store import PactStore
from apigov.core.errors import InputError

__all__ = ["Published", "collect_pact_files", "publish_pacts"]

_MAX_FILES: Final = 1000


@dataclass(frozen=True, slots=True)
class Published:
    publication: PactPublication
    created: bool
    interactions: int


def collect_pact_files(paths: list[Path]) -> list[tuple[str, bytes]]:
    """The ``*.json`` files named or found (not recursively) in the directories named."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.iterdir() if p.suffix == ".json" and p.is_file()))
        elif path.is_file():
            found.append(path)
        else:
            raise InputError(f"{path}: no such file or directory")
    if not found:
        raise InputError("no pact files found", hint="give pact JSON files or a directory holding them")
    if len(found) > _MAX_FILES:
        raise InputError(f"more than {_MAX_FILES} pact files in one publish")
    result = []
    for path in found:
        try:
            with path.open("rb") as handle:
                raw = handle.read(MAX_PACT_BYTES + 1)
        except OSError as exc:
            raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
        result.append((str(path), raw))
    return result


def publish_pacts(
    store: PactStore,
    files: list[tuple[str, bytes]],
    *,
    consumer_version: str,
    branch: str = "",
    tags: tuple[str, ...] = (),
    build_url: str = "",
    at: str,
) -> list[Published]:
    """Check every file first, then publish them all in one change (all or nothing)."""
    parsed: list[ParsedPact] = [parse_pact(raw, source) for source, raw in files]

    def step(state: PactState) -> list[Published]:
        done = []
        for pact in parsed:
            pub, created = state.publish(
                pact, consumer_version, branch=branch, tags=tags, build_url=build_url, at=at
            )
            done.append(Published(pub, created, len(pact.interactions)))
        return done

    return store.change({p.digest: p.canonical for p in parsed}, step)
