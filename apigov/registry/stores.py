"""What the stores kept beside a registry share (the pact store in :mod:`apigov.contract.store`,
the fuzz-run store in :mod:`apigov.fuzz.store`): choosing the store for a backend, and the HTTP
client of a store on a remote ``apigov serve``.

psycopg and httpx are imported only by the functions that need them.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Final, TypeVar

from apigov.core.errors import BackendUnavailable

if TYPE_CHECKING:
    import httpx

    from apigov.registry.postgres import PostgresBackend

__all__ = ["TOKEN_ENV", "remote_client", "store_beside"]

S = TypeVar("S")
TOKEN_ENV: Final = "APIGOV_TOKEN"  # noqa: S105 - a variable's name


def store_beside(
    backend: object,
    what: str,
    directory: Callable[[Path], S],
    postgres: Callable[[PostgresBackend], S],
) -> S:
    """The store of ``what`` (``pacts``, ``fuzz runs``) beside a directory or PostgreSQL backend,
    made by ``directory(root)`` or ``postgres(backend)``; any other backend keeps none."""
    from apigov.registry.filesystem import DirectoryBackend

    if isinstance(backend, DirectoryBackend):
        return directory(backend.root)
    if type(backend).__name__ == "PostgresBackend":
        from apigov.registry.postgres import PostgresBackend

        assert isinstance(backend, PostgresBackend)
        return postgres(backend)
    raise BackendUnavailable(
        f"the registry at {getattr(backend, 'location', 'this location')} keeps no {what}",
        hint="give a directory, a postgresql:// or an http(s):// URL",
    )


def remote_client(token: str | None, client: httpx.Client | None) -> httpx.Client:
    """``client`` when given, else a client sending ``token`` (else ``$APIGOV_TOKEN``, when set)
    as a bearer token."""
    import httpx

    token = token if token is not None else os.environ.get(TOKEN_ENV, "").strip() or None
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client or httpx.Client(headers=headers, timeout=60.0)
