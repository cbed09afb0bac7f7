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
from typing import Protocol, TypeVar, runtime_checkable

from apigov.contract.model import PactState

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
    from apigov.core.errors import BackendUnavailable
    from apigov.registry.filesystem import DirectoryBackend

    if isinstance(backend, DirectoryBackend):
        from apigov.contract.store.directory import DirectoryPactStore

        return DirectoryPactStore(backend.root)
    if type(backend).__name__ == "PostgresBackend":
        from apigov.contract.store.postgres import PostgresPactStore
        from apigov.registry.postgres import PostgresBackend

        assert isinstance(backend, PostgresBackend)
        return PostgresPactStore(backend)
    raise BackendUnavailable(
        f"the registry at {getattr(backend, 'location', 'this location')} keeps no pacts",
        hint="give a directory, a postgresql:// or an http(s):// URL",
    )
