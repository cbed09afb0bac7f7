"""Where the registry is, and the backend for it.

The location comes from ``--registry``, else ``APIGOV_REGISTRY``, else ``registry:`` in
``apigov.yaml`` (relative to that file), else ``./contracts``. A directory path selects the
directory backend; ``postgresql://`` and ``http(s)://`` URLs select the backends that serve a
shared registry.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Final

from apigov.config.project import Config
from apigov.core.errors import BackendUnavailable, ConfigError
from apigov.registry.base import RegistryBackend
from apigov.registry.filesystem import DirectoryBackend
from apigov.registry.tokens import FileTokenStore, TokenStore, token_store_of

__all__ = ["DEFAULT_LOCATION", "ENV_VAR", "open_backend", "open_token_store", "registry_location"]

ENV_VAR: Final = "APIGOV_REGISTRY"
DEFAULT_LOCATION: Final = "contracts"
_REMOTE: Final = ("postgresql://", "postgres://")
_HTTP: Final = ("http://", "https://")


def registry_location(option: str | None, config: Config) -> str:
    """The registry location for a command (see the module docstring)."""
    if option:
        return option
    from_env = os.environ.get(ENV_VAR, "").strip()
    if from_env:
        return from_env
    if config.registry:
        if "://" in config.registry:
            return config.registry
        return str(config.root / config.registry)
    return DEFAULT_LOCATION


def open_backend(location: str) -> RegistryBackend:
    """The backend for ``location``."""
    lowered = location.lower()
    if lowered.startswith(("postgresql://", "postgres://")):
        try:
            from apigov.registry.postgres import PostgresBackend
        except ImportError as exc:
            raise BackendUnavailable(
                f"the PostgreSQL registry backend needs psycopg ({exc.name or 'psycopg'} is not installed)",
                hint="pip install 'apigov[postgres]'",
            ) from None
        return PostgresBackend(location)
    if lowered.startswith(_HTTP):
        from apigov.registry.http import HttpBackend

        return HttpBackend(location)
    if lowered.startswith(_REMOTE):
        scheme = lowered.split("://", 1)[0]
        raise BackendUnavailable(
            f"the {scheme} registry backend is not available in this version of apigov",
            hint="use a directory registry (--registry DIR)",
        )
    if "://" in location:
        raise ConfigError(
            f"unknown registry location {location[:80]!r}",
            hint="name a directory, a postgresql:// or an http(s):// URL",
        )
    path = Path(location)
    if path.exists() and not path.is_dir():
        raise ConfigError(f"registry location {location!r} is not a directory")
    return DirectoryBackend(path)


def open_token_store(location: str) -> TokenStore:
    """The token store of the registry at ``location`` (see :func:`~apigov.registry.tokens.token_store_of`)."""
    if "://" not in location:
        return FileTokenStore.for_registry(Path(location))
    return token_store_of(open_backend(location))
