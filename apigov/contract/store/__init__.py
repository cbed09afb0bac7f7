"""Where pacts, verification results and deployments are kept: the :class:`PactStore` Protocol.

Implementations, one per registry backend (chosen by :func:`open_pact_store` from the same
location as the contracts): :class:`~apigov.contract.store.directory.DirectoryPactStore`
(``<registry>/.pacts/``), :class:`~apigov.contract.store.postgres.PostgresPactStore` (tables of
migrations 5-7, 10 and 15) and :class:`~apigov.contract.store.http.HttpPactStore` (a remote
``apigov serve``, through its Pact Broker API under ``/pact``).

A store answers reads with a :class:`~apigov.contract.model.PactState` snapshot (every record
but the pact contents) and applies each change as one atomic step that checks the rules in
:class:`~apigov.contract.model.PactState` (immutable consumer versions, verifications only of
published pacts), so every backend refuses the same things.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar, runtime_checkable

from apigov.contract.model import PactState

if TYPE_CHECKING:
    from apigov.registry.postgres import PostgresBackend

__all__ = ["PactStore", "open_pact_store"]

T = TypeVar("T")


@runtime_checkable
class PactStore(Protocol):
    @property
    def location(self) -> str: ...

    def snapshot(self) -> PactState:
        """Every record (not the pact contents), as of one moment."""
        ...

    def content(self, digest: str) -> bytes:
        """The canonical JSON of the pact with ``digest`` (UnknownSubject when there is none)."""
        ...

    def change(self, contents: dict[str, bytes], step: Callable[[PactState], T]) -> T:
        """Store ``contents`` (by digest) and apply ``step`` to the state, atomically: when
        ``step`` raises, nothing is stored."""
        ...


def open_pact_store(location: str, token: str | None = None) -> PactStore:
    """The pact store of the registry at ``location`` (a directory, postgresql:// or http(s)://)."""
    lowered = location.lower()
    if lowered.startswith(("http://", "https://")):
        from apigov.contract.store.http import HttpPactStore

        return HttpPactStore(location, token=token)
    from apigov.registry.location import open_backend

    backend = open_backend(location)
    return pact_store_of(backend)


def pact_store_of(backend: object) -> PactStore:
    """The pact store beside a registry backend (directory or PostgreSQL)."""
    from apigov.registry.stores import store_beside

    def directory(root: Path) -> PactStore:
        from apigov.contract.store.directory import DirectoryPactStore

        return DirectoryPactStore(root)

    def postgres(backend: PostgresBackend) -> PactStore:
        from apigov.contract.store.postgres import PostgresPactStore

        return PostgresPactStore(backend)

    return store_beside(backend, "pacts", directory, postgres)
